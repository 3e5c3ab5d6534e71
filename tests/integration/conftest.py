"""Real parts, started by the tests: redis-server, Celery worker processes, the HTTP server, the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from syndicate import config
from syndicate.stack import start_redis, stop, wait_for_port

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Site:
    data_dir: Path
    env: dict[str, str]
    port: int

    @property
    def settings(self) -> config.Settings:
        return config.load(self.env)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(
        self, *args: str, input: bytes | None = None, timeout: float = 180
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "syndicate", *args],
            env=self.env,
            input=input,
            capture_output=True,
            timeout=timeout,
        )

    def spawn(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.data_dir / f"{name}.test.log", "ab")  # noqa: SIM115  (closed with the process)
        return subprocess.Popen(
            [sys.executable, "-m", "syndicate", *args],
            env=env or self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        path = self.data_dir / f"{name}.test.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def fetch(self, path: str) -> tuple[int, Message, bytes]:
        """GET ``path``: status, headers (looked up case-insensitively, as HTTP field names are:
        RFC 9110 section 5.1; uvicorn sends them in lower case) and body."""
        with urllib.request.urlopen(self.base + path, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()


@pytest.fixture
def site(data_dir, installed_packages) -> Site:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    port = free_port()
    env.update(SYNDICATE_DATA_DIR=str(data_dir), SYNDICATE_PORT=str(port))
    return Site(data_dir, env, port)


@pytest.fixture
def redis(site):
    proc = start_redis(site.settings)
    yield proc
    stop(proc)


def wait_for_log(site: Site, name: str, text: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in site.log(name):
            return
        if proc.poll() is not None:
            raise AssertionError(f"{name} exited with {proc.returncode}:\n{site.log(name)[-3000:]}")
        time.sleep(0.1)
    raise AssertionError(f"{name} did not log {text!r} in {timeout}s:\n{site.log(name)[-3000:]}")


@pytest.fixture
def worker(site, redis):
    proc = site.spawn("worker", "worker", "--loglevel", "INFO")
    wait_for_log(site, "worker", " ready.", proc)
    yield proc
    stop(proc, grace=30)


@pytest.fixture
def server(site):
    proc = site.spawn("server", "serve", "--port", str(site.port))
    wait_for_port("127.0.0.1", site.port, proc=proc)
    yield proc
    stop(proc, grace=5)
