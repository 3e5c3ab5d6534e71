"""Unpublished articles stay private: after a real run, nothing in the data directory but
public/ can be read (or listed) by group or others, and public/ can be read by everyone."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from syndicate.store import Store
from tests.conftest import ARTICLES
from tests.integration.conftest import free_port


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def exposed(data: Path) -> tuple[list[str], set[str]]:
    """(every entry whose mode breaks the rule, the relative paths of every entry seen).

    The rule: the data directory 0711; inside public/ folders 0755 and files 0644 (a temporary
    file of a write in progress, named with a leading dot, may be stricter); anything else has
    no group or other permission at all."""
    problems: list[str] = []
    seen: set[str] = set()
    public = data / "public"
    if mode(data) != 0o711:
        problems.append(f"{mode(data):o} {data}")
    for folder, folders, files in os.walk(data):
        for name in folders + files:
            path = Path(folder) / name
            try:
                st = path.lstat()
            except FileNotFoundError:  # a temporary file renamed meanwhile
                continue
            seen.add(str(path.relative_to(data)))
            bits = stat.S_IMODE(st.st_mode)
            if path == public or public in path.parents:
                if name.startswith("."):
                    ok = not bits & 0o077
                else:
                    ok = bits == (0o755 if stat.S_ISDIR(st.st_mode) else 0o644)
            else:
                ok = not bits & 0o077
            if not ok:
                problems.append(f"{bits:o} {path}")
    return problems, seen


def readable_by_another_user(path: Path) -> bool:
    """Whether the user ``nobody`` can read ``path`` (a file: its bytes; a folder: its listing)."""
    reader = ["ls", str(path)] if path.is_dir() else ["cat", str(path)]
    result = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *reader], capture_output=True
    )
    return result.returncode == 0


def clean_env(data: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_DATA_DIR=str(data), SYNDICATE_PORT=str(port))
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "syndicate", *args]
    result = subprocess.run(argv, env=env, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    return result


def test_a_fresh_data_directory_is_private_except_public(data_dir):
    """Models built and installed, the stack up, an article submitted, translated and published:
    checked while everything runs (socket, WAL, logs open) and again after Ctrl-C."""
    data = data_dir / "d"  # syndicate creates it
    # Running as root, also try reading as another user (the temporary folder above the data
    # directory must let them through, as a home directory or /srv would).
    can_switch_user = os.geteuid() == 0 and shutil.which("setpriv") is not None
    os.chmod(data_dir, 0o711)
    env = clean_env(data, free_port())
    run(env, "models", "demo")
    with open(data_dir / "up.test.log", "wb") as log:  # outside the data directory
        up = subprocess.Popen(
            [sys.executable, "-m", "syndicate", "up"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while "Ctrl-C to stop" not in (data_dir / "up.test.log").read_text():
            assert up.poll() is None and time.monotonic() < deadline, (data_dir / "up.test.log").read_text()
            time.sleep(0.1)
        article_id = run(env, "submit", str(ARTICLES / "storm-warning-2020.txt")).stdout.decode().strip()
        run(env, "wait", article_id, "--timeout", "120")
        problems, seen = exposed(data)
        if can_switch_user:
            # As another local user would: the feeds yes, the database, logs and AOF no.
            assert readable_by_another_user(data / "public" / "feeds" / "ru" / "atom.xml")
            assert readable_by_another_user(data / "public" / "articles" / f"{article_id}.html")
            for private in ("syndicate.db", "syndicate.db-wal", "logs/worker.log", "redis", "."):
                assert not readable_by_another_user(data / private), private
    finally:
        up.send_signal(signal.SIGINT)
        assert up.wait(90) == 0, (data_dir / "up.test.log").read_text()
    assert problems == []
    # What the check covered: everything a run leaves in the data directory.
    for expected in (
        "syndicate.db",
        "syndicate.db-wal",
        "syndicate.db-shm",
        "redis.sock",
        "redis/appendonlydir",
        "logs/worker.log",
        "logs/server.log",
        "argos-packages",
        ".packages-staging",
        "demo-build",
        "up.lock",
        "syndicate.db.publish-ru.lock",
        "public/feeds/ru/atom.xml",
        f"public/articles/{article_id}.html",
    ):
        assert expected in seen, expected
    assert any(p.startswith("redis/appendonlydir/appendonly.aof") for p in seen)
    assert any(p.startswith("argos-packages/translate-en_ru-demo/model/") for p in seen)

    problems, _ = exposed(data)
    assert problems == []


def test_an_existing_data_directory_is_closed_by_the_next_command(data_dir):
    """A data directory from before: world-readable database and logs. Any command (here
    `syndicate list`) takes group and other permissions off what syndicate keeps there; the
    data directory's own mode, public/ and files syndicate did not create stay as they were."""
    os.chmod(data_dir, 0o755)
    store = Store(f"sqlite:///{data_dir / 'syndicate.db'}")
    store.close()
    os.chmod(data_dir / "syndicate.db", 0o644)
    (data_dir / "logs").mkdir(mode=0o755)
    os.chmod(data_dir / "logs", 0o755)
    (data_dir / "logs" / "worker.log").write_text("an unpublished title")
    os.chmod(data_dir / "logs" / "worker.log", 0o644)
    (data_dir / "public").mkdir()
    os.chmod(data_dir / "public", 0o755)
    (data_dir / "notes.txt").write_text("the operator's")
    os.chmod(data_dir / "notes.txt", 0o644)

    run(clean_env(data_dir, free_port()), "list", "--json")

    assert mode(data_dir / "syndicate.db") == 0o600
    assert mode(data_dir / "logs") == 0o700  # closes worker.log (still 0644) to everyone else
    assert mode(data_dir) == 0o755
    assert mode(data_dir / "public") == 0o755
    assert mode(data_dir / "notes.txt") == 0o644
