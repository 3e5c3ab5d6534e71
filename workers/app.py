"""The Celery app. Settings follow the field notes for long CPU-bound tasks on Redis."""

from __future__ import annotations

from celery import Celery
from kombu import Queue

from syndicate import config
from syndicate.sending import PUBLISH_QUEUE, queues

# How often a worker looks for unacked tasks older than the visibility timeout (those of a worker
# that died whole). kombu's default scans only every 10 x 10 s; one ZRANGE each 10 s is cheap.
RESTORE_INTERVAL_S = 10


def create_app(settings: config.Settings | None = None) -> Celery:
    """The Celery app for ``settings`` (default: loaded from the environment): acks late,
    prefetch 1, per-language queues, the task time limits and the visibility timeout."""
    settings = settings or config.load()
    app = Celery("syndicate", include=["workers.tasks"])
    app.conf.update(
        broker_url=config.celery_broker_url(settings.redis_url),
        broker_connection_retry_on_startup=True,
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
