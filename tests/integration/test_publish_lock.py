"""Publishing one language from several processes (or hosts) sharing one store.

The publish lock lives in the store (PostgreSQL advisory lock; a lock file beside a SQLite
database), so two `syndicate publish ru` at once take turns: a feed never goes backwards, and a
publish waits while another process holds the lock. Each test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lxml import etree
from sqlalchemy import text

from syndicate.model import Article, JobState, Kind, Paragraph, Provenance, Translation
from syndicate.store import Store
from syndicate.store.publications import publish_lock_key
from tests.feedcheck import validate_atom
from tests.store_helpers import add, states, translated

ATOM = "{http://www.w3.org/2005/Atom}"
# Rounds of two `syndicate publish ru ru ...` started together, each publishing ru REPEATS times.
# Without the lock this fails every time here: a feed loses entries a publish before it had
# written, and two publishers give one position twice (IntegrityError).
ROUNDS = 2
REPEATS = 25
MAX_ARTICLES = 300  # added while they run; fewer than the feed size, so no entry leaves the feed


def cli_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(
        SYNDICATE_DATA_DIR=str(data_dir),
        SYNDICATE_DATABASE_URL=database_url,
        SYNDICATE_TARGETS="ru",
        SYNDICATE_FEED_SIZE="1000",  # every entry in the main feed: its size must only grow
        SYNDICATE_BASE_URL="https://news.example",
    )
    return env


def publisher(env: dict[str, str], repeats: int = 1) -> subprocess.Popen:
    """`syndicate publish ru`, publishing ru ``repeats`` times in a row (``publish ru ru ...``)."""
    return subprocess.Popen(
        [sys.executable, "-m", "syndicate", "publish", *["ru"] * repeats],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def add_translated(store: Store, n: int) -> str:
    """Article ``n`` with its Russian translation stored, as a worker leaves it (translated)."""
    body = (
        Paragraph(Kind.LEAD, f"The harbour authority opened the northern bridge number {n} on Monday."),
        Paragraph(
            Kind.PARAGRAPH, f"Engineers inspected {n + 2} towers before the holidays, the council said."
        ),
    )
    article = Article(f"Bridge {n} opens", datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=n), body)
    ru = Translation(
        "ru",
        f"Мост {n} открыт",
        (
            Paragraph(Kind.LEAD, f"Портовое управление открыло северный мост номер {n} в понедельник."),
            Paragraph(Kind.PARAGRAPH, f"Инженеры осмотрели {n + 2} башни перед праздниками, сообщил совет."),
        ),
        Provenance("test-model en->ru", "1"),
    )
    sub = add(store, article, ("en", "ru"), f"bridge-{n}.txt")
    translated(store, sub.article_id, sub.revision, ru)
    return sub.article_id


class FeedWatcher(threading.Thread):
    """Reads ``lang``'s Atom and JSON feeds over and over, keeping every distinct version seen."""

    def __init__(self, public: Path, lang: str) -> None:
        super().__init__(daemon=True)
        self.paths = (public / "feeds" / lang / "atom.xml", public / "feeds" / lang / "feed.json")
        self.seen: dict[Path, list[bytes]] = {path: [] for path in self.paths}
        self.done = threading.Event()

    def look_once(self) -> None:
        for path in self.paths:
            try:
                data = path.read_bytes()  # whole: files only ever change by rename
            except FileNotFoundError:
                continue
            versions = self.seen[path]
            if not versions or versions[-1] != data:
                versions.append(data)

    def run(self) -> None:
        while not self.done.is_set():
            self.look_once()
            time.sleep(0.001)


def atom_ids(data: bytes) -> list[str]:
    root = etree.fromstring(data)  # raises on a document that is not well-formed
    return [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]


def json_ids(data: bytes) -> list[str]:
    return [item["id"] for item in json.loads(data)["items"]]


