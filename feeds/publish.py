"""Render one language's feeds and pages from the store and write them atomically.

A reader never sees a half-written file: each file is written to a temporary name in the same
directory, flushed to disk, then renamed over the old one. Files whose bytes did not change are
left alone, so their mtime (Last-Modified) and ETag stay put.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from feeds import document, pages
from feeds.jsonfeed import jsonfeed_bytes
from feeds.xmlfeeds import atom_bytes, rss_bytes
from syndicate.config import Settings
from syndicate.store import Store


@dataclass(frozen=True)
class Published:
    lang: str
    article_ids: tuple[str, ...]
    written: tuple[Path, ...]  # files whose content changed


def write_atomic(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` all at once. Returns False if it already held exactly that."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


@contextmanager
def _language_lock(root: Path, lang: str):
    """Two workers publishing one language take turns, so an older render never wins."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".publish-{lang}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build(stored, settings: Settings, lang: str) -> document.Feed:
    return document.build(
        stored,
        lang,
        base_url=settings.base_url,
        source_lang=settings.source_lang,
        languages=settings.languages,
        publisher=settings.publisher,
    )


def render(
    store: Store, settings: Settings, lang: str
) -> tuple[document.Feed, document.Feed, dict[str, bytes]]:
    """The feed of one language, the articles older than its entries that await publication,
    and all their files, keyed by path under the public directory.

    Articles too old for the feed's newest ``feed_size`` entries still get their page.
    """
    feed = _build(store.feed_articles(lang, settings.source_lang, settings.feed_size), settings, lang)
    in_feed = {e.article_id for e in feed.entries}
    waiting = [
        a
        for a in store.feed_articles(lang, settings.source_lang, 10_000, awaiting_publication=True)
        if a.id not in in_feed
    ]
    older = _build(waiting, settings, lang)
    files = {
        f"feeds/{lang}/rss.xml": rss_bytes(feed),
        f"feeds/{lang}/atom.xml": atom_bytes(feed),
        f"feeds/{lang}/feed.json": jsonfeed_bytes(feed),
        f"{lang}/index.html": pages.index_page(feed),
    }
    for entry in feed.entries:
        files[f"{lang}/{entry.article_id}.html"] = pages.article_page(feed, entry)
    for entry in older.entries:
        files[f"{lang}/{entry.article_id}.html"] = pages.article_page(feed, entry)
    return feed, older, files


def publish_language(store: Store, settings: Settings, lang: str) -> Published:
    root = settings.feeds_dir
    with _language_lock(root, lang):
        feed, older, files = render(store, settings, lang)
        written = tuple(root / rel for rel, data in files.items() if write_atomic(root / rel, data))
    ids = tuple(e.article_id for e in feed.entries) + tuple(e.article_id for e in older.entries)
    return Published(lang, ids, written)
