"""Faults under load: 1,000 articles through two workers while, at random bounded intervals, a
worker's pool process, a whole worker, Redis and the feed server are SIGKILLed, each several
times. The harness restarts what an operator's supervisor would (a whole worker, Redis on its
AOF, the server); Celery restarts a pool process itself; a sweeper runs as compose runs one.

Every article must be published exactly once in every language, and the feeds must be whole
after each fault. Each fault's recovery time is measured and reported (artifacts/chaos.json,
README.md), not asserted: the machine is shared.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
from lxml import etree

from benchmarks.worker_memory import children
from syndicate.model import JobState
from syndicate.stack import start_redis, stop
from syndicate.store import JobKey, Store
from tests.conftest import write_varied_articles
from tests.feedcheck import jing_available, validate_atom
from tests.integration.accounting import tally
from tests.integration.conftest import Site, wait_for_log

ARTICLES = int(os.environ.get("SYNDICATE_CHAOS_ARTICLES", "1000"))
ROUNDS = int(os.environ.get("SYNDICATE_CHAOS_ROUNDS", "3"))  # of each fault
SEED = int(os.environ.get("SYNDICATE_CHAOS_SEED", str(int(time.time()))))
ARTIFACTS = Path(__file__).parents[2] / "artifacts"
FAULTS = ("pool", "worker", "redis", "server")


@dataclass
class Cluster:
    """The processes under test, restarted as a supervisor would."""

    site: Site
    redis: subprocess.Popen
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)
    server: subprocess.Popen | None = None
    spawned: int = 0

    def start_worker(self) -> None:
        self.spawned += 1
        name = f"worker-{self.spawned}"
        proc = self.site.spawn(name, "worker", "--concurrency", "1")
        wait_for_log(self.site, name, " ready.", proc, timeout=120)
        self.workers[name] = proc

    def start_server(self) -> None:
        self.server = self.site.spawn("server", "serve", "--port", str(self.site.port))

    def stop_all(self) -> None:
        for proc in self.workers.values():
            stop(proc, grace=60)
        stop(self.server, grace=5)


def published_jobs(store: Store) -> int:
    return sum(n for (_, state), n in store.counts.jobs().items() if state == JobState.PUBLISHED)


def translating(store: Store) -> set[JobKey]:
    return {job.key for job in store.jobs.in_state([JobState.TRANSLATING])}


def server_answers(site: Site) -> bool:
    try:
        with urllib.request.urlopen(site.base + "/feeds/en/atom.xml", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def check_feeds(site: Site) -> None:
    """Every language's documents are whole: parseable XML and JSON, feedparser reads them
    without error, and the Atom feed passes the RFC 4287 grammar where jing is installed."""
    for lang in site.settings.languages:
        root = site.settings.feeds_dir / "feeds" / lang
        if not (root / "atom.xml").is_file():
            continue
        for name in ("atom.xml", "rss.xml"):
            etree.parse(str(root / name))  # raises on a half-written document
            assert not feedparser.parse(str(root / name)).bozo, f"{lang}/{name}"
        json.loads((root / "feed.json").read_text("utf-8"))
        if jing_available():
            validate_atom(root / "atom.xml")


def inject(kind: str, cluster: Cluster, rng: random.Random) -> None:
    """One fault, and what a supervisor does about it."""
    if kind == "pool":
        name = rng.choice(sorted(cluster.workers))
        pool = children(cluster.workers[name].pid)
        if pool:
            os.kill(rng.choice(pool), signal.SIGKILL)  # Celery starts a new pool process
    elif kind == "worker":
        name = rng.choice(sorted(cluster.workers))
        proc = cluster.workers.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)  # main process and pool at once
        proc.wait(10)
        time.sleep(2)
        cluster.start_worker()
    elif kind == "redis":
        os.kill(cluster.redis.pid, signal.SIGKILL)
        cluster.redis.wait(10)
        time.sleep(2)
        cluster.redis = start_redis(cluster.site.settings)  # on its AOF
    elif kind == "server":
        assert cluster.server is not None
        os.kill(cluster.server.pid, signal.SIGKILL)
        cluster.server.wait(10)
        time.sleep(1)
        cluster.start_server()


def recovery_seconds(kind: str, site: Site, store: Store, at: float, before: int, held: set[JobKey]) -> float:
    """How long after the fault the service did again what the fault stopped: the server
    answers; Redis carries work (a job is published); the jobs a killed process was translating
    are done (their worker's lease expired and another worker took them)."""
    deadline = at + 600
    want = store.articles.count() * len(site.settings.languages)
    while time.monotonic() < deadline:
        if kind == "server" and server_answers(site):
            break
        if kind == "redis" and (published_jobs(store) > before or before >= want):
            break
        if kind in ("pool", "worker") and not (held & translating(store)):
            break
        time.sleep(0.2)
    return round(time.monotonic() - at, 1)


def test_faults_under_load(site, tmp_path):
    rng = random.Random(SEED)
    print(f"chaos seed {SEED} (SYNDICATE_CHAOS_SEED={SEED} replays the schedule)")
    paths = write_varied_articles(tmp_path / "articles", ARTICLES)
    cluster = Cluster(site, start_redis(site.settings))
    sweeper = site.spawn("sweeper", "sweep", "--every", "10", "--min-age", "20")
    store = Store(site.settings.database_url)
    faults: list[dict[str, object]] = []
    try:
        cluster.start_worker()
        cluster.start_worker()
        cluster.start_server()
        schedule = [kind for kind in FAULTS for _ in range(ROUNDS)]
        rng.shuffle(schedule)
        # The articles arrive in waves, one before each fault, so every fault meets a load.
        waves = [paths[i :: len(schedule)] for i in range(len(schedule))]
        started = time.monotonic()
        ids: list[str] = []
        want = len(paths) * len(site.settings.languages)
        for kind, wave in zip(schedule, waves, strict=True):
            folder = tmp_path / f"wave-{len(faults)}"
            folder.mkdir()
            for path in wave:
                path.rename(folder / path.name)
            submitted = site.cli("submit", str(folder), timeout=600)
            assert submitted.returncode == 0, submitted.stderr.decode()[-2000:]
            ids += submitted.stdout.decode().split()
            time.sleep(rng.uniform(0.5, 2.5))
            busy_by = time.monotonic() + 10
            while not translating(store) and time.monotonic() < busy_by:
                time.sleep(0.05)  # strike while a model runs
            before, held, at = published_jobs(store), translating(store), time.monotonic()
            inject(kind, cluster, rng)
            seconds = recovery_seconds(kind, site, store, at, before, held)
            check_feeds(site)
            faults.append({"fault": kind, "at_published": before, "recovery_seconds": seconds})
            print(f"{kind:>6} killed with {before}/{want} published; recovered in {seconds} s")

        assert len(ids) == len(set(ids)) == len(paths)
        deadline = time.monotonic() + 1800
        while published_jobs(store) < want and time.monotonic() < deadline:
            time.sleep(2)
        total_s = time.monotonic() - started
        waited = site.cli("wait", *ids, "--timeout", "60", "--quiet", timeout=300)
        assert waited.returncode == 0, waited.stderr.decode()[-2000:]
        check_feeds(site)
    finally:
        store.close()
        stop(sweeper, grace=5)
        cluster.stop_all()
        stop(cluster.redis)

    outcome = tally(site.settings, ids)
    by_kind = {kind: [f["recovery_seconds"] for f in faults if f["fault"] == kind] for kind in FAULTS}
    figures = {
        "articles": ARTICLES,
        "seed": SEED,
        "faults": faults,
        "recovery_seconds_by_fault": by_kind,
        "submit_to_all_published_seconds": round(total_s, 1),
        "submitted": outcome.submitted,
        "published": outcome.published,
        "lost": outcome.lost,
        "duplicated": outcome.duplicated,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "chaos.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))
    assert len(faults) == len(FAULTS) * ROUNDS
    assert outcome.lost == 0 and outcome.duplicated == 0, outcome
