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


def test_0004_merges_articles_stored_twice_and_names_shared_urls(database_url, caplog):
    """A database filled by concurrent submits before 0004: copies of one content are merged
    (the oldest kept, the others retracted, so publishing removes them), and live articles
    sharing a URL with different content are named, the oldest keeping the URL."""
    import logging

    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    migrate.upgrade_to(engine, "0003")

    def add(conn, article_id: str, created: str, content_hash: str, url: str | None) -> None:
        conn.execute(
            text("INSERT INTO articles (id, created_at, current_revision) VALUES (:a, :c, 1)"),
            {"a": article_id, "c": created},
        )
        conn.execute(
            text(
                "INSERT INTO revisions (article_id, number, content_hash, lang, title, published, "
                "paragraphs, lead_trimmed, created_at, url) VALUES (:a, 1, :h, 'en', 'T', :c, '[]', "
                "false, :c, :u)"
            ),
            {"a": article_id, "h": content_hash, "c": created, "u": url},
        )

    with engine.begin() as conn:
        add(conn, "first", "2020-01-01 00:00:00", "h1", None)
        add(conn, "copy", "2020-01-01 00:00:01", "h1", None)
        add(conn, "older", "2020-01-02 00:00:00", "h2", "https://news.example/x")
        add(conn, "newer", "2020-01-02 00:00:01", "h3", "https://news.example/x")
    engine.dispose()
    with caplog.at_level(logging.WARNING, logger="syndicate.store.migrate"):
        store = Store(database_url)
    assert migrate.current(store.engine) == migrate.head()
    with store.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, retracted_at IS NOT NULL FROM articles")).all())
        urls = dict(conn.execute(text("SELECT id, canonical_url FROM articles")).all())
    assert rows == {"first": False, "copy": True, "older": False, "newer": False}
    assert urls["older"] == "https://news.example/x" and urls["newer"] is None
    assert "retracted copy (a copy of first)" in caplog.text
    assert "newer shares https://news.example/x with older" in caplog.text
    store.close()
