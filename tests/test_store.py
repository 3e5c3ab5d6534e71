from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from syndicate import lifecycle
from syndicate.model import Article, JobState, Kind, Paragraph, Provenance, Translation
from syndicate.store import JobKey, Store
from syndicate.store import tables as t
from tests.store_helpers import add, states, translated


def article(title: str = "A title", day: int = 1) -> Article:
    return Article(
        title=title,
        published=datetime(2020, 1, day, 12, 0, tzinfo=UTC),
        paragraphs=(Paragraph(Kind.LEAD, "Lead sentence."), Paragraph(Kind.HEADING, "Sub")),
    )


def translation(lang: str, title: str = "Заголовок") -> Translation:
    return Translation(
        lang,
        title,
        (Paragraph(Kind.LEAD, "Текст."), Paragraph(Kind.HEADING, "Под")),
        Provenance("demo", "0.1", demo=True),
    )


@pytest.fixture
def store(database_url):
    s = Store(database_url)
    yield s
    s.close()


def count(store: Store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_add_stores_structure_and_jobs(store):
    sub = add(store, article(), ("en", "ru", "ja"), source="a.txt")
    assert not sub.duplicate and sub.revision == 1
    back = store.articles.revision(sub.article_id, 1)
    assert back == article()
    assert back.published.tzinfo is not None
    assert states(store, sub.article_id) == {
        "en": JobState.TRANSLATED,
        "ru": JobState.QUEUED,
        "ja": JobState.QUEUED,
    }


def test_updated_date_and_notes_are_stored_with_the_revision(store):
    import dataclasses

    original = dataclasses.replace(
        article(),
        paragraphs=(Paragraph(Kind.LEAD, "Lead."), Paragraph(Kind.ITEM, "One"), Paragraph(Kind.ITEM, "Two")),
        updated=datetime(2020, 1, 2, 8, 0, tzinfo=UTC),
        notes=("zone EDT read as America/New_York (-04:00)", "mojibake repaired"),
    )
    sub = add(store, original, ("en", "ru"))
    back = store.articles.revision(sub.article_id, 1)
    assert back == original and back.updated == original.updated
    assert store.articles.notes(sub.article_id, 1) == list(original.notes)
    assert store.articles.notes(sub.article_id, 2) == []
    # Notes say how the input was read, not what it says: the same content again is a duplicate.
    again = add(store, dataclasses.replace(original, notes=()), ("en", "ru"))
    assert again.duplicate and again.article_id == sub.article_id


def test_same_content_is_a_duplicate(store):
    first = add(store, article())
    again = add(store, article())
    assert again.duplicate and again.article_id == first.article_id
    assert count(store, t.articles) == 1


def test_save_translation_twice_keeps_one_row(store):
    sub = add(store, article())
    translated(store, sub.article_id, 1, translation("ru", "Первый"))
    lifecycle.requeue(store, sub.article_id, ["ru"])
    translated(store, sub.article_id, 1, translation("ru", "Второй"))
    assert count(store, t.translations) == 1
    assert store.translations.get(JobKey(sub.article_id, 1, "ru")).title == "Второй"
    assert states(store, sub.article_id)["ru"] == JobState.TRANSLATED


def test_finishing_a_job_that_moved_on_writes_nothing(store):
    sub = add(store, article())
    key = JobKey(sub.article_id, 1, "ru")
    assert lifecycle.finish(store, key, translation("ru"), [], holder=None) is None  # never claimed
    assert store.translations.get(key) is None
    assert lifecycle.claim(store, store.jobs.get(key), "a")
    assert lifecycle.finish(store, key, translation("ru"), [], holder="b") is None  # not b's
    assert lifecycle.finish(store, key, translation("ru"), [], holder="a") == JobState.TRANSLATED


def test_feed_entries_only_list_languages_with_text(store):
    a = add(store, article("Older", day=1))
    b = add(store, article("Newer", day=2))
    translated(store, a.article_id, 1, translation("ru"))
    feeds = store.publications
    assert feeds.entries("en", "en", 10) == []  # nothing is in a feed before publishing
    assert feeds.sequence_ready("en", "en") == [a.article_id, b.article_id]  # oldest first
    assert feeds.sequence_ready("ru", "en") == [a.article_id]
    assert [x.id for x in feeds.entries("en", "en", 10)] == [b.article_id, a.article_id]
    assert [x.seq for x in feeds.entries("en", "en", 10)] == [2, 1]
    ru = feeds.entries("ru", "en", 10)
    assert [x.id for x in ru] == [a.article_id]
    assert ru[0].translations["ru"].paragraphs[1].kind == Kind.HEADING
    assert ru[0].updated["ru"].tzinfo is not None


def test_held_text_stays_out_of_feeds_until_released(store):
    sub = add(store, article())
    assert translated(store, sub.article_id, 1, translation("ru"), issues=["loop: repeats"]) == JobState.HELD
    assert store.publications.sequence_ready("ru", "en") == []
    assert store.publications.entries("en", "en", 10) == []
    store.publications.sequence_ready("en", "en")
    (en,) = store.publications.entries("en", "en", 10)
    assert "ru" not in en.translations  # the held text is not a sibling either
    assert lifecycle.release(store, sub.article_id, "ru")
    assert store.publications.sequence_ready("ru", "en") == [sub.article_id]
    assert "ru" in store.publications.entries("en", "en", 10)[0].translations


def test_mark_published_only_moves_translated_jobs(store):
    a = add(store, article("One", 1))
    b = add(store, article("Two", 2))
    translated(store, a.article_id, 1, translation("ru"))
    assert lifecycle.mark_published(store, "ru", [a.article_id, b.article_id]) == 1
    assert states(store, b.article_id)["ru"] == JobState.QUEUED


def test_resolve_id_prefix(store):
    sub = add(store, article(), ("en",))
    assert store.articles.resolve_id(sub.article_id[:6]) == sub.article_id
    assert store.articles.resolve_id("zzzzzzzzzzzz") is None


def test_updated_moves_only_when_the_text_changes(store):
    sub = add(store, article())
    translated(store, sub.article_id, 1, translation("ru", "Один"))
    store.publications.sequence_ready("ru", "en")
    first = store.publications.entries("ru", "en", 10)[0].updated["ru"]
    lifecycle.requeue(store, sub.article_id, ["ru"])
    translated(store, sub.article_id, 1, translation("ru", "Один"))  # same text again
    assert store.publications.entries("ru", "en", 10)[0].updated["ru"] == first
    lifecycle.requeue(store, sub.article_id, ["ru"])
    translated(store, sub.article_id, 1, translation("ru", "Другой"))
    assert store.publications.entries("ru", "en", 10)[0].updated["ru"] > first


def test_reading_a_feed_never_writes(store):
    """An unreadable stored revision is reported to the caller; the read changes no job."""
    from sqlalchemy import update

    sub = add(store, article())
    store.publications.sequence_ready("en", "en")
    with store.engine.begin() as conn:
        conn.execute(update(t.revisions).values(paragraphs=[{"kind": "no-such-kind", "text": "x"}]))
    before = store.jobs.of_article(sub.article_id)
    found: list = []
    assert store.publications.entries("en", "en", 10, unreadable=found) == []
    assert [u.key for u in found] == [JobKey(sub.article_id, 1, "en")] and "unreadable" in found[0].reason
    assert store.jobs.of_article(sub.article_id) == before
    lifecycle.fail_unreadable(store, found)
    assert states(store, sub.article_id)["en"] == JobState.FAILED


def test_first_use_creates_the_data_folder(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'new' / 'deeper' / 'db.sqlite'}")
    assert s.articles.count() == 0
    s.close()


def test_list_by_state(store):
    a = add(store, article("One", 1))
    b = add(store, article("Two", 2))
    translated(store, a.article_id, 1, translation("ru"), issues=["script"])
    held = store.articles.summaries(10, JobState.HELD)
    assert [s.id for s in held] == [a.article_id]
    assert {s.id for s in store.articles.summaries(10, JobState.QUEUED)} == {b.article_id}
    assert len(store.articles.summaries(10)) == 2


def test_a_full_database_refuses_the_whole_write_and_says_so_in_one_line(tmp_path):
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from syndicate.store.errors import describe

    store = Store(f"sqlite:///{tmp_path / 'full.db'}")
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    def no_room(dbapi_connection, _record):  # the file may not grow: the disk is full
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(store.engine, "connect", no_room)
    store.engine.dispose()
    big = Article(
        "Full",
        datetime(2020, 1, 1, tzinfo=UTC),
        tuple(Paragraph(Kind.PARAGRAPH, "x " * 4000) for _ in range(20)),
    )
    with pytest.raises(OperationalError) as raised:
        add(store, big)
    line = describe(raised.value)
    assert line.startswith("database unavailable: database or disk is full (free disk space")
    assert "\n" not in line
    event.remove(store.engine, "connect", no_room)
    store.engine.dispose()
    assert count(store, t.articles) == 0 and count(store, t.jobs) == 0
    store.close()


def publish_positions(store: Store, lang: str) -> list[str]:
    """Give positions as a publish does and mark the jobs published, as publish_now does."""
    ids = store.publications.sequence_ready(lang, "en")
    lifecycle.mark_published(store, lang, ids)
    return ids


def positions(store: Store, lang: str) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.publications.c.article_id, t.publications.c.seq).where(t.publications.c.lang == lang)
        )
        return {row.article_id: row.seq for row in rows}


