"""Identity is atomic in the database: processes storing the same input at once store it once."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

from sqlalchemy import func, select

from syndicate import lifecycle
from syndicate.model import Article, Kind, Paragraph
from syndicate.store import Store
from syndicate.store import tables as t


def article(n: int, url: str | None = None, text: str = "") -> Article:
    return Article(
        f"Story {n}",
        datetime(2021, 3, 1 + n % 27, tzinfo=UTC),
        (Paragraph(Kind.LEAD, f"The council met for the {n}th time on Monday. {text}".strip()),),
        url=url,
    )


def _submit_all(url: str, inputs: list[Article], start: multiprocessing.synchronize.Event) -> None:
    store = Store(url)
    start.wait()
    for item in inputs:
        lifecycle.submit(store, item, ("en", "ru"), "race")
    store.close()


def race(url: str, per_process: list[list[Article]]) -> None:
    """Each list submitted by its own process, all released at the same instant."""
    Store(url).close()  # migrated once, before the race
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    procs = [context.Process(target=_submit_all, args=(url, inputs, start)) for inputs in per_process]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(120)
    assert [proc.exitcode for proc in procs] == [0] * len(procs)


def count(store: Store, table, *where) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_processes_submitting_the_same_inputs_at_once_store_each_once(database_url):
    inputs = [article(n) for n in range(12)]
    race(database_url, [inputs, list(reversed(inputs)), inputs, inputs[6:] + inputs[:6]])
    store = Store(database_url)
    assert count(store, t.articles) == 12
    assert count(store, t.revisions) == 12
    assert count(store, t.jobs) == 24
    store.close()


def test_revisions_of_one_url_submitted_at_once_make_one_article(database_url):
    url = "https://news.example/ferry"
    versions = [article(1, url, f"Update number {n}.") for n in range(6)]
    race(database_url, [[v] for v in versions] + [versions])
    store = Store(database_url)
    assert count(store, t.articles) == 1
    assert count(store, t.revisions) == 6  # each distinct content once, numbered 1..6
    with store.engine.connect() as conn:
        numbers = sorted(conn.execute(select(t.revisions.c.number)).scalars())
        current = conn.execute(select(t.articles.c.current_revision)).scalar_one()
    assert numbers == [1, 2, 3, 4, 5, 6] and current == 6
    store.close()


def test_an_update_may_not_take_another_articles_url(database_url):
    import pytest

    store = Store(database_url)
    a = lifecycle.submit(store, article(1, "https://news.example/a"), ("en",), None)
    b = lifecycle.submit(store, article(2, "https://news.example/b"), ("en",), None)
    with pytest.raises(ValueError, match="canonical URL of article " + b.article_id):
        lifecycle.submit(store, article(3, "https://news.example/b"), ("en",), None, update_of=a.article_id)
    # A retracted article's URL is free again: a new story under it is a new article.
    lifecycle.retract(store, b.article_id)
    c = lifecycle.submit(store, article(4, "https://news.example/b"), ("en",), None)
    assert c.article_id not in (a.article_id, b.article_id) and not c.revised
    store.close()
