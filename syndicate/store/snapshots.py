"""What one publish of a language renders, read in one consistent snapshot; and what it clears.

Owns reading ``feed_state`` and ``stale_marks`` for a publish (marks are set by
syndicate/store/stale.py) and clearing them once the documents are written. Archive pages are
seq ranges (RFC 5005 section 4): page k holds positions (k-1)*size+1 .. k*size and is closed
(exists) once a full feed's worth of newer positions exists, ``last_seq >= (k+1)*size``; the
main feed holds every position above the last closed page, so no archive page repeats an entry
of the main feed. A publish renders the main feed, every closed page that is marked stale, that
closed since the last publish (and the page before it, which gains its next-archive link), that
held a retracted article, and every page when the page size changed or none was ever recorded.
Which files exist on disk is never consulted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from syndicate.model import StoredArticle
from syndicate.store import tables as t
from syndicate.store.db import Repository
from syndicate.store.entries import Unreadable, read_entries
from syndicate.store.publications import top_seq
from syndicate.store.stale import ALL_PAGES


def page_of(seq: int, size: int) -> int:
    """The archive page (from 1) that position ``seq`` (from 1) falls in, ``size`` per page."""
    return (seq - 1) // size + 1


def closed_pages(last_seq: int, size: int) -> int:
    """How many archive pages are closed when the highest position is ``last_seq``: page k is
    closed once ``last_seq >= (k+1)*size`` (so the main feed keeps size .. 2*size-1 positions)."""
    return max(0, last_seq // size - 1)


@dataclass(frozen=True)
class Snapshot:
    """Everything one publish of ``lang`` renders, as read in one transaction.

    ``main``: the main feed's articles, newest position first; ``archives``: page number ->
    that page's articles (newest first) for each page to render; ``closed``: how many archive
    pages exist (1 .. closed); ``feed_size``: positions per page. Each StoredArticle carries its
    publishable translations, from which related links are made. ``marks`` are the stale marks
    read and ``retracted`` the retracted articles still holding a position: both are cleared by
    :meth:`Snapshots.done` once the documents are written.
    """

    lang: str
    feed_size: int
    closed: int
    main: tuple[StoredArticle, ...]
    archives: Mapping[int, tuple[StoredArticle, ...]] = field(default_factory=dict)
    marks: tuple[int, ...] = ()
    retracted: tuple[str, ...] = ()


class Snapshots(Repository):
    """Reading a publish's snapshot and clearing what it rendered."""

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection whose reads all see one state of the database: PostgreSQL REPEATABLE
        READ; SQLite one read transaction (BEGIN: WAL keeps its snapshot until it ends)."""
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            else:
                # pysqlite opens a transaction only before a write; a read transaction must be
                # asked for, or each SELECT would see a newer state than the one before.
                conn.exec_driver_sql("BEGIN")
            try:
                yield conn
            finally:
                conn.rollback()

    def read(
        self, lang: str, source_lang: str, feed_size: int, unreadable: list[Unreadable] | None = None
    ) -> Snapshot:
        """``lang``'s snapshot with pages of ``feed_size`` (> 0) positions. Unreadable stored
        revisions are left out and, given ``unreadable``, listed in it. Never writes."""
        p, s, f, a = t.publications, t.stale_marks, t.feed_state, t.articles
        with self._read() as conn:
            last = top_seq(conn, lang)
            closed = closed_pages(last, feed_size)
            state = conn.execute(select(f).where(f.c.lang == lang)).first()
            pages: set[int] = set()
            if state is None or state.feed_size != feed_size:
                pages.update(range(1, closed + 1))
            elif state.closed_pages != closed:
                pages.update(range(max(1, min(state.closed_pages, closed)), closed + 1))
            marks = conn.execute(select(s.c.id, s.c.seq).where(s.c.lang == lang)).all()
            for mark in marks:
                if mark.seq == ALL_PAGES:
                    pages.update(range(1, closed + 1))
                elif mark.seq > 0:
                    pages.add(page_of(mark.seq, feed_size))
            retracted = conn.execute(
                select(p.c.article_id, p.c.seq)
                .join(a, a.c.id == p.c.article_id)
                .where(p.c.lang == lang, a.c.retracted_at.is_not(None))
            ).all()
            pages.update(page_of(row.seq, feed_size) for row in retracted)
            top = (closed * feed_size + 1, max(last, closed * feed_size + 1))
            main = read_entries(conn, lang, source_lang, seq_range=top, unreadable=unreadable)
            archives = {
                page: tuple(
                    read_entries(
                        conn,
                        lang,
                        source_lang,
                        seq_range=((page - 1) * feed_size + 1, page * feed_size),
                        unreadable=unreadable,
                    )
                )
                for page in sorted(pages)
                if 1 <= page <= closed
            }
        return Snapshot(
            lang=lang,
            feed_size=feed_size,
            closed=closed,
            main=tuple(main),
            archives=archives,
            marks=tuple(mark.id for mark in marks),
            retracted=tuple(row.article_id for row in retracted),
        )

    def done(self, snapshot: Snapshot) -> None:
        """After the snapshot's documents are written: clear the marks it read (marks set since
        stay), record its closed page count and page size, and drop the positions of its
        retracted articles, in one transaction. A failed write skips this, so the next publish
        renders the same documents again."""
        p, s, f = t.publications, t.stale_marks, t.feed_state
        lang = snapshot.lang
        with self.engine.begin() as conn:
            if snapshot.marks:
                conn.execute(s.delete().where(s.c.id.in_(snapshot.marks)))
            if snapshot.retracted:
                conn.execute(p.delete().where(p.c.lang == lang, p.c.article_id.in_(snapshot.retracted)))
            values = {"feed_size": snapshot.feed_size, "closed_pages": snapshot.closed}
            if conn.execute(f.update().where(f.c.lang == lang).values(**values)).rowcount == 0:
                conn.execute(f.insert().values(lang=lang, **values))
