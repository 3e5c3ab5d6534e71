"""Keeping the children of `syndicate up` alive: restart with backoff, give up on a crash loop.

The policy is pure functions of restart times (seconds on a monotonic clock); :class:`Supervisor`
applies it to real processes one step at a time, so the loop that calls it (``syndicate up``)
keeps its own pace and nothing here sleeps. The helpers at the end tie a child's life to ours
(Linux's parent-death signal) and find processes by their working directory in /proc.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class RestartPolicy:
    """How a dead child is restarted.

    ``limit``: restarts of one child allowed within ``window_s`` seconds; a child that dies again
    after more than ``limit`` of them is a crash loop. ``first_delay_s``: the wait before the
    first restart in the window, doubled for each further one up to ``max_delay_s``.
    """

    limit: int = 5
    window_s: float = 300.0
    first_delay_s: float = 0.5
    max_delay_s: float = 10.0


def recent(times: Sequence[float], now: float, window_s: float) -> list[float]:
    """The ``times`` (monotonic seconds) that fall within the last ``window_s`` seconds before ``now``."""
    return [t for t in times if now - t < window_s]


def restart_delay(restarts_in_window: int, policy: RestartPolicy) -> float:
    """Seconds to wait before the next restart of a child already restarted ``restarts_in_window``
    times within the window: ``first_delay_s`` × 2^n, at most ``max_delay_s``."""
    return min(policy.first_delay_s * 2.0 ** max(restarts_in_window, 0), policy.max_delay_s)


def crash_loop(restarts_in_window: int, policy: RestartPolicy) -> bool:
    """Whether a child that died after ``restarts_in_window`` restarts within the window is in a
    crash loop (more than ``policy.limit`` of them), so it is not restarted again."""
    return restarts_in_window > policy.limit


def exit_reason(returncode: int) -> str:
    """A child's end in words: "killed by SIGKILL" for a negative (Popen) status, else "exited
    with status N"."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exited with status {returncode}"


def minutes(seconds: float) -> str:
    """``300`` → "5 min", ``90`` → "90 s": a window for humans."""
    return f"{seconds / 60:g} min" if seconds >= 120 and seconds % 60 == 0 else f"{seconds:g} s"


class CrashLoop(RuntimeError):
    """A child keeps dying: the message is the one line to show the operator."""


class Process(Protocol):
    """What the supervisor needs of a child (subprocess.Popen has it)."""

    pid: int

    def poll(self) -> int | None: ...


@dataclass
class Child:
    """One supervised child: how to start it, its current process, and when it was restarted."""

    name: str
    start: Callable[[], Process]
    proc: Process | None
    log: Path | None = None
    restarts: list[float] = field(default_factory=list)
    restart_at: float | None = None  # a restart is due at this time (monotonic s)


class Supervisor:
    """Restarts children that died, after a backoff, until one is in a crash loop.

    ``clock`` gives monotonic seconds (injectable for tests). Each :meth:`check` call looks at
    every child once and returns what happened as (child name, one line) pairs.
    """

    def __init__(self, policy: RestartPolicy | None = None, clock: Callable[[], float] = time.monotonic):
        self.policy = policy or RestartPolicy()
        self.clock = clock
        self.children: dict[str, Child] = {}

    def add(self, name: str, start: Callable[[], Process], proc: Process, log: Path | None = None) -> None:
        """Supervise ``proc``, started (and restarted) by ``start()``. ``start`` may raise any
        exception: that counts as a death, with the exception's text as the reason."""
        self.children[name] = Child(name, start, proc, log)

    def check(self) -> list[tuple[str, str]]:
        """One round: note each child that has died and schedule its restart, restart those whose
        delay has passed. Returns the events as (name, line), in order.

        Raises CrashLoop, with one line naming the child, how it ended, the restarts and its
        log, when a child dies after more than ``policy.limit`` restarts within the window.
        """
        events: list[tuple[str, str]] = []
        for child in self.children.values():
            now = self.clock()
            if child.restart_at is not None:
                if now >= child.restart_at:
                    events.append(self._restart(child, now))
                continue
            code = child.proc.poll() if child.proc is not None else None
            if code is not None:
                events.append(self._died(child, exit_reason(code), now))
        return events

    def _restart(self, child: Child, now: float) -> tuple[str, str]:
        child.restart_at = None
        child.restarts.append(now)
        count = len(child.restarts)
        try:
            child.proc = child.start()
        except Exception as exc:  # a start that fails is one more death (e.g. no binary, a port taken)
            child.proc = None
            return self._died(child, f"could not be started ({exc})", now)
        restarts = f"{count} restart{'s' * (count != 1)} in the last {minutes(self.policy.window_s)}"
        return child.name, f"{child.name} restarted (pid {child.proc.pid}; {restarts})"

    def _died(self, child: Child, reason: str, now: float) -> tuple[str, str]:
        child.restarts = recent(child.restarts, now, self.policy.window_s)
        count = len(child.restarts)
        if crash_loop(count, self.policy):
            where = f"; see {child.log}" if child.log else ""
            raise CrashLoop(
                f"giving up: {child.name} {reason} after {count} restarts in "
                f"{minutes(self.policy.window_s)} (crash loop){where}"
            )
        delay = restart_delay(count, self.policy)
        child.restart_at = now + delay
        return child.name, f"{child.name} {reason}; restarting it in {delay:g} s"


# --- tying children to us, finding processes -------------------------------------------------

PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent(sig: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` for subprocess.Popen: the child gets ``sig`` when the thread that spawned
    it exits (so spawn from the main thread), via prctl(PR_SET_PDEATHSIG), and sends it to itself
    if the parent already died during the fork. None where there is no prctl (not Linux)."""
    if _libc is None:
        return None
    libc, parent = _libc, os.getpid()

    def preexec() -> None:
        if libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:
            os.kill(os.getpid(), sig)

    return preexec


def processes_in(directory: Path, name: str) -> list[int]:
    """Pids of live processes whose working directory is ``directory`` and whose command (comm or
    argv[0]) contains ``name``, e.g. a redis-server on its ``--dir``. Processes /proc does not let
    us read (another user's) are not found; an empty list where there is no /proc."""
    target = str(directory.resolve())
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if os.readlink(entry / "cwd") != target:
                continue
            stat = (entry / "stat").read_text()
            argv0 = (entry / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        comm, state = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2]
        if state != "Z" and (name in comm or name in argv0):
            found.append(int(entry.name))
    return sorted(found)


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (a zombie counts; permission errors count as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