def test_a_changed_version_moves_to_the_head_and_marks_the_documents_that_held_it(store):
    a = add(store, article("One", 1))
    b = add(store, article("Two", 2))
    publish_positions(store, "en")
    assert positions(store, "en") == {a.article_id: 1, b.article_id: 2}
    assert store.stale.marked("en") == []
    translated(store, a.article_id, 1, translation("ru"))
    publish_positions(store, "ru")
    assert store.stale.marked("en") == [1]  # a's English entry gains a related link to ru
    assert store.stale.marked("ru") == []
    lifecycle.submit(store, article("One, corrected", 1), ("en", "ru"), None, update_of=a.article_id)
    publish_positions(store, "en")
    assert positions(store, "en") == {a.article_id: 3, b.article_id: 2}  # a new seq, at the head
    assert store.stale.marked("en") == [1, 1]  # the page that held the old text
    assert store.stale.marked("ru") == [1]  # ru's entry of a links the new English version
    translated(store, a.article_id, 2, translation("ru", "Исправлено"))
    publish_positions(store, "ru")
    assert positions(store, "ru") == {a.article_id: 2}
    assert store.stale.marked("ru") == [1, 1]
    assert store.stale.marked("en") == [1, 1, 3]


def test_text_that_did_not_change_keeps_its_position(store):
    """A re-translation that came out the same (or a job moved back to translated with the text
    already shown) leaves the entry where it is: it is not republished at the head."""
    a = add(store, article("One", 1), ("en", "ru"))
    b = add(store, article("Two", 2), ("en", "ru"))
    for key in (a.article_id, b.article_id):
        translated(store, key, 1, translation("ru", f"Тот же {key}"))
    publish_positions(store, "ru")
    before = positions(store, "ru")
    marks = store.stale.marked("ru")
    lifecycle.requeue(store, a.article_id, ("ru",))  # `syndicate retranslate`
    translated(store, a.article_id, 1, translation("ru", f"Тот же {a.article_id}"))  # the same text
    assert publish_positions(store, "ru") == [a.article_id]  # its job is published again ...
    assert positions(store, "ru") == before  # ... where it was
    assert store.stale.marked("ru") == marks
    lifecycle.requeue(store, a.article_id, ("ru",))
    translated(store, a.article_id, 1, translation("ru", "Другой текст"))  # a real change moves it
    publish_positions(store, "ru")
    assert positions(store, "ru")[a.article_id] == max(before.values()) + 1


