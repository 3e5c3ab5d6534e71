"""Schema migrations (Alembic), run automatically when a store opens an older database."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current(engine: Engine) -> str | None:
    """The revision id the database is at; None if Alembic never stamped it (new or pre-migration)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head() -> str:
    """The newest revision id in the migrations directory.

    Raises RuntimeError if the directory holds no revision (a broken installation), and
    alembic's CommandError if it has more than one head.
    """
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    if revision is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return revision


# Several workers may open a new database at the same moment: on PostgreSQL they queue on this
# advisory lock, on SQLite (one host, and DDL outside transactions) on a lock file beside it.
_LOCK_KEY = 0x5359_4E44  # "SYND"


@contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op (one query) when it is there already."""
    target = head()
    if current(engine) == target:
        return
    with _sqlite_lock(engine):
        _upgrade_locked(engine, target)


def _upgrade_locked(engine: Engine, target: str) -> None:
    config = _config()
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            context = MigrationContext.configure(conn)
            if context.get_current_revision() == target:
                return
            config.attributes["connection"] = conn
            if context.get_current_revision() is None and inspect(conn).has_table("articles"):
                _adopt(context, config)
            command.upgrade(config, "head")
    except Exception:
        if current(engine) != target:
            raise


def upgrade_to(engine: Engine, revision: str) -> None:
    """For tests and repairs: migrate to one named revision."""
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


class SchemaError(RuntimeError):
    """The database has tables this version cannot migrate."""


FIRST_TABLES = {"articles", "revisions", "translations", "jobs", "translation_memory", "publications"}


def _adopt(context: MigrationContext, config: Config) -> None:
    """A database made before migrations existed holds the first schema: stamp it as such."""
    tables = set(inspect(context.connection).get_table_names())
    if tables != FIRST_TABLES:
        raise SchemaError(
            "the database has syndicate tables but no migration history, and not the first schema's "
            f"tables ({', '.join(sorted(tables))}); start from an empty database"
        )
    command.stamp(config, "0001")


def autogenerate(engine: Engine, message: str) -> None:
    """For developers: write a new migration from the difference between tables.py and the DB."""
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.revision(config, message=message, autogenerate=True)
