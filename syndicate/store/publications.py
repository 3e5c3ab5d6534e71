"""Feed positions: which articles each language's feed holds, in what order, and reading them.

An article gets a position (``seq``, 1 = first ever published in that language) each time its
text in that language becomes publishable: a first translation, and every later change too (a
new revision, a re-translation, a release from held or review, an editor's change: its job is
``translated`` again). The decision: a changed entry gets a NEW position at the head of the
feed, so a correction is republished in the main (subscription) feed with its new ``updated``
(RFC 5005 section 4.1 allows a changed entry in the subscription document) and reaches every
subscriber; its old position becomes a hole, so the archive page that held it stops holding a
stale copy. Positions fix the RFC 5005 archive pages (page k holds positions (k-1)*size+1 ..
k*size; feeds/publish.py). What may be published is read from the job states: a language version
has publishable text when a translation of the current revision exists and its job is not
waiting for approval (held by the quality gate, or in review).

Giving a position marks stale, in the same transaction (syndicate/store/stale.py), the document
that held the old position, and in every other language the document holding the article, whose
entry gains a related link to this version (issue 12, item 2).

The per-language publish lock lives here too (``Publications.lock``): publishers on every host
that shares the store take turns through it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import and_, func, select, text, update
from sqlalchemy.engine import Connection

from syndicate.model import JobState, StoredArticle
from syndicate.store import stale
from syndicate.store import tables as t
from syndicate.store.db import Repository, now
from syndicate.store.entries import IndexEntry, Unreadable, publishable, read_entries, read_index

# In-memory SQLite databases live in one process: their publish locks are this process's.
_LOCAL_LOCKS: dict[str, threading.Lock] = {}
_LOCAL_LOCKS_GUARD = threading.Lock()


def publish_lock_key(lang: str) -> int:
    """The PostgreSQL advisory lock key of ``lang``'s publish lock: a signed 64-bit integer, the
    same in every process on every host (the first 8 bytes of a SHA-256 of the language)."""
    digest = hashlib.sha256(f"syndicate publish {lang}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Publications(Repository):
    """Positions of articles in each language's feed, and the articles those feeds show."""

    @contextmanager
    def lock(self, lang: str) -> Iterator[None]:
        """Hold ``lang``'s publish lock for the ``with`` block; blocks, with no timeout, until
        no other publisher of ``lang`` holds it.

        Publishing reads the store, renders, then writes the files: two publishers that
        interleave could leave the older render on disk (a feed going backwards). The lock
        lives where every publisher sees it, which is the store, not the feeds directory:
        publishers on several hosts may share the feeds directory over a network file system,
        where a local file lock does not reach the other hosts.

        - PostgreSQL: a session advisory lock (``pg_advisory_lock``, key
          :func:`publish_lock_key`) on a connection of its own, in autocommit so it never sits
          idle in a transaction. The server drops it when that connection ends, so a publisher
          that dies does not leave it held.
        - SQLite (one host by construction): ``flock`` on ``{database}.publish-{lang}.lock``
          beside the database file (mode 0600), dropped by the kernel if the process dies.
          An in-memory database uses a lock of this process.

        Raises a database error (sqlalchemy.exc.OperationalError) when PostgreSQL is
        unreachable, OSError when the lock file cannot be opened.
        """
        if self.engine.dialect.name == "postgresql":
            with self._advisory_lock(publish_lock_key(lang)):
                yield
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            with _LOCAL_LOCKS_GUARD:
                local = _LOCAL_LOCKS.setdefault(lang, threading.Lock())
            with local:
                yield
            return
        fd = os.open(f"{database}.publish-{lang}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the flock

    @contextmanager
    def _advisory_lock(self, key: int) -> Iterator[None]:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        unlocked = False
        try:
            try:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            except BaseException:
                conn.invalidate()  # interrupted while waiting: the server may still grant it
                raise
            try:
                yield
            finally:
                unlocked = bool(conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key}).scalar())
        finally:
            if not unlocked and not conn.invalidated:
                # Never hand a connection that may still hold the lock back to the pool.
                conn.invalidate()
            conn.close()

    def sequence_ready(self, lang: str, source_lang: str) -> list[str]:
        """Give a new feed position, at the head, to every article whose ``lang`` text awaits
        publication (its job is translated), and mark stale the documents that change with it
        (see the module docstring), all in one transaction. Returns the ids of those articles,
        oldest publication date first (the order their new positions follow)."""
        a, r, j, p = t.articles, t.revisions, t.jobs, t.publications
        query = (
            publishable(lang, source_lang)
            .join(
                j,
                and_(
                    j.c.article_id == a.c.id,
                    j.c.revision == a.c.current_revision,
                    j.c.lang == lang,
                    j.c.state == JobState.TRANSLATED,
                ),
            )
            .outerjoin(p, and_(p.c.article_id == a.c.id, p.c.lang == lang))
            .add_columns(p.c.seq, p.c.published_at.label("positioned_at"), _text_changed(lang, source_lang))
            .order_by(r.c.published, a.c.id)
        )
        stamp = now()
        with self.engine.begin() as conn:
            rows = conn.execute(query).all()
            ids = [row.article_key for row in rows]
            # Text unchanged since its position was given (a re-translation that came out the
            # same, a release of text already shown): the entry stays where it is.
            rows = [row for row in rows if row.seq is None or row.text_changed > row.positioned_at]
            moved = [row.article_key for row in rows]
            last = max(
                _top(conn, lang),
                conn.execute(select(func.max(p.c.seq)).where(p.c.lang == lang)).scalar() or 0,
            )
            marks = [(lang, row.seq) for row in rows if row.seq is not None]
            if moved:
                siblings = select(p.c.lang, p.c.seq).where(p.c.article_id.in_(moved), p.c.lang != lang)
                marks += [(row.lang, row.seq) for row in conn.execute(siblings)]
            for row in rows:
                last += 1
                if row.seq is None:
                    conn.execute(
                        p.insert().values(lang=lang, article_id=row.article_key, seq=last, published_at=stamp)
                    )
                else:
                    conn.execute(
                        p.update()
                        .where(p.c.lang == lang, p.c.article_id == row.article_key)
                        .values(seq=last, published_at=stamp)
                    )
            stale.mark(conn, marks)
            _set_top(conn, lang, last)
        return ids

    def last_seq(self, lang: str) -> int:
        """The highest position ever given in ``lang``'s feed (0 when nothing was published)."""
        with self.engine.connect() as conn:
            return top_seq(conn, lang)

    def entries(
        self,
        lang: str,
        source_lang: str,
        limit: int | None = None,
        *,
        seq_range: tuple[int, int] | None = None,
        ids: list[str] | None = None,
        unreadable: list[Unreadable] | None = None,
    ) -> list[StoredArticle]:
        """:func:`read_entries` on a connection of its own."""
        with self.engine.connect() as conn:
            return read_entries(
                conn, lang, source_lang, limit, seq_range=seq_range, ids=ids, unreadable=unreadable
            )

    def index(self, lang: str, source_lang: str) -> list[IndexEntry]:
        """:func:`~syndicate.store.entries.read_index` on a connection of its own."""
        with self.engine.connect() as conn:
            return read_index(conn, lang, source_lang)

    def retracted_in_feed(self, lang: str) -> list[tuple[str, int]]:
        """Retracted articles that still hold a position in ``lang``'s feed: [(id, seq)]."""
        a, p = t.articles, t.publications
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(p.c.article_id, p.c.seq)
                .join(a, a.c.id == p.c.article_id)
                .where(p.c.lang == lang, a.c.retracted_at.is_not(None))
            ).all()
        return [(row.article_id, row.seq) for row in rows]

    def forget_positions(self, lang: str, article_ids: list[str]) -> None:
        """Drop feed positions once the documents without them are written, so a failed write
        leaves the retraction to be done again by the next publish."""
        if article_ids:
            p = t.publications
            with self.engine.begin() as conn:
                conn.execute(p.delete().where(p.c.lang == lang, p.c.article_id.in_(article_ids)))


