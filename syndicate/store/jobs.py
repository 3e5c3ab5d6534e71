"""The jobs table: one row per (article, revision, language), the unit of work.

This module reads jobs and performs the conditional updates the job lifecycle needs; which
moves are allowed, and when, is decided in syndicate/lifecycle.py, which is the only caller of
the writing methods here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Row

from syndicate.model import JobState
from syndicate.store import tables as t
from syndicate.store.db import Repository, now


@dataclass(frozen=True, order=True)
class JobKey:
    """What identifies a job: an article, one of its revisions (1, 2, ...) and a language code."""

    article_id: str
    revision: int
    lang: str


@dataclass(frozen=True)
class Job:
    """A job as read: its state, how many times the model was started for it (``attempts``),
    the last error, when it last changed, and the lease of the task translating it (the Celery
    task id in ``holder``, valid until ``lease_expires``)."""

    article_id: str
    revision: int
    lang: str
    state: JobState
    attempts: int
    error: str | None
    updated_at: datetime
    holder: str | None = None
    lease_expires: datetime | None = None

    @property
    def key(self) -> JobKey:
        """This job's (article, revision, language)."""
        return JobKey(self.article_id, self.revision, self.lang)

    @classmethod
    def from_row(cls, r: Row[Any]) -> Job:
        """A Job from a jobs table row; ValueError for a state JobState does not know."""
        return cls(
            r.article_id,
            r.revision,
            r.lang,
            JobState(r.state),
            r.attempts,
            r.error,
            r.updated_at,
            r.holder,
            r.lease_expires,
        )


def _where_key(key: JobKey) -> Any:
    j = t.jobs
    return and_(j.c.article_id == key.article_id, j.c.revision == key.revision, j.c.lang == key.lang)