def test_positions_only_go_up_after_the_newest_is_retracted(store):
    """Retracting the article at the top must not reopen a closed archive page: its position is
    not given again, and the closed page count stays."""
    ids = [add(store, article(f"N{n}", n), ("en",)).article_id for n in range(1, 7)]
    publish_positions(store, "en")
    assert store.snapshots.read("en", "en", 2).closed == 2
    store.articles.retract(ids[-1])
    store.publications.forget_positions("en", [ids[-1]])
    assert store.snapshots.read("en", "en", 2).closed == 2  # page 2 stays closed
    newer = add(store, article("N7", 7), ("en",)).article_id
    publish_positions(store, "en")
    assert positions(store, "en")[newer] == 7  # 6 is a hole, never reused


def test_positions_and_marks_are_written_in_one_transaction(store, monkeypatch):
    from syndicate.store import publications

    a = add(store, article("One", 1))
    publish_positions(store, "en")
    lifecycle.submit(store, article("One, corrected", 1), ("en",), None, update_of=a.article_id)

    def fail(conn, marks):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(publications.stale, "mark", fail)
    with pytest.raises(RuntimeError):
        store.publications.sequence_ready("en", "en")
    assert positions(store, "en") == {a.article_id: 1}  # the new position was rolled back too
    monkeypatch.undo()
    assert store.publications.sequence_ready("en", "en") == [a.article_id]
    assert positions(store, "en") == {a.article_id: 2} and store.stale.marked("en") == [1]


