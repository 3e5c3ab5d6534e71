"""The sweeper: the database is the source of truth, so work it says is due but that Redis no
longer carries (Redis was down at submit time, lost its data, or a message was dropped) is sent
again.

Sending again is safe (tasks are idempotent), but a queue with a backlog must not be flooded:
a language's jobs are only re-sent when its queue is empty and no worker holds an unacked
message, and only jobs that have waited longer than ``min_age``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import redis

from syndicate.config import Settings
from syndicate.model import JobState
from syndicate.store import Store, now
from workers.app import PUBLISH_QUEUE, create_app, translate_queue
from workers.dispatch import send_publish, send_translation


@dataclass(frozen=True)
class Swept:
    translations: int
    publishes: int


def _idle(client: redis.Redis, queue: str) -> bool:
    # kombu keeps unacked messages in the "unacked" hash until a worker acknowledges them.
    return client.llen(queue) == 0 and client.hlen("unacked") == 0


def sweep(settings: Settings, store: Store, min_age: timedelta = timedelta(minutes=2)) -> Swept:
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=2)
    app = create_app(settings)
    due = now() - min_age
    translations = publishes = 0
    try:
        for lang in settings.targets:
            if not _idle(client, translate_queue(lang)):
                continue
            for job in store.jobs_in_state([JobState.QUEUED, JobState.TRANSLATING], lang=lang):
                if job.updated_at <= due:
                    send_translation(app, job.article_id, job.revision, job.lang)
                    translations += 1
        if _idle(client, PUBLISH_QUEUE):
            waiting = {j.lang for j in store.jobs_in_state([JobState.TRANSLATED]) if j.updated_at <= due}
            for lang in sorted(waiting):
                send_publish(app, lang)
                publishes += 1
    finally:
        client.close()
    return Swept(translations, publishes)
