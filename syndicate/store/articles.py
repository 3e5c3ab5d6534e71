"""Articles and their revisions: what was submitted, each content change a new revision.

An article has a stable id (10 characters of Crockford base32) and a current revision; a
revision holds the parsed structure and the hash of its content. Retracting keeps the data.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from syndicate.model import Article, JobState
from syndicate.store import tables as t
from syndicate.store.db import Repository, now
from syndicate.store.translations import paragraphs_from

_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32: no i, l, o, u
# Tries of one insert-or-get before the last error is raised: each retry follows another
# process's commit, so a handful covers any number of processes racing on one input.
_ATTEMPTS = 8


class _Raced(Exception):
    """Another process changed the article between this transaction's read and its write."""


def new_article_id() -> str:
    """A fresh random id: 10 characters, 50 bits."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


@dataclass(frozen=True)
class Submitted:
    """What storing an input did: the article id and revision it is stored as, and whether it
    was already stored (``duplicate``) or became a new revision of a stored article."""

    article_id: str
    revision: int
    duplicate: bool
    revised: bool = False


@dataclass(frozen=True)
class ArticleSummary:
    """One line of `syndicate list`: id, current revision, title, dates and each language's state."""

    id: str
    revision: int
    title: str
    published: datetime
    created_at: datetime
    states: dict[str, JobState]


def article_from(row: Row[Any]) -> Article:
    """An Article from a revisions row; raises KeyError, ValueError or TypeError if unreadable."""
    return Article(
        title=row.title,
        published=row.published,
        paragraphs=paragraphs_from(row.paragraphs),
        lang=row.lang,
        author=row.author,
        url=row.url,
        lead_trimmed=row.lead_trimmed,
        updated=row.updated,
        notes=tuple(row.notes or ()),
    )


