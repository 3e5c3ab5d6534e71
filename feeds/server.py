"""Serve the public directory over HTTP the way feed readers and polling sites expect, on
Starlette and uvicorn (HTTP/1.1 via h11: keep-alive, pipelining, request parsing).

Content-Type with charset per feed format, strong ETags from the content (distinct for the gzip
body), Last-Modified, 304 for If-None-Match / If-Modified-Since with the same caching headers,
gzip by Accept-Encoding's weights, byte ranges (If-Range), HEAD, and /metrics. Files are only ever
replaced by rename, so a response is always one complete version of a file.

Why not Starlette's StaticFiles and GZipMiddleware: StaticFiles derives its ETag from mtime and
size, not the content, and GZipMiddleware matches the substring ``gzip`` (so ``gzip;q=0`` gets
gzip) and keeps the identity body's ETag on the gzip body. The HTTP rules live in feeds.static.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import UTC
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from feeds.static import (
    FileCache,
    byte_ranges,
    content_type,
    multipart_byteranges,
    none_match,
    resolve,
    wants_gzip,
)

log = logging.getLogger(__name__)

# Prometheus's text exposition format, version 0.0.4.
METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Feeds change at most every few minutes; readers poll with conditional GETs.
CACHE_CONTROL = "public, max-age=60"
# Seconds a connection may sit without a complete request head, before its first request or
# between requests (uvicorn's keep-alive timeout), so idle clients cannot hold connections.
IDLE_TIMEOUT_S = 5
# Seconds the in-flight requests get to finish on SIGTERM / shutdown().
GRACEFUL_SHUTDOWN_S = 5


def _not_modified(request: Request, etag: str, mtime: float) -> bool:
    """Whether the client's copy is current: If-None-Match when sent, which overrides
    If-Modified-Since (RFC 9110 13.2.2); HTTP dates have whole seconds."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return none_match(if_none_match, etag)
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
            # asctime dates and "-0000" carry no zone; HTTP dates are GMT (RFC 9110 5.6.7), never
            # the server's local time.
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return int(mtime) <= int(since.timestamp())
        except (TypeError, ValueError):
            return False
    return False


def _range_applies(request: Request, etag: str, last_modified: str) -> bool:
    """Whether to honour Range: GET only (RFC 9110 14.2), and If-Range, when sent, must equal
    the current strong ETag or the exact Last-Modified date (RFC 9110 13.1.5)."""
    if request.method != "GET" or "range" not in request.headers:
        return False
    if_range = request.headers.get("if-range")
    return if_range is None or if_range in (etag, last_modified)


