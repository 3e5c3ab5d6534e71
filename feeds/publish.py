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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from feeds import document, pages, site, websub
from feeds.jsonfeed import jsonfeed_bytes
from feeds.opml import opml_files
from feeds.xmlfeeds import atom_bytes, rss_bytes
from syndicate.config import Settings
from syndicate.filemodes import DATA_DIR_MODE, PUBLIC_DIR_MODE, PUBLIC_FILE_MODE, make_dirs, make_public_dir
from syndicate.model import StoredArticle
from syndicate.store import Snapshot, Store, Unreadable

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
    stored: tuple[StoredArticle, ...] | list[StoredArticle],
    settings: Settings,
    lang: str,
    *,
    page: int | None = None,
    prev_archive: int | None = None,
    next_archive: int | None = None,
) -> document.Feed:
    """:func:`document.build` with this installation's settings; ``page``, ``prev_archive`` and
    ``next_archive`` are RFC 5005 archive page numbers (None: the main feed / no such page)."""
    return document.build(
        list(stored),
        lang,
        base_url=settings.base_url,
        source_lang=settings.source_lang,
        languages=settings.languages,
        publisher=settings.publisher,
        hub=settings.websub_hub,
        page=page,
        prev_archive=prev_archive,
        next_archive=next_archive,
    )


def _documents(feed: document.Feed) -> dict[str, bytes]:
    return {
        document.feed_path(feed.lang, "rss", feed.page): rss_bytes(feed),
        document.feed_path(feed.lang, "atom", feed.page): atom_bytes(feed),
        document.feed_path(feed.lang, "json", feed.page): jsonfeed_bytes(feed),
    }


def render(
    snapshot: Snapshot, settings: Settings, index: Iterable[site.IndexRow] | None = None
) -> dict[str, bytes]:
    """The feed documents of ``snapshot``'s language, its index pages (feeds/site.py: every
    article of ``index``, the rows of :func:`read_index`; without it, those of the snapshot's
    main feed), the root page ``index.html`` and the OPML list, keyed by path under the public
    directory. Pure: reads neither the store nor the file system.

    The main (subscription) feed holds the snapshot's ``main`` entries, newest first, and
    links the newest closed archive page as ``prev-archive`` (RFC 5005 section 4). Archive page
    k (of the snapshot's ``archives``) is marked ``fh:archive`` and links ``current`` (the main
    feed), ``prev-archive`` k-1 (none for page 1) and ``next-archive`` k+1 when that page is
    closed. The newest archive page has no ``next-archive``: RFC 5005 section 4 defines it as
    the next newer archive document, and the main feed is not one (it is ``current``). So the
    only archive page, while there is one, has neither link; the W3C Feed Validator then warns
    ``ArchiveIncomplete`` (feedvalidator/feed.py), which issue 12 accepts for that page only.
    """
    lang, closed = snapshot.lang, snapshot.closed
    main = _build(snapshot.main, settings, lang, prev_archive=closed or None)
    files = _documents(main)
    rows = (
        index
        if index is not None
        else (site.IndexRow(e.article_id, e.title, e.published) for e in main.entries)
    )
    files.update(site.index_pages(main, rows))
    files["index.html"] = site.root_page(
        settings.base_url, settings.languages, settings.source_lang, settings.publisher
    )
    for page, stored in snapshot.archives.items():
        if not 1 <= page <= closed:
            raise ValueError(f"archive page {page} is not closed (1..{closed})")
        feed = _build(
            stored,
            settings,
            lang,
            page=page,
            prev_archive=page - 1 or None,
            next_archive=page + 1 if page < closed else None,
        )
        files.update(_documents(feed))
    files.update(opml_files(settings.base_url, settings.languages, settings.publisher))
    return files


