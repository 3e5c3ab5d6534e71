"""What a worker does with one translation job, as a plain function that needs no broker.

``translate_job`` never raises for anything the article or the machine does: it returns an
``Outcome`` that the Celery task maps to ack or retry (workers/tasks.py). Every state change it
causes goes through syndicate/lifecycle.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from syndicate import lifecycle
from syndicate.model import JobState
from syndicate.store import JobKey, Store
from syndicate.store.errors import UNAVAILABLE, describe
from syndicate.translation import translator
from syndicate.translation.engine import Engine, ModelMissing
from syndicate.translation.glossary import EMPTY, Glossary, GlossaryError

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What became of a job; ``retry`` says whether the task should be sent again later."""

    TRANSLATED = "translated"
    ALREADY_DONE = "already-done"
    BUSY = "busy"  # another worker holds a live lease on it
    SUPERSEDED = "superseded"  # no such job, or the article was retracted
    FAILED_BEFORE = "failed-before"  # given up on; `syndicate retranslate` queues it again
    WAITING_FOR_MODEL = "waiting-for-model"
    RETRY = "retry"  # the attempt failed; the job is queued for another
    FAILED = "failed"  # failed for good now
    UNAVAILABLE = "unavailable"  # the database is locked, full or unreachable: not the article's fault

    @property
    def retry(self) -> bool:
        """True for RETRY and UNAVAILABLE: the job is still due and the task should run again."""
        return self in (Outcome.RETRY, Outcome.UNAVAILABLE)


@dataclass(frozen=True)
class JobResult:
    """The outcome, and with TRANSLATED the article ids the call translated (the requested one
    first) split by the quality gate's verdict, with sentence counts; ``reason`` says why for
    the outcomes that are not success."""

    outcome: Outcome
    published: tuple[str, ...] = ()
    held: tuple[str, ...] = ()
    segments: int = 0
    review: tuple[str, ...] = ()  # waiting for an editor (SYNDICATE_REVIEW)
    from_memory: int = 0
    reason: str = ""

    def summary(self) -> str:
        """One line for the log and the task result, e.g. ``translated articles=2 held=0
        segments=14 memory=3`` or ``retry: <reason>``."""
        text = f"{self.outcome}"
        if self.outcome == Outcome.TRANSLATED:
            text += f" articles={len(self.published) + len(self.held) + len(self.review)}"
            text += f" held={len(self.held)}" + (f" review={len(self.review)}" if self.review else "")
            text += f" segments={self.segments} memory={self.from_memory}"
        return text + (f": {self.reason}" if self.reason else "")


def translate_job(
    store: Store,
    engine: Engine,
    key: JobKey,
    *,
    glossary: Glossary | Callable[[], Glossary] = EMPTY,
    batch_articles: int = 1,
    fresh: bool = False,
    holder: str | None = None,
    redelivered: bool = False,
    final_errors: tuple[type[BaseException], ...] = (),
    review: bool = False,
) -> JobResult:
    """Translate one revision into one language, with up to ``batch_articles - 1`` other queued
    articles of that language in the same model call. Safe to run twice.

    A job already done, failed for good, or held under a live lease by another worker is left
    alone. A task that the broker redelivers after its worker died (``redelivered``, same
    ``holder`` task id) takes back at once every job it held. ``fresh`` skips the translation
    memory (retranslate); human segments (store.human) win either way. ``glossary`` may be
    a loader, called once the job is claimed.
    Exceptions in ``final_errors`` (a task time limit) fail the job at once; any other
    exception is an attempt failed (RETRY, or FAILED after lifecycle.MAX_ATTEMPTS).
    ``review``: the language's new translations wait in review for an editor (SYNDICATE_REVIEW).
    """
    try:
        return _translate(store, engine, key, glossary, batch_articles, fresh, holder, redelivered, review)
    except UNAVAILABLE as exc:
        return JobResult(Outcome.UNAVAILABLE, reason=describe(exc))
    except ModelMissing as exc:
        lifecycle.wait_for_model(store, key, str(exc))
        return JobResult(Outcome.WAITING_FOR_MODEL, reason=str(exc))
    except GlossaryError as exc:
        lifecycle.fail(store, key, str(exc), final=True)
        return JobResult(Outcome.FAILED, reason=str(exc))
    except Exception as exc:
        final = isinstance(exc, final_errors)
        reason = "translation timed out" if final else f"{type(exc).__name__}: {exc}"
        state = lifecycle.fail(store, key, reason, final=final)
        if state == JobState.FAILED:
            log.exception(
                "translation failed for good", extra={"article_id": key.article_id, "lang": key.lang}
            )
            return JobResult(Outcome.FAILED, reason=reason)
        return JobResult(Outcome.RETRY, reason=reason)


