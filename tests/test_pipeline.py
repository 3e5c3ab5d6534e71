"""The worker's job function without a broker: batching, the gate's hold, release, retranslate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feeds.publish import publish_language
from syndicate import config
from syndicate.model import Article, JobState, Kind, Paragraph
from syndicate.pipeline import Outcome, translate_job
from syndicate.store import Store
from syndicate.translation.engine import Engine, EngineOptions


class CraftedEngine(Engine):
    """The real demo model, except that outputs can be replaced to imitate a failing model."""

    def __init__(self, options, craft=None):
        super().__init__(options)
        self.craft = craft
        self.calls = 0

    def translate_segments(self, from_code, to_code, segments):
        self.calls += 1
        real = super().translate_segments(from_code, to_code, segments)
        return [self.craft(s, r) for s, r in zip(segments, real, strict=True)] if self.craft else real


def article(n: int) -> Article:
    return Article(
        f"Article number {n}",
        datetime(2020, 1, n, tzinfo=UTC),
        (Paragraph(Kind.LEAD, f"The harbour council met {n} times this spring to discuss the ferry."),),
    )


@pytest.fixture
def setup(data_dir, installed_packages, database_url):
    settings = config.load(
        {
            "SYNDICATE_DATA_DIR": str(data_dir),
            "SYNDICATE_TARGETS": "ru",
            "SYNDICATE_DATABASE_URL": database_url,
        }
    )
    store = Store(settings.database_url)
    yield settings, store, EngineOptions(installed_packages)
    store.close()


def test_queued_articles_of_one_language_share_one_model_call(setup):
    settings, store, options = setup
    ids = [store.add_article(article(n), settings.languages, None).article_id for n in range(1, 6)]
    engine = CraftedEngine(options)
    result = translate_job(store, engine, ids[0], 1, "ru", batch_articles=4)
    assert result.outcome == Outcome.TRANSLATED and engine.calls == 1
    assert len(result.published) == 4 and result.published[0] == ids[0]
    states = [next(j.state for j in store.jobs(i) if j.lang == "ru") for i in ids]
    assert states == [JobState.TRANSLATED] * 4 + [JobState.QUEUED]
    # The claimed articles' own task messages find the work done.
    assert translate_job(store, engine, ids[1], 1, "ru", batch_articles=4).outcome == Outcome.ALREADY_DONE
    assert engine.calls == 1


def test_job_being_translated_elsewhere_is_left_alone_until_stale(setup):
    settings, store, options = setup
    article_id = store.add_article(article(1), settings.languages, None).article_id
    store.set_job_state(article_id, 1, "ru", JobState.TRANSLATING)
    engine = CraftedEngine(options)
    assert translate_job(store, engine, article_id, 1, "ru").outcome == Outcome.BUSY
    taken = translate_job(store, engine, article_id, 1, "ru", stale_after=timedelta(0))
    assert taken.outcome == Outcome.TRANSLATED


def test_broken_output_is_held_with_reasons_then_released(setup):
    settings, store, options = setup
    article_id = store.add_article(article(3), settings.languages, None).article_id
    looping = CraftedEngine(options, craft=lambda src, out: "паром " * 12)
    result = translate_job(store, looping, article_id, 1, "ru")
    assert result.held == (article_id,)
    (job,) = [j for j in store.jobs(article_id) if j.lang == "ru"]
    assert job.state == JobState.HELD
    assert "loop:" in job.error and "number: 3 missing" in job.error
    publish_language(store, settings, "ru")
    atom = (settings.feeds_dir / "feeds" / "ru" / "atom.xml").read_text("utf-8")
    assert "<entry" not in atom  # held text never reaches a feed

    assert store.release(article_id, "ru")
    published = publish_language(store, settings, "ru")
    assert published.article_ids == (article_id,)
    assert store.mark_published("ru", published.article_ids) == 1
    assert not store.release(article_id, "ru")  # nothing held any more


def test_retranslate_replaces_held_text_with_a_fresh_model_run(setup):
    settings, store, options = setup
    article_id = store.add_article(article(4), settings.languages, None).article_id
    translate_job(store, CraftedEngine(options, craft=lambda s, o: "паром " * 12), article_id, 1, "ru")
    revision = store.requeue(article_id, ["ru"])
    healthy = CraftedEngine(options)
    result = translate_job(store, healthy, article_id, revision, "ru", fresh=True)
    assert result.published == (article_id,) and healthy.calls == 1
    assert store.translation(article_id, 1, "ru").title != "паром " * 12


def test_articles_older_than_the_feed_window_are_still_published(data_dir, installed_packages, database_url):
    settings = config.load(
        {
            "SYNDICATE_DATA_DIR": str(data_dir),
            "SYNDICATE_FEED_SIZE": "2",
            "SYNDICATE_DATABASE_URL": database_url,
        }
    )
    store = Store(settings.database_url)
    ids = [store.add_article(article(n), settings.languages, None).article_id for n in (1, 2, 3)]
    published = publish_language(store, settings, "en")
    assert sorted(published.article_ids) == sorted(ids)
    assert store.mark_published("en", published.article_ids) == 3
    atom = (settings.feeds_dir / "feeds" / "en" / "atom.xml").read_text("utf-8")
    assert atom.count("<entry") == 2 and "Article number 1" not in atom
    assert (settings.feeds_dir / "en" / f"{ids[0]}.html").is_file()
    store.close()


def poison(store: Store, settings) -> str:
    """An article whose stored revision makes translation raise every time (a corrupt row)."""
    from sqlalchemy import update

    from syndicate.store import tables as t

    article_id = store.add_article(article(9), settings.languages, None).article_id
    with store.engine.begin() as conn:
        conn.execute(
            update(t.revisions)
            .where(t.revisions.c.article_id == article_id)
            .values(paragraphs=[{"kind": "no-such-kind", "text": "x"}])
        )
    return article_id


def test_a_poison_article_does_not_sink_its_batch(setup):
    settings, store, options = setup
    bad = poison(store, settings)
    good = store.add_article(article(1), settings.languages, None).article_id
    engine = CraftedEngine(options)
    result = translate_job(store, engine, good, 1, "ru", batch_articles=4)  # claims the poison too
    assert result.published == (good,)
    (job,) = [j for j in store.jobs(bad) if j.lang == "ru"]
    assert job.state == JobState.QUEUED and job.attempts == 1  # back to its own message
    with pytest.raises(ValueError):
        translate_job(store, engine, bad, 1, "ru", batch_articles=4)
    assert store.claim_queued("ru", 4, exclude=set()) == []  # never claimed into a batch again


def test_a_task_delivered_again_after_its_worker_died_takes_its_jobs_back(setup):
    settings, store, options = setup
    ids = [store.add_article(article(n), settings.languages, None).article_id for n in (1, 2)]
    # Task "t1" claimed both, then its process was killed: both stay "translating" under t1.
    store.set_job_state(ids[0], 1, "ru", JobState.TRANSLATING, holder="t1")
    store.set_job_state(ids[1], 1, "ru", JobState.TRANSLATING, holder="t1")
    engine = CraftedEngine(options)
    assert translate_job(store, engine, ids[0], 1, "ru", holder="other").outcome == Outcome.BUSY
    # A plain second copy of t1 (same id, not redelivered) must not run beside a live t1.
    assert translate_job(store, engine, ids[0], 1, "ru", holder="t1").outcome == Outcome.BUSY
    again = translate_job(store, engine, ids[0], 1, "ru", holder="t1", batch_articles=4, redelivered=True)
    assert again.outcome == Outcome.TRANSLATED and set(again.published) == set(ids)
