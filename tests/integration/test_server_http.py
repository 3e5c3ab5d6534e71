"""`syndicate serve` (uvicorn) over real sockets: what was wrong with the old http.server handler
(issue 13: NUL byte, 300-character name, gzip;q=0, one ETag for two bodies, 304 without
Cache-Control, Server header, dot-directories, idle connections) plus keep-alive and Range."""

from __future__ import annotations

import http.client
import socket
import time

import pytest

from feeds.publish import write_atomic
from tests.http_client import get

ATOM = "<feed>привет</feed>".encode()


@pytest.fixture
def port(site, server):
    root = site.settings.feeds_dir
    write_atomic(root / "feeds" / "ru" / "atom.xml", ATOM)
    write_atomic(root / ".secret" / "x.html", b"secret")
    write_atomic(root / "digits.txt", b"0123456789")
    write_atomic(root / "en" / "index.html", b"<!doctype html><title>en</title>")
    yield site.port
    assert "Traceback" not in site.log("server"), site.log("server")[-3000:]


def raw(port: int, data: bytes, timeout: float = 5) -> bytes:
    """Send ``data`` on a fresh connection and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def request(target: bytes) -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def test_nul_byte_and_long_names_get_an_answer(port):
    assert raw(port, request(b"/feeds\x00/x")).startswith(b"HTTP/1.1 400 ")
    assert raw(port, request(b"/feeds%00/x")).startswith(b"HTTP/1.1 404 ")
    assert raw(port, request(b"/" + b"n" * 300 + b".xml")).startswith(b"HTTP/1.1 404 ")
    assert raw(port, request(b"/feeds/ru/atom.xml")).startswith(b"HTTP/1.1 200 ")  # still serving


def test_a_doubled_slash_never_redirects_to_another_host(port):
    for target in (b"//en", b"///en", b"/en"):
        head = raw(port, request(target)).split(b"\r\n\r\n")[0].lower()
        assert head.startswith(b"http/1.1 301 ") and b"\r\nlocation: /en/\r\n" in head, head


def test_headers_as_readers_and_caches_need_them(port):
    plain, body = get(port, "/feeds/ru/atom.xml")
    assert body == ATOM and plain.getheader("Content-Encoding") is None
    assert plain.getheader("Server") is None
    refused, body = get(port, "/feeds/ru/atom.xml", **{"Accept-Encoding": "gzip;q=0"})
    assert body == ATOM and refused.getheader("Content-Encoding") is None
    zipped, _ = get(port, "/feeds/ru/atom.xml", **{"Accept-Encoding": "gzip"})
    assert zipped.getheader("Content-Encoding") == "gzip"
    assert zipped.getheader("ETag") != plain.getheader("ETag")
    not_modified, body = get(port, "/feeds/ru/atom.xml", **{"If-None-Match": plain.getheader("ETag")})
    assert not_modified.status == 304 and body == b""
    assert not_modified.getheader("Cache-Control") == "public, max-age=60"
    assert get(port, "/.secret/x.html")[0].status == 404
    partial, body = get(port, "/digits.txt", Range="bytes=3-5")
    assert partial.status == 206 and body == b"345"


def test_keep_alive_and_pipelining(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/digits.txt")
    first = conn.getresponse()
    assert first.read() == b"0123456789" and not first.will_close
    local = conn.sock.getsockname()
    conn.request("GET", "/feeds/ru/atom.xml")
    assert conn.getresponse().read() == ATOM and conn.sock.getsockname() == local  # same connection
    conn.close()
    two = b"GET /digits.txt HTTP/1.1\r\nHost: x\r\n\r\n" + request(b"/digits.txt")
    assert raw(port, two).count(b"HTTP/1.1 200 OK") == 2


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closed ``sock`` without sending anything (EOF or reset)."""
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True


def test_idle_and_slow_connections_are_closed(port):
    started = time.monotonic()
    idle = [socket.create_connection(("127.0.0.1", port), timeout=15) for _ in range(50)]
    slow = socket.create_connection(("127.0.0.1", port), timeout=15)
    try:
        slow.sendall(b"GET /digits.txt HTTP/1.1\r\n")
        for _ in range(4):  # a byte a second, within the deadline, does not extend it
            time.sleep(1)
            slow.sendall(b"X")
        assert get(port, "/digits.txt")[0].status == 200  # served while 51 connections wait
        assert closed_by_server(slow)
        assert all(closed_by_server(sock) for sock in idle)
        waited = time.monotonic() - started
        assert waited < 10, waited
        print(f"50 idle connections and a slow one closed after {waited:.1f} s")
    finally:
        for sock in [*idle, slow]:
            sock.close()
