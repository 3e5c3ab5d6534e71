"""Reading what an operator submits: files, directories, stdin; parsing and storing each one."""

from __future__ import annotations

import dataclasses
import os
import select
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, BinaryIO, TypedDict

from syndicate import ingest, lifecycle
from syndicate.config import Settings
from syndicate.ingest.errors import TooLarge
from syndicate.model import Article
from syndicate.store import Store

# Reading on past the limit to count an oversized stdin: this many bytes at a time, for at
# most this long and this much (an endless or stalled stream, /dev/zero or a FIFO nobody
# closes, must not hang `submit`: its size is then reported as "more than" what was read).
_COUNT_CHUNK = 1 << 20
_COUNT_SECONDS = 2.0
_COUNT_CAP = 1 << 30


@dataclass(frozen=True)
class Source:
    """One input's bytes, read up to one byte past the size limit (enough to tell it is too
    large), and its whole ``size`` in bytes (None: ``len(data)``, the input was read whole)."""

    name: str  # what the operator calls it: a path, or "-" for stdin
    data: bytes
    size: int | None = None
    # False when counting stopped before the end (an endless or stalled stream): ``size`` is a
    # lower bound.
    size_exact: bool = True

    @property
    def total(self) -> int:
        """The input's size in bytes, however much of it was read."""
        return len(self.data) if self.size is None else self.size


@dataclass(frozen=True)
class Outcome:
    """What became of one input: the article id and revision it is stored as, whether it was a
    duplicate or a new revision, whether its lead was trimmed; or ``error``, the one-line reason
    nothing was stored."""

    source: str
    article_id: str | None = None
    revision: int | None = None
    duplicate: bool = False
    revised: bool = False
    lead_trimmed: bool = False
    error: str | None = None
    # Every repair or assumption made reading the input (Article.notes), one line each.
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """False when the input was unreadable or refused."""
        return self.error is None


def sources(paths: list[str], max_bytes: int) -> Iterator[Source | Outcome]:
    """Each input in order; an unreadable path yields a failed Outcome instead of raising."""
    for raw in paths:
        if raw == "-":
            yield Source("-", *_read_counting(sys.stdin.buffer, max_bytes))
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            if not files:
                yield Outcome(raw, error="directory holds no files")
            for file in files:
                yield _read(file, max_bytes)
        else:
            yield _read(path, max_bytes)


