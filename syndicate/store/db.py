"""The database connection and what every store module shares: the clock, the dialect's INSERT.

SQLite (the embedded default, in WAL mode) and PostgreSQL both work through SQLAlchemy Core.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, event
from sqlalchemy.engine import Engine

from syndicate.filemodes import DATA_DIR_MODE, make_dirs


def now() -> datetime:
    """The current time, timezone-aware (UTC): every timestamp the store writes."""
    return datetime.now(UTC)


def _sqlite_pragmas(busy_timeout_s: float) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the server and CLI read while a worker writes; busy_timeout waits out short
        # locks (a longer one becomes an OperationalError: "database is locked").
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def _create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (SQLite takes an empty file for a new
    database, and gives its WAL and SHM files the database file's mode). When it cannot be
    created, SQLite says why as it connects (an OperationalError the CLI reports in one line)."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str, busy_timeout_s: float = 30) -> Engine:
    """A SQLAlchemy engine for ``url``; for SQLite, creates the file's folder (mode 0711) and
    the file itself (mode 0600: unpublished articles are confidential, whatever the umask), and
    sets WAL and a ``busy_timeout`` of ``busy_timeout_s`` seconds on every connection. Raises
    OSError when the folder cannot be created."""
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:" and "uri" not in engine.url.query:
            # Zero configuration: the first command run on a machine creates the data folder.
            make_dirs(Path(database).absolute().parent, DATA_DIR_MODE)
            _create_private_file(Path(database))
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_s))
    return engine


class Repository:
    """Base of the store's modules: one engine, shared by all of them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _insert(self, table: Table) -> Any:
        """INSERT that can say ON CONFLICT, in this database's dialect."""
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