def make_app(root: Path, metrics: Callable[[], bytes] | None = None) -> Starlette:
    """The ASGI application serving the files under ``root`` (GET and HEAD; others 405).

    ``/dir/`` serves ``dir/index.html`` and ``/dir`` redirects (301) there; dot segments, NUL
    bytes, over-long names and paths leading out of ``root`` are 404. 200, 206 and 304 carry
    ETag, Last-Modified, ``Cache-Control: public, max-age=60`` and ``Vary: Accept-Encoding``.
    ``metrics`` renders /metrics (Prometheus text) at each request (None: no /metrics); if it
    raises, the response is 503 with the error in plain text. Endpoints are synchronous: Starlette
    runs them in its thread pool, so file reads and the metrics' database queries never block
    the event loop.
    """
    root = root.resolve()
    cache = FileCache()

    def not_found() -> Response:
        return PlainTextResponse("not found\n", 404)

    def serve_file(request: Request) -> Response:
        url_path: str = request.scope["path"]
        path = resolve(root, url_path)
        if path is None:
            return not_found()
        if path.is_dir():
            if not (path / "index.html").is_file():
                return not_found()
            query = request.scope.get("query_string", b"").decode("latin-1")
            raw = request.scope.get("raw_path", url_path.encode()).decode("latin-1")
            # One leading slash: "//en/" would be a network-path reference to the host "en".
            location = "/" + raw.lstrip("/") + "/"
            return RedirectResponse(location + (f"?{query}" if query else ""), 301)
        try:
            cached = cache.get(path)
        except OSError:  # replaced by a directory, or removed, since resolve()
            return not_found()
        gz = wants_gzip(request.headers.get("accept-encoding"))
        body, etag = (cached.gzipped, cached.gzip_etag) if gz else (cached.body, cached.etag)
        last_modified = formatdate(cached.mtime, usegmt=True)
        headers = {
            "ETag": etag,
            "Last-Modified": last_modified,
            "Cache-Control": CACHE_CONTROL,
            "Vary": "Accept-Encoding",
        }
        if _not_modified(request, etag, cached.mtime):
            return Response(status_code=304, headers=headers)
        headers.update({"Accept-Ranges": "bytes", "X-Content-Type-Options": "nosniff"})
        if gz:
            headers["Content-Encoding"] = "gzip"
        ctype, status = content_type(path), 200
        if _range_applies(request, etag, last_modified):
            ranges = byte_ranges(request.headers["range"], len(body))
            if ranges == []:
                return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{len(body)}"})
            if ranges and len(ranges) == 1:
                (start, end), status = ranges[0], 206
                headers["Content-Range"] = f"bytes {start}-{end - 1}/{len(body)}"
                body = body[start:end]
            elif ranges:
                boundary, status = secrets.token_hex(12), 206
                body = multipart_byteranges(body, ranges, ctype, boundary)
                ctype = f"multipart/byteranges; boundary={boundary}"
        headers["Content-Type"] = ctype
        return Response(body, status, headers)  # uvicorn drops the body of a HEAD response

    def serve_metrics(request: Request) -> Response:
        assert metrics is not None
        try:
            body = metrics()
        except Exception as exc:  # a scrape must say what is wrong, not drop the connection
            log.warning("metrics failed: %s", exc)
            return PlainTextResponse(f"metrics unavailable: {type(exc).__name__}: {exc}\n", 503)
        return Response(body, headers={"Content-Type": METRICS_TYPE, "Cache-Control": "no-store"})

    routes = [Route("/metrics", serve_metrics)] if metrics is not None else []
    routes.append(Route("/{path:path}", serve_file))
    return Starlette(routes=routes)


class _Protocol(H11Protocol):
    """uvicorn's h11 protocol plus a deadline for every request head: uvicorn only times out a
    connection after a response, so a client that connects and sends nothing, or a few bytes
    at a time, would otherwise hold its connection for ever."""

    _head_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.timeout_keep_alive, self._head_timeout)

    def _head_timeout(self) -> None:
        self._head_timer = None
        busy = self.cycle is not None and not self.cycle.response_complete
        if not busy and not self.transport.is_closing():  # else on_response_complete re-arms
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)


class FeedServer:
    """uvicorn on an already bound socket, with the interface of socketserver's servers that the
    CLI and tests use: ``serve_forever()`` (blocks; in the main thread SIGINT and SIGTERM stop it
    gracefully and are then re-raised to the previous handlers), ``shutdown()`` from another
    thread (returns once serve_forever has), ``server_close()``, ``server_address`` (host, port)."""

    def __init__(self, app: Starlette, sock: socket.socket, idle_timeout: int) -> None:
        self.socket = sock
        self.server_address: tuple[str, int] = sock.getsockname()[:2]
        config = uvicorn.Config(
            app,
            http=_Protocol,
            lifespan="off",
            server_header=False,  # no "uvicorn" or version in the Server header
            access_log=False,
            log_config=None,  # keep syndicate's logging configuration
            timeout_keep_alive=idle_timeout,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        )
        self._server = uvicorn.Server(config)
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        self._server.should_exit = True
        self._stopped.wait()

    def server_close(self) -> None:
        self.socket.close()


def make_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8080,
    metrics: Callable[[], bytes] | None = None,
    idle_timeout: int = IDLE_TIMEOUT_S,
) -> FeedServer:
    """A server for ``root`` (created if missing) bound to ``host``:``port`` (0: any free port),
    not yet serving (call ``serve_forever``). ``idle_timeout``: seconds without a complete request
    head before the connection is closed. See :func:`make_app`. Raises OSError when the port
    cannot be bound."""
    root.mkdir(parents=True, exist_ok=True)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=128)
    return FeedServer(make_app(root, metrics), sock, idle_timeout)