def _read_counting(fh: BinaryIO, max_bytes: int) -> tuple[bytes, int, bool]:
    """Up to ``max_bytes + 1`` bytes of ``fh`` (enough to know it is too large, without keeping
    it all), its whole size in bytes, and whether that size is exact. A regular file's size
    comes from fstat; a stream (stdin, a pipe, a FIFO, a device) is read from its descriptor and
    counted on past the limit for at most _COUNT_SECONDS and _COUNT_CAP bytes: an endless or
    stalled stream gives a lower bound (exact False) instead of hanging. Raises OSError as
    reading does."""
    fd = fh.fileno()
    if stat.S_ISREG(os.fstat(fd).st_mode):
        data = fh.read(max_bytes + 1)
        return data, max(len(data), os.fstat(fd).st_size if len(data) > max_bytes else len(data)), True
    parts: list[bytes] = []
    total = 0
    while total <= max_bytes:  # read whole up to the limit, however slowly the writer writes
        chunk = os.read(fd, min(_COUNT_CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(parts), total, True
        parts.append(chunk)
        total += len(chunk)
    data, deadline = b"".join(parts), time.monotonic() + _COUNT_SECONDS
    while total < _COUNT_CAP:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return data, total, False
        chunk = os.read(fd, _COUNT_CHUNK)
        if not chunk:
            return data, total, True
        total += len(chunk)
    return data, total, False


def _read(path: Path, max_bytes: int) -> Source | Outcome:
    try:
        with path.open("rb") as fh:
            return Source(str(path), *_read_counting(fh, max_bytes))
    except FileNotFoundError:
        return Outcome(str(path), error="no such file")
    except IsADirectoryError:
        return Outcome(str(path), error="is a directory")
    except PermissionError:
        return Outcome(str(path), error="permission denied")
    except OSError as exc:
        return Outcome(str(path), error=exc.strerror or str(exc))


def options(
    settings: Settings,
    *,
    zone: tzinfo | None = None,
    max_bytes: int | None = None,
    lang: str | None = None,
    format: ingest.Format | None = None,
    lead_policy: ingest.LeadPolicy | None = None,
    min_words: int | None = None,
    check_language: bool | None = None,
    now: datetime | None = None,
    page_url: str | None = None,
) -> ingest.IngestOptions:
    """Ingestion options from the settings, with the operator's command-line overrides.

    Each keyword is the :class:`ingest.IngestOptions` field of that name (``max_bytes`` in bytes,
    ``now`` aware); None keeps the settings' value (``zone``: SYNDICATE_SOURCE_TZ, ``max_bytes``,
    ``lang``, ``lead_policy``, ``min_words``) or the IngestOptions default (``format``: AUTO,
    ``check_language``: True, ``now``: the current time, ``page_url``: None). Raises ValueError
    if the settings' ``lead_policy`` is not a :class:`ingest.LeadPolicy`.
    """
    settings_lead_policy = ingest.LeadPolicy(settings.lead_policy)
    opts = ingest.IngestOptions(
        zone=settings.zone if zone is None else zone,
        max_bytes=settings.max_input_bytes if max_bytes is None else max_bytes,
        lang=settings.source_lang if lang is None else lang,
        lead_policy=settings_lead_policy if lead_policy is None else lead_policy,
        min_words=settings.min_body_words if min_words is None else min_words,
    )
    if format is not None:
        opts = dataclasses.replace(opts, format=format)
    if check_language is not None:
        opts = dataclasses.replace(opts, check_language=check_language)
    if now is not None:
        opts = dataclasses.replace(opts, now=now)
    if page_url is not None:
        opts = dataclasses.replace(opts, page_url=page_url)
    return opts


def parse_source(source: Source, opts: ingest.IngestOptions) -> tuple[Article, None] | tuple[None, str]:
    """``(article, None)``, or ``(None, the one-line reason it was refused)``.

    Only :class:`ingest.Rejected` is turned into a reason; other errors propagate. An input
    over ``opts.max_bytes`` is refused with its whole size (e.g. "too large: 3.2 MB (3,201,000
    bytes), the limit is 2.0 MB"), not that of the part read.
    """
    if source.total > opts.max_bytes:
        return None, TooLarge.of(source.total, opts.max_bytes, exact=source.size_exact).message
    try:
        return ingest.parse_bytes(source.data, options=opts), None
    except ingest.Rejected as exc:
        return None, exc.message


def store_source(
    source: Source, settings: Settings, store: Store, opts: ingest.IngestOptions | None = None,
    update_of: str | None = None,
) -> Outcome:  # fmt: skip
    """Parse ``source`` with ``opts`` (default: :func:`options` of ``settings``) and store it,
    as a new revision of article ``update_of`` when given; the jobs are stored, not sent.

    A refused input or an unknown ``update_of`` gives a failed Outcome; a database error raises.
    """
    article, error = parse_source(source, opts or options(settings))
    if article is None:
        return Outcome(source.name, error=error)
    try:
        submitted = lifecycle.submit(store, article, settings.languages, source.name, update_of)
    except KeyError:
        return Outcome(source.name, error=f"--update: no article {update_of}")
    except ValueError as exc:  # the revision's URL is another article's
        return Outcome(source.name, error=f"--update: {exc}")
    return Outcome(
        source.name,
        article_id=submitted.article_id,
        revision=submitted.revision,
        duplicate=submitted.duplicate,
        revised=submitted.revised,
        lead_trimmed=article.lead_trimmed,
        notes=article.notes,
    )


class Structure(TypedDict):
    """An article as `submit --dry-run` shows it (:func:`describe`)."""

    title: str
    published: str  # ISO 8601, with its offset (+00:00, never Z)
    updated: str | None  # the source's "Updated:" date, ISO 8601 with its offset; None if not given
    author: str | None
    url: str | None
    lang: str
    lead_trimmed: bool
    notes: list[str]  # every repair or assumption made reading the input, one line each
    # Paragraph.to_dict() ("kind", "text", "speaker" and "html" when there are) plus "sentences": list[str].
    paragraphs: list[dict[str, Any]]


def describe(article: Article) -> Structure:
    """The structure that would be stored, for `submit --dry-run --json`."""
    from syndicate import segment

    return {
        "title": article.title,
        "published": article.published.isoformat(),
        "updated": article.updated.isoformat() if article.updated else None,
        "author": article.author,
        "url": article.url,
        "lang": article.lang,
        "lead_trimmed": article.lead_trimmed,
        "notes": list(article.notes),
        "paragraphs": [
            {**p.to_dict(), "sentences": segment.sentences(p.text, article.lang)} for p in article.paragraphs
        ],
    }
