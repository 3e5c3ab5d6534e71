"""Every job transition, without a broker: claims, leases, failures, models, operators."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from syndicate import lifecycle
from syndicate.model import Article, JobState, Kind, Paragraph
from syndicate.store import JobKey, Store
from tests.store_helpers import add


class RecordingSender:
    """A Sender that records what it was asked to send (the library is handed one)."""

    def __init__(self) -> None:
        self.translations: list[JobKey] = []
        self.publishes: list[str] = []

    def send_translations(self, keys, fresh=False) -> bool:
        self.translations += list(keys)
        return True

    def send_publish(self, langs) -> bool:
        self.publishes += list(langs)
        return True


def article(n: int = 1) -> Article:
    return Article(f"Title {n}", datetime(2020, 1, n, tzinfo=UTC), (Paragraph(Kind.LEAD, f"Lead {n}."),))


@pytest.fixture
def store(database_url):
    s = Store(database_url)
    yield s
    s.close()


@pytest.fixture
def key(store) -> JobKey:
    return JobKey(add(store, article()).article_id, 1, "ru")


def expire(store: Store, key: JobKey) -> None:
    """As if the holder stopped renewing a while ago."""
    from sqlalchemy import update

    from syndicate.store import tables as t

    with store.engine.begin() as conn:
        conn.execute(
            update(t.jobs)
            .where(t.jobs.c.article_id == key.article_id, t.jobs.c.lang == key.lang)
            .values(lease_expires=datetime.now(UTC) - timedelta(seconds=1))
        )


def test_machine_names_of_the_states():
    assert [s.value for s in JobState] == [
        "queued", "waiting-for-model", "translating", "translated", "held", "review", "published", "failed",
    ]  # fmt: skip


def test_of_two_workers_that_read_a_job_at_once_exactly_one_claims_it(store, key):
    seen = store.jobs.get(key)  # both workers read the same queued row
    assert lifecycle.claim(store, seen, "task-a")
    assert not lifecycle.claim(store, seen, "task-b")
    job = store.jobs.get(key)
    assert (job.state, job.holder, job.attempts) == (JobState.TRANSLATING, "task-a", 1)
    assert job.lease_expires > datetime.now(UTC) + timedelta(seconds=lifecycle.LEASE_S - 5)


def test_a_live_lease_keeps_others_out_and_only_a_redelivered_copy_takes_it_back(store, key):
    assert lifecycle.claim(store, store.jobs.get(key), "t1")
    job = store.jobs.get(key)
    assert not lifecycle.claim(store, job, "t2")
    assert not lifecycle.claim(store, job, "t1")  # a plain duplicate of a running task
    assert lifecycle.claim(store, job, "t1", redelivered=True)  # its worker died; the broker resent it
    assert not lifecycle.claim(store, store.jobs.get(key), "t2", redelivered=True)  # not its own


def test_an_expired_lease_is_requeued_and_sent_once_by_racing_reapers(store, key):
    assert lifecycle.claim(store, store.jobs.get(key), "dead-worker")
    first, second = RecordingSender(), RecordingSender()
    assert lifecycle.reap_expired(store, first).requeued == ()  # lease still live
    expire(store, key)
    assert lifecycle.reap_expired(store, first).requeued == (key,)
    assert lifecycle.reap_expired(store, second).requeued == ()
    assert first.translations == [key] and second.translations == []
    job = store.jobs.get(key)
    assert job.state == JobState.QUEUED and job.holder is None and "stopped" in job.error
    assert lifecycle.claim(store, job, "another-worker")


def test_a_job_whose_worker_keeps_dying_fails_after_max_attempts(store, key):
    sender = RecordingSender()
    for _ in range(lifecycle.MAX_ATTEMPTS):
        assert lifecycle.claim(store, store.jobs.get(key), "w")
        expire(store, key)
        reaped = lifecycle.reap_expired(store, sender)
    assert reaped.failed == (key,)
    job = store.jobs.get(key)
    assert job.state == JobState.FAILED and f"stopped {lifecycle.MAX_ATTEMPTS} times" in job.error
    assert len(sender.translations) == lifecycle.MAX_ATTEMPTS - 1


def test_leases_are_renewed_while_the_work_runs(store, key):
    assert lifecycle.claim(store, store.jobs.get(key), "w")
    expire(store, key)
    with lifecycle.leased(store, [key], "w", every_s=0.05):
        time.sleep(0.3)
    assert not lifecycle.lease_expired(store.jobs.get(key))
    assert lifecycle.reap_expired(store, RecordingSender()).requeued == ()


def test_an_attempt_that_fails_is_retried_until_the_budget_is_spent(store, key):
    for n in range(1, lifecycle.MAX_ATTEMPTS):
        assert lifecycle.claim(store, store.jobs.get(key), "w")
        assert lifecycle.fail(store, key, "ValueError: bad") == JobState.QUEUED
        assert (
            store.jobs.get(key).error == "retrying after ValueError: bad"
            and store.jobs.get(key).attempts == n
        )
    assert lifecycle.claim(store, store.jobs.get(key), "w")
    assert lifecycle.fail(store, key, "ValueError: bad") == JobState.FAILED
    assert store.jobs.get(key).attempts == lifecycle.MAX_ATTEMPTS
    assert not lifecycle.claim(store, store.jobs.get(key), "w")  # failed stays failed...
    lifecycle.requeue(store, key.article_id, ["ru"])  # ...until an operator retranslates
    assert store.jobs.get(key).state == JobState.QUEUED


def test_a_timeout_fails_at_once(store, key):
    assert lifecycle.claim(store, store.jobs.get(key), "w")
    assert lifecycle.fail(store, key, "translation timed out", final=True) == JobState.FAILED


def test_a_missing_model_waits_and_resumes_when_one_is_installed(store, key):
    other = JobKey(add(store, article(2)).article_id, 1, "ru")
    ja = JobKey(add(store, article(3), ("en", "ja")).article_id, 1, "ja")
    for k in (key, other, ja):
        lifecycle.wait_for_model(store, k, "no Argos package installed for en->" + k.lang)
    assert store.jobs.get(key).state == JobState.WAITING_FOR_MODEL
    sender = RecordingSender()
    assert sorted(lifecycle.resume_waiting(store, ["ru"], sender)) == sorted([key, other])
    assert sorted(sender.translations) == sorted([key, other])
    assert (
        store.jobs.get(key).state == JobState.QUEUED
        and store.jobs.get(ja).state == JobState.WAITING_FOR_MODEL
    )
    assert lifecycle.resume_waiting(store, ["ru"], sender) == []


def test_batch_mates_given_back_are_never_batched_again(store, key):
    mate = JobKey(add(store, article(2)).article_id, 1, "ru")
    assert lifecycle.claim(store, store.jobs.get(key), "w")
    assert lifecycle.claim_more(store, "ru", 4, {key}, "w") == [mate]
    lifecycle.give_back(store, [mate])
    assert store.jobs.get(mate).state == JobState.QUEUED
    assert lifecycle.claim_more(store, "ru", 4, set(), "w") == []  # its own message retries it alone


def test_release_moves_only_held_text(store, key):
    from tests.store_helpers import translated
    from tests.test_store import translation

    assert not lifecycle.release(store, key.article_id, "ru")
    translated(store, key.article_id, 1, translation("ru"), issues=["script: Latin"])
    assert lifecycle.release(store, key.article_id, "ru")
    assert store.jobs.get(key).state == JobState.TRANSLATED
    assert not lifecycle.release(store, key.article_id, "ru")


def test_requeue_drops_unapproved_text_and_keeps_published_text(store, key):
    from tests.store_helpers import translated
    from tests.test_store import translation

    translated(store, key.article_id, 1, translation("ru"), issues=["loop"])
    lifecycle.requeue(store, key.article_id, ["ru"])
    assert store.translations.get(key) is None  # held text is replaced, never published meanwhile
    translated(store, key.article_id, 1, translation("ru"))
    lifecycle.mark_published(store, "ru", [key.article_id])
    lifecycle.requeue(store, key.article_id, ["ru"])
    assert store.translations.get(key) is not None  # stays in the feeds until replaced
    with pytest.raises(KeyError):
        lifecycle.requeue(store, "nosuchid", ["ru"])


def test_a_retracted_articles_jobs_are_no_longer_work(store, key):
    lifecycle.wait_for_model(store, key, "no model")
    assert lifecycle.retract(store, key.article_id)
    assert not lifecycle.retract(store, key.article_id)  # already
    assert store.jobs.in_state([JobState.QUEUED, JobState.WAITING_FOR_MODEL]) == []
    assert lifecycle.resume_waiting(store, ["ru"], RecordingSender()) == []
    assert lifecycle.claim_more(store, "ru", 4, set(), "w") == []
    assert store.counts.jobs() == {}
    assert store.counts.articles() == {"active": 0, "retracted": 1}