class Jobs(Repository):
    """Reads and conditional writes of jobs (see the module docstring for who may write)."""

    # -- reading ------------------------------------------------------------------------------

    def get(self, key: JobKey) -> Job | None:
        """The job ``key``, or None if there is none."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.jobs).where(_where_key(key))).first()
        return Job.from_row(row) if row else None

    def of_article(self, article_id: str) -> list[Job]:
        """The jobs of an article's current revision, by language; [] if there is no such article."""
        a, j = t.articles, t.jobs
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(j)
                .join(a, and_(a.c.id == j.c.article_id, a.c.current_revision == j.c.revision))
                .where(j.c.article_id == article_id)
                .order_by(j.c.lang)
            ).all()
        return [Job.from_row(r) for r in rows]

    def in_state(self, states: Iterable[JobState], lang: str | None = None) -> list[Job]:
        """Jobs (any revision) of articles not retracted, in one of ``states``, optionally of one
        language, oldest change first. A retracted article's jobs are no longer work."""
        j, a = t.jobs, t.articles
        query = (
            select(j)
            .join(a, a.c.id == j.c.article_id)
            .where(j.c.state.in_([str(s) for s in states]), a.c.retracted_at.is_(None))
        )
        if lang:
            query = query.where(j.c.lang == lang)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(j.c.updated_at)).all()
        return [Job.from_row(r) for r in rows]

    def in_review_before(self, before: datetime) -> list[Job]:
        """Jobs of current revisions of articles not retracted that entered review before
        ``before`` (their ``updated_at``: nothing else moves a job in review), oldest first."""
        j, a = t.jobs, t.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(j)
                .join(a, and_(a.c.id == j.c.article_id, a.c.current_revision == j.c.revision))
                .where(j.c.state == JobState.REVIEW, j.c.updated_at < before, a.c.retracted_at.is_(None))
                .order_by(j.c.updated_at)
            ).all()
        return [Job.from_row(r) for r in rows]

    def held_by(self, holder: str, lang: str) -> list[JobKey]:
        """Jobs still marked translating by ``holder`` (a task that died holding them)."""
        j = t.jobs
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(j.c.article_id, j.c.revision).where(
                    j.c.holder == holder, j.c.lang == lang, j.c.state == JobState.TRANSLATING
                )
            ).all()
        return [JobKey(r.article_id, r.revision, lang) for r in rows]

    def expired(self, at: datetime) -> list[Job]:
        """Translating jobs whose lease ran out before ``at``: their holder stopped renewing."""
        j = t.jobs
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(j).where(
                    j.c.state == JobState.TRANSLATING,
                    or_(j.c.lease_expires.is_(None), j.c.lease_expires < at),
                )
            ).all()
        return [Job.from_row(r) for r in rows]

    def fresh_queued(self, lang: str, limit: int) -> list[JobKey]:
        """Up to ``limit`` queued jobs of ``lang`` never tried before, of articles not
        retracted, oldest first."""
        j, a = t.jobs, t.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(j.c.article_id, j.c.revision)
                .join(a, a.c.id == j.c.article_id)
                .where(j.c.lang == lang, j.c.state == JobState.QUEUED, j.c.attempts == 0)
                .where(a.c.retracted_at.is_(None))
                .order_by(j.c.updated_at)
                .limit(limit)
            ).all()
        return [JobKey(r.article_id, r.revision, lang) for r in rows]

    # -- conditional writes (called by syndicate.lifecycle only) ------------------------------

    def move(
        self,
        key: JobKey,
        to: JobState,
        *,
        when: Sequence[JobState] | None = None,
        seen: Job | None = None,
        error: str | None = None,
        holder: str | None = None,
        lease_expires: datetime | None = None,
        attempts_delta: int = 0,
    ) -> bool:
        """Set ``key``'s state to ``to`` (with error, holder and lease) if it is in one of the
        states ``when``, and, given ``seen``, only if nobody changed it since it was read as
        ``seen`` (a compare-and-set on state, holder, lease and updated_at). Returns whether it
        moved."""
        j = t.jobs
        conditions = [_where_key(key)]
        if when is not None:
            conditions.append(j.c.state.in_([str(s) for s in when]))
        if seen is not None:
            conditions += [
                j.c.state == seen.state,
                j.c.updated_at == seen.updated_at,
                j.c.holder.is_(None) if seen.holder is None else j.c.holder == seen.holder,
            ]
        values: dict[str, Any] = {
            "state": to,
            "error": error,
            "holder": holder,
            "lease_expires": lease_expires,
            "updated_at": now(),
        }
        if attempts_delta:
            values["attempts"] = j.c.attempts + attempts_delta
        with self.engine.begin() as conn:
            result = conn.execute(update(j).where(*conditions).values(**values))
        return result.rowcount == 1

    def renew(self, keys: Iterable[JobKey], holder: str, until: datetime) -> int:
        """Extend the lease of the jobs ``holder`` still translates; returns how many it holds."""
        j = t.jobs
        renewed = 0
        with self.engine.begin() as conn:
            for key in keys:
                result = conn.execute(
                    update(j)
                    .where(_where_key(key), j.c.holder == holder, j.c.state == JobState.TRANSLATING)
                    .values(lease_expires=until)
                )
                renewed += result.rowcount or 0
        return renewed

    def move_current(
        self, article_id: str, langs: Iterable[str], to: JobState, *, when: Sequence[JobState] | None = None
    ) -> tuple[int | None, int]:
        """Move the jobs of an article's current revision in ``langs`` (those in ``when``) to
        ``to``, clearing error and holder; for requeue, drops their translations that were
        never approved (held or in review), which the new run replaces. Returns (revision or
        None if no such article, jobs moved)."""
        a, j, tr = t.articles, t.jobs, t.translations
        langs = list(langs)
        with self.engine.begin() as conn:
            revision = conn.execute(select(a.c.current_revision).where(a.c.id == article_id)).scalar()
            if revision is None:
                return None, 0
            mine = and_(j.c.article_id == article_id, j.c.revision == revision, j.c.lang.in_(langs))
            if to == JobState.QUEUED:
                unapproved = conn.execute(
                    select(j.c.lang).where(mine, j.c.state.in_([JobState.HELD, JobState.REVIEW]))
                ).scalars()
                conn.execute(
                    tr.delete().where(
                        tr.c.article_id == article_id,
                        tr.c.revision == revision,
                        tr.c.lang.in_(list(unapproved)),
                    )
                )
            condition = mine if when is None else and_(mine, j.c.state.in_([str(s) for s in when]))
            result = conn.execute(
                update(j)
                .where(condition)
                .values(state=to, error=None, holder=None, lease_expires=None, updated_at=now())
            )
        return revision, result.rowcount or 0

    def publish(self, lang: str, article_ids: Iterable[str]) -> int:
        """Translated jobs of these articles' current revisions in ``lang`` become published."""
        ids = list(article_ids)
        if not ids:
            return 0
        j, a = t.jobs, t.articles
        current = select(a.c.current_revision).where(a.c.id == j.c.article_id).scalar_subquery()
        with self.engine.begin() as conn:
            result = conn.execute(
                update(j)
                .where(
                    j.c.lang == lang,
                    j.c.article_id.in_(ids),
                    j.c.revision == current,
                    j.c.state == JobState.TRANSLATED,
                )
                .values(state=JobState.PUBLISHED, error=None, updated_at=now())
            )
            return result.rowcount or 0
