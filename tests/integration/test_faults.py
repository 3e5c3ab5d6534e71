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


def test_pool_process_killed_mid_translation(site, redis, tmp_path):
    """SIGKILL the process translating: the task is requeued at once (reject_on_worker_lost), the
    redelivered task takes its job back (same task id), and the article is published once."""
    site.env["SYNDICATE_TARGETS"] = "ru"
    # A model of the official packages' size, so a translation lasts long enough to be killed.
    slow = demo.build_package("ru", tmp_path, shape=demo.BASE, version="9.0")
    packages.install_file(slow, site.settings.packages_dir)
    worker = site.spawn("worker", "worker", "--loglevel", "INFO")
    store = Store(site.settings.database_url)
    try:
        wait_for_log(site, "worker", " ready.", worker)
        article_id = site.cli("submit", str(ARTICLE)).stdout.decode().strip()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = store.job(article_id, 1, "ru")
            if job.state == JobState.TRANSLATING:
                break
            time.sleep(0.05)
        assert job.state == JobState.TRANSLATING
        (child,) = children(worker.pid)
        os.kill(child, signal.SIGKILL)
        killed_at = time.monotonic()
        waited = site.cli("wait", article_id, "--timeout", "120")
        recovery = time.monotonic() - killed_at
        assert waited.returncode == 0, waited.stderr.decode() + site.log("worker")[-3000:]
        assert "WorkerLostError" in site.log("worker") or "exited with 'signal 9" in site.log("worker")
        with store.engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(t.translations)).scalar_one()
        assert rows == 1
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
    site.env["SYNDICATE_TARGETS"] = "ru"
    site.env["SYNDICATE_BATCH_ARTICLES"] = "1"  # one article per task, so one is left queued
    slow = demo.build_package("ru", tmp_path, shape=demo.BASE, version="9.0")
    packages.install_file(slow, site.settings.packages_dir)
    worker = site.spawn("worker", "worker", "--loglevel", "INFO")
    store = Store(site.settings.database_url)
    try:
        wait_for_log(site, "worker", " ready.", worker)
        first = site.cli("submit", str(ARTICLE)).stdout.decode().strip()
        deadline = time.monotonic() + 60
        while store.job(first, 1, "ru").state != JobState.TRANSLATING and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.job(first, 1, "ru").state == JobState.TRANSLATING
        second = site.cli("submit", str(ARTICLES / "storm-warning-2020.txt")).stdout.decode().strip()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(120) == 0
        assert "Warm shutdown" in site.log("worker")
        assert store.translation(first, 1, "ru") is not None  # the running task finished
        assert store.job(second, 1, "ru").state == JobState.QUEUED  # the queued one was left alone
        worker = site.spawn("worker", "worker")
        assert site.cli("wait", first, second, "--timeout", "120").returncode == 0
        with store.engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(t.translations)).scalar_one()
        assert rows == 2
    finally:
        store.close()
        if worker.poll() is None:
            worker.terminate()
            worker.wait(60)
