"""What a worker does, as plain functions that need no broker: testable on their own."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from syndicate.model import JobState
from syndicate.store import Store, now
from syndicate.translation import translator
from syndicate.translation.engine import Engine
from syndicate.translation.glossary import EMPTY, Glossary

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    TRANSLATED = "translated"
    ALREADY_DONE = "already-done"
    BUSY = "busy"  # another worker is translating it right now
    SUPERSEDED = "superseded"
    FAILED_BEFORE = "failed-before"  # given up on; `syndicate retranslate` queues it again


@dataclass(frozen=True)
class JobResult:
    outcome: Outcome
    # Every (article_id, revision) translated in this call, the requested one first, with the
    # quality gate's verdict; empty unless outcome is TRANSLATED.
    published: tuple[str, ...] = ()
    held: tuple[str, ...] = ()
    segments: int = 0
    from_memory: int = 0


def translate_job(
    store: Store,
    engine: Engine,
    article_id: str,
    revision: int,
    lang: str,
    *,
    glossary: Glossary = EMPTY,
    batch_articles: int = 1,
    fresh: bool = False,
    stale_after: timedelta = timedelta(minutes=10),
    holder: str | None = None,
    redelivered: bool = False,
) -> JobResult:
    """Translate one revision into one language, with up to ``batch_articles - 1`` other queued
    articles of that language in the same model call. Safe to run twice.

    A redelivered task finds its job done and does nothing; a job another worker is translating
    is left to it (BUSY) unless that worker has been silent for ``stale_after``, or unless it is
    this very task (``holder``, the task id) handed out again by the broker after its worker died
    (``redelivered``): then it takes back at once every job it held. A second copy of a task
    that is still running carries the same id but is not redelivered: it waits (BUSY).
    ``fresh`` skips the translation memory (for retranslate).
    """
    job = store.job(article_id, revision, lang)
    if job is None:
        return JobResult(Outcome.SUPERSEDED)
    if job.state == JobState.FAILED:
        return JobResult(Outcome.FAILED_BEFORE)
    done = store.translation(article_id, revision, lang) is not None
    if job.state in (JobState.TRANSLATED, JobState.HELD, JobState.PUBLISHED) and done:
        return JobResult(Outcome.ALREADY_DONE)
    mine = redelivered and holder is not None and job.holder == holder
    if job.state == JobState.TRANSLATING and not mine and now() - job.updated_at < stale_after:
        return JobResult(Outcome.BUSY)

    orphans = [j for j in store.held_by(holder, lang) if j != (article_id, revision)] if mine else []
    if not store.claim_job(job, holder):
        return JobResult(Outcome.BUSY)  # another worker claimed it between our read and now
    batch = [(article_id, revision), *orphans]
    if not fresh and batch_articles > len(batch):
        batch += store.claim_queued(lang, batch_articles - len(batch), exclude=set(batch), holder=holder)
    try:
        articles = [store.revision(a, r) for a, r in batch]
        results = translator.translate_articles(
            engine, articles, lang, memory=store, glossary=glossary, use_memory=not fresh
        )
    except Exception:
        if len(batch) == 1:
            raise
        # One bad article must not sink the others: the batch-mates go back to the queue (their
        # own task messages retry them alone) and this job is tried alone, now.
        log.warning("batch of %d failed; retrying %s alone", len(batch), article_id)
        for other in batch[1:]:
            store.set_job_state(*other, lang, JobState.QUEUED)
        batch = batch[:1]
        results = translator.translate_articles(
            engine, [store.revision(article_id, revision)], lang, memory=store, glossary=glossary,
            use_memory=not fresh,
        )  # fmt: skip
    published, held = [], []
    for (a_id, rev), result in zip(batch, results, strict=True):
        store.save_translation(a_id, rev, result.translation, issues=[str(i) for i in result.issues])
        (held if result.issues else published).append(a_id)
        if result.issues:
            log.warning("held %s %s: %s", a_id, lang, "; ".join(map(str, result.issues)))
    return JobResult(
        Outcome.TRANSLATED,
        tuple(published),
        tuple(held),
        segments=sum(r.segments for r in results),
        from_memory=sum(r.from_memory for r in results),
    )
