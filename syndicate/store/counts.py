"""Counts for /metrics and `syndicate doctor`: language versions by state, articles by state."""

from __future__ import annotations

from sqlalchemy import func, select

from syndicate.model import JobState
from syndicate.store import tables as t
from syndicate.store.db import Repository


class Counts(Repository):
    """Aggregates read at each scrape; cheap (GROUP BY on indexed columns)."""

    def jobs(self) -> dict[tuple[str, str], int]:
        """How many jobs of articles not retracted are in each state, per language:
        {(lang, state): n}. Retracted articles are counted by ``articles``."""
        j, a = t.jobs, t.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(j.c.lang, j.c.state, func.count())
                .join(a, a.c.id == j.c.article_id)
                .where(a.c.retracted_at.is_(None))
                .group_by(j.c.lang, j.c.state)
            ).all()
        return {(lang, str(JobState(state))): n for lang, state, n in rows}

    def articles(self) -> dict[str, int]:
        """{"active": n, "retracted": m}."""
        a = t.articles
        retracted = a.c.retracted_at.is_not(None)
        with self.engine.connect() as conn:
            rows = conn.execute(select(retracted.label("gone"), func.count()).group_by(retracted)).all()
        counts = {"active": 0, "retracted": 0}
        for gone, n in rows:
            counts["retracted" if gone else "active"] = n
        return counts
