"""Render one language's feeds and pages from the store and write them atomically.

A reader never sees a half-written file: each file is written to a temporary name in the same
directory, flushed to disk, then renamed over the old one. Files whose bytes did not change are
left alone, so their mtime (Last-Modified) and ETag stay put.

The public directory is the one part of the data directory others may read (a web server
running as another user): its folders are 0755 and its files 0644 whatever the umask, which
every ``syndicate`` command sets to 0o077 (syndicate/filemodes.py).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from feeds import document, pages, websub
from feeds.jsonfeed import jsonfeed_bytes
from feeds.opml import opml_bytes
from feeds.xmlfeeds import atom_bytes, rss_bytes
from syndicate.config import Settings
from syndicate.filemodes import DATA_DIR_MODE, PUBLIC_DIR_MODE, PUBLIC_FILE_MODE, make_dirs, make_public_dir
from syndicate.model import StoredArticle
from syndicate.store import Store, Unreadable

# Articles whose pages are rendered and written together; bounds a publish's memory.
PAGES_PER_CHUNK = 100


@dataclass(frozen=True)
class Published:
    """What :func:`publish_language` did: the articles now published in ``lang`` (the caller
    marks their jobs: workers/dispatch.py publish_now) and the files whose content changed."""

    lang: str
    article_ids: tuple[str, ...]
    written: tuple[Path, ...]  # files whose content changed


def write_atomic(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` all at once, world-readable (0644; folders it creates 0755).
    Returns False if it already held exactly that. Raises OSError (the old file stays whole)."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    make_dirs(path.parent, PUBLIC_DIR_MODE)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, PUBLIC_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _build(
    stored: list[StoredArticle],
    settings: Settings,
    lang: str,
    *,
    page: int | None = None,
    prev_archive: int | None = None,
) -> document.Feed:
    """:func:`document.build` with this installation's settings; ``page`` and ``prev_archive``
    are RFC 5005 archive page numbers (None: the main feed / no older page)."""
    return document.build(
        stored,
        lang,
        base_url=settings.base_url,
        source_lang=settings.source_lang,
        languages=settings.languages,
        publisher=settings.publisher,
        hub=settings.websub_hub,
        page=page,
        prev_archive=prev_archive,
    )


def _documents(feed: document.Feed) -> dict[str, bytes]:
    return {
        document.feed_path(feed.lang, "rss", feed.page): rss_bytes(feed),
        document.feed_path(feed.lang, "atom", feed.page): atom_bytes(feed),
        document.feed_path(feed.lang, "json", feed.page): jsonfeed_bytes(feed),
    }


def render_feeds(
    store: Store,
    settings: Settings,
    lang: str,
    rewrite_pages: frozenset[int] = frozenset(),
    unreadable: list[Unreadable] | None = None,
) -> dict[str, bytes]:
    """``lang``'s feed documents, its index page and the OPML list, keyed by path under the
    public directory.

    The main feed holds the newest ``feed_size`` entries in publication order. Older entries
    live in RFC 5005 archive pages of ``feed_size`` entries each; a page is rendered once, when
    it fills, and never changes after (so it links to the current feed and to the older page,
    never to a newer one), unless it held an article since retracted (``rewrite_pages``).
    """
    root, size, source = settings.feeds_dir, settings.feed_size, settings.source_lang
    full_pages = store.publications.last_seq(lang) // size
    newest = store.publications.entries(lang, source, size, unreadable=unreadable)
    main = _build(newest, settings, lang, prev_archive=full_pages or None)
    files = _documents(main)
    files[f"{lang}/index.html"] = pages.index_page(main)
    # Newest first, stopping at the first page already written: pages below it were written
    # before it, so publishing does not look at the whole history.
    for page in range(full_pages, 0, -1):
        paths = [document.feed_path(lang, fmt, page) for fmt in document.FORMATS]
        if all((root / path).is_file() for path in paths):
            break
        files.update(_archive(store, settings, lang, page, unreadable))
    for page in rewrite_pages:
        if page <= full_pages:
            files.update(_archive(store, settings, lang, page, unreadable))
    files["feeds.opml"] = opml_bytes(settings.base_url, settings.languages, settings.publisher)
    return files


def render_pages(
    store: Store, settings: Settings, lang: str, ready: list[str], unreadable: list[Unreadable] | None = None
) -> dict[str, bytes]:
    """Pages for the articles published now, in every language they exist in: their compare
    page and the other languages' pages gain a link to this language. Pages of articles that did
    not change are left as they are, so publishing costs the same however long the history."""
    files: dict[str, bytes] = {}
    source = settings.source_lang
    for other in settings.languages:
        stored = store.publications.entries(other, source, ids=ready, unreadable=unreadable)
        for entry in _build(stored, settings, other).entries:
            files[f"{other}/{entry.article_id}.html"] = pages.article_page(settings.base_url, entry)
        if other == lang:
            for item in stored:
                files[f"articles/{item.id}.html"] = pages.compare_page(item, settings.languages, source)
    return files


def _archive(
    store: Store, settings: Settings, lang: str, page: int, unreadable: list[Unreadable] | None
) -> dict[str, bytes]:
    size = settings.feed_size
    seqs = ((page - 1) * size + 1, page * size)
    stored = store.publications.entries(lang, settings.source_lang, seq_range=seqs, unreadable=unreadable)
    return _documents(_build(stored, settings, lang, page=page, prev_archive=page - 1 or None))


def publish_language(
    store: Store,
    settings: Settings,
    lang: str,
    ping_hub: bool = True,
    unreadable: list[Unreadable] | None = None,
) -> Published:
    """Write ``lang``'s feeds and pages; returns the articles that are now published (the
    caller marks their jobs: workers/dispatch.py publish_now). Stored revisions that could not
    be read are left out and, given ``unreadable``, listed in it; this function changes no job.

    Publishers of one language take turns on the store's lock (``store.publications.lock``),
    on every host that shares the store, so a publish never leaves an older render than one
    that finished before it. Retracted articles leave the feed, their archive page and their
    pages. Raises OSError when a file cannot be written (the previous one stays whole), a
    database error when the store cannot be read.
    """
    root = settings.feeds_dir
    make_dirs(root.parent, DATA_DIR_MODE)  # the data directory: others may pass, not read
    make_public_dir(root)
    with store.publications.lock(lang):
        retracted = store.publications.retracted_in_feed(lang)
        pages_touched = frozenset((seq - 1) // settings.feed_size + 1 for _, seq in retracted)
        ready = store.publications.sequence_ready(lang, settings.source_lang)
        written: list[Path] = []
        # Pages first, so an entry's link works by the time a reader sees it in a feed; in
        # chunks, so a publish after a long backlog does not hold every page in memory at once.
        for start in range(0, len(ready), PAGES_PER_CHUNK):
            chunk = render_pages(store, settings, lang, ready[start : start + PAGES_PER_CHUNK], unreadable)
            written += [root / rel for rel, data in chunk.items() if write_atomic(root / rel, data)]
        files = render_feeds(store, settings, lang, pages_touched, unreadable)
        written += [root / rel for rel, data in files.items() if write_atomic(root / rel, data)]
        for article_id, _ in retracted:
            (root / lang / f"{article_id}.html").unlink(missing_ok=True)
            (root / "articles" / f"{article_id}.html").unlink(missing_ok=True)
        store.publications.forget_positions(lang, [article_id for article_id, _ in retracted])
    main_feeds = [document.feed_path(lang, fmt) for fmt in document.FORMATS]
    changed = [
        document.feed_url(settings.base_url, lang, fmt)
        for fmt, path in zip(document.FORMATS, main_feeds, strict=True)
        if root / path in written
    ]
    if ping_hub and settings.websub_hub and changed:
        websub.ping(settings.websub_hub, changed)
    return Published(lang, tuple(ready), tuple(written))
