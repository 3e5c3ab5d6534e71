"""Serve the public directory over HTTP the way feed readers and polling sites expect.

Content-Type with charset per feed format, a strong ETag from the content, Last-Modified,
304 for If-None-Match / If-Modified-Since, gzip when the client asks, HEAD. Files are only ever
replaced by rename, so a response is always one complete version of a file.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
SUFFIX_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
}


@dataclass(frozen=True)
class _Cached:
    """One file's bytes, gzipped bytes and strong ETag, valid for that mtime (ns) and size."""

    mtime_ns: int
    size: int
    body: bytes
    gzipped: bytes
    etag: str


class _FileCache:
    """Content, gzip and ETag per file, recomputed only when the file was replaced."""

    def __init__(self) -> None:
        self._entries: dict[Path, _Cached] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> tuple[_Cached, os.stat_result]:
        """The cached content of ``path`` and its stat. Raises FileNotFoundError (OSError)."""
        stat = path.stat()
        with self._lock:
            cached = self._entries.get(path)
        if cached and cached.mtime_ns == stat.st_mtime_ns and cached.size == stat.st_size:
            return cached, stat
        body = path.read_bytes()
        cached = _Cached(
            stat.st_mtime_ns,
            len(body),
            body,
            gzip.compress(body, mtime=0),
            '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        )
        with self._lock:
            self._entries[path] = cached
        return cached, stat


def content_type(path: Path) -> str:
    """Content-Type with charset: the feed media types by file name (RSS, Atom, JSON Feed 1.1's
    ``application/feed+json``), then by suffix; ``application/octet-stream`` otherwise."""
    return CONTENT_TYPES.get(path.name) or SUFFIX_TYPES.get(path.suffix, "application/octet-stream")


# Prometheus's text exposition format, version 0.0.4.
METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def make_handler(root: Path, metrics: Callable[[], bytes] | None = None) -> type[BaseHTTPRequestHandler]:
    """A request handler class serving the files under ``root`` (GET and HEAD).

    ``/dir/`` serves ``dir/index.html``; paths outside ``root`` and dot files are 404. Responses
    carry a strong ETag (the first 128 bits of the body's SHA-256, in hex), Last-Modified,
    ``Cache-Control: public, max-age=60`` and ``Vary: Accept-Encoding``. If-None-Match (weak
    comparison, as RFC 9110 13.1.2 asks; ``*`` matches any) or, when absent, If-Modified-Since
    gives 304 (precedence: RFC 9110 13.2.2). gzip when Accept-Encoding names it. ``metrics``
    renders /metrics at each request (None: no /metrics); if it raises, the response is 503 with
    the error in plain text.
    """
    root = root.resolve()
    cache = _FileCache()

    class Handler(BaseHTTPRequestHandler):
        server_version = "syndicate"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args: object) -> None:
            log.debug("%s %s", self.address_string(), fmt % args)

        def _resolve(self) -> Path | None:
            """The file the request path names inside ``root``; None for anything else."""
            path = unquote(urlsplit(self.path).path)
            if path.endswith("/"):
                path += "index.html"
            candidate = (root / path.lstrip("/")).resolve()
            if root not in candidate.parents and candidate != root:
                return None
            if candidate.name.startswith("."):
                return None
            return candidate if candidate.is_file() else None

        def _respond(self, status: HTTPStatus, ctype: str, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _plain(self, status: HTTPStatus, text: str) -> None:
            self._respond(status, "text/plain; charset=utf-8", (text + "\n").encode(), {})

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET()

        def _metrics(self, render: Callable[[], bytes]) -> None:
            try:
                body = render()
            except Exception as exc:  # a scrape must say what is wrong, not drop the connection
                log.warning("metrics failed: %s", exc)
                self._plain(
                    HTTPStatus.SERVICE_UNAVAILABLE, f"metrics unavailable: {type(exc).__name__}: {exc}"
                )
                return
            self._respond(HTTPStatus.OK, METRICS_TYPE, body, {"Cache-Control": "no-store"})

        def do_GET(self) -> None:  # noqa: N802
            if metrics is not None and urlsplit(self.path).path == "/metrics":
                self._metrics(metrics)
                return
            path = self._resolve()
            if path is None:
                self._plain(HTTPStatus.NOT_FOUND, "not found")
                return
            try:
                cached, stat = cache.get(path)
            except FileNotFoundError:
                self._plain(HTTPStatus.NOT_FOUND, "not found")
                return
            last_modified = formatdate(stat.st_mtime, usegmt=True)
            if self._not_modified(cached.etag, int(stat.st_mtime)):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", cached.etag)
                self.send_header("Last-Modified", last_modified)
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return
            use_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
            body = cached.gzipped if use_gzip else cached.body
            headers = {
                "ETag": cached.etag,
                "Last-Modified": last_modified,
                "Cache-Control": "public, max-age=60",
                "Vary": "Accept-Encoding",
            }
            if use_gzip:
                headers["Content-Encoding"] = "gzip"
            self._respond(HTTPStatus.OK, content_type(path), body, headers)

        def _not_modified(self, etag: str, mtime: int) -> bool:
            """Whether the client's copy is current: If-None-Match when sent, which overrides
            If-Modified-Since (RFC 9110 13.2.2); ``mtime`` in whole seconds, as HTTP dates."""
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
                return etag in tags or "*" in tags
            if_modified_since = self.headers.get("If-Modified-Since")
            if if_modified_since:
                try:
                    return mtime <= int(parsedate_to_datetime(if_modified_since).timestamp())
                except (TypeError, ValueError):
                    return False
            return False

    return Handler


def make_server(
    root: Path, host: str = "127.0.0.1", port: int = 8080, metrics: Callable[[], bytes] | None = None
) -> ThreadingHTTPServer:
    """A threaded HTTP server for ``root`` (created if missing) on ``host``:``port``, not yet
    serving (call ``serve_forever``). See :func:`make_handler`. Raises OSError when the port
    cannot be bound."""
    root.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((host, port), make_handler(root, metrics))
    server.daemon_threads = True
    return server
