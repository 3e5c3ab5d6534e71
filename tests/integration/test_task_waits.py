"""The tasks' own waits, run in this process against a real Redis that refuses writes
(NOREPLICAS, see test_refused_writes.py), a real store and the demo ru model: a translation
whose publish request is refused sends it once Redis takes writes; a publish that cannot clear
its pending mark waits to clear it (left set, the mark swallowed every publish request of its
language for 10 minutes)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from types import ModuleType

import pytest

from syndicate.sending import PUBLISH_QUEUE
from tests.conftest import write_articles
from tests.integration.test_refused_writes import refuse_writes
from workers import dispatch

MARK = dispatch.PUBLISH_PENDING_KEY.format(lang="ru")


@pytest.fixture
def tasks(site, redis, monkeypatch) -> Iterator[ModuleType]:
    """workers.tasks with an app, a store and clients for this site."""
    from workers import tasks as module
    from workers.app import create_app

    site.env["SYNDICATE_TARGETS"] = "ru"
    monkeypatch.setattr(module, "app", create_app(site.settings))
    for name in ("_store", "_engine", "_redis"):
        monkeypatch.setattr(module, name, None)
    yield module
    if module._store is not None:
        module._store.close()
    refuse_writes(site.settings, None)


def lift_later(site, after_s: float = 2.0) -> list[float]:
    """Let Redis take writes again ``after_s`` seconds from now; the list gets the time it did."""
    lifted: list[float] = []

    def lift() -> None:
        time.sleep(after_s)
        refuse_writes(site.settings, None)
        lifted.append(time.monotonic())

    threading.Thread(target=lift, daemon=True).start()
    return lifted


def test_a_publish_clears_its_pending_mark_once_redis_takes_writes(site, tasks):
    client = dispatch.redis_client(site.settings)
    client.set(MARK, "1", ex=dispatch.PUBLISH_PENDING_TTL_S)
    refuse_writes(site.settings, "noreplicas")
    lifted = lift_later(site)
    assert tasks._clear_pending("ru", time.monotonic())
    print(f"cleared {time.monotonic() - lifted[0]:.2f} s after Redis took writes again")
    assert client.exists(MARK) == 0
    client.close()


def test_a_publish_that_cannot_clear_its_mark_in_time_says_so(site, tasks):
    client = dispatch.redis_client(site.settings)
    client.set(MARK, "1", ex=dispatch.PUBLISH_PENDING_TTL_S)
    refuse_writes(site.settings, "noreplicas")
    # As if the task had run until 1 s before its wait must end.
    started = time.monotonic() - site.settings.soft_time_limit + tasks.BROKER_WAIT_MARGIN_S + 1
    assert not tasks._clear_pending("ru", started)  # the task raises TryAgain on this
    refuse_writes(site.settings, None)
    assert client.exists(MARK) == 1
    client.close()


def test_a_translation_sends_its_publish_request_once_redis_takes_writes(site, tasks, tmp_path):
    (path,) = write_articles(tmp_path / "articles", 1)
    article_id = site.cli("submit", str(path)).stdout.decode().strip()
    client = dispatch.redis_client(site.settings)
    client.delete(PUBLISH_QUEUE, "translate.ru", MARK)  # the submit's messages: run by hand here
    refuse_writes(site.settings, "noreplicas")
    lifted = lift_later(site)
    summary = tasks.translate(article_id, 1, "ru")
    assert summary.startswith("translated articles=1"), summary
    print(f"publish request sent {time.monotonic() - lifted[0]:.2f} s after Redis took writes again")
    (message,) = client.lrange(PUBLISH_QUEUE, 0, -1)
    assert json.loads(message)["headers"]["argsrepr"] == "['ru']"
    assert client.exists(MARK) == 1
    client.close()
