from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from syndicate.model import Article, JobState, Kind, Paragraph, Provenance, Translation
from syndicate.store import Store
from syndicate.store import tables as t


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
    sub = store.add_article(article(), ("en", "ru", "ja"), source_name="a.txt")
    assert not sub.duplicate and sub.revision == 1
    back = store.revision(sub.article_id, 1)
    assert back == article()
    assert back.published.tzinfo is not None
    states = {j.lang: j.state for j in store.jobs(sub.article_id)}
    assert states == {"en": JobState.TRANSLATED, "ru": JobState.QUEUED, "ja": JobState.QUEUED}


def test_same_content_is_a_duplicate(store):
    first = store.add_article(article(), ("en", "ru"), None)
    again = store.add_article(article(), ("en", "ru"), None)
    assert again.duplicate and again.article_id == first.article_id
    assert count(store, t.articles) == 1


def test_save_translation_twice_keeps_one_row(store):
    sub = store.add_article(article(), ("en", "ru"), None)
    store.save_translation(sub.article_id, 1, translation("ru", "Первый"))
    store.save_translation(sub.article_id, 1, translation("ru", "Второй"))
    assert count(store, t.translations) == 1
    assert store.translation(sub.article_id, 1, "ru").title == "Второй"
    assert {j.lang: j.state for j in store.jobs(sub.article_id)}["ru"] == JobState.TRANSLATED


def test_feed_articles_only_lists_languages_with_text(store):
    a = store.add_article(article("Older", day=1), ("en", "ru"), None)
    b = store.add_article(article("Newer", day=2), ("en", "ru"), None)
    store.save_translation(a.article_id, 1, translation("ru"))
    assert store.feed_articles("en", "en", 10) == []  # nothing is in a feed before publishing
    assert store.sequence_ready("en", "en") == [a.article_id, b.article_id]  # oldest first
    assert store.sequence_ready("ru", "en") == [a.article_id]
    assert [x.id for x in store.feed_articles("en", "en", 10)] == [b.article_id, a.article_id]
    assert [x.seq for x in store.feed_articles("en", "en", 10)] == [2, 1]
    ru = store.feed_articles("ru", "en", 10)
    assert [x.id for x in ru] == [a.article_id]
    assert ru[0].translations["ru"].paragraphs[1].kind == Kind.HEADING
    assert ru[0].updated["ru"].tzinfo is not None


def test_mark_published_only_moves_translated_jobs(store):
    a = store.add_article(article("One", 1), ("en", "ru"), None)
    b = store.add_article(article("Two", 2), ("en", "ru"), None)
    store.save_translation(a.article_id, 1, translation("ru"))
    assert store.mark_published("ru", [a.article_id, b.article_id]) == 1
    assert {j.lang: j.state for j in store.jobs(b.article_id)}["ru"] == JobState.QUEUED


def test_resolve_id_prefix(store):
    sub = store.add_article(article(), ("en",), None)
    assert store.resolve_id(sub.article_id[:6]) == sub.article_id
    assert store.resolve_id("zzzzzzzzzzzz") is None


def test_updated_moves_only_when_the_text_changes(store):
    sub = store.add_article(article(), ("en", "ru"), None)
    store.save_translation(sub.article_id, 1, translation("ru", "Один"))
    store.sequence_ready("ru", "en")
    first = store.feed_articles("ru", "en", 10)[0].updated["ru"]
    store.save_translation(sub.article_id, 1, translation("ru", "Один"))  # same text again
    assert store.feed_articles("ru", "en", 10)[0].updated["ru"] == first
    store.save_translation(sub.article_id, 1, translation("ru", "Другой"))
    assert store.feed_articles("ru", "en", 10)[0].updated["ru"] > first


def test_first_use_creates_the_data_folder(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'new' / 'deeper' / 'db.sqlite'}")
    assert s.count_articles() == 0
    s.close()


def test_of_two_workers_that_read_a_job_at_once_exactly_one_claims_it(store):
    sub = store.add_article(article(), ("en", "ru"), None)
    seen = store.job(sub.article_id, 1, "ru")  # both workers read the same queued row
    assert store.claim_job(seen, holder="task-a")
    assert not store.claim_job(seen, holder="task-b")
    job = store.job(sub.article_id, 1, "ru")
    assert (job.state, job.holder, job.attempts) == (JobState.TRANSLATING, "task-a", 1)
    # The holder can take back its own job when it reads it afresh (its worker died).
    assert store.claim_job(job, holder="task-a")


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
        store.add_article(big, ("en", "ru"), None)
    line = describe(raised.value)
    assert line.startswith("database unavailable: database or disk is full (free disk space")
    assert "\n" not in line
    event.remove(store.engine, "connect", no_room)
    store.engine.dispose()
    assert count(store, t.articles) == 0 and count(store, t.jobs) == 0
    store.close()
