"""The feed server's HTTP semantics, through Starlette's TestClient (in-process ASGI), and the
parsers in feeds.static. Real sockets and uvicorn: tests/integration/test_server_http.py."""

from __future__ import annotations

import gzip
import threading
import time

import pytest
from starlette.testclient import TestClient

from feeds.publish import write_atomic
from feeds.server import make_app, make_server
from feeds.static import accept_encoding, byte_ranges, content_type, wants_gzip
from tests.http_client import get

ATOM = "<feed>привет</feed>".encode()


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "public"
    write_atomic(root / "feeds" / "ru" / "atom.xml", ATOM)
    write_atomic(root / "feeds" / "ru" / "rss.xml", b"<rss/>")
    write_atomic(root / "feeds" / "ru" / "feed.json", b"{}")
    write_atomic(root / "feeds" / "subscriptions.opml", b"<opml/>")
    write_atomic(root / "ru" / "index.html", b"<html></html>")
    write_atomic(root / ".secret" / "x.html", b"secret")
    write_atomic(root / "digits.txt", b"0123456789")
    return root


@pytest.fixture
def client(root):
    return TestClient(make_app(root, metrics=lambda: b"syndicate_up 1\n"), follow_redirects=False)


@pytest.mark.parametrize(
    "path, ctype",
    [
        ("/feeds/ru/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feeds/ru/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/ru/feed.json", "application/feed+json; charset=utf-8"),
        ("/feeds/subscriptions.opml", "text/x-opml; charset=utf-8"),
        ("/ru/", "text/html; charset=utf-8"),
        ("/digits.txt", "text/plain; charset=utf-8"),
    ],
)
def test_content_types(client, path, ctype):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == ctype


