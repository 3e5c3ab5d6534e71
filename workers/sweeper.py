"""The sweeper: the database is the source of truth, so work it says is due but that Redis no
longer carries (Redis was down at submit time, lost its data, or a message was dropped) is sent
again.

Each sweep: jobs whose lease expired are re-sent at once, whatever the depth of their queue;
jobs waiting for a model whose model is installed now are queued and sent; then, since sending
again is safe (tasks are idempotent) but a queue with a backlog must not be flooded, a
language's queued jobs are only re-sent when its queue is empty and no live worker holds an
unacked message (one held longer than the visibility timeout is a dead worker's), and only jobs
that have waited longer than ``min_age``. Translations that waited in review longer than
SYNDICATE_REVIEW_GRACE are published without review (``lifecycle.publish_unreviewed``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

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
    unreviewed: int = 0  # translations published without review: their grace period ran out


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


def held_queues(
    unacked: Mapping[bytes | str, bytes | str], delivered_at: Mapping[bytes | str, float], stale_before: float
) -> set[str]:
    """The queues (routing keys) of the messages live workers hold unacknowledged.

    ``unacked``: kombu's "unacked" hash, delivery tag -> [message, exchange, routing_key] as
    JSON. ``delivered_at``: its "unacked_index" zset, delivery tag -> Unix time of delivery.
    ``stale_before``: a Unix time; an entry delivered before it is older than the visibility
    timeout, so its worker died (a live one acks, or is killed by the time limit, well within
    it) and kombu hands it out again itself: it does not make its queue busy. An entry with no
    time counts as held; one that cannot be read makes every queue busy ("?" in the result).
    """
    live = [raw for tag, raw in unacked.items() if delivered_at.get(tag, stale_before) >= stale_before]
    return routing_keys(live)


def _idle_queues(client: redis.Redis, names: list[str], visibility_timeout: float) -> set[str]:
    """Queues with no message waiting and none that a live worker holds unacknowledged.

    kombu keeps each unacked message in the "unacked" hash and its delivery time in the
    "unacked_index" zset (see held_queues); every queue here is declared with its own name as
    routing key. At most prefetch x workers live entries exist (and the dead ones kombu has not
    restored yet), so reading them all is cheap.
    """
    unacked = client.hgetall("unacked")
    scored = client.zrange("unacked_index", 0, -1, withscores=True) if unacked else []
    delivered_at = dict(cast(list[tuple[bytes | str, float]], scored))
    held = held_queues(unacked, delivered_at, time.time() - visibility_timeout)
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
        idle = _idle_queues(client, queues(settings.targets), settings.effective_visibility_timeout)
        expired = lifecycle.reap_expired(store, dispatcher).requeued
        resumed = lifecycle.resume_waiting(store, installed_targets(settings), dispatcher)
        grace = settings.review_grace
        unreviewed = lifecycle.publish_unreviewed(store, grace, dispatcher) if grace else []
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
    return Swept(
        len(again) + len(expired) + len(resumed), len(waiting), len(expired), len(resumed), len(unreviewed)
    )
