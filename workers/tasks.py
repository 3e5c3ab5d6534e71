"""Thin Celery tasks: take ids, call the library, record the outcome.

Each worker process builds its own Engine after fork (worker_process_init), because
CTranslate2 translators are not fork-safe; models load once per process and stay loaded.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta

import redis
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import setup_logging, task_prerun, worker_process_init

from syndicate import logs, metrics, pipeline
from syndicate.config import Settings
from syndicate.model import JobState
from syndicate.store import Store
from syndicate.store.errors import UNAVAILABLE, describe
from syndicate.translation import glossary
from syndicate.translation.engine import Engine, EngineOptions, ModelMissing
from workers.app import app
from workers.dispatch import publish_started, send_publish

log = logging.getLogger(__name__)
MAX_RETRIES = 3

_store: Store | None = None
_engine: Engine | None = None
_redis: redis.Redis | None = None
BUSY_RETRY_S = 20
# A database or feeds directory that is locked, full or unwritable is the machine's fault, not
# the article's, and so is a job another worker is translating: such tasks retry (with a growing
# delay for outages) without spending the article's MAX_RETRIES. After OTHER_RETRIES of them
# the job is still due in the database and the sweeper sends it again.
OTHER_RETRIES = 40
INFRA_RETRIES = 20
INFRA_DELAY_MAX_S = 60


def infra_delay(retries: int) -> int:
    return min(INFRA_DELAY_MAX_S, 5 * 2**retries)


def settings() -> Settings:
    return app.conf.syndicate_settings


def store() -> Store:
    global _store
    if _store is None:
        _store = Store(settings().database_url, busy_timeout_s=settings().database_busy_timeout)
    return _store


def broker_client() -> redis.Redis:
    """The Redis that carries the queues, for the metrics workers add to (see syndicate.metrics)."""
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(settings().redis_url, socket_connect_timeout=2, socket_timeout=5)
    return _redis


def engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = Engine(EngineOptions.from_settings(settings()))
    return _engine


@setup_logging.connect
def _configure_logging(loglevel=None, **_kwargs) -> None:
    """Our format (text or JSON, with article id and language) for Celery's lines and ours."""
    logs.configure(settings().log_format, loglevel or "INFO")


@task_prerun.connect
def _log_work(task=None, args=None, kwargs=None, **_kwargs) -> None:
    args = list(args or ())
    if task is not None and task.name == "syndicate.translate" and len(args) >= 3:
        logs.set_work(args[0], args[2])
    elif task is not None and task.name == "syndicate.publish" and args:
        logs.set_work(None, args[0])
    else:
        logs.set_work()


@worker_process_init.connect
def _load_after_fork(**_kwargs) -> None:
    """Fresh DB connections and models in each child; preload models for the target languages."""
    global _store, _engine, _redis
    _store, _engine, _redis = None, None, None
    os.environ.setdefault("OMP_NUM_THREADS", str(settings().intra_threads()))
    for lang in settings().targets:
        try:
            engine().model(settings().source_lang, lang)
        except ModelMissing as exc:
            log.warning("%s", exc)


@app.task(name="syndicate.translate", bind=True, max_retries=None)
def translate(
    self,
    article_id: str,
    revision: int,
    lang: str,
    fresh: bool = False,
    reclaim: bool = False,
    other_retries: int = 0,
) -> str:
    """``reclaim``: this task stopped while holding its jobs (a retry after the database went
    away) and may take them back at once. ``other_retries``: retries so far that were not the
    article's fault (busy job, database outage); only the rest count against MAX_RETRIES."""
    s = settings()
    started = time.perf_counter()

    def again(countdown: int, *, holding: bool = False, article_fault: bool = False, exc=None) -> str:
        """Retry later (raises); "gave-up" once the retries that are not the article's fault
        run out: the job is still due in the database, and the sweeper sends it again once its
        queue is idle."""
        if not article_fault and other_retries >= OTHER_RETRIES:
            log.error("translate %s %s: given up after %d retries", article_id, lang, other_retries)
            return "gave-up"
        kwargs = {
            **(self.request.kwargs or {}),
            "reclaim": holding,
            "other_retries": other_retries + (0 if article_fault else 1),
        }
        raise self.retry(kwargs=kwargs, countdown=countdown, exc=exc)

    try:
        result = pipeline.translate_job(
            store(),
            engine(),
            article_id,
            revision,
            lang,
            glossary=glossary.load(s.glossary_path),
            batch_articles=s.batch_articles,
            fresh=fresh,
            # Celery kills a task at the hard limit: a job "translating" for longer was abandoned.
            stale_after=timedelta(seconds=s.task_time_limit + 30),
            holder=self.request.id,
            # The broker sets "redelivered" when it hands out a message again (worker lost,
            # visibility timeout); a plain duplicate of a running task is not redelivered.
            redelivered=reclaim or bool((self.request.delivery_info or {}).get("redelivered")),
        )
    except UNAVAILABLE as exc:
        delay = infra_delay(other_retries)
        log.error("translate %s %s: %s; retrying in %d s", article_id, lang, describe(exc), delay)
        return again(delay, holding=True)
    except (ModelMissing, glossary.GlossaryError) as exc:
        store().set_job_state(article_id, revision, lang, JobState.FAILED, error=str(exc))
        return "failed"
    except SoftTimeLimitExceeded:
        store().set_job_state(article_id, revision, lang, JobState.FAILED, error="translation timed out")
        return "failed"
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        article_retries = self.request.retries - other_retries
        if article_retries >= MAX_RETRIES:
            store().set_job_state(article_id, revision, lang, JobState.FAILED, error=reason)
            log.exception("translation failed for good", extra={"article_id": article_id, "lang": lang})
            return "failed"
        store().set_job_state(article_id, revision, lang, JobState.QUEUED, error=f"retrying after {reason}")
        return again(2 ** (article_retries + 1), article_fault=True, exc=exc)
    if result.outcome == pipeline.Outcome.TRANSLATED:
        metrics.record_translation(
            broker_client(), lang, time.perf_counter() - started, result.segments, result.from_memory
        )
    if result.outcome == pipeline.Outcome.BUSY:
        # Another worker has it; look again later in case that worker dies.
        return again(BUSY_RETRY_S)
    if result.published:
        send_publish(app, lang)
    return f"{result.outcome} articles={len(result.published) + len(result.held)} held={len(result.held)}" + (
        f" segments={result.segments} memory={result.from_memory}" if result.segments else ""
    )


@app.task(name="syndicate.publish", bind=True)
def publish(self, lang: str) -> int:
    from feeds.publish import publish_language

    started = time.perf_counter()
    try:
        publish_started(broker_client(), lang)
    except redis.RedisError as exc:
        log.warning("could not clear the pending-publish mark: %s", exc)
    try:
        published = publish_language(store(), settings(), lang)
        count = store().mark_published(lang, published.article_ids)
        metrics.record_publish(broker_client(), lang, time.perf_counter() - started)
        metrics.clear_publish_failure(broker_client(), lang)
        return count
    except (OSError, *UNAVAILABLE) as exc:
        # Feeds are written atomically, so a failed publish leaves the previous documents whole.
        reason = describe(exc) if isinstance(exc, UNAVAILABLE) else f"{type(exc).__name__}: {exc}"
        delay = infra_delay(self.request.retries)
        metrics.record_publish_failure(broker_client(), lang, reason)  # before the log line
        log.error("publish %s failed: %s; retrying in %d s", lang, reason, delay)
        raise self.retry(countdown=delay, max_retries=INFRA_RETRIES) from None
