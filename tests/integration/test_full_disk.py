"""A full disk under the data directory is an outage, not a crash.

The data directory (database, Redis's AOF, feeds) is put on a small tmpfs, filled while a worker
translates; Redis then refuses every write ("MISCONF Errors writing to the AOF file"). The worker
must stay up, `doctor` must say why, and once the filler is deleted everything is published
with no other command. Needs root to mount (CI runs as root); skipped, saying so, otherwise.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis as redispy
from sqlalchemy import func, select

from syndicate.model import JobState
from syndicate.stack import start_redis, stop
from syndicate.store import JobKey, Store
from syndicate.store import tables as t
from syndicate.translation import demo, packages
from tests.conftest import ARTICLES
from tests.integration.accounting import report
from tests.integration.conftest import Site, wait_for_log
from workers.dispatch import redis_client

LONG_ARTICLE = Path(__file__).parents[2] / "benchmarks" / "article.txt"
DISK_SIZE = "32m"  # database, AOF and feeds of two articles fit many times over


@dataclass
class DiskSite(Site):
    """A site whose data directory is the small disk; logs stay off it (a full disk would eat them)."""

    log_dir: Path = Path()

    def spawn(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.test.log", "ab")  # noqa: SIM115  (closed with the process)
        return subprocess.Popen(
            [sys.executable, "-m", "syndicate", *args], env=env or self.env, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.test.log"
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture
def small_disk() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="syn-disk-", dir="/tmp"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        path.rmdir()
        reason = mounted.stderr.decode().strip() or f"mount exited {mounted.returncode}"
        pytest.skip(f"cannot mount a tmpfs ({reason}); the test needs root, as CI runs it")
    try:
        yield path
    finally:
        if subprocess.run(["umount", str(path)]).returncode != 0:
            subprocess.run(["umount", "--lazy", str(path)])
        path.rmdir()


@pytest.fixture
def disk_site(site, small_disk, tmp_path) -> DiskSite:
    """The ru demo package of the official packages' size (a translation lasts long enough to
    fill the disk under it), installed off the small disk and linked into it."""
    slow = demo.build_package("ru", tmp_path, shape=demo.BASE, version="9.0")
    packages.install_file(slow, site.settings.packages_dir)
    (small_disk / "argos-packages").symlink_to(site.settings.packages_dir)
    env = dict(site.env, SYNDICATE_DATA_DIR=str(small_disk), SYNDICATE_TARGETS="ru")
    env["SYNDICATE_BATCH_ARTICLES"] = "1"  # the second article waits in Redis's queue
    return DiskSite(small_disk, env, site.port, log_dir=site.data_dir)


def fill(disk: Path) -> Path:
    """Take every free byte of ``disk`` with one file; returns it."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        info = os.statvfs(disk)
        os.posix_fallocate(fd, 0, info.f_bavail * info.f_frsize)
        while True:  # whatever fallocate left: a page at a time
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC, exc
    finally:
        os.close(fd)
    return filler


def until_redis_refuses(site: Site) -> str:
    """Write to Redis until it notices its AOF cannot be written; returns its refusal."""
    client = redis_client(site.settings)
    try:
        for _ in range(200):
            try:
                client.set("test:filler", "x" * 8192)
            except redispy.ResponseError as exc:
                return str(exc)
            time.sleep(0.05)
    finally:
        client.close()
    raise AssertionError("Redis never refused a write on the full disk")


def test_a_full_disk_is_an_outage_the_worker_waits_out(disk_site):
    site = disk_site
    redis = start_redis(site.settings)
    worker = site.spawn("worker", "worker", "--loglevel", "INFO")
    store = Store(site.settings.database_url)
    filler = None
    try:
        wait_for_log(site, "worker", " ready.", worker)
        first = site.cli("submit", str(LONG_ARTICLE)).stdout.decode().strip()
        second = site.cli("submit", str(ARTICLES / "storm-warning-2020.txt")).stdout.decode().strip()
        deadline = time.monotonic() + 120
        while store.jobs.get(JobKey(first, 1, "ru")).state != JobState.TRANSLATING:
            assert time.monotonic() < deadline, "the first article was never taken"
            time.sleep(0.02)
        filler = fill(site.data_dir)
        refusal = until_redis_refuses(site)
        assert "MISCONF" in refusal, refusal
        # The translation ends on the full disk (its text, its publish request or its retry
        # cannot be written): the task waits for Redis; the consumer meets refusals and restarts.
        wait_for_log(site, "worker", "Redis refuses writes", worker, timeout=120)
        wait_for_log(site, "worker", "Connection to broker lost", worker, timeout=120)
        doctor = site.cli("doctor").stdout.decode().splitlines()
        print("\n".join(doctor))
        disk = next(line for line in doctor if line.startswith("FAIL disk") and str(site.data_dir) in line)
        assert "0 B free of 32.0 MiB" in disk and "under 100.0 MiB free" in disk
        redis_line = next(line for line in doctor if line.startswith("FAIL redis"))
        assert "refuses writes" in redis_line and "MISCONF" in redis_line
        assert any(line.startswith("FAIL feeds") and "No space left" in line for line in doctor)
        assert worker.poll() is None, site.log("worker")[-3000:]
        states = [store.jobs.get(JobKey(a, 1, "ru")).state for a in (first, second)]
        assert JobState.PUBLISHED not in states, states  # the disk filled before either was published

        filler.unlink()
        freed = time.monotonic()
        waited = site.cli("wait", first, second, "--timeout", "300")
        delay = time.monotonic() - freed
        assert waited.returncode == 0, waited.stderr.decode() + site.log("worker")[-4000:]
        assert worker.poll() is None
        said = site.log("worker")
        assert "Unrecoverable error" not in said
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.translations)).scalar_one() == 2
        report(site, [first, second])
        resumed = [line for line in said.splitlines() if "takes writes again" in line]
        print(f"both published {delay:.1f} s after the filler was deleted; {resumed[-1:]}")
    finally:
        store.close()
        if filler is not None:
            filler.unlink(missing_ok=True)
        stop(worker, grace=60)
        stop(redis)
