"""The sweeper: the database is the source of truth, so work it says is due but that Redis no
longer carries (Redis was down at submit time, lost its data, or a message was dropped) is sent
again.

Each sweep: jobs whose lease expired are re-sent at once, whatever the depth of their queue;
jobs waiting for a model whose model is installed now are queued and sent; then, since sending
again is safe (tasks are idempotent) but a queue with a backlog must not be flooded, a
language's queued jobs are only re-sent when its queue is empty and no worker holds an unacked
message, and only jobs that have waited longer than ``min_age``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import redis

from syndicate import lifecycle
from syndicate.config import Settings
from syndicate.model import JobState
from syndicate.sending import PUBLISH_QUEUE, queues, translate_queue
from syndicate.store import Store, now
from syndicate.translation import packages
from workers.dispatch import Dispatcher, redis_client


@dataclass(frozen=True)
class Swept:
    """What a sweep sent: translations (lease expiries and resumed jobs included) and publishes."""

    translations: int
    publishes: int
    expired: int = 0
    resumed: int = 0


def routing_keys(unacked: list[bytes | str]) -> set[str]:
    """The routing keys (queue names here) of kombu's unacked entries (JSON, as bytes or text);
    "?" for one unreadable."""
    held = set()
    for raw in unacked:
        try:
            held.add(json.loads(raw)[2])
        except (ValueError, IndexError, TypeError):
            held.add("?")  # unknown shape: treat every queue as busy rather than flood one
    return held


def _idle_queues(client: redis.Redis, names: list[str]) -> set[str]:
    """Queues with no message waiting and none that a worker holds unacknowledged.

    kombu keeps each unacked message in the "unacked" hash as [message, exchange, routing_key];
    every queue here is declared with its own name as routing key. At most prefetch x workers
    entries exist, so reading them all is cheap.
    """
    held = routing_keys(client.hvals("unacked"))
    if "?" in held:
        return set()
    return {q for q in names if q not in held and client.llen(q) == 0}


def installed_targets(settings: Settings) -> list[str]:
    """Target languages that have an installed model now."""
    return [
        lang
        for lang in settings.targets
        if packages.find(settings.packages_dir, settings.source_lang, lang) is not None
    ]


def sweep(settings: Settings, store: Store, min_age: timedelta = timedelta(minutes=2)) -> Swept:
    """One sweep (see the module docstring). Raises redis.RedisError when Redis cannot be
    reached and a database error when the store cannot be read; nothing is sent then."""
    client = redis_client(settings)
    dispatcher = Dispatcher(settings)
    due = now() - min_age
    try:
        # Decided once, before anything is sent: a worker taking a message this sweep sent
        # must not make another queue look busy.
        idle = _idle_queues(client, queues(settings.targets))
        expired = lifecycle.reap_expired(store, dispatcher).requeued
        resumed = lifecycle.resume_waiting(store, installed_targets(settings), dispatcher)
        again = [
            job.key
            for lang in settings.targets
            if translate_queue(lang) in idle
            for job in store.jobs.in_state([JobState.QUEUED], lang=lang)
            if job.updated_at <= due and job.key not in resumed
        ]
        dispatcher.send_translations(again)
        waiting: list[str] = []
        if PUBLISH_QUEUE in idle:
            waiting = sorted(
                {j.lang for j in store.jobs.in_state([JobState.TRANSLATED]) if j.updated_at <= due}
            )
            dispatcher.send_publish(waiting, force=True)
    finally:
        client.close()
    return Swept(len(again) + len(expired) + len(resumed), len(waiting), len(expired), len(resumed))
