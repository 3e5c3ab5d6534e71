"""The Celery app. Settings follow the field notes for long CPU-bound tasks on Redis."""

from __future__ import annotations

from celery import Celery
from kombu import Queue

from syndicate import config

# A translation that runs longer than this is killed; Redis redelivers unacked tasks only after
# the visibility timeout, which must stay above twice the hard limit or a slow task runs twice.
HARD_TIME_LIMIT_S = 300
SOFT_TIME_LIMIT_S = 270
VISIBILITY_TIMEOUT_S = 2 * HARD_TIME_LIMIT_S + 60
PUBLISH_QUEUE = "publish"


def translate_queue(lang: str) -> str:
    return f"translate.{lang}"


def create_app(settings: config.Settings | None = None) -> Celery:
    settings = settings or config.load()
    app = Celery("syndicate", include=["workers.tasks"])
    app.conf.update(
        broker_url=config.celery_broker_url(settings.redis_url),
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_S},
        # The database holds every result; Redis carries work only.
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=HARD_TIME_LIMIT_S,
        task_soft_time_limit=SOFT_TIME_LIMIT_S,
        task_queues=[Queue(translate_queue(lang)) for lang in settings.targets] + [Queue(PUBLISH_QUEUE)],
        task_default_queue=PUBLISH_QUEUE,
        worker_concurrency=settings.worker_concurrency,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_serializer="json",
        accept_content=["json"],
    )
    app.conf.syndicate_settings = settings
    return app


app = create_app()
