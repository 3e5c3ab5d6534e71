"""File modes: the data directory is its owner's, public/ is everyone's, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from feeds.publish import write_atomic
from syndicate import filemodes
from syndicate.store import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def private_umask():
    """The umask every `syndicate` command runs under, restored afterwards."""
    old = filemodes.private_umask()
    yield
    os.umask(old)


@pytest.fixture
def open_umask():
    """A permissive umask (0o022), as a library user might have, restored afterwards."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_make_dirs_gives_each_created_folder_the_mode_and_leaves_existing_ones(tmp_path, private_umask):
    (tmp_path / "old").mkdir()
    os.chmod(tmp_path / "old", 0o750)
    filemodes.make_dirs(tmp_path / "old" / "a" / "b", 0o711)
    assert mode(tmp_path / "old") == 0o750
    assert mode(tmp_path / "old" / "a") == 0o711
    assert mode(tmp_path / "old" / "a" / "b") == 0o711
    filemodes.make_dirs(tmp_path / "old" / "a" / "b", 0o755)  # exists: unchanged
    assert mode(tmp_path / "old" / "a" / "b") == 0o711


def test_public_files_and_their_folders_are_world_readable_under_the_private_umask(tmp_path, private_umask):
    public = tmp_path / "public"
    filemodes.make_public_dir(public)
    assert write_atomic(public / "feeds" / "ru" / "archive" / "1" / "atom.xml", b"<feed/>")
    for folder in ("", "feeds", "feeds/ru", "feeds/ru/archive", "feeds/ru/archive/1"):
        assert mode(public / folder) == 0o755, folder
    assert mode(public / "feeds" / "ru" / "archive" / "1" / "atom.xml") == 0o644
    # A file created now, outside public/, is the owner's only.
    (tmp_path / "private.log").write_text("x")
    assert mode(tmp_path / "private.log") == 0o600


def test_a_public_folder_created_private_is_opened_up(tmp_path, private_umask):
    public = tmp_path / "public"
    public.mkdir()  # as `syndicate serve` creates it under umask 0o077
    assert mode(public) == 0o700
    filemodes.make_public_dir(public)
    assert mode(public) == 0o755


def test_tighten_closes_what_syndicate_keeps_and_leaves_everything_else(tmp_path, open_umask):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    for name in ("logs", "argos-packages", "redis", "public"):
        (data / name).mkdir()
    (data / "logs" / "worker.log").write_text("unpublished title")
    for name in ("syndicate.db", "syndicate.db-wal", "syndicate.db.publish-ru.lock", "up.lock", "notes.txt"):
        (data / name).write_text("x")
    (data / "public" / "index.html").write_text("x")
    (data / "link").symlink_to(data / "notes.txt")

    changed = filemodes.tighten(data, data / "syndicate.db")

    assert {p.name for p in changed} == {
        "logs",
        "argos-packages",
        "redis",
        "syndicate.db",
        "syndicate.db-wal",
        "syndicate.db.publish-ru.lock",
        "up.lock",
    }
    for name in ("logs", "argos-packages", "redis"):
        assert mode(data / name) == 0o700
    for name in ("syndicate.db", "syndicate.db-wal", "syndicate.db.publish-ru.lock", "up.lock"):
        assert mode(data / name) == 0o600
    # Not syndicate's, or public: as they were. So is the data directory itself.
    assert mode(data / "notes.txt") == 0o644
    assert mode(data / "public") == 0o755 and mode(data / "public" / "index.html") == 0o644
    assert mode(data) == 0o755
    assert filemodes.tighten(data, data / "syndicate.db") == []  # nothing left to do


def test_prepare_creates_a_missing_data_directory_0711(tmp_path, private_umask):
    data = tmp_path / "new" / "data"
    filemodes.prepare_data_dir(data, f"sqlite:///{data / 'syndicate.db'}")
    assert mode(data) == 0o711


def test_sqlite_path():
    assert filemodes.sqlite_path("sqlite:////srv/x/syndicate.db") == Path("/srv/x/syndicate.db")
    assert filemodes.sqlite_path("sqlite://") is None
    assert filemodes.sqlite_path("postgresql+psycopg://u@h/db") is None


def test_a_new_sqlite_database_and_its_wal_are_private_whatever_the_umask(tmp_path, open_umask):
    database = tmp_path / "data" / "syndicate.db"
    store = Store(f"sqlite:///{database}")
    try:
        assert store.articles.count() == 0  # connections open: the WAL and SHM files exist
        assert (tmp_path / "data" / "syndicate.db-wal").exists()
        for name in ("syndicate.db", "syndicate.db-wal", "syndicate.db-shm"):
            assert mode(tmp_path / "data" / name) == 0o600, name
        assert mode(tmp_path / "data") == 0o711
    finally:
        store.close()
