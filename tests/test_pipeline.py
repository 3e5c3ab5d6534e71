"""The worker's job function without a broker: batching, the gate's hold, release, retranslate."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from feeds.publish import publish_language
from syndicate import config, lifecycle
from syndicate.model import Article, JobState, Kind, Paragraph
from syndicate.pipeline import Outcome
from syndicate.pipeline import translate_job as run_job
from syndicate.store import JobKey, Store
from syndicate.translation.engine import Engine, EngineOptions
from tests.store_helpers import add


class CraftedEngine(Engine):
    """The real demo model, except that outputs can be replaced to imitate a failing model."""

    def __init__(self, options, craft=None):
        super().__init__(options)
        self.craft = craft
        self.calls = 0

    def translate_hypotheses(self, from_code, to_code, segments):
        self.calls += 1
        real = super().translate_hypotheses(from_code, to_code, segments)
        if not self.craft:
            return real
        return [
            dataclasses.replace(r, text=self.craft(s, r.text)) for s, r in zip(segments, real, strict=True)
        ]


def translate_job(store, engine, article_id, revision, lang, **kwargs):
    return run_job(store, engine, JobKey(article_id, revision, lang), **kwargs)


def ru_state(store: Store, article_id: str) -> JobState:
    return store.jobs.get(JobKey(article_id, 1, "ru")).state


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
    ids = [add(store, article(n), settings.languages).article_id for n in range(1, 6)]
    engine = CraftedEngine(options)
    result = translate_job(store, engine, ids[0], 1, "ru", batch_articles=4)
    assert result.outcome == Outcome.TRANSLATED and engine.calls == 1
    assert len(result.published) == 4 and result.published[0] == ids[0]
    states = [ru_state(store, i) for i in ids]
    assert states == [JobState.TRANSLATED] * 4 + [JobState.QUEUED]
    # The claimed articles' own task messages find the work done.
    assert translate_job(store, engine, ids[1], 1, "ru", batch_articles=4).outcome == Outcome.ALREADY_DONE
    assert engine.calls == 1


def test_job_being_translated_elsewhere_is_left_alone_until_its_lease_expires(setup):
    from tests.test_lifecycle import expire

    settings, store, options = setup
    article_id = add(store, article(1), settings.languages).article_id
    key = JobKey(article_id, 1, "ru")
    assert lifecycle.claim(store, store.jobs.get(key), "elsewhere")
    engine = CraftedEngine(options)
    assert translate_job(store, engine, article_id, 1, "ru", holder="here").outcome == Outcome.BUSY
    assert engine.calls == 0
    expire(store, key)
    taken = translate_job(store, engine, article_id, 1, "ru", holder="here")
    assert taken.outcome == Outcome.TRANSLATED and store.jobs.get(key).attempts == 2


def test_broken_output_is_held_with_reasons_then_released(setup):
    settings, store, options = setup
    article_id = add(store, article(3), settings.languages).article_id
    looping = CraftedEngine(options, craft=lambda src, out: "паром " * 12)
    result = translate_job(store, looping, article_id, 1, "ru")
    assert result.held == (article_id,)
    job = store.jobs.get(JobKey(article_id, 1, "ru"))
    assert job.state == JobState.HELD
    assert "loop:" in job.error and "number: 3 missing" in job.error
    publish_language(store, settings, "ru")
    atom = (settings.feeds_dir / "feeds" / "ru" / "atom.xml").read_text("utf-8")
    assert "<entry" not in atom  # held text never reaches a feed

    assert lifecycle.release(store, article_id, "ru")
    published = publish_language(store, settings, "ru")
    assert published.article_ids == (article_id,)
    assert lifecycle.mark_published(store, "ru", published.article_ids) == 1
    assert not lifecycle.release(store, article_id, "ru")  # nothing held any more


def test_retranslate_replaces_held_text_with_a_fresh_model_run(setup):
    settings, store, options = setup
    article_id = add(store, article(4), settings.languages).article_id
    translate_job(store, CraftedEngine(options, craft=lambda s, o: "паром " * 12), article_id, 1, "ru")
    revision = lifecycle.requeue(store, article_id, ["ru"])
    healthy = CraftedEngine(options)
    result = translate_job(store, healthy, article_id, revision, "ru", fresh=True)
    assert result.published == (article_id,) and healthy.calls == 1
    assert store.translations.get(JobKey(article_id, 1, "ru")).title != "паром " * 12


def test_articles_older_than_the_feed_window_are_still_published(data_dir, installed_packages, database_url):
    settings = config.load(
        {
            "SYNDICATE_DATA_DIR": str(data_dir),
            "SYNDICATE_FEED_SIZE": "2",
            "SYNDICATE_DATABASE_URL": database_url,
        }
    )
    store = Store(settings.database_url)
    ids = [add(store, article(n), settings.languages).article_id for n in (1, 2, 3, 4)]
    published = publish_language(store, settings, "en")
    assert sorted(published.article_ids) == sorted(ids)
    assert lifecycle.mark_published(store, "en", published.article_ids) == 4
    # Page 1 (positions 1-2) is closed once a full feed's worth of newer ones exist (3-4).
    atom = (settings.feeds_dir / "feeds" / "en" / "atom.xml").read_text("utf-8")
    assert atom.count("<entry") == 2 and "Article number 1" not in atom
    archive = (settings.feeds_dir / "feeds" / "en" / "archive" / "1" / "atom.xml").read_text("utf-8")
    assert archive.count("<entry") == 2 and "Article number 1" in archive
    assert (settings.feeds_dir / "en" / f"{ids[0]}.html").is_file()
    store.close()


def poison(store: Store, settings) -> str:
    """An article whose stored revision makes translation raise every time (a corrupt row)."""
    from sqlalchemy import update

    from syndicate.store import tables as t

    article_id = add(store, article(9), settings.languages).article_id
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
    good = add(store, article(1), settings.languages).article_id
    engine = CraftedEngine(options)
    result = translate_job(store, engine, good, 1, "ru", batch_articles=4)  # claims the poison too
    assert result.published == (good,)
    job = store.jobs.get(JobKey(bad, 1, "ru"))
    assert job.state == JobState.QUEUED and job.attempts == 1  # back to its own message
    alone = translate_job(store, engine, bad, 1, "ru", batch_articles=4)
    assert alone.outcome == Outcome.RETRY and "ValueError" in alone.reason
    assert lifecycle.claim_more(store, "ru", 4, set(), None) == []  # never claimed into a batch again
    # Its batch claim counted one attempt, the try alone another.
    for _ in range(lifecycle.MAX_ATTEMPTS - 3):
        assert translate_job(store, engine, bad, 1, "ru").outcome == Outcome.RETRY
    final = translate_job(store, engine, bad, 1, "ru")
    assert final.outcome == Outcome.FAILED and ru_state(store, bad) == JobState.FAILED
    assert translate_job(store, engine, bad, 1, "ru").outcome == Outcome.FAILED_BEFORE


def test_a_task_delivered_again_after_its_worker_died_takes_its_jobs_back(setup):
    settings, store, options = setup
    ids = [add(store, article(n), settings.languages).article_id for n in (1, 2)]
    # Task "t1" claimed both, then its process was killed: both stay "translating" under t1.
    for article_id in ids:
        assert lifecycle.claim(store, store.jobs.get(JobKey(article_id, 1, "ru")), "t1")
    engine = CraftedEngine(options)
    assert translate_job(store, engine, ids[0], 1, "ru", holder="other").outcome == Outcome.BUSY
    # A plain second copy of t1 (same id, not redelivered) must not run beside a live t1.
    assert translate_job(store, engine, ids[0], 1, "ru", holder="t1").outcome == Outcome.BUSY
    again = translate_job(store, engine, ids[0], 1, "ru", holder="t1", batch_articles=4, redelivered=True)
    assert again.outcome == Outcome.TRANSLATED and set(again.published) == set(ids)


def test_a_missing_model_makes_the_job_wait_not_fail(setup, tmp_path):
    from syndicate.translation.engine import Engine, EngineOptions

    settings, store, options = setup
    article_id = add(store, article(1), settings.languages).article_id
    empty = Engine(EngineOptions(tmp_path / "no-packages"))
    result = translate_job(store, empty, article_id, 1, "ru", holder="t")
    assert result.outcome == Outcome.WAITING_FOR_MODEL and "syndicate models install en ru" in result.reason
    job = store.jobs.get(JobKey(article_id, 1, "ru"))
    assert job.state == JobState.WAITING_FOR_MODEL and job.attempts == 0  # nothing was tried
    assert not result.outcome.retry
    lifecycle.resume_waiting(store, ["ru"], None)
    assert translate_job(store, CraftedEngine(options), article_id, 1, "ru").outcome == Outcome.TRANSLATED


def test_a_database_outage_is_not_the_articles_fault(setup):
    from sqlalchemy.exc import OperationalError

    settings, store, options = setup
    article_id = add(store, article(1), settings.languages).article_id

    class Locked(CraftedEngine):
        def translate_hypotheses(self, from_code, to_code, segments):
            raise OperationalError("UPDATE jobs", {}, Exception("database is locked"))

    result = translate_job(store, Locked(options), article_id, 1, "ru", holder="t")
    assert result.outcome == Outcome.UNAVAILABLE and result.outcome.retry
    assert "database is locked" in result.reason


def test_a_review_language_batch_waits_in_review_and_its_messages_find_it_done(setup):
    settings, store, options = setup
    ids = [add(store, article(n), settings.languages).article_id for n in range(1, 4)]
    engine = CraftedEngine(options)
    result = translate_job(store, engine, ids[0], 1, "ru", batch_articles=4, review=True)
    assert result.outcome == Outcome.TRANSLATED
    assert (result.published, result.held, result.review) == ((), (), tuple(ids))
    assert "articles=3 held=0 review=3" in result.summary()
    assert [ru_state(store, i) for i in ids] == [JobState.REVIEW] * 3
    assert translate_job(store, engine, ids[1], 1, "ru", review=True).outcome == Outcome.ALREADY_DONE
    assert engine.calls == 1
