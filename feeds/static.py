"""The HTTP semantics of serving the public directory, free of any server: which file a path
names, its media type, its cached bytes and validators, content negotiation and byte ranges.

Sources: RFC 9110 (HTTP Semantics) sections 8.8 (validators), 12.5.3 (Accept-Encoding),
13.1 (preconditions), 14 (range requests), 14.6 (multipart/byteranges); RFC 9111 (caching).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import threading
from dataclasses import dataclass
from pathlib import Path

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
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
# More ranges than this in one request are served as a whole 200: a cheap guard against
# requests for thousands of tiny overlapping ranges (RFC 9110 14.2 lets a server ignore Range).
MAX_RANGES = 16
# Files kept in memory at once; the public directory holds a few hundred small documents.
MAX_CACHED_FILES = 4096


def content_type(path: Path) -> str:
    """Content-Type with charset: the feed media types by file name (RSS, Atom, JSON Feed 1.1's
    ``application/feed+json``), then by suffix, then the platform's guess;
    ``application/octet-stream`` otherwise."""
    known = CONTENT_TYPES.get(path.name) or SUFFIX_TYPES.get(path.suffix)
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def resolve(root: Path, url_path: str) -> Path | None:
    """The file or directory that the decoded URL path ``url_path`` names inside ``root`` (resolved,
    absolute), or None: any segment starting with a dot (``..``, ``.secret``, the publisher's
    ``.name.tmp`` files), a NUL byte, a name the file system refuses (over 255 bytes: ENAMETOOLONG;
    unencodable), or a symlink leading out of ``root``. A trailing ``/`` means ``index.html``."""
    if "\x00" in url_path:
        return None
    segments = [s for s in url_path.split("/") if s]
    if any(s.startswith(".") or "\\" in s for s in segments):
        return None
    if url_path.endswith("/") or not segments:
        segments.append("index.html")
    try:
        candidate = root.joinpath(*segments).resolve()
        candidate.stat()
    except (OSError, ValueError):  # ENOENT, ENAMETOOLONG, ELOOP, UnicodeEncodeError...
        return None
    if candidate != root and root not in candidate.parents:
        return None
    return candidate


@dataclass(frozen=True)
class Cached:
    """One version of a file: its bytes, their gzip, and both representations' strong ETags
    (the first 128 bits of the SHA-256 of the file, in hex; ``-gz`` marks the gzip one, since
    RFC 9110 8.8.3 requires distinct strong tags for distinct bodies). ``mtime`` in seconds."""

    key: tuple[int, int, int]  # (inode, mtime in ns, size): a rename gives a new inode
    mtime: float
    body: bytes
    gzipped: bytes
    etag: str
    gzip_etag: str


class FileCache:
    """Content, gzip and ETags per file, recomputed only when the file was replaced. Thread-safe."""

    def __init__(self) -> None:
        self._entries: dict[Path, Cached] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> Cached:
        """The current version of ``path``. Stat and read use one open file, so the validators
        always describe the bytes (files are replaced by rename, never rewritten in place).
        Raises OSError (FileNotFoundError, IsADirectoryError...)."""
        with open(path, "rb") as f:
            stat = os.fstat(f.fileno())
            key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            with self._lock:
                cached = self._entries.get(path)
            if cached is not None and cached.key == key:
                return cached
            body = f.read()
        digest = hashlib.sha256(body).hexdigest()[:32]
        cached = Cached(
            key, stat.st_mtime, body, gzip.compress(body, 6, mtime=0), f'"{digest}"', f'"{digest}-gz"'
        )
        with self._lock:
            if len(self._entries) >= MAX_CACHED_FILES:
                self._entries.clear()
            self._entries[path] = cached
        return cached


def _qvalue(params: list[str]) -> float:
    """The weight among a coding's parameters (RFC 9110 12.4.2): 1 when absent, 0 when malformed."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def accept_encoding(header: str | None) -> dict[str, float]:
    """Accept-Encoding as {coding (lower case): weight}; ``x-gzip`` counts as ``gzip``
    (RFC 9110 8.4.1.3). A coding listed twice keeps its highest weight."""
    weights: dict[str, float] = {}
    for item in (header or "").split(","):
        coding, *params = item.split(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        coding = "gzip" if coding == "x-gzip" else coding
        weights[coding] = max(weights.get(coding, 0.0), _qvalue(params))
    return weights


def wants_gzip(header: str | None) -> bool:
    """Whether to send gzip rather than identity (RFC 9110 12.5.3): gzip's weight, explicit or
    through ``*``, is above 0 and not below identity's. Identity is acceptable unless excluded,
    so no header, ``gzip;q=0`` or ``identity;q=1, gzip;q=0.5`` all give identity."""
    if header is None:
        return False
    weights = accept_encoding(header)
    star = weights.get("*")
    q_gzip = weights.get("gzip", star if star is not None else 0.0)
    q_identity = weights.get("identity", star if star is not None else 1.0)
    return q_gzip > 0 and q_gzip >= q_identity


def none_match(if_none_match: str, etag: str) -> bool:
    """Whether If-None-Match's list names ``etag`` by weak comparison or is ``*``
    (RFC 9110 13.1.2): such a GET or HEAD gets 304."""
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


def _digits(text: str) -> bool:
    """Whether ``text`` is 1*DIGIT in ASCII (str.isdigit alone also accepts e.g. superscripts)."""
    return text.isascii() and text.isdigit()


def byte_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The satisfiable ranges of a ``Range: bytes=...`` header for a body of ``size`` bytes, as
    sorted, merged (start, end exclusive) pairs; None to ignore the header and send 200 (another
    unit, bad syntax, more than MAX_RANGES); [] when none is satisfiable (416). RFC 9110 14.1.2."""
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not specs.strip():
        return None
    parts = specs.split(",")
    if len(parts) > MAX_RANGES:
        return None
    ranges: list[tuple[int, int]] = []
    for part in parts:
        first, dash, last = (s.strip() for s in part.strip().partition("-"))
        if not dash or not (_digits(first) or (not first and _digits(last))):
            return None
        if not first:  # suffix-range: the last N bytes
            if int(last) > 0 and size > 0:
                ranges.append((max(size - int(last), 0), size))
            continue
        if last and not _digits(last):
            return None
        start, end = int(first), (int(last) + 1 if last else size)
        if last and end <= start:
            return None  # last-pos before first-pos: invalid syntax (RFC 9110 14.1.1)
        if start < size:
            ranges.append((start, min(end, size)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def multipart_byteranges(body: bytes, ranges: list[tuple[int, int]], ctype: str, boundary: str) -> bytes:
    """The ``multipart/byteranges`` body (RFC 9110 14.6) of ``ranges`` (start, end exclusive)."""
    parts = [
        f"--{boundary}\r\nContent-Type: {ctype}\r\nContent-Range: bytes {start}-{end - 1}/{len(body)}"
        f"\r\n\r\n".encode()
        + body[start:end]
        + b"\r\n"
        for start, end in ranges
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()