class Articles(Repository):
    """Articles and revisions: storing, finding, listing and retracting them."""

    def add(
        self,
        article: Article,
        jobs: Mapping[str, JobState],
        source_name: str | None,
        update_of: str | None = None,
    ) -> Submitted:
        """Store an article with one job per language in ``jobs`` (language -> initial state),
        in one transaction, or find it stored.

        Identical content already stored is a duplicate (nothing changes). Changed content with
        the canonical URL of a live article, or ``update_of`` its id, is a new revision of it.
        Identity is atomic: the content hash and a live article's canonical URL are unique in
        the database, so of several processes storing the same input at once exactly one
        inserts it; the others' inserts fail on the constraint and, retried, find it stored (a
        duplicate) or make the next revision. Raises KeyError if ``update_of`` names no article,
        ValueError if a revision's URL belongs to another live article.
        """
        for _ in range(_ATTEMPTS - 1):
            try:
                return self._add_once(article, jobs, source_name, update_of)
            except (IntegrityError, _Raced):
                continue  # another process stored it, or a revision, first: look again
        return self._add_once(article, jobs, source_name, update_of)

    def _add_once(
        self, article: Article, jobs: Mapping[str, JobState], source_name: str | None, update_of: str | None
    ) -> Submitted:
        content_hash = article.content_hash()
        stamp = now()
        a, r = t.articles, t.revisions
        with self.engine.begin() as conn:
            existing = conn.execute(
                select(r.c.article_id, r.c.number).where(r.c.content_hash == content_hash)
            ).first()
            if existing:
                return Submitted(existing.article_id, existing.number, duplicate=True)
            holder = self._find_by_url(conn, article.url) if article.url else None
            if update_of and holder and holder != update_of:
                raise ValueError(f"{article.url} is the canonical URL of article {holder}")
            target = update_of or holder
            if target:
                current = conn.execute(select(a.c.current_revision).where(a.c.id == target)).scalar()
                if current is None:
                    raise KeyError(target)
                article_id, number = target, current + 1
                # Compare-and-set: a concurrent revision of the same article makes this one retry.
                moved = conn.execute(
                    update(a)
                    .where(a.c.id == target, a.c.current_revision == current)
                    .values(current_revision=number, canonical_url=article.url or a.c.canonical_url)
                )
                if moved.rowcount != 1:
                    raise _Raced()
            else:
                article_id, number = new_article_id(), 1
                conn.execute(
                    a.insert().values(
                        id=article_id, created_at=stamp, current_revision=1, canonical_url=article.url
                    )
                )
            conn.execute(
                r.insert().values(
                    article_id=article_id,
                    number=number,
                    content_hash=content_hash,
                    lang=article.lang,
                    title=article.title,
                    published=article.published,
                    author=article.author,
                    url=article.url,
                    paragraphs=[p.to_dict() for p in article.paragraphs],
                    lead_trimmed=article.lead_trimmed,
                    updated=article.updated,
                    notes=list(article.notes),
                    source_name=source_name,
                    created_at=stamp,
                )
            )
            for lang, state in jobs.items():
                conn.execute(
                    t.jobs.insert().values(
                        article_id=article_id, revision=number, lang=lang, state=state, attempts=0,
                        updated_at=stamp,
                    )
                )  # fmt: skip
        return Submitted(article_id, number, duplicate=False, revised=bool(target))

    @staticmethod
    def _find_by_url(conn: Connection, url: str) -> str | None:
        """The live article whose canonical URL this is."""
        a = t.articles
        found: str | None = conn.execute(
            select(a.c.id).where(a.c.canonical_url == url, a.c.retracted_at.is_(None)).limit(1)
        ).scalar()
        return found

    def retract(self, article_id: str) -> bool:
        """Mark an article retracted (publishing then removes it). False if it already was."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(t.articles)
                .where(t.articles.c.id == article_id, t.articles.c.retracted_at.is_(None))
                .values(retracted_at=now())
            )
        return result.rowcount == 1

    def retracted_at(self, article_id: str) -> datetime | None:
        """When the article was retracted; None if it is not (or does not exist)."""
        with self.engine.connect() as conn:
            at: datetime | None = conn.execute(
                select(t.articles.c.retracted_at).where(t.articles.c.id == article_id)
            ).scalar()
        return at

    def revision(self, article_id: str, number: int) -> Article | None:
        """One stored revision, or None."""
        r = t.revisions
        with self.engine.connect() as conn:
            row = conn.execute(select(r).where(r.c.article_id == article_id, r.c.number == number)).first()
        return article_from(row) if row else None

    def notes(self, article_id: str, number: int) -> list[str]:
        """What ingestion repaired or assumed reading a revision, one line each (empty for none,
        for a revision stored before notes were kept, or for no such revision). Read alone, so a
        revision whose paragraphs are unreadable still shows its notes."""
        r = t.revisions
        with self.engine.connect() as conn:
            found = conn.execute(
                select(r.c.notes).where(r.c.article_id == article_id, r.c.number == number)
            ).scalar()
        return [str(note) for note in found] if isinstance(found, list) else []

    def current_revision(self, article_id: str) -> int | None:
        """The article's current revision number (1, 2, ...); None if there is no such article."""
        with self.engine.connect() as conn:
            number: int | None = conn.execute(
                select(t.articles.c.current_revision).where(t.articles.c.id == article_id)
            ).scalar()
        return number

    def resolve_id(self, prefix: str) -> str | None:
        """Full article id from an id or an unambiguous prefix of one (as git does)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.articles.c.id).where(t.articles.c.id.startswith(prefix, autoescape=True)).limit(2)
            ).all()
        return rows[0].id if len(rows) == 1 else None

    def summaries(self, limit: int = 100, state: JobState | None = None) -> list[ArticleSummary]:
        """The newest ``limit`` articles not retracted, newest first, with each language's state
        for the current revision; with ``state``, only articles with a language in that state."""
        a, r, j = t.articles, t.revisions, t.jobs
        query = (
            select(a.c.id, a.c.current_revision, a.c.created_at, r.c.title, r.c.published)
            .join(r, and_(r.c.article_id == a.c.id, r.c.number == a.c.current_revision))
            .where(a.c.retracted_at.is_(None))
        )
        if state is not None:
            query = query.where(
                select(j.c.lang)
                .where(j.c.article_id == a.c.id, j.c.revision == a.c.current_revision, j.c.state == state)
                .exists()
            )
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(a.c.created_at.desc(), a.c.id).limit(limit)).all()
            ids = [row.id for row in rows]
            current = {row.id: row.current_revision for row in rows}
            states: dict[str, dict[str, JobState]] = {i: {} for i in ids}
            if ids:
                for job in conn.execute(
                    select(j.c.article_id, j.c.revision, j.c.lang, j.c.state).where(j.c.article_id.in_(ids))
                ):
                    if job.revision == current[job.article_id]:
                        states[job.article_id][job.lang] = JobState(job.state)
        return [
            ArticleSummary(
                row.id, row.current_revision, row.title, row.published, row.created_at, states[row.id]
            )
            for row in rows
        ]

    def count(self) -> int:
        """How many articles are stored, retracted ones included."""
        with self.engine.connect() as conn:
            n: int = conn.execute(select(func.count()).select_from(t.articles)).scalar_one()
        return n
