"""The job lifecycle: every change of a job's state, and only here.

One job per (article, revision, language). States (syndicate.model.JobState) and moves:

    submit ──▶ queued ◀──────────────┐ (retry after an article fault; lease expired; requeue)
                 │ claim (lease)      │
                 ▼                    │
    waiting-for-model ◀── translating ┴──▶ failed (attempts used up; timed out; unreadable)
         │ model installed  │ finish
         └──▶ queued        ├──▶ translated ──▶ published (its text is in the feeds)
                            ├──▶ held (quality gate) ──── approve ──▶ translated
                            └──▶ review (SYNDICATE_REVIEW) ┬ approve ──▶ translated
                                                           └ grace period over ──▶ translated,
                                                             marked as published without review

The source language's job starts translated. Held and review text stays out of the feeds.

A claim is a lease: the claiming task's id (``holder``) and an expiry ``LEASE_S`` seconds ahead,
renewed every ``RENEW_EVERY_S`` while the model runs (``leased``). Whoever runs workers looks
for expired leases every ``REAP_EVERY_S`` (``reap_expired``) and sends those jobs again, so a
worker killed whole is recovered in about LEASE_S + REAP_EVERY_S, not the broker's visibility
timeout. Functions take a Store and, where they send work, a ``syndicate.sending.Sender``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from syndicate.model import Article, JobState, Translation
from syndicate.sending import Sender
from syndicate.store import Job, JobKey, Store, Submitted, Unreadable, now

log = logging.getLogger(__name__)

LEASE_S = 30.0
RENEW_EVERY_S = 10.0
REAP_EVERY_S = 10.0
# The first try and three retries. Counted in jobs.attempts (model runs started), so the budget
# survives redelivery, worker restarts and the sweeper, unlike a count carried in a message.
MAX_ATTEMPTS = 4

# States in which a job's text waits for a person and stays out of the feeds.
AWAITING_APPROVAL = (JobState.HELD, JobState.REVIEW)


def lease_expired(job: Job, at: datetime | None = None) -> bool:
    """A translating job whose holder stopped renewing its lease (no lease counts as expired)."""
    return job.state == JobState.TRANSLATING and (
        job.lease_expires is None or job.lease_expires < (at or now())
    )


# -- submitting -----------------------------------------------------------------------------------


def submit(
    store: Store,
    article: Article,
    languages: Iterable[str],
    source_name: str | None,
    update_of: str | None = None,
) -> Submitted:
    """Store an article (or a new revision) with its jobs: the source language's translated (its
    text is the article), every other language queued. Raises KeyError if ``update_of`` names no
    article."""
    jobs = {lang: JobState.TRANSLATED if lang == article.lang else JobState.QUEUED for lang in languages}
    return store.articles.add(article, jobs, source_name=source_name, update_of=update_of)


# -- translating ----------------------------------------------------------------------------------


def claim(store: Store, job: Job, holder: str | None, *, redelivered: bool = False) -> bool:
    """Take ``job`` (as read) for translation under a lease held by ``holder`` (a task id).

    Allowed from queued or waiting-for-model; from translating only when the lease expired, or
    when the broker redelivered this very task (``redelivered``, same ``holder``) after its worker
    died. A compare-and-set: of two workers that read the same job at once, exactly one claims
    it. Counts one attempt. Returns whether this caller holds the job now.
    """
    at = now()
    mine = redelivered and holder is not None and job.holder == holder
    allowed = job.state in (JobState.QUEUED, JobState.WAITING_FOR_MODEL) or (
        job.state == JobState.TRANSLATING and (mine or lease_expired(job, at))
    )
    if not allowed:
        return False
    return store.jobs.move(
        job.key, JobState.TRANSLATING, seen=job, holder=holder,
        lease_expires=at + timedelta(seconds=LEASE_S), attempts_delta=1,
    )  # fmt: skip


def claim_more(store: Store, lang: str, limit: int, exclude: set[JobKey], holder: str | None) -> list[JobKey]:
    """Take up to ``limit`` more queued jobs of ``lang``, never tried before, for one model call.

    Each is a conditional move from queued, so two workers never both take one; the taken jobs'
    own task messages find the work done (or still leased) when they arrive.
    """
    expires = now() + timedelta(seconds=LEASE_S)
    taken: list[JobKey] = []
    for key in store.jobs.fresh_queued(lang, limit + len(exclude)):
        if len(taken) >= limit or key in exclude:
            continue
        if store.jobs.move(
            key, JobState.TRANSLATING, when=[JobState.QUEUED], holder=holder, lease_expires=expires,
            attempts_delta=1,
        ):  # fmt: skip
            taken.append(key)
    return taken


def held_by(store: Store, holder: str, lang: str) -> list[JobKey]:
    """Jobs ``holder`` claimed and never finished (its worker died): a redelivered task takes
    them back with its own."""
    return store.jobs.held_by(holder, lang)


@contextmanager
def leased(
    store: Store, keys: Sequence[JobKey], holder: str | None, every_s: float = RENEW_EVERY_S
) -> Iterator[None]:
    """Renew the leases of ``keys`` every ``every_s`` seconds, from a thread, while the body
    runs (the model call releases the GIL). A renewal that fails is logged and tried again; if
    the process dies, renewals stop and the leases expire."""
    if holder is None or not keys:
        yield
        return
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(every_s):
            try:
                store.jobs.renew(keys, holder, now() + timedelta(seconds=LEASE_S))
            except Exception as exc:  # a database hiccup must not kill the translation
                log.warning("could not renew the lease of %d job(s): %s", len(keys), exc)

    thread = threading.Thread(target=renew, name="lease-renewal", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def finish(
    store: Store,
    key: JobKey,
    translation: Translation,
    issues: list[str],
    holder: str | None,
    glossary: list[dict[str, Any]] | None = None,
    review: bool = False,
    segments: list[dict[str, Any]] | None = None,
) -> JobState | None:
    """Store the translation: translated; held when the quality gate found ``issues``; else in
    review when ``review`` (its language is one of SYNDICATE_REVIEW: an editor approves it).
    None (nothing written) if the job is no longer this holder's to finish. ``glossary``: the
    entries applied; ``segments``: its segment records (Translations.save); ``review``: the
    language waits for an editor (SYNDICATE_REVIEW), so text the gate passes goes to review."""
    state = JobState.HELD if issues else JobState.REVIEW if review else JobState.TRANSLATED
    saved = store.translations.save(key, translation, issues, state, holder, glossary, segments)
    return state if saved else None


def give_back(store: Store, keys: Iterable[JobKey]) -> None:
    """Return claimed jobs to the queue untried (batch-mates of an article that failed)."""
    for key in keys:
        store.jobs.move(key, JobState.QUEUED, when=[JobState.TRANSLATING])


def fail(store: Store, key: JobKey, reason: str, *, final: bool = False) -> JobState:
    """An attempt failed because of the article (or its translation): back to queued to be
    retried, or failed for good when ``final`` or after MAX_ATTEMPTS. Returns the new state."""
    job = store.jobs.get(key)
    if job is None:
        return JobState.FAILED
    # An attempt that failed before its claim (reading the stored revision) counts too.
    unclaimed = int(job.state != JobState.TRANSLATING)
    if final or job.attempts + unclaimed >= MAX_ATTEMPTS:
        store.jobs.move(key, JobState.FAILED, error=reason, attempts_delta=unclaimed)
        return JobState.FAILED
    store.jobs.move(key, JobState.QUEUED, error=f"retrying after {reason}", attempts_delta=unclaimed)
    return JobState.QUEUED


def wait_for_model(store: Store, key: JobKey, reason: str) -> None:
    """No installed model translates this pair: the job waits (it never fails for that)."""
    store.jobs.move(
        key, JobState.WAITING_FOR_MODEL, error=reason,
        when=[JobState.QUEUED, JobState.WAITING_FOR_MODEL, JobState.TRANSLATING],
    )  # fmt: skip


def resume_waiting(store: Store, langs: Iterable[str], sender: Sender | None) -> list[JobKey]:
    """A model for ``langs`` is installed now: their waiting jobs are queued and, given a
    ``sender``, sent. Returns the jobs resumed."""
    wanted = set(langs)
    resumed = [
        job.key
        for job in store.jobs.in_state([JobState.WAITING_FOR_MODEL])
        if job.lang in wanted and store.jobs.move(job.key, JobState.QUEUED, when=[JobState.WAITING_FOR_MODEL])
    ]
    if resumed and sender is not None:
        sender.send_translations(resumed)
    return resumed


@dataclass(frozen=True)
class Reaped:
    """Jobs whose lease expired: sent again, or failed after MAX_ATTEMPTS."""

    requeued: tuple[JobKey, ...]
    failed: tuple[JobKey, ...]


def reap_expired(store: Store, sender: Sender | None, at: datetime | None = None) -> Reaped:
    """Jobs whose holder stopped renewing (its worker died) go back to the queue and are sent
    again at once, whatever the depth of the queue; after MAX_ATTEMPTS they fail. Each move is a
    compare-and-set, so several reapers at once send each job once."""
    requeued: list[JobKey] = []
    failed: list[JobKey] = []
    for job in store.jobs.expired(at or now()):
        if job.attempts >= MAX_ATTEMPTS:
            reason = f"the worker translating it stopped {job.attempts} times"
            if store.jobs.move(job.key, JobState.FAILED, seen=job, error=reason):
                failed.append(job.key)
        elif store.jobs.move(job.key, JobState.QUEUED, seen=job, error="its worker stopped; sent again"):
            requeued.append(job.key)
    if requeued and sender is not None:
        sender.send_translations(requeued)
    return Reaped(tuple(requeued), tuple(failed))


# -- operators and publishing ---------------------------------------------------------------------


def retract(store: Store, article_id: str) -> bool:
    """Take an article out of every feed (the next publish of each language removes it). Its
    jobs stop being work: no worker translates it, no sweep sends it, `wait` reports it
    retracted. False if it already was."""
    return store.articles.retract(article_id)


def approve(store: Store, article_id: str, lang: str) -> bool:
    """An editor approves the ``lang`` translation of the article's current revision as it is,
    in review or held by the quality gate: -> translated, published by the next publish of
    ``lang``. False if it has none waiting (unknown article or language, already published).
    `syndicate approve` and `release` call it, and so does an import that marks every segment
    final."""
    _, moved = store.jobs.move_current(article_id, [lang], JobState.TRANSLATED, when=AWAITING_APPROVAL)
    return moved == 1


# The name before review existed (`syndicate release`): the same function.
release = approve


def publish_unreviewed(
    store: Store, grace: timedelta, sender: Sender | None, at: datetime | None = None
) -> list[JobKey]:
    """Translations that waited in review longer than ``grace`` (SYNDICATE_REVIEW_GRACE) are
    published without review: -> translated, their translation marked so that its provenance
    says so; given a ``sender``, their languages are published. Each move is a compare-and-set,
    so an approval or a second sweeper at the same moment wins cleanly. Returns the jobs moved.
    """
    at = at or now()
    moved = [
        job.key for job in store.jobs.in_review_before(at - grace) if store.translations.skip_review(job, at)
    ]
    if moved:
        log.warning(
            "published %d translation(s) without review after %s: %s", len(moved), grace,
            ", ".join(f"{k.article_id} {k.lang}" for k in moved),
        )  # fmt: skip
        if sender is not None:
            sender.send_publish(sorted({k.lang for k in moved}))
    return moved


def requeue(store: Store, article_id: str, langs: Iterable[str]) -> int:
    """Translate the current revision again in ``langs`` (retranslate): queued, attempts kept.
    Published text stays in the feeds until the new text replaces it; text that was never
    approved is dropped. Returns the revision. Raises KeyError for an unknown article."""
    revision, _ = store.jobs.move_current(article_id, langs, JobState.QUEUED)
    if revision is None:
        raise KeyError(article_id)
    return revision


def mark_published(store: Store, lang: str, article_ids: Iterable[str]) -> int:
    """The ``lang`` text of these articles is in the written feeds: translated -> published.
    Returns how many jobs moved."""
    return store.jobs.publish(lang, article_ids)


def fail_unreadable(store: Store, found: Iterable[Unreadable]) -> None:
    """Stored revisions that publishing could not read: their jobs fail, visibly."""
    for item in found:
        store.jobs.move(item.key, JobState.FAILED, error=item.reason)
