"""Faults injected into real processes: nothing lost, nothing duplicated."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.worker_memory import children
from syndicate.model import JobState
from syndicate.store import Store
from syndicate.store import tables as t
from syndicate.translation import demo, packages
from tests.conftest import ARTICLES
from tests.integration.conftest import wait_for_log

ARTICLE = Path(__file__).parents[2] / "benchmarks" / "article.txt"


def start_slow_worker(site, tmp_path):
    """A worker translating into ru with a model of the official packages' size, so that a
    translation lasts long enough to be interrupted."""
    site.env["SYNDICATE_TARGETS"] = "ru"
    slow = demo.build_package("ru", tmp_path, shape=demo.BASE, version="9.0")
    packages.install_file(slow, site.settings.packages_dir)
    worker = site.spawn("worker", "worker", "--loglevel", "INFO")
    wait_for_log(site, "worker", " ready.", worker)
    return worker


def submit_until_translating(site, store: Store) -> str:
    """Submit the long article and return its id once its ru job is being translated."""
    article_id = site.cli("submit", str(ARTICLE)).stdout.decode().strip()
    deadline = time.monotonic() + 60
    while store.job(article_id, 1, "ru").state != JobState.TRANSLATING and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.job(article_id, 1, "ru").state == JobState.TRANSLATING
    return article_id


def translations(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t.translations)).scalar_one()


def test_pool_process_killed_mid_translation(site, redis, tmp_path):
    """SIGKILL the process translating: the task is requeued at once (reject_on_worker_lost), the
    redelivered task takes its job back (same task id), and the article is published once."""
    worker = start_slow_worker(site, tmp_path)
    store = Store(site.settings.database_url)
    try:
        article_id = submit_until_translating(site, store)
        (child,) = children(worker.pid)
        os.kill(child, signal.SIGKILL)
        killed_at = time.monotonic()
        waited = site.cli("wait", article_id, "--timeout", "120")
        recovery = time.monotonic() - killed_at
        assert waited.returncode == 0, waited.stderr.decode() + site.log("worker")[-3000:]
        assert "WorkerLostError" in site.log("worker") or "exited with 'signal 9" in site.log("worker")
        assert translations(store) == 1
        atom = (site.settings.feeds_dir / "feeds" / "ru" / "atom.xml").read_bytes()
        assert atom.count(b"<entry") == 1
        print(f"recovered and published {recovery:.1f} s after the kill")
    finally:
        store.close()
        worker.terminate()
        worker.wait(60)


def test_warm_shutdown_finishes_running_work_and_keeps_the_queue(site, redis, tmp_path):
    """SIGTERM while a translation runs: it finishes and is stored; what was queued stays queued
    and is done by the next worker."""
    site.env["SYNDICATE_BATCH_ARTICLES"] = "1"  # one article per task, so one is left queued
    worker = start_slow_worker(site, tmp_path)
    store = Store(site.settings.database_url)
    try:
        first = submit_until_translating(site, store)
        second = site.cli("submit", str(ARTICLES / "storm-warning-2020.txt")).stdout.decode().strip()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(120) == 0
        assert "Warm shutdown" in site.log("worker")
        assert store.translation(first, 1, "ru") is not None  # the running task finished
        assert store.job(second, 1, "ru").state == JobState.QUEUED  # the queued one was left alone
        worker = site.spawn("worker", "worker")
        assert site.cli("wait", first, second, "--timeout", "120").returncode == 0
        assert translations(store) == 2
    finally:
        store.close()
        if worker.poll() is None:
            worker.terminate()
            worker.wait(60)
