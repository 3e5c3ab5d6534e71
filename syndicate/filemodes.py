"""Who may read the data directory: its owner only, except ``public/``, which a web server reads.

Unpublished articles are confidential until published, and the database, the logs, the Redis
AOF, the staging folders and the lock files all hold them or name them. So:

- every ``syndicate`` command sets its umask to 0o077 before it creates anything
  (:func:`private_umask`); the processes it starts (Redis, workers, the server) inherit it, so
  whatever they create is 0600 (files) or 0700 (folders);
- the data directory, when syndicate creates it, is 0711: others may pass through it to
  ``public/`` but neither list nor read it;
- ``public/`` and its folders are 0755 and its files 0644, set explicitly (feeds/publish.py);
- an existing data directory keeps its own mode, but each command takes group and other
  permissions off the entries syndicate creates in it (:func:`tighten`): the SQLite database and
  its WAL, SHM and lock files, ``logs/``, ``redis/``, the Redis socket, the packages and their
  staging, the demo builds, the configuration and ``up.lock``. Making a folder 0700 closes
  everything in it, so this costs a dozen ``lstat`` calls, not a walk.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
DATA_DIR_MODE = 0o711  # the owner's; others may only pass through to public/
PUBLIC_DIR_MODE = 0o755
PUBLIC_FILE_MODE = 0o644
# What syndicate creates directly in the data directory, apart from public/ and the database.
PRIVATE_ENTRIES = (
    "logs",
    "redis",
    "redis.sock",
    "argos-packages",
    ".packages-staging",
    "demo-build",
    "up.lock",
    "syndicate.toml",
    "glossary.toml",
)


def private_umask() -> int:
    """Make files this process (and every child it starts later) creates readable by the owner
    only: umask 0o077. Returns the previous umask."""
    return os.umask(PRIVATE_UMASK)


def make_dirs(path: Path, mode: int) -> None:
    """Create the folder ``path`` and its missing parents; each folder created here gets exactly
    ``mode`` (whatever the umask), folders that exist keep theirs. Safe when another process
    creates the same folders at the same time. Raises OSError (e.g. PermissionError)."""
    missing: list[Path] = []
    here = path
    while not here.is_dir():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode)
        except FileExistsError:
            continue
        os.chmod(folder, mode)


def make_public_dir(path: Path) -> None:
    """Make sure ``path`` is a folder others can list and read (0755): created so, or widened to
    0755 when this user owns it with less (e.g. ``syndicate serve`` created it under umask
    0o077). A folder another user owns is left as it is. Raises OSError."""
    make_dirs(path, PUBLIC_DIR_MODE)
    st = path.stat()
    if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & PUBLIC_DIR_MODE != PUBLIC_DIR_MODE:
        os.chmod(path, stat.S_IMODE(st.st_mode) | PUBLIC_DIR_MODE)


def sqlite_path(database_url: str) -> Path | None:
    """The database file of a SQLite URL (None for another database or an in-memory one)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).absolute()


def tighten(data_dir: Path, database: Path | None = None) -> list[Path]:
    """Take group and other permissions off what syndicate created in ``data_dir`` (the names in
    PRIVATE_ENTRIES) and off the SQLite ``database`` and every file beside it whose name starts
    with the database's (``-wal``, ``-shm``, ``.migrate-lock``, ``.publish-*.lock``).

    Only entries this user owns are changed; symbolic links, ``public/`` and anything else are
    left alone, and so is ``data_dir``'s own mode. Returns the paths changed. An entry that
    cannot be changed (read-only file system, a race with its removal) is skipped.
    """
    candidates = [data_dir / name for name in PRIVATE_ENTRIES]
    if database is not None and database.parent.is_dir():
        candidates += sorted(database.parent.glob(f"{database.name}*"))
    changed: list[Path] = []
    for path in candidates:
        try:
            st = path.lstat()
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid() or not mode & 0o077:
                continue
            os.chmod(path, mode & ~0o077)
        except OSError:
            continue
        changed.append(path)
    return changed


def prepare_data_dir(data_dir: Path, database_url: str) -> list[Path]:
    """What every command does first: create ``data_dir`` (0711) if it is missing, then
    :func:`tighten` it. Returns the paths whose mode was tightened. Never raises for the file
    system: a data directory that cannot be created is reported by the command that needs it."""
    try:
        make_dirs(data_dir, DATA_DIR_MODE)
    except OSError:
        return []
    return tighten(data_dir, sqlite_path(database_url))
