"""The feed server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import gzip
import threading

import pytest

from feeds.publish import write_atomic
from feeds.server import make_server
from tests.http_client import get


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "public"
    write_atomic(root / "feeds" / "ru" / "atom.xml", "<feed>привет</feed>".encode())
    write_atomic(root / "feeds" / "ru" / "rss.xml", b"<rss/>")
    write_atomic(root / "feeds" / "ru" / "feed.json", b"{}")
    write_atomic(root / "ru" / "index.html", b"<html></html>")
    (root / "secret.txt").write_text("no")
    server = make_server(root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/feeds/ru/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feeds/ru/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/ru/feed.json", "application/feed+json; charset=utf-8"),
        ("/ru/", "text/html; charset=utf-8"),
    ],
)
def test_content_types(served, path, content_type):
    _, port = served
    response, _ = get(port, path)
    assert response.status == 200
    assert response.getheader("Content-Type") == content_type


def test_etag_and_conditional_get(served):
    root, port = served
    response, body = get(port, "/feeds/ru/atom.xml")
    etag, last_modified = response.getheader("ETag"), response.getheader("Last-Modified")
    assert etag.startswith('"') and last_modified.endswith("GMT")
    assert body == "<feed>привет</feed>".encode()
    assert get(port, "/feeds/ru/atom.xml", **{"If-None-Match": etag})[0].status == 304
    assert get(port, "/feeds/ru/atom.xml", **{"If-Modified-Since": last_modified})[0].status == 304
    assert get(port, "/feeds/ru/atom.xml", **{"If-None-Match": '"other"'})[0].status == 200
    write_atomic(root / "feeds" / "ru" / "atom.xml", b"<feed>new</feed>")
    response, body = get(port, "/feeds/ru/atom.xml", **{"If-None-Match": etag})
    assert response.status == 200 and body == b"<feed>new</feed>"
    assert response.getheader("ETag") != etag


def test_gzip_when_asked(served):
    _, port = served
    response, body = get(port, "/feeds/ru/atom.xml", **{"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == "<feed>привет</feed>".encode()
    plain, _ = get(port, "/feeds/ru/atom.xml")
    assert plain.getheader("ETag") == response.getheader("ETag")


def test_head_has_headers_but_no_body(served):
    _, port = served
    response, body = get(port, "/feeds/ru/rss.xml", method="HEAD")
    assert response.status == 200 and body == b""
    assert response.getheader("Content-Length") == "6"


@pytest.mark.parametrize(
    "path", ["/nope.xml", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/feeds/ru/"]
)
def test_missing_and_escaping_paths_are_404(served, path):
    _, port = served
    assert get(port, path)[0].status == 404