def read_pages(
    store: Store, settings: Settings, ready: list[str], unreadable: list[Unreadable] | None = None
) -> dict[str, list[StoredArticle]]:
    """What :func:`render_pages` needs for the articles ``ready``: language -> those articles
    published in it (each with its publishable translations). One read per language."""
    source = settings.source_lang
    return {
        other: store.publications.entries(other, source, ids=ready, unreadable=unreadable)
        for other in settings.languages
    }


def render_pages(
    stored: Mapping[str, list[StoredArticle]], settings: Settings, lang: str
) -> dict[str, bytes]:
    """Pages for the articles published now, in every language they exist in (``stored``, from
    :func:`read_pages`): their compare page and the other languages' pages gain a link to this
    language. Pure. Pages of articles that did not change are left as they are, so publishing
    costs the same however long the history."""
    files: dict[str, bytes] = {}
    for other, items in stored.items():
        for entry in _build(items, settings, other).entries:
            files[f"{other}/{entry.article_id}.html"] = pages.article_page(settings.base_url, entry)
        if other == lang:
            for item in items:
                files[f"articles/{item.id}.html"] = pages.compare_page(
                    item, settings.languages, settings.source_lang, settings.base_url
                )
    return files


def read_index(store: Store, settings: Settings, lang: str) -> list[site.IndexRow]:
    """(id, title in ``lang``, published) of every article published in ``lang``, newest
    first: one query of three columns (syndicate/store/entries.py read_index). Retracted
    articles and text waiting for approval are left out."""
    return [
        site.IndexRow(row.id, document.xml_safe(row.title), row.published)
        for row in store.publications.index(lang, settings.source_lang)
    ]


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

    Articles whose text awaits publication get new positions (syndicate/store/publications.py),
    then one snapshot of the store is read (syndicate/store/snapshots.py) and rendered by
    :func:`render`; the documents are written, and only then are the stale marks the snapshot
    read cleared. Publishers of one language take turns on the store's lock
    (``store.publications.lock``), on every host that shares the store, so a publish never
    leaves an older render than one that finished before it. Retracted articles leave the
    feed, their archive page and their pages. Raises OSError when a file cannot be written (the
    previous one stays whole), a database error when the store cannot be read.
    """
    root = settings.feeds_dir
    make_dirs(root.parent, DATA_DIR_MODE)  # the data directory: others may pass, not read
    make_public_dir(root)
    with store.publications.lock(lang):
        ready = store.publications.sequence_ready(lang, settings.source_lang)
        written: list[Path] = []
        # Pages first, so an entry's link works by the time a reader sees it in a feed; in
        # chunks, so a publish after a long backlog does not hold every page in memory at once.
        for start in range(0, len(ready), PAGES_PER_CHUNK):
            stored = read_pages(store, settings, ready[start : start + PAGES_PER_CHUNK], unreadable)
            chunk = render_pages(stored, settings, lang)
            written += [root / rel for rel, data in chunk.items() if write_atomic(root / rel, data)]
        snapshot = store.snapshots.read(lang, settings.source_lang, settings.feed_size, unreadable)
        # Unreadable revisions are left out of the index; the reads above have reported them.
        files = render(snapshot, settings, read_index(store, settings, lang))
        written += [root / rel for rel, data in files.items() if write_atomic(root / rel, data)]
        for old in (root / lang / "page").glob("*.html"):  # index pages beyond the last one
            if f"{lang}/page/{old.name}" not in files:
                old.unlink(missing_ok=True)
        for article_id in snapshot.retracted:
            (root / lang / f"{article_id}.html").unlink(missing_ok=True)
            (root / "articles" / f"{article_id}.html").unlink(missing_ok=True)
        store.snapshots.done(snapshot)
    main_feeds = [document.feed_path(lang, fmt) for fmt in document.FORMATS]
    changed = [
        document.feed_url(settings.base_url, lang, fmt)
        for fmt, path in zip(document.FORMATS, main_feeds, strict=True)
        if root / path in written
    ]
    if ping_hub and settings.websub_hub and changed:
        websub.ping(settings.websub_hub, changed)
    return Published(lang, tuple(ready), tuple(written))
