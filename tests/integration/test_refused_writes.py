"""A real redis-server that refuses writes without a full disk, two ways: `min-replicas-to-write 1`
on a server with no replica answers every write (BRPOP, acks, LPUSH, SET) "NOREPLICAS"; a server
made a replica (of a master that is not there) answers "READONLY", as after a failover. A full
disk answers "MISCONF" (test_full_disk.py, which needs root). Both still answer PING."""

from __future__ import annotations

import threading
import time

import pytest
import redis as redispy
from kombu.exceptions import OperationalError

from syndicate.store import JobKey, Store
from tests.conftest import write_articles
from tests.integration.conftest import free_port, wait_for_log
from workers import dispatch

# How each mode refuses, in Redis's words.
REFUSALS = {"noreplicas": "NOREPLICAS", "replica": "read only replica"}


def refuse_writes(settings, mode: str | None) -> None:
    """Make Redis refuse writes in ``mode`` (see REFUSALS), or take them again (None)."""
    client = dispatch.redis_client(settings)
    try:
        if mode == "noreplicas":
            client.config_set("min-replicas-to-write", 1)
        elif mode == "replica":
            client.replicaof("127.0.0.1", free_port())  # nothing listens there: it stays a replica
        else:
            client.config_set("min-replicas-to-write", 0)
            client.replicaof("NO", "ONE")
    finally:
        client.close()


@pytest.mark.parametrize("mode", sorted(REFUSALS))
def test_waiting_for_writes_goes_on_once_redis_takes_them(site, redis, mode):
    client = dispatch.redis_client(site.settings)
    refuse_writes(site.settings, mode)
    try:
        problem = dispatch.redis_problem(site.settings)
        assert problem is not None and problem.startswith("refuses writes: ") and REFUSALS[mode] in problem
        with pytest.raises(redispy.ResponseError, match=REFUSALS[mode]):
            dispatch.publish_started(client, "ru")
        assert not dispatch.wait_for_writes(client, 1.0, "test")
        lifted: list[float] = []

        def lift() -> None:
            time.sleep(2)
            refuse_writes(site.settings, None)
            lifted.append(time.monotonic())

        threading.Thread(target=lift).start()
        assert dispatch.wait_for_writes(client, 60, "test")
        print(f"went on {time.monotonic() - lifted[0]:.2f} s after Redis took writes again")
        assert dispatch.redis_problem(site.settings) is None
    finally:
        refuse_writes(site.settings, None)
        client.close()


def test_a_publish_request_that_cannot_be_sent_leaves_no_pending_mark(site, redis, monkeypatch):
    sender = dispatch.Dispatcher(site.settings)
    client = dispatch.redis_client(site.settings)
    mark = dispatch.PUBLISH_PENDING_KEY.format(lang="ru")

    def refused(*_args, **_kwargs):
        raise OperationalError("MISCONF Errors writing to the AOF file: No space left on device")

    monkeypatch.setattr(sender.app, "send_task", refused)
    assert not sender.send_publish(["ru"])
    assert client.exists(mark) == 0  # else every publish request of ru were swallowed for 10 minutes
    monkeypatch.undo()
    assert sender.send_publish(["ru"])
    assert client.exists(mark) == 1 and client.llen("publish") == 1
    client.close()


@pytest.mark.parametrize("mode", sorted(REFUSALS))
def test_a_worker_survives_redis_refusing_writes_and_resumes(site, redis, tmp_path, mode):
    """Refused BRPOPs made Celery's consumer exit ("Unrecoverable error: ResponseError"); now it
    reconnects with backoff, and takes work again once Redis takes writes."""
    site.env["SYNDICATE_TARGETS"] = "ru"
    (path,) = write_articles(tmp_path / "articles", 1)
    worker = site.spawn("worker", "worker", "--loglevel", "INFO")
    wait_for_log(site, "worker", " ready.", worker)
    store = Store(site.settings.database_url)
    try:
        refuse_writes(site.settings, mode)
        wait_for_log(site, "worker", "consuming again in 1 s", worker)
        wait_for_log(site, "worker", "consuming again in 4 s", worker)  # refused thrice, backing off
        assert worker.poll() is None
        said = site.log("worker")
        assert REFUSALS[mode] in said and "Unrecoverable error" not in said
        assert "Frequent restarts detected" not in said  # restarts are not a busy loop
        refuse_writes(site.settings, None)
        lifted = time.monotonic()
        article_id = site.cli("submit", str(path)).stdout.decode().strip()
        waited = site.cli("wait", article_id, "--timeout", "120")
        assert waited.returncode == 0, waited.stderr.decode() + site.log("worker")[-3000:]
        assert store.jobs.get(JobKey(article_id, 1, "ru")).state == "published"
        print(f"published {time.monotonic() - lifted:.1f} s after Redis took writes again")
        assert worker.poll() is None
    finally:
        refuse_writes(site.settings, None)
        store.close()
        worker.terminate()
        worker.wait(60)