def test_a_publish_clears_only_the_marks_it_read(store):
    from syndicate.store import stale

    ids = [add(store, article(f"N{n}", n), ("en",)).article_id for n in range(1, 8)]
    publish_positions(store, "en")
    first = store.snapshots.read("en", "en", 2)
    assert first.closed == 2 and sorted(first.archives) == [1, 2]  # never rendered: every page
    assert [x.id for x in first.main] == [ids[6], ids[5], ids[4]]
    assert [x.id for x in first.archives[1]] == [ids[1], ids[0]]
    store.snapshots.done(first)
    assert store.snapshots.read("en", "en", 2).archives == {}  # nothing changed since
    with store.engine.begin() as conn:
        stale.mark(conn, [("en", 3)])
    marked = store.snapshots.read("en", "en", 2)
    assert sorted(marked.archives) == [2]
    with store.engine.begin() as conn:
        stale.mark(conn, [("en", 1)])  # set while that publish rendered
    store.snapshots.done(marked)
    assert store.stale.marked("en") == [1]
    assert sorted(store.snapshots.read("en", "en", 3).archives) == [1]  # a new size: every page


def test_a_snapshot_sees_one_state_of_the_store(store):
    """Reads inside a snapshot do not see a commit made while it reads (SQLite read
    transaction, PostgreSQL REPEATABLE READ), so the main feed and archive pages agree."""
    add(store, article("One", 1), ("en",))
    publish_positions(store, "en")
    count = select(func.count()).select_from(t.publications)
    with store.snapshots._read() as conn:
        assert conn.execute(count).scalar_one() == 1
        add(store, article("Two", 2), ("en",))
        publish_positions(store, "en")  # commits on another connection
        assert conn.execute(count).scalar_one() == 1
    assert len(positions(store, "en")) == 2


def test_the_index_lists_published_articles_by_publication_date_with_titles_per_language(store):
    # Submitted out of date order: the index follows the articles' dates, not the positions.
    newer = add(store, article("Newer", day=9))
    older = add(store, article("Older", day=2))
    held = add(store, article("Held", day=5))
    gone = add(store, article("Gone", day=7))
    translated(store, older.article_id, 1, translation("ru", "Старее"))
    translated(store, newer.article_id, 1, translation("ru", "Новее"))
    translated(store, held.article_id, 1, translation("ru", "Задержано"), issues=["loop: repeats"])
    translated(store, gone.article_id, 1, translation("ru", "Снято"))
    for lang in ("en", "ru"):
        store.publications.sequence_ready(lang, "en")
    store.articles.retract(gone.article_id)
    en = store.publications.index("en", "en")
    assert [(e.id, e.title) for e in en] == [
        (newer.article_id, "Newer"),
        (held.article_id, "Held"),
        (older.article_id, "Older"),
    ]
    assert en[0].published == datetime(2020, 1, 9, 12, 0, tzinfo=UTC)
    ru = store.publications.index("ru", "en")  # held text waits for a person: not listed
    assert [(e.id, e.title) for e in ru] == [(newer.article_id, "Новее"), (older.article_id, "Старее")]
    assert store.publications.index("ja", "en") == []
