"""Feed positions: which articles each language's feed holds, in what order, and reading them.

An article gets a position (``seq``, 1 = first ever published in that language) when its text in
that language is first published; positions fix the RFC 5005 archive pages. What may be
published is read from the job states: a language version has publishable text when a
translation of the current revision exists and its job is not waiting for approval (held by the
quality gate, or in review).

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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select, text

from syndicate.model import JobState, StoredArticle, Translation
from syndicate.store import tables as t
from syndicate.store.articles import article_from
from syndicate.store.db import Repository, now
from syndicate.store.jobs import JobKey
from syndicate.store.translations import translation_from

# Text in these states waits for a person: it stays out of every feed.
UNAPPROVED = (JobState.HELD, JobState.REVIEW)


# In-memory SQLite databases live in one process: their publish locks are this process's.
_LOCAL_LOCKS: dict[str, threading.Lock] = {}
_LOCAL_LOCKS_GUARD = threading.Lock()


def publish_lock_key(lang: str) -> int:
    """The PostgreSQL advisory lock key of ``lang``'s publish lock: a signed 64-bit integer, the
    same in every process on every host (the first 8 bytes of a SHA-256 of the language)."""
    digest = hashlib.sha256(f"syndicate publish {lang}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass(frozen=True)
class Unreadable:
    """A stored revision that could not be read back (its job should fail, visibly)."""

    key: JobKey
    reason: str


def _approved(article_col: Any, revision_col: Any, lang_col: Any) -> Any:
    """SQL: the job of this language version is not waiting for approval."""
    j = t.jobs.alias("approval")  # the outer query may join jobs too: never correlate with it
    return (
        select(j.c.state)
        .where(
            j.c.article_id == article_col,
            j.c.revision == revision_col,
            j.c.lang == lang_col,
            j.c.state.in_([str(s) for s in UNAPPROVED]),
        )
        .exists()
        .__invert__()
    )


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

    def _publishable(self, lang: str, source_lang: str) -> Select[Any]:
        """Articles (current revision, not retracted) that have publishable text in ``lang``."""
        a, r, tr = t.articles, t.revisions, t.translations
        query = (
            select(a.c.id.label("article_key"), a.c.created_at.label("article_created"), r)
            .join(r, and_(r.c.article_id == a.c.id, r.c.number == a.c.current_revision))
            .where(a.c.retracted_at.is_(None))
        )
        if lang != source_lang:
            query = query.join(
                tr,
                and_(tr.c.article_id == a.c.id, tr.c.revision == a.c.current_revision, tr.c.lang == lang),
            ).where(_approved(a.c.id, a.c.current_revision, lang))
        return query

    def sequence_ready(self, lang: str, source_lang: str) -> list[str]:
        """Give a feed position to every article whose ``lang`` text awaits publication (its job
        is translated). Returns the ids of all those articles, positioned now or before (e.g. a
        released translation), oldest publication date first."""
        a, r, j, p = t.articles, t.revisions, t.jobs, t.publications
        query = (
            self._publishable(lang, source_lang)
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
            .add_columns(p.c.seq)
            .order_by(r.c.published, a.c.id)
        )
        stamp = now()
        with self.engine.begin() as conn:
            rows = conn.execute(query).all()
            last = conn.execute(select(func.max(p.c.seq)).where(p.c.lang == lang)).scalar() or 0
            for row in rows:
                if row.seq is None:
                    last += 1
                    conn.execute(
                        p.insert().values(lang=lang, article_id=row.article_key, seq=last, published_at=stamp)
                    )
        return [row.article_key for row in rows]

    def last_seq(self, lang: str) -> int:
        """The highest position in ``lang``'s feed (0 when nothing was published)."""
        p = t.publications
        with self.engine.connect() as conn:
            last: int | None = conn.execute(select(func.max(p.c.seq)).where(p.c.lang == lang)).scalar()
        return last or 0

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
        """Published articles of one language's feed, newest position first, each with all its
        publishable translations: the newest ``limit``, those with a position in ``seq_range``
        (inclusive), or those in ``ids``.

        A row that cannot be read back is skipped (one bad row must not stop a feed) and, given
        the ``unreadable`` list, reported in it; this method never writes.
        """
        a, tr, p = t.articles, t.translations, t.publications
        query = (
            self._publishable(lang, source_lang)
            .join(p, and_(p.c.article_id == a.c.id, p.c.lang == lang))
            .add_columns(p.c.seq)
        )
        if seq_range is not None:
            query = query.where(p.c.seq.between(*seq_range))
        if ids is not None:
            query = query.where(a.c.id.in_(ids))
        query = query.order_by(p.c.seq.desc())
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            keys = [row.article_key for row in rows]
            found: dict[str, dict[str, Translation]] = {i: {} for i in keys}
            changed: dict[str, dict[str, datetime]] = {i: {} for i in keys}
            if keys:
                for trow in conn.execute(
                    select(tr)
                    .join(a, and_(a.c.id == tr.c.article_id, a.c.current_revision == tr.c.revision))
                    .where(tr.c.article_id.in_(keys), _approved(tr.c.article_id, tr.c.revision, tr.c.lang))
                ):
                    found[trow.article_id][trow.lang] = translation_from(trow)
                    changed[trow.article_id][trow.lang] = trow.updated_at
        result = []
        for row in rows:
            try:
                article = article_from(row)
            except (ValueError, KeyError, TypeError) as exc:
                if unreadable is not None:
                    key = JobKey(row.article_key, row.number, lang)
                    unreadable.append(Unreadable(key, f"stored revision is unreadable: {exc}"))
                continue
            result.append(
                StoredArticle(
                    id=row.article_key,
                    revision=row.number,
                    article=article,
                    created_at=row.article_created,
                    translations=found[row.article_key],
                    # The revision's own timestamp is when the source text last changed.
                    updated={source_lang: row.created_at, **changed[row.article_key]},
                    seq=row.seq,
                )
            )
        return result

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
