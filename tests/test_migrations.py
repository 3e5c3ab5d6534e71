"""The Alembic migrations build exactly the schema that syndicate/store/tables.py describes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from syndicate.store import Store, migrate
from syndicate.store.tables import metadata


def test_migrations_match_the_tables(database_url):
    store = Store(database_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert migrate.current(store.engine) == migrate.head()
    store.close()


def test_reopening_a_current_database_migrates_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Store(url).close()
    store = Store(url)
    assert migrate.current(store.engine) == migrate.head()
    store.close()