def test_two_publishers_at_once_never_leave_an_older_feed(data_dir, database_url):
    env = cli_env(data_dir, database_url)
    store = Store(database_url)
    added = [add_translated(store, 0)]
    stop_adding = threading.Event()

    def keep_adding() -> None:
        while not stop_adding.is_set() and len(added) < MAX_ARTICLES:
            added.append(add_translated(store, len(added)))
            time.sleep(0.02)

    watcher = FeedWatcher(data_dir / "public", "ru")
    adder = threading.Thread(target=keep_adding, daemon=True)
    watcher.start()
    adder.start()
    failures = []
    try:
        for _ in range(ROUNDS):
            pair = [publisher(env, REPEATS), publisher(env, REPEATS)]
            for proc in pair:
                out, err = proc.communicate(timeout=120)
                if proc.returncode != 0:
                    failures.append(err.decode())
    finally:
        stop_adding.set()
        adder.join()
        last = subprocess.run(
            [sys.executable, "-m", "syndicate", "publish", "ru"], env=env, capture_output=True, timeout=120
        )
        watcher.done.set()
        watcher.join()
        store.close()
    watcher.look_once()  # the final documents, whatever the watcher's last read was
    assert failures == [] and last.returncode == 0, failures or last.stderr

    atom_versions = watcher.seen[watcher.paths[0]]
    json_versions = watcher.seen[watcher.paths[1]]
    assert len(atom_versions) > REPEATS  # the feed really changed while the publishers raced
    for versions, ids_of in ((atom_versions, atom_ids), (json_versions, json_ids)):
        previous: set[str] = set()
        for data in versions:
            ids = ids_of(data)
            assert len(ids) == len(set(ids))
            # Never backwards: every version holds every entry of the versions before it.
            assert previous <= set(ids), f"{len(previous - set(ids))} entries disappeared"
            previous = set(ids)
        assert len(previous) == len(added)
    validate_atom(data_dir / "public" / "feeds" / "ru" / "atom.xml")


def waiting_for_lock(database_url: str, pid: int, lock_file: Path) -> bool:
    """Whether process ``pid`` is blocked on the publish lock of ``ru``: on PostgreSQL an advisory
    lock request that is not granted, on SQLite a blocked flock on the lock file (/proc/locks)."""
    if database_url.startswith("postgresql"):
        key = publish_lock_key("ru") & (2**64 - 1)
        probe = Store(database_url, migrate=False)
        try:
            with probe.engine.connect() as conn:
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                        "AND classid::bigint = :high AND objid::bigint = :low AND objsubid = 1"
                    ),
                    {"high": key >> 32, "low": key & 0xFFFFFFFF},
                ).scalar()
        finally:
            probe.close()
        return bool(waiting)
    if not lock_file.exists():
        return False
    inode = lock_file.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields and "FLOCK" in fields:
            rest = fields[fields.index("->") + 1 :]
            if int(rest[3]) == pid and int(rest[4].split(":")[2]) == inode:
                return True
    return False


def test_a_publish_waits_while_another_process_holds_the_lock(data_dir, database_url):
    env = cli_env(data_dir, database_url)
    store = Store(database_url)
    atom = data_dir / "public" / "feeds" / "ru" / "atom.xml"
    lock_file = Path(f"{store.engine.url.database}.publish-ru.lock")
    try:
        article_id = add_translated(store, 1)
        with store.publications.lock("ru"):
            proc = publisher(env)
            deadline = time.monotonic() + 60
            while not waiting_for_lock(database_url, proc.pid, lock_file):
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the publish never asked for the lock"
                time.sleep(0.05)
            # It is blocked on our lock: it has written nothing and is still running.
            assert proc.poll() is None
            assert not atom.exists()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        assert out.decode().startswith("ru: 1 entries")
        assert len(atom_ids(atom.read_bytes())) == 1
        assert states(store, article_id)["ru"] == JobState.PUBLISHED
    finally:
        store.close()
