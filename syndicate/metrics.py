"""Prometheus metrics for a service whose work happens in many processes on many machines.

Workers add what they did (translation and publish times, sentences, memory hits) to one Redis
hash, which every worker already reaches; the HTTP server reads that hash, the job table and the
queue lengths when Prometheus scrapes ``/metrics``. The server keeps no state of its own, and
losing Redis resets the counters, which Prometheus reads as a counter reset.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import redis
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from redis.client import Pipeline

from syndicate.config import Settings
from syndicate.model import JobState
from syndicate.sending import queues

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only when the first scrape opens it
    from syndicate.store import Store

log = logging.getLogger(__name__)
KEY = "syndicate:metrics"
TRANSLATE_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
PUBLISH_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
HISTOGRAMS = {"translate_seconds": TRANSLATE_BUCKETS, "publish_seconds": PUBLISH_BUCKETS}
COUNTERS = {
    "sentences": "Sentences translated (from the model or the translation memory)",
    "memory_hits": "Sentences taken from the translation memory instead of the model",
}


def _observe(pipe: Pipeline, name: str, lang: str, seconds: float) -> None:
    buckets = HISTOGRAMS[name]
    # Stored per bucket (not cumulative); the collector sums them into Prometheus's form.
    index = bisect.bisect_left(buckets, seconds)
    bound = str(buckets[index]) if index < len(buckets) else "+Inf"
    pipe.hincrby(KEY, f"{name}|{lang}|{bound}", 1)
    pipe.hincrbyfloat(KEY, f"{name}_sum|{lang}", seconds)


def _send(client: redis.Redis, fill: Callable[[Pipeline], object]) -> None:
    """Metrics never fail the work they describe: a Redis error is logged and dropped."""
    try:
        pipe = client.pipeline(transaction=False)
        fill(pipe)
        pipe.execute()
    except redis.RedisError as exc:
        log.warning("metrics not recorded: %s", exc)


def record_translation(
    client: redis.Redis, lang: str, seconds: float, sentences: int, memory_hits: int
) -> None:
    """Add one translate task of ``lang``: its duration in seconds, the sentences it translated
    and how many of them came from the translation memory. A Redis error is logged, not raised."""

    def fill(pipe: Pipeline) -> None:
        _observe(pipe, "translate_seconds", lang, seconds)
        pipe.hincrby(KEY, f"sentences|{lang}", sentences)
        pipe.hincrby(KEY, f"memory_hits|{lang}", memory_hits)

    _send(client, fill)


def record_publish(client: redis.Redis, lang: str, seconds: float) -> None:
    """Add one publish of ``lang`` that took ``seconds``. A Redis error is logged, not raised."""
    _send(client, lambda pipe: _observe(pipe, "publish_seconds", lang, seconds))


PUBLISH_FAILURES_KEY = "syndicate:publish-failures"


def record_publish_failure(client: redis.Redis, lang: str, reason: str) -> None:
    """The last reason ``lang`` could not be published, until a publish of it succeeds: shown by
    `syndicate status` and as syndicate_publish_failing, not only in a worker's log."""
    _send(client, lambda pipe: pipe.hset(PUBLISH_FAILURES_KEY, lang, reason))


def clear_publish_failure(client: redis.Redis, lang: str) -> None:
    """Forget ``lang``'s last publish failure (a publish succeeded). A Redis error is logged, not raised."""
    _send(client, lambda pipe: pipe.hdel(PUBLISH_FAILURES_KEY, lang))


def _text(value: bytes | str) -> str:
    """A Redis reply as text: our clients do not decode responses, so it is UTF-8 bytes."""
    return value.decode() if isinstance(value, bytes) else value


def publish_failures(client: redis.Redis) -> dict[str, str]:
    """Language -> the last reason it could not be published, for every language failing now.

    Raises redis.RedisError when Redis cannot be reached.
    """
    return {_text(k): _text(v) for k, v in client.hgetall(PUBLISH_FAILURES_KEY).items()}


