"""Moving jobs through the lifecycle in tests, as a worker would, without a broker."""

from __future__ import annotations

from collections.abc import Iterable

from syndicate import lifecycle
from syndicate.model import Article, JobState, Translation
from syndicate.store import JobKey, Store


def add(store: Store, article: Article, languages: Iterable[str] = ("en", "ru"), source: str | None = None):
    """Submit an article as `syndicate submit` does."""
    return lifecycle.submit(store, article, tuple(languages), source)


def translated(
    store: Store, article_id: str, revision: int, translation: Translation, issues: Iterable[str] = ()
) -> JobState | None:
    """Claim the job and finish it with ``translation``, as a worker does."""
    key = JobKey(article_id, revision, translation.lang)
    job = store.jobs.get(key)
    assert job is not None
    if job.state != JobState.TRANSLATING:
        assert lifecycle.claim(store, job, "test-worker"), job
    return lifecycle.finish(store, key, translation, list(issues), holder=None)


def states(store: Store, article_id: str) -> dict[str, JobState]:
    return {j.lang: j.state for j in store.jobs.of_article(article_id)}
