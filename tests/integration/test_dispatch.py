"""Sending work, against a real Redis: publish requests coalesce to one per language."""

from __future__ import annotations

import redis as redis_py

from syndicate.sending import PUBLISH_QUEUE
from syndicate.store import JobKey
from workers.dispatch import PUBLISH_PENDING_KEY, Dispatcher


def test_one_waiting_publish_per_language(site, redis):
    settings = site.settings
    dispatcher = Dispatcher(settings)
    client = redis_py.Redis.from_url(settings.redis_url)
    try:
        for _ in range(5):
            assert dispatcher.send_publish(["ru"])
        assert dispatcher.send_publish(["ja"])
        assert client.llen(PUBLISH_QUEUE) == 2
        # A publish that starts clears its mark: what is committed after that needs another.
        client.delete(PUBLISH_PENDING_KEY.format(lang="ru"))
        assert dispatcher.send_publish(["ru"])
        assert client.llen(PUBLISH_QUEUE) == 3
        # The sweeper sends regardless, in case the mark outlived its message.
        assert dispatcher.send_publish(["ru"], force=True)
        assert client.llen(PUBLISH_QUEUE) == 4
        assert 0 < client.ttl(PUBLISH_PENDING_KEY.format(lang="ru")) <= 600
    finally:
        client.close()


def test_without_redis_nothing_is_sent_and_the_caller_is_told(site):
    dispatcher = Dispatcher(site.settings)
    assert not dispatcher.reachable()
    assert dispatcher.send_translations([JobKey("a", 1, "ru")]) is False
    assert dispatcher.send_submitted([("a", 1)]) is False
