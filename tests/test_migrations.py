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


def test_many_processes_opening_a_new_database_at_once(database_url):
    """Workers starting together all find a migrated database; none fails."""
    import subprocess
    import sys

    code = f"from syndicate.store import Store; Store({database_url!r}).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    assert migrate.current(Store(database_url, migrate=False).engine) == migrate.head()


def test_a_database_made_before_migrations_is_adopted(tmp_path):
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    migrate.upgrade_to(engine, "0001")  # the first schema, as the first versions made it...
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))  # ...with create_all: no history
    engine.dispose()
    store = Store(url)
    assert migrate.current(store.engine) == migrate.head()
    store.close()


def test_0003_keeps_held_text_held_when_the_translation_status_column_goes(database_url):
    """Before 0003 a translation's status said it was held; after, its job's state alone says so."""
    from sqlalchemy import create_engine, inspect, text

    from syndicate.model import JobState
    from syndicate.store import JobKey

    engine = create_engine(database_url)
    migrate.upgrade_to(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO articles VALUES ('a1', '2020-01-01 00:00:00', 1, NULL)"))
        conn.execute(
            text(
                "INSERT INTO revisions (article_id, number, content_hash, lang, title, published, "
                "paragraphs, lead_trimmed, created_at) VALUES ('a1', 1, 'h', 'en', 'T', "
                "'2020-01-01 00:00:00', '[]', false, '2020-01-01 00:00:00')"
            )
        )
        for lang, status in (("ru", "held"), ("ja", "released")):
            conn.execute(
                text(
                    "INSERT INTO translations (article_id, revision, lang, title, paragraphs, model_name, "
                    "model_version, demo, status, created_at, updated_at) VALUES ('a1', 1, :lang, 'T', '[]', "
                    "'m', '1', false, :status, '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
                ),
                {"lang": lang, "status": status},
            )
            conn.execute(
                text(
                    "INSERT INTO jobs (article_id, revision, lang, state, attempts, updated_at) "
                    "VALUES ('a1', 1, :lang, 'translated', 1, '2020-01-01 00:00:00')"
                ),
                {"lang": lang},
            )
    engine.dispose()
    store = Store(database_url)
    assert store.jobs.get(JobKey("a1", 1, "ru")).state == JobState.HELD
    assert store.jobs.get(JobKey("a1", 1, "ja")).state == JobState.TRANSLATED
    assert "status" not in {c["name"] for c in inspect(store.engine).get_columns("translations")}
    store.close()
