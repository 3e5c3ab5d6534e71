"""Thin Celery tasks: take ids, call the library, map its outcome to ack or retry.

Each worker process builds its own Engine after fork (worker_process_init), because
CTranslate2 translators are not fork-safe; models load once per process and stay loaded.
Retries use Celery's own exponential backoff with full jitter; how often the article itself may
fail is counted in the database (syndicate/lifecycle.py MAX_ATTEMPTS), not here.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

import redis
from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import setup_logging, task_prerun, worker_process_init, worker_ready

from syndicate import logs, metrics, pipeline
from syndicate.config import Settings
from syndicate.sending import PUBLISH_TASK, TRANSLATE_TASK
from syndicate.store import JobKey, Store
from syndicate.translation import glossary
from syndicate.translation.engine import Engine, EngineOptions, ModelMissing
from workers import reaper
from workers.app import app
from workers.dispatch import Dispatcher, publish_now, publish_started, redis_client, wait_for_writes

log = logging.getLogger(__name__)

# Retries of a task (busy database, full disk, a failed attempt): after these the message is
# dropped, the job is still due in the database, and the sweeper sends it again.
TRANSLATE_RETRIES = 40
PUBLISH_RETRIES = 20
# A task whose next step is a write to Redis (its retry, a publish request, clearing the pending
# mark) waits while Redis refuses writes (disk full, read-only), until this long before its soft
# time limit; after that the work stays due in the database for the sweeper.
BROKER_WAIT_MARGIN_S = 15

_store: Store | None = None
_engine: Engine | None = None
_redis: redis.Redis | None = None


class TryAgain(Exception):
    """Raised by a task to be retried later with Celery's backoff (autoretry_for)."""


def settings() -> Settings:
    """The settings the Celery app was created with (workers/app.py)."""
    configured: Settings = app.conf.syndicate_settings
    return configured


def store() -> Store:
    """This process's Store, opened (and migrated) at first use; reset after fork."""
    global _store
    if _store is None:
        _store = Store(settings().database_url, busy_timeout_s=settings().database_busy_timeout)
    return _store


def broker_client() -> redis.Redis:
    """The Redis that carries the queues, for the metrics workers add to (see syndicate.metrics)."""
    global _redis
    if _redis is None:
        _redis = redis_client(settings(), timeout_s=5)
    return _redis


def engine() -> Engine:
    """This process's Engine, created at first use; reset after fork. Loads no model itself."""
    global _engine
    if _engine is None:
        _engine = Engine(EngineOptions.from_settings(settings()))
    return _engine


def await_writes(started: float, what: str) -> bool:
    """Wait while Redis refuses writes, for as long as a task that began at ``started``
    (time.monotonic()) may still run; whether Redis takes writes now (see dispatch.wait_for_writes)."""
    budget = settings().soft_time_limit - (time.monotonic() - started) - BROKER_WAIT_MARGIN_S
    return wait_for_writes(broker_client(), budget, what)


@setup_logging.connect
def _configure_logging(loglevel: str | None = None, **_kwargs: Any) -> None:
    """Our format (text or JSON, with article id and language) for Celery's lines and ours."""
    logs.configure(settings().log_format, loglevel or "INFO")


@task_prerun.connect
def _log_work(task: Task | None = None, args: Any = None, **_kwargs: Any) -> None:
    args = list(args or ())
    if task is not None and task.name == TRANSLATE_TASK and len(args) >= 3:
        logs.set_work(args[0], args[2])
    elif task is not None and task.name == PUBLISH_TASK and args:
        logs.set_work(None, args[0])
    else:
        logs.set_work()


@worker_ready.connect
def _watch_leases(**_kwargs: Any) -> None:
    """Every worker looks for jobs whose holder died (see workers/reaper.py)."""
    reaper.start(settings(), Dispatcher(settings(), app))


@worker_process_init.connect
def _load_after_fork(**_kwargs: Any) -> None:
    """Fresh DB connections and models in each child; preload models for the target languages."""
    global _store, _engine, _redis
    _store, _engine, _redis = None, None, None
    reaper.forget_after_fork()
    os.environ.setdefault("OMP_NUM_THREADS", str(settings().intra_threads()))
    for lang in settings().targets:
        try:
            engine().model(settings().source_lang, lang)
        except ModelMissing as exc:
            log.warning("%s", exc)


@app.task(
    name=TRANSLATE_TASK, bind=True, autoretry_for=(TryAgain,), max_retries=TRANSLATE_RETRIES,
    retry_backoff=2, retry_backoff_max=60, retry_jitter=True,
)  # fmt: skip
def translate(self: Task, article_id: str, revision: int, lang: str, fresh: bool = False, **_old: Any) -> str:
    """Translate one job (``_old``: kwargs of messages sent by earlier versions, ignored)."""
    started = time.monotonic()
    result = pipeline.translate_job(
        store(), engine(), JobKey(article_id, revision, lang),
        glossary=lambda: glossary.load(settings().glossary_path),
        batch_articles=settings().batch_articles, fresh=fresh, holder=self.request.id,
        # The broker sets "redelivered" when it hands out a message again (worker lost); a
        # plain duplicate of a running task is not redelivered. A retry (same task id) is sent
        # by the run before it as that run ends, so the jobs that run held are this one's too.
        redelivered=bool((self.request.delivery_info or {}).get("redelivered")) or self.request.retries > 0,
        final_errors=(SoftTimeLimitExceeded,), review=lang in settings().review,
    )  # fmt: skip
    if result.outcome == pipeline.Outcome.TRANSLATED:
        seconds = time.monotonic() - started
        metrics.record_translation(broker_client(), lang, seconds, result.segments, result.from_memory)
    if result.published:
        sender = Dispatcher(settings(), app)
        if not sender.send_publish([lang]) and await_writes(started, f"publish {lang}"):
            sender.send_publish([lang])
    if result.outcome.retry:
        await_writes(started, f"the retry of {article_id} {lang}")  # the retry is a message to Redis
        raise TryAgain(result.summary())
    return result.summary()


def _clear_pending(lang: str, started: float) -> bool:
    """Clear ``lang``'s pending-publish mark, waiting while Redis refuses writes: left set, it
    would swallow every publish request of the language until it expires (10 minutes)."""
    for attempt in range(2):
        try:
            publish_started(broker_client(), lang)
            return True
        except redis.RedisError as exc:
            log.warning("could not clear the pending-publish mark: %s", exc)
        if attempt == 0 and not await_writes(started, f"publish {lang}"):
            return False
    return False


@app.task(
    name=PUBLISH_TASK, bind=True, autoretry_for=(TryAgain,), max_retries=PUBLISH_RETRIES,
    retry_backoff=5, retry_backoff_max=60, retry_jitter=True,
)  # fmt: skip
def publish(self: Task, lang: str) -> int:
    """Render and write ``lang``'s feeds; a failure (disk, database) is retried with backoff."""
    started = time.monotonic()
    if not _clear_pending(lang, started):
        raise TryAgain(f"publish {lang}: could not clear the pending-publish mark")
    result = publish_now(store(), settings(), lang, client=broker_client())
    if result.error:
        await_writes(started, f"the retry of publish {lang}")  # the retry is a message to Redis
        raise TryAgain(f"publish {lang}: {result.error}")
    return result.marked
