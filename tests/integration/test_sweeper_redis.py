"""The sweeper's idle check on a real Redis, with unacked entries that kombu itself wrote."""

from __future__ import annotations

from datetime import timedelta

from kombu import Connection

from syndicate import config
from syndicate.store import JobKey, Store
from tests.conftest import write_articles
from workers import sweeper
from workers.dispatch import redis_client

VISIBILITY_S = 660


def test_a_dead_workers_unacked_message_does_not_make_its_queue_busy(site, redis, tmp_path):
    """A message taken and never acked stays in kombu's "unacked" hash. While it is younger than
    the visibility timeout its queue is busy; older, its worker is dead (kombu hands it out
    again itself), and the sweeper sends what the database says is due."""
    site.env["SYNDICATE_TARGETS"] = "ru"
    (path,) = write_articles(tmp_path / "articles", 1)
    article_id = site.cli("submit", str(path)).stdout.decode().strip()
    client = redis_client(site.settings)
    store = Store(site.settings.database_url)
    url = config.celery_broker_url(site.settings.redis_url)
    with Connection(url, transport_options={"visibility_timeout": VISIBILITY_S}) as conn:
        queue = conn.SimpleQueue("translate.ru")
        # The submit's message, taken as a worker takes it and never acked: kombu writes it to
        # the "unacked" hash and its delivery time to "unacked_index".
        taken = queue.get(timeout=5)
        assert taken.payload is not None and client.llen("translate.ru") == 0
        (tag, delivered) = client.zrange("unacked_index", 0, -1, withscores=True)[0]
        names = ["translate.ru", "publish"]
        assert "translate.ru" not in sweeper._idle_queues(client, names, VISIBILITY_S)
        assert sweeper.sweep(site.settings, store, min_age=timedelta(0)).translations == 0

        client.zadd("unacked_index", {tag: delivered - VISIBILITY_S - 1})  # as if taken 11 minutes ago
        assert "translate.ru" in sweeper._idle_queues(client, names, VISIBILITY_S)
        swept = sweeper.sweep(site.settings, store, min_age=timedelta(0))
        assert swept.translations == 1 and client.llen("translate.ru") == 1
        assert store.jobs.get(JobKey(article_id, 1, "ru")).state == "queued"
        queue.close()
    store.close()
    client.close()
