"""Load: 1,000 articles through two worker processes, every language published exactly once.

Reports throughput and worker memory at the start and the end; the figures of a run go to
artifacts/soak.json (README.md quotes one). Nothing here is timed against a limit: the
machine is shared, so the figures are reported, not asserted.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from benchmarks.worker_memory import children, rss_kib
from syndicate.model import JobState
from syndicate.stack import stop
from syndicate.store import Store
from tests.conftest import write_varied_articles
from tests.integration.accounting import tally
from tests.integration.conftest import wait_for_log

ARTICLES = int(os.environ.get("SYNDICATE_SOAK_ARTICLES", "1000"))
ARTIFACTS = Path(__file__).parents[2] / "artifacts"


def worker_rss_mib(pid: int) -> dict[str, float]:
    """A worker's memory: its main process (consumes, dispatches) and its pool process (runs the
    models and publishes)."""
    return {
        "main": round(rss_kib(pid) / 1024, 1),
        "pool": round(sum(rss_kib(p) for p in children(pid)) / 1024, 1),
    }


def test_a_thousand_articles_through_two_workers(site, redis, tmp_path):
    paths = write_varied_articles(tmp_path / "articles", ARTICLES)
    workers = []
    try:
        for name in ("worker-1", "worker-2"):
            workers.append(site.spawn(name, "worker", "--concurrency", "1"))
        for name, proc in zip(("worker-1", "worker-2"), workers, strict=True):
            wait_for_log(site, name, " ready.", proc, timeout=90)
        rss_start = [worker_rss_mib(w.pid) for w in workers]

        started = time.monotonic()
        submitted = site.cli("submit", str(tmp_path / "articles"), timeout=1200)
        submit_s = time.monotonic() - started
        assert submitted.returncode == 0, submitted.stderr.decode()[-2000:]
        ids = submitted.stdout.decode().split()
        assert len(ids) == len(set(ids)) == len(paths)

        # Sample the workers' memory as the work goes, to tell caches warming up (growth that
        # levels off) from a leak (growth in step with the articles).
        store = Store(site.settings.database_url)
        want = len(ids) * len(site.settings.languages)
        curve, deadline = [], time.monotonic() + 1800
        while time.monotonic() < deadline and all(w.poll() is None for w in workers):
            done = sum(n for (_, state), n in store.counts.jobs().items() if state == JobState.PUBLISHED)
            pools = [worker_rss_mib(w.pid)["pool"] for w in workers]
            curve.append([done // len(site.settings.languages), *pools])
            if done >= want:
                break
            time.sleep(5)
        store.close()
        total_s = time.monotonic() - started
        waited = site.cli("wait", *ids, "--timeout", "60", "--quiet", timeout=120)
        assert waited.returncode == 0, waited.stderr.decode()[-2000:]
        rss_end = [worker_rss_mib(w.pid) for w in workers]
        alive = [w.poll() is None for w in workers]
    finally:
        for w in workers:
            stop(w, grace=60)

    outcome = tally(site.settings, ids)
    languages = len(site.settings.languages)
    figures = {
        "articles": ARTICLES,
        "languages": languages,
        "worker_processes": 2,
        "submit_seconds": round(submit_s, 1),
        "submit_to_all_published_seconds": round(total_s, 1),
        "articles_per_second": round(ARTICLES / total_s, 2),
        "translations_per_second": round(ARTICLES * (languages - 1) / total_s, 2),
        "worker_rss_mib_start": rss_start,
        "worker_rss_mib_end": rss_end,
        "pool_rss_mib_by_articles_published": curve,
        "submitted": outcome.submitted,
        "published": outcome.published,
        "lost": outcome.lost,
        "duplicated": outcome.duplicated,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "soak.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))
    assert all(alive), "a worker died during the soak"
    assert outcome.lost == 0 and outcome.duplicated == 0, outcome