def test_etag_and_conditional_get(client, root):
    response = client.get("/feeds/ru/atom.xml", headers={"Accept-Encoding": "identity"})
    etag, last_modified = response.headers["etag"], response.headers["last-modified"]
    assert etag.startswith('"') and not etag.startswith("W/") and last_modified.endswith("GMT")
    assert response.content == ATOM and response.headers["cache-control"] == "public, max-age=60"
    for headers in ({"If-None-Match": etag}, {"If-None-Match": f'"x", W/{etag}'}, {"If-None-Match": "*"},
                    {"If-Modified-Since": last_modified}):  # fmt: skip
        not_modified = client.get("/feeds/ru/atom.xml", headers={"Accept-Encoding": "identity", **headers})
        assert not_modified.status_code == 304 and not_modified.content == b"", headers
        assert not_modified.headers["etag"] == etag
        assert not_modified.headers["cache-control"] == "public, max-age=60"
        assert not_modified.headers["vary"] == "Accept-Encoding"
        assert not_modified.headers["last-modified"] == last_modified
    # If-None-Match wins over a matching If-Modified-Since (RFC 9110 13.2.2)
    both = {"If-None-Match": '"other"', "If-Modified-Since": last_modified, "Accept-Encoding": "identity"}
    assert client.get("/feeds/ru/atom.xml", headers=both).status_code == 200
    write_atomic(root / "feeds" / "ru" / "atom.xml", b"<feed>new</feed>")
    changed = client.get("/feeds/ru/atom.xml", headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
    assert changed.status_code == 200 and changed.content == b"<feed>new</feed>"
    assert changed.headers["etag"] != etag


def test_gzip_has_its_own_etag(client):
    zipped = client.get("/feeds/ru/atom.xml", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == ATOM  # httpx decodes
    assert zipped.headers["vary"] == "Accept-Encoding"
    plain = client.get("/feeds/ru/atom.xml", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["etag"] == plain.headers["etag"][:-1] + '-gz"'
    # each representation's tag validates only that representation
    gz_etag = zipped.headers["etag"]
    again = client.get("/feeds/ru/atom.xml", headers={"Accept-Encoding": "gzip", "If-None-Match": gz_etag})
    assert again.status_code == 304 and again.headers["etag"] == gz_etag
    other = client.get(
        "/feeds/ru/atom.xml", headers={"Accept-Encoding": "identity", "If-None-Match": gz_etag}
    )
    assert other.status_code == 200


@pytest.mark.parametrize(
    "header, gz",
    [
        (None, False),
        ("gzip", True),
        ("GZIP, deflate, br", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("deflate, gzip;q=0", False),
        ("*", True),
        ("*;q=0, identity", False),
        ("identity;q=1, gzip;q=0.5", False),
        ("identity;q=0.5, gzip;q=0.8", True),
        ("gzip;q=bogus", False),
        ("", False),
        ("br", False),
    ],
)
def test_accept_encoding_weights(header, gz):
    assert wants_gzip(header) is gz


def test_accept_encoding_parser():
    assert accept_encoding("gzip;q=0.5, br ;q=1, x-gzip;q=0.7, *;q=0") == {"gzip": 0.7, "br": 1.0, "*": 0.0}


def test_gzip_q0_gets_identity_over_asgi(client):
    response = client.get("/feeds/ru/atom.xml", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in response.headers and response.content == ATOM


def test_head_has_headers_but_no_body(client):
    response = client.head("/feeds/ru/rss.xml", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-length"] == "6"


def test_no_server_version(client):
    assert "server" not in client.get("/ru/").headers


@pytest.mark.parametrize(
    "path",
    [
        "/nope.xml",
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/feeds/ru/",  # a directory without index.html
        "/.secret/x.html",
        "/%2esecret/x.html",
        "/feeds/ru/.atom.xml.tmp",
        "/a%00b",
        "/" + "x" * 300,
        "/" + "x/" * 3000,
    ],
)
def test_missing_hidden_and_bad_paths_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo", "UTC"])
def test_dates_without_a_zone_are_gmt_whatever_the_servers_zone(client, root, monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        path = root / "feeds" / "ru" / "atom.xml"
        mtime = int(path.stat().st_mtime)
        # RFC 9110 5.6.7: asctime and "-0000" dates are GMT too.
        for stamp, fresh in ((mtime - 2 * 3600, False), (mtime, True), (mtime + 5 * 3600, True)):
            asctime = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(stamp))
            minus_zero = time.strftime("%a, %d %b %Y %H:%M:%S -0000", time.gmtime(stamp))
            for date in (asctime, minus_zero):
                answer = client.get(path_url := "/feeds/ru/atom.xml", headers={"If-Modified-Since": date})
                assert answer.status_code == (304 if fresh else 200), (zone, date, path_url)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_directory_redirects_to_its_slash(client):
    response = client.get("/ru?x=1")
    assert response.status_code == 301 and response.headers["location"] == "/ru/?x=1"


def test_other_methods_are_405(client):
    response = client.post("/feeds/ru/atom.xml")
    assert response.status_code == 405 and "GET" in response.headers["allow"]


def test_ranges(client):
    def fetch(rng: str, **headers: str):
        return client.get("/digits.txt", headers={"Range": rng, "Accept-Encoding": "identity", **headers})

    one = fetch("bytes=2-4")
    assert one.status_code == 206 and one.content == b"234"
    assert one.headers["content-range"] == "bytes 2-4/10" and one.headers["accept-ranges"] == "bytes"
    assert fetch("bytes=-3").content == b"789" and fetch("bytes=7-").content == b"789"
    assert fetch("bytes=8-100").headers["content-range"] == "bytes 8-9/10"
    unsatisfiable = fetch("bytes=10-")
    assert unsatisfiable.status_code == 416 and unsatisfiable.headers["content-range"] == "bytes */10"
    assert unsatisfiable.headers["etag"] and unsatisfiable.headers["cache-control"]
    assert fetch("bytes=4-2").status_code == 200  # invalid: ignored
    assert fetch("lines=1-2").status_code == 200  # unknown unit: ignored
    many = fetch("bytes=0-1,5-6")
    assert many.status_code == 206 and many.headers["content-type"].startswith("multipart/byteranges")
    assert b"Content-Range: bytes 0-1/10\r\n\r\n01\r\n" in many.content
    assert b"Content-Range: bytes 5-6/10\r\n\r\n56\r\n" in many.content
    etag = one.headers["etag"]
    assert fetch("bytes=2-4", **{"If-Range": etag}).status_code == 206
    assert fetch("bytes=2-4", **{"If-Range": '"old"'}).status_code == 200
    assert fetch("bytes=2-4", **{"If-Range": one.headers["last-modified"]}).status_code == 206


@pytest.mark.parametrize(
    "header, expected",
    [
        ("bytes=0-0", [(0, 1)]),
        ("bytes=0-2, 1-5", [(0, 6)]),
        ("bytes=-0", []),
        ("bytes=²-3", None),
        ("bytes=", None),
        ("bytes=1-2," * 20, None),
    ],
)
def test_byte_ranges_parser(header, expected):
    assert byte_ranges(header, 10) == expected


def test_content_type_fallbacks(tmp_path):
    assert content_type(tmp_path / "a.png") == "image/png"
    assert content_type(tmp_path / "a.unknownext") == "application/octet-stream"


def test_metrics(root):
    client = TestClient(make_app(root, metrics=lambda: b"syndicate_up 1\n"))
    response = client.get("/metrics")
    assert response.status_code == 200 and response.content == b"syndicate_up 1\n"
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"

    def failing() -> bytes:
        raise RuntimeError("database is locked")

    broken = TestClient(make_app(root, metrics=failing)).get("/metrics")
    assert broken.status_code == 503 and "RuntimeError: database is locked" in broken.text
    assert TestClient(make_app(root)).get("/metrics").status_code == 404  # no metrics, no file


def test_make_server_serves_over_a_socket(root):
    server = make_server(root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        response, body = get(server.server_address[1], "/feeds/ru/atom.xml", **{"Accept-Encoding": "gzip"})
        assert response.status == 200 and gzip.decompress(body) == ATOM
    finally:
        server.shutdown()
        server.server_close()
    thread.join(5)
    assert not thread.is_alive()
