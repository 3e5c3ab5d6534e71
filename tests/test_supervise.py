"""The restart policy of `syndicate up`, as pure functions and on fake processes and a fake clock;
the parent-death signal and the /proc lookup on real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from syndicate.supervise import (
    CrashLoop,
    RestartPolicy,
    Supervisor,
    crash_loop,
    die_with_parent,
    exit_reason,
    minutes,
    pid_alive,
    processes_in,
    recent,
    restart_delay,
)

DEFAULT = RestartPolicy()


def test_backoff_doubles_from_half_a_second_up_to_ten():
    assert [restart_delay(n, DEFAULT) for n in range(8)] == [0.5, 1, 2, 4, 8, 10, 10, 10]
    assert restart_delay(0, RestartPolicy(first_delay_s=0.1, max_delay_s=0.3)) == 0.1
    assert restart_delay(5, RestartPolicy(first_delay_s=0.1, max_delay_s=0.3)) == 0.3


def test_a_crash_loop_is_more_than_five_restarts():
    assert [crash_loop(n, DEFAULT) for n in range(8)] == [False] * 6 + [True] * 2
    assert crash_loop(2, RestartPolicy(limit=1))


def test_only_restarts_within_the_window_count():
    assert recent([0.0, 100.0, 250.0, 299.0], now=400.0, window_s=300.0) == [250.0, 299.0]
    assert recent([100.0], now=400.0, window_s=300.0) == []  # exactly 5 min ago: out
    assert recent([], now=1.0, window_s=300.0) == []


def test_exit_reasons_and_windows_read_as_words():
    assert exit_reason(-9) == "killed by SIGKILL"
    assert exit_reason(1) == "exited with status 1"
    assert exit_reason(0) == "exited with status 0"
    assert minutes(300) == "5 min" and minutes(30) == "30 s"


class FakeProc:
    """A child that is alive until ``die(code)``."""

    pids = iter(range(1000, 2000))

    def __init__(self) -> None:
        self.pid = next(self.pids)
        self.code: int | None = None

    def poll(self) -> int | None:
        return self.code

    def die(self, code: int = -9) -> None:
        self.code = code


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def supervised(policy: RestartPolicy = DEFAULT) -> tuple[Supervisor, Clock, list[FakeProc]]:
    clock = Clock()
    started: list[FakeProc] = []

    def start() -> FakeProc:
        started.append(FakeProc())
        return started[-1]

    sup = Supervisor(policy, clock=clock)
    sup.add("worker", start, start(), Path("/logs/worker.log"))
    return sup, clock, started


def test_a_dead_child_is_restarted_after_its_delay_and_said_so():
    sup, clock, started = supervised()
    assert sup.check() == []
    started[0].die(-9)
    assert sup.check() == [("worker", "worker killed by SIGKILL; restarting it in 0.5 s")]
    clock.now = 0.4
    assert sup.check() == [] and len(started) == 1  # not before its delay
    clock.now = 0.5
    assert sup.check() == [
        ("worker", f"worker restarted (pid {started[1].pid}; 1 restart in the last 5 min)")
    ]
    assert len(started) == 2 and sup.children["worker"].proc is started[1]
    started[1].die(1)
    assert sup.check() == [("worker", "worker exited with status 1; restarting it in 1 s")]


def test_six_restarts_in_five_minutes_then_a_seventh_death_gives_up_in_one_line():
    sup, clock, started = supervised()
    delays, said = [], []
    for _ in range(6):
        started[-1].die(1)
        sup.check()
        delays.append(sup.children["worker"].restart_at - clock.now)
        clock.now = sup.children["worker"].restart_at
        said += sup.check()
    assert delays == [0.5, 1, 2, 4, 8, 10] and len(started) == 7
    assert said[-1] == ("worker", f"worker restarted (pid {started[-1].pid}; 6 restarts in the last 5 min)")
    started[-1].die(1)
    with pytest.raises(CrashLoop) as raised:
        sup.check()
    line = str(raised.value)
    assert "\n" not in line
    assert line == (
        "giving up: worker exited with status 1 after 6 restarts in 5 min (crash loop); see /logs/worker.log"
    )
    assert len(started) == 7  # not restarted again


def test_a_child_that_dies_less_often_than_the_window_is_restarted_for_ever_at_the_first_delay():
    sup, clock, started = supervised()
    for _ in range(20):
        started[-1].die(-15)
        sup.check()
        assert sup.children["worker"].restart_at == clock.now + 0.5
        clock.now += 0.5
        sup.check()
        clock.now += 301  # runs for five minutes before dying again
    assert len(started) == 21


def test_a_start_that_raises_counts_as_a_death():
    clock = Clock()
    first = FakeProc()
    attempts = []

    def start() -> FakeProc:
        attempts.append(clock.now)
        raise OSError("port 8080 in use")

    sup = Supervisor(RestartPolicy(limit=2), clock=clock)
    sup.add("server", start, first)
    first.die(1)
    said = [line for _, line in sup.check()]
    with pytest.raises(CrashLoop) as raised:
        for _ in range(10):
            clock.now += 10
            said += [line for _, line in sup.check()]
    assert said[1] == "server could not be started (port 8080 in use); restarting it in 1 s"
    assert len(attempts) == 3
    assert str(raised.value) == (
        "giving up: server could not be started (port 8080 in use) after 3 restarts in 5 min (crash loop)"
    )


@pytest.mark.parametrize("tied", [True, False])
def test_a_child_dies_with_its_parent(tied):
    """A middle process spawns `sleep` (with the parent-death signal, or without it as the
    control), then is SIGKILLed."""
    preexec = "die_with_parent(signal.SIGKILL)" if tied else "None"
    code = (
        "import signal, subprocess, sys, time\n"
        "from syndicate.supervise import die_with_parent\n"
        f"p = subprocess.Popen(['sleep', '60'], stdout=subprocess.DEVNULL, preexec_fn={preexec})\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    middle = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert middle.stdout is not None
    child = int(middle.stdout.readline())
    try:
        assert _running(child)
        started = time.monotonic()
        middle.kill()
        middle.wait()
        while _running(child) and time.monotonic() - started < (10 if tied else 0.5):
            time.sleep(0.01)
        if tied:
            print(f"child ended {time.monotonic() - started:.3f} s after its parent was SIGKILLed")
        assert _running(child) is not tied
    finally:
        if _running(child):
            os.kill(child, signal.SIGKILL)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_processes_are_found_by_their_working_directory(tmp_path):
    assert die_with_parent(signal.SIGTERM) is not None  # Linux
    proc = subprocess.Popen(["sleep", "30"], cwd=tmp_path)
    try:
        assert processes_in(tmp_path, "sleep") == [proc.pid]
        assert processes_in(tmp_path, "redis") == []
        assert processes_in(tmp_path / "elsewhere", "sleep") == []
    finally:
        proc.kill()
        proc.wait()
    assert processes_in(tmp_path, "sleep") == []
    assert pid_alive(os.getpid()) and not pid_alive(proc.pid)  # reaped: gone