def _translate(
    store: Store,
    engine: Engine,
    key: JobKey,
    glossary: Glossary | Callable[[], Glossary],
    batch_articles: int,
    fresh: bool,
    holder: str | None,
    redelivered: bool,
    review: bool = False,
) -> JobResult:
    job = store.jobs.get(key)
    if job is None:
        return JobResult(Outcome.SUPERSEDED)
    if job.state == JobState.FAILED:
        return JobResult(Outcome.FAILED_BEFORE)
    done = store.translations.get(key) is not None
    if done and job.state in (JobState.TRANSLATED, *lifecycle.AWAITING_APPROVAL, JobState.PUBLISHED):
        return JobResult(Outcome.ALREADY_DONE)
    source = store.articles.revision(key.article_id, key.revision)
    if source is None or store.articles.retracted_at(key.article_id) is not None:
        return JobResult(Outcome.SUPERSEDED)
    engine.model(source.lang, key.lang)  # raises ModelMissing before anything is claimed
    mine = redelivered and holder is not None and job.holder == holder
    orphans = [k for k in lifecycle.held_by(store, holder, key.lang) if k != key] if mine and holder else []
    if not lifecycle.claim(store, job, holder, redelivered=redelivered):
        return JobResult(Outcome.BUSY)
    loaded = glossary() if callable(glossary) else glossary
    batch = [key, *orphans]
    if not fresh and batch_articles > len(batch):
        batch += lifecycle.claim_more(store, key.lang, batch_articles - len(batch), set(batch), holder)
    with lifecycle.leased(store, batch, holder):
        try:
            articles = [store.articles.revision(k.article_id, k.revision) for k in batch]
            present = [(k, a) for k, a in zip(batch, articles, strict=True) if a is not None]
            results = translator.translate_articles(
                engine, [a for _, a in present], key.lang, memory=store.memory,
                glossary=loaded, use_memory=not fresh, ids=[k.article_id for k, _ in present],
                human=store.human,
            )  # fmt: skip
            if len(results) != len(batch):
                raise LookupError("a revision of the batch disappeared")
        except Exception:
            if len(batch) == 1:
                raise
            # One bad article must not sink the others: the batch-mates go back to the queue
            # (their own task messages retry them alone) and this job is tried alone, now.
            log.warning("batch of %d failed; retrying %s alone", len(batch), key.article_id)
            lifecycle.give_back(store, batch[1:])
            batch = batch[:1]
            results = translator.translate_articles(
                engine, [source], key.lang, memory=store.memory, glossary=loaded, use_memory=not fresh,
                human=store.human,
                ids=[key.article_id],
            )  # fmt: skip
    published, held, reviewing = [], [], []
    for k, result in zip(batch, results, strict=True):
        issues = [str(i) for i in result.issues]
        applied = [a.to_dict() for a in result.glossary]
        state = lifecycle.finish(
            store, k, result.translation, issues, holder, applied, segments=result.records, review=review
        )
        if state == JobState.HELD:
            held.append(k.article_id)
            log.warning("held %s %s: %s", k.article_id, key.lang, "; ".join(issues))
        elif state == JobState.TRANSLATED:
            published.append(k.article_id)
        elif state == JobState.REVIEW:
            reviewing.append(k.article_id)
    return JobResult(
        Outcome.TRANSLATED,
        tuple(published),
        tuple(held),
        segments=sum(r.segments for r in results),
        from_memory=sum(r.from_memory for r in results),
        review=tuple(reviewing),
    )
