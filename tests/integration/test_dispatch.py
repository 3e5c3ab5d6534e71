"""Sending work, against a real Redis: publish requests coalesce to one per language."""

from __future__ import annotations

import redis as redis_py

from workers.app import PUBLISH_QUEUE, create_app
from workers.dispatch import PUBLISH_PENDING_KEY, send_publish


def test_one_waiting_publish_per_language(site, redis):
    settings = site.settings
    app = create_app(settings)
    client = redis_py.Redis.from_url(settings.redis_url)
    try:
        sent = [send_publish(app, "ru") for _ in range(5)] + [send_publish(app, "ja")]
        assert sent == [True, False, False, False, False, True]
        assert client.llen(PUBLISH_QUEUE) == 2
        # A publish that starts clears its mark: what is committed after that needs another.
        client.delete(PUBLISH_PENDING_KEY.format(lang="ru"))
        assert send_publish(app, "ru") is True
        assert client.llen(PUBLISH_QUEUE) == 3
        # The sweeper sends regardless, in case the mark outlived its message.
        assert send_publish(app, "ru", force=True) is True
        assert client.llen(PUBLISH_QUEUE) == 4
        assert 0 < client.ttl(PUBLISH_PENDING_KEY.format(lang="ru")) <= 600
    finally:
        client.close()
