"""The sweeper: the database is the source of truth, so work it says is due but that Redis no
longer carries (Redis was down at submit time, lost its data, or a message was dropped) is sent
again.

Sending again is safe (tasks are idempotent), but a queue with a backlog must not be flooded:
a language's jobs are only re-sent when its queue is empty and no worker holds an unacked
message, and only jobs that have waited longer than ``min_age``.
"""

from __future__ import annotations

import json
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


def routing_keys(unacked: list[bytes]) -> set[str]:
    held = set()
    for raw in unacked:
        try:
            held.add(json.loads(raw)[2])
        except (ValueError, IndexError, TypeError):
            held.add("?")  # unknown shape: treat every queue as busy rather than flood one
    return held


def _idle_queues(client: redis.Redis, queues: list[str]) -> set[str]:
    """Queues with no message waiting and none that a worker holds unacknowledged.

    kombu keeps each unacked message in the "unacked" hash as [message, exchange, routing_key];
    every queue here is declared with its own name as routing key. At most prefetch x workers
    entries exist, so reading them all is cheap.
    """
    held = routing_keys(client.hvals("unacked"))
    if "?" in held:
        return set()
    return {q for q in queues if q not in held and client.llen(q) == 0}


def sweep(settings: Settings, store: Store, min_age: timedelta = timedelta(minutes=2)) -> Swept:
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=2)
    app = create_app(settings)
    due = now() - min_age
    translations = publishes = 0
    try:
        # Decided once, before anything is sent: a worker taking a message this sweep sent
        # must not make another queue look busy.
        idle = _idle_queues(client, [translate_queue(lang) for lang in settings.targets] + [PUBLISH_QUEUE])
        for lang in settings.targets:
            if translate_queue(lang) not in idle:
                continue
            for job in store.jobs_in_state([JobState.QUEUED, JobState.TRANSLATING], lang=lang):
                if job.updated_at <= due:
                    send_translation(app, job.article_id, job.revision, job.lang)
                    translations += 1
        if PUBLISH_QUEUE in idle:
            waiting = {j.lang for j in store.jobs_in_state([JobState.TRANSLATED]) if j.updated_at <= due}
            for lang in sorted(waiting):
                send_publish(app, lang, force=True)
                publishes += 1
    finally:
        client.close()
    return Swept(translations, publishes)
