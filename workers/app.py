"""The Celery app. Settings follow the field notes for long CPU-bound tasks on Redis."""

from __future__ import annotations

import logging
import time

from celery import Celery
from celery.worker import state as worker_state
from celery.worker.consumer import Consumer as CeleryConsumer
from kombu import Queue

from syndicate import config
from syndicate.sending import PUBLISH_QUEUE, queues

log = logging.getLogger(__name__)

# How often a worker looks for unacked tasks older than the visibility timeout (those of a worker
# that died whole). kombu's default scans only every 10 x 10 s; one ZRANGE each 10 s is cheap.
RESTORE_INTERVAL_S = 10
# Restarts of the consumer after the broker refused a command: 1 s doubling to 10 s apart; a
# refusal more than a minute after the last one starts again from 1 s.
REFUSED_FIRST_S, REFUSED_CAP_S, REFUSED_RESET_S = 1.0, 10.0, 60.0


class Consumer(CeleryConsumer):
    """Celery's consumer, backing off before it restarts after the broker refused a command.

    A Redis that answers PING but refuses writes (a replica: READONLY; NOREPLICAS) lets the
    consumer connect, then refuses its BRPOP or its restore of unacked messages: Celery would
    restart the consumer five times a second, logging each. A refused PING (a full disk:
    MISCONF) already waits in kombu's connection retry, 2 s growing to 30 s apart.
    """

    _refusals = 0
    _last_refusal = 0.0

    def on_connection_error_before_connected(self, exc: Exception) -> None:
        """Log as Celery does, then back off if the broker refused a command."""
        super().on_connection_error_before_connected(exc)
        self._back_off(exc)

    def on_connection_error_after_connected(self, exc: Exception) -> None:
        """Log and clean up as Celery does, then back off if the broker refused a command."""
        super().on_connection_error_after_connected(exc)
        self._back_off(exc)

    def _back_off(self, exc: Exception) -> None:
        if not isinstance(exc, tuple(self.channel_errors)):
            return  # a lost connection: kombu's connection retry waits
        fresh = time.monotonic() - self._last_refusal > REFUSED_RESET_S
        self._refusals = 1 if fresh else self._refusals + 1
        delay = min(REFUSED_FIRST_S * 2 ** (self._refusals - 1), REFUSED_CAP_S)
        log.warning("broker refused a command (%s); consuming again in %.0f s", exc, delay)
        deadline = time.monotonic() + delay
        while (left := deadline - time.monotonic()) > 0:
            worker_state.maybe_shutdown()  # a warm or cold shutdown does not wait for the delay
            time.sleep(min(left, 0.5))
        self._last_refusal = time.monotonic()


def create_app(settings: config.Settings | None = None) -> Celery:
    """The Celery app for ``settings`` (default: loaded from the environment): acks late,
    prefetch 1, per-language queues, the task time limits and the visibility timeout."""
    settings = settings or config.load()
    app = Celery("syndicate", include=["workers.tasks"])
    app.conf.update(
        broker_url=config.celery_broker_url(settings.redis_url),
        broker_connection_retry_on_startup=True,
        # A Redis that refuses writes (its disk full: "MISCONF Errors writing to the AOF file";
        # turned replica: READONLY) answers BRPOP, acks and rejects with an error reply, which
        # kombu counts as a channel error; Celery's consumer treats those as unrecoverable and
        # the worker exits. Retried like a lost connection instead (reconnect with backoff, up to
        # 30 s apart, for as long as it takes: the default gives up after 100 attempts).
        broker_channel_error_retry=True,
        broker_connection_max_retries=None,
        worker_consumer="workers.app:Consumer",
        # A task held by a worker that died whole comes back after visibility_timeout, plus at
        # most one restore interval (settings.effective_visibility_timeout).
        broker_transport_options={
            "visibility_timeout": settings.effective_visibility_timeout,
            "unacked_restore_interval": RESTORE_INTERVAL_S,
            "unacked_restore_throttle": 1,
        },
        # The database holds every result; Redis carries work only.
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.task_time_limit,
        task_soft_time_limit=settings.soft_time_limit,
        task_queues=[Queue(name) for name in queues(settings.targets)],
        task_default_queue=PUBLISH_QUEUE,
        worker_concurrency=settings.worker_concurrency,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_serializer="json",
        accept_content=["json"],
    )
    app.conf.syndicate_settings = settings
    return app


def timeout_problem(settings: config.Settings) -> str | None:
    """Why these timeouts are unsafe, or None. Redis hands a task held that long to another
    worker (kombu's visibility timeout), so one shorter than the task time limit lets a slow
    translation run twice at once (seen: SYNDICATE_VISIBILITY_TIMEOUT=3 with two workers)."""
    visibility, limit = settings.effective_visibility_timeout, settings.task_time_limit
    if visibility <= limit:
        return (
            f"SYNDICATE_VISIBILITY_TIMEOUT ({visibility} s) must be longer than SYNDICATE_TASK_TIME_LIMIT "
            f"({limit} s), or Redis hands a running task to a second worker"
        )
    return None


app = create_app()