def _text_changed(lang: str, source_lang: str) -> Any:
    """The column of when ``lang``'s text of the current revision last changed: the revision's
    own time for the source language, the translation's ``updated_at`` (which moves only when
    the text does) for a target language."""
    column = t.revisions.c.created_at if lang == source_lang else t.translations.c.updated_at
    return column.label("text_changed")


def _top(conn: Connection, lang: str) -> int:
    """The highest position ever given in ``lang``'s feed (0 for none)."""
    found = conn.execute(select(t.feed_tops.c.top_seq).where(t.feed_tops.c.lang == lang)).scalar()
    return int(found or 0)


def top_seq(conn: Connection, lang: str) -> int:
    """The highest position ever given in ``lang``'s feed, whether or not it is still held (a
    retracted article's position is gone but not reused): what archive pages are counted from."""
    last = conn.execute(select(func.max(t.publications.c.seq)).where(t.publications.c.lang == lang)).scalar()
    return max(_top(conn, lang), int(last or 0))


def _set_top(conn: Connection, lang: str, last: int) -> None:
    """Record ``last`` as ``lang``'s highest position (it only ever goes up)."""
    f = t.feed_tops
    if conn.execute(update(f).where(f.c.lang == lang).values(top_seq=last)).rowcount == 0:
        conn.execute(f.insert().values(lang=lang, top_seq=last))