def histogram(name: str, doc: str, raw: dict[str, str]) -> HistogramMetricFamily:
    """Cumulative Prometheus buckets per language from the per-bucket counts in ``raw``."""
    bounds = [*map(str, HISTOGRAMS[name]), "+Inf"]
    counts: dict[str, dict[str, float]] = defaultdict(dict)
    sums: dict[str, float] = {}
    for field, value in raw.items():
        parts = field.split("|")
        if parts[0] == name and len(parts) == 3:
            counts[parts[1]][parts[2]] = float(value)
        elif parts[0] == f"{name}_sum" and len(parts) == 2:
            sums[parts[1]] = float(value)
    family = HistogramMetricFamily(f"syndicate_{name}", doc, labels=["lang"])
    for lang in sorted(counts):
        running, buckets = 0.0, []
        for bound in bounds:
            running += counts[lang].get(bound, 0.0)
            buckets.append((bound, running))
        family.add_metric([lang], buckets, sums.get(lang, 0.0))
    return family


class ServiceCollector(Collector):
    """Everything /metrics shows, read fresh at each scrape."""

    def __init__(self, settings: Settings, open_store: Callable[[], Store]) -> None:
        self.settings = settings
        self._open_store = open_store
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> Store:
        """The store, opened by ``open_store`` at the first use (whatever that raises)."""
        # Opened at the first scrape: serving feeds must not need (or create) the database.
        with self._lock:
            if self._store is None:
                self._store = self._open_store()
        return self._store

    def collect(self) -> Iterator[Metric]:
        """Every family /metrics shows. Redis being down gives syndicate_redis_up 0 and no queue
        depths or worker figures; a database that cannot be read raises (the scrape fails)."""
        jobs = GaugeMetricFamily(
            "syndicate_jobs", "Language versions of articles by state", labels=["lang", "state"]
        )
        counted = self.store.counts.jobs()
        # Every state of every language, 0 included, so a series (review, held) does not vanish
        # when its last job leaves it and alerts on it keep a value.
        every = {(lang, str(state)): 0 for lang in self.settings.languages for state in JobState}
        for (lang, state), n in sorted({**every, **counted}.items()):
            jobs.add_metric([lang, state], n)
        yield jobs
        articles = GaugeMetricFamily("syndicate_articles", "Articles stored, by state", labels=["state"])
        for state, n in sorted(self.store.counts.articles().items()):
            articles.add_metric([state], n)
        yield articles

        up = GaugeMetricFamily("syndicate_redis_up", "1 if Redis answered this scrape")
        depth = GaugeMetricFamily("syndicate_queue_depth", "Tasks waiting in each queue", labels=["queue"])
        raw: dict[str, str] = {}
        failing: dict[str, str] = {}
        client = redis.Redis.from_url(self.settings.redis_url, socket_connect_timeout=1, socket_timeout=2)
        try:
            names = queues(self.settings.targets)
            lengths = [client.llen(q) for q in names]
            raw = {_text(k): _text(v) for k, v in client.hgetall(KEY).items()}
            failing = publish_failures(client)
            up.add_metric([], 1)
            for queue, n in zip(names, lengths, strict=True):
                depth.add_metric([queue], n)
        except redis.RedisError:
            up.add_metric([], 0)
        finally:
            client.close()
        yield up
        yield depth
        publish_failing = GaugeMetricFamily(
            "syndicate_publish_failing", "1 while a language's last publish failed", labels=["lang"]
        )
        for lang in self.settings.languages:
            publish_failing.add_metric([lang], 1 if lang in failing else 0)
        yield publish_failing
        yield histogram("translate_seconds", "Time a worker spent on one translate task", raw)
        yield histogram("publish_seconds", "Time to render and write one language's feeds", raw)
        for name, doc in COUNTERS.items():
            family = CounterMetricFamily(f"syndicate_{name}", doc, labels=["lang"])
            for field, value in sorted(raw.items()):
                kind, _, lang = field.partition("|")
                if kind == name:
                    family.add_metric([lang], float(value))
            yield family
