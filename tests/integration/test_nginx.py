"""The compose deployment's nginx server block keeps the same HTTP contract as `syndicate serve`."""

from __future__ import annotations

import gzip

import pytest

from benchmarks.nginx import nginx_binary, start_nginx
from feeds.publish import write_atomic
from syndicate.stack import stop, wait_for_port
from tests.http_client import get
from tests.integration.conftest import free_port


@pytest.fixture
def nginx(tmp_path):
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (.ci/run installs it)")
    public = tmp_path / "public"
    write_atomic(public / "feeds" / "ru" / "atom.xml", "<feed>привет</feed>".encode() * 50)
    write_atomic(public / "feeds" / "ru" / "rss.xml", b"<rss/>")
    write_atomic(public / "feeds" / "ru" / "feed.json", b"{}")
    write_atomic(public / "feeds.opml", b"<opml/>")
    write_atomic(public / "ru" / "index.html", "<p>я</p>".encode())
    (public / "feeds" / "ru" / ".publish.lock").write_text("")
    port = free_port()
    proc = start_nginx(public, port, tmp_path / "nginx")
    wait_for_port("127.0.0.1", port, proc=proc)
    yield port
    stop(proc, grace=5)


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/feeds/ru/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feeds/ru/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/ru/feed.json", "application/feed+json; charset=utf-8"),
        ("/feeds.opml", "text/x-opml; charset=utf-8"),
        ("/ru/", "text/html; charset=utf-8"),
    ],
)
def test_content_types(nginx, path, content_type):
    response, _ = get(nginx, path)
    assert response.status == 200
    assert response.getheader("Content-Type") == content_type


def test_conditional_get_gzip_and_hidden_files(nginx):
    response, body = get(nginx, "/feeds/ru/atom.xml")
    etag, modified = response.getheader("ETag"), response.getheader("Last-Modified")
    assert etag and modified
    assert get(nginx, "/feeds/ru/atom.xml", **{"If-None-Match": etag})[0].status == 304
    assert get(nginx, "/feeds/ru/atom.xml", **{"If-Modified-Since": modified})[0].status == 304
    zipped, data = get(nginx, "/feeds/ru/atom.xml", **{"Accept-Encoding": "gzip"})
    assert zipped.getheader("Content-Encoding") == "gzip" and gzip.decompress(data) == body
    assert get(nginx, "/feeds/ru/.publish.lock")[0].status == 404
