"""Review before publishing, without a broker: finish into review, approve (and its old name
release), the grace period that publishes unreviewed text and says so in the feeds, and the
/metrics gauge of jobs per state. With real workers: tests/integration/test_review.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree
from prometheus_client import generate_latest
from prometheus_client.registry import CollectorRegistry

from feeds.document import build
from feeds.i18n import unreviewed_note, with_unreviewed_note
from feeds.jsonfeed import jsonfeed_bytes
from feeds.xmlfeeds import atom_bytes, rss_bytes
from syndicate import config, lifecycle
from syndicate.metrics import ServiceCollector
from syndicate.model import JobState
from syndicate.store import JobKey, Store
from tests.store_helpers import add, states
from tests.test_lifecycle import RecordingSender
from tests.test_store import article, translation


@pytest.fixture
def store(database_url):
    s = Store(database_url)
    yield s
    s.close()


def finish(store: Store, article_id: str, lang: str = "ru", *, review: bool, issues=(), revision: int = 1):
    """Claim and finish a job as a worker of a language in SYNDICATE_REVIEW (or not) does."""
    key = JobKey(article_id, revision, lang)
    assert lifecycle.claim(store, store.jobs.get(key), "w")
    return lifecycle.finish(store, key, translation(lang), list(issues), "w", review=review)


def feed_ids(store: Store, lang: str) -> list[str]:
    store.publications.sequence_ready(lang, "en")
    return [a.id for a in store.publications.entries(lang, "en", 10)]


@pytest.mark.parametrize(
    ("review", "issues", "state"),
    [
        (True, (), JobState.REVIEW),
        (False, (), JobState.TRANSLATED),
        (True, ("loop: repeats",), JobState.HELD),  # the gate's hold stays a hold
        (False, ("loop: repeats",), JobState.HELD),
    ],
)
def test_a_review_language_finishes_in_review_unless_the_gate_holds_it(store, review, issues, state):
    sub = add(store, article(), ("en", "ru", "ja"))
    assert finish(store, sub.article_id, review=review, issues=issues) == state
    assert states(store, sub.article_id)["ru"] == state


def test_text_in_review_is_in_no_feed_until_approved(store):
    sub = add(store, article(), ("en", "ru", "ja"))
    finish(store, sub.article_id, "ru", review=True)
    finish(store, sub.article_id, "ja", review=False)
    assert feed_ids(store, "ru") == []
    assert feed_ids(store, "ja") == [sub.article_id]
    (en,) = store.publications.entries("en", "en", 10) if feed_ids(store, "en") else ()
    assert set(en.translations) == {"ja"}  # not even a sibling link to the ru text
    assert lifecycle.approve(store, sub.article_id, "ru")
    assert feed_ids(store, "ru") == [sub.article_id]
    assert not store.publications.entries("ru", "en", 10)[0].translations["ru"].unreviewed


@pytest.mark.parametrize("waiting", ["review", "held"])
def test_approve_and_its_old_name_release_publish_review_and_held_text_once(store, waiting):
    assert lifecycle.release is lifecycle.approve  # one function, two names
    sub = add(store, article())
    assert not lifecycle.approve(store, sub.article_id, "ru")  # queued: nothing to approve
    finish(store, sub.article_id, review=waiting == "review", issues=["x"] if waiting == "held" else [])
    assert states(store, sub.article_id)["ru"] == JobState(waiting)
    assert not lifecycle.approve(store, sub.article_id, "ja")  # no such language
    assert not lifecycle.approve(store, "nosuchid", "ru")
    assert lifecycle.release(store, sub.article_id, "ru")
    assert states(store, sub.article_id)["ru"] == JobState.TRANSLATED
    assert not lifecycle.approve(store, sub.article_id, "ru")  # approved already
    lifecycle.mark_published(store, "ru", [sub.article_id])
    assert not lifecycle.approve(store, sub.article_id, "ru")  # published


def test_the_grace_period_publishes_review_text_and_marks_it_unreviewed(store):
    sub = add(store, article(), ("en", "ru", "ja"))
    key = JobKey(sub.article_id, 1, "ru")
    finish(store, sub.article_id, "ru", review=True)
    entered = store.jobs.get(key).updated_at
    sender = RecordingSender()
    grace = timedelta(hours=2)
    assert lifecycle.publish_unreviewed(store, grace, sender, at=entered + timedelta(hours=1)) == []
    assert lifecycle.publish_unreviewed(store, grace, sender, at=entered + grace) == []  # not longer yet
    assert sender.publishes == []
    at = entered + grace + timedelta(seconds=1)
    assert lifecycle.publish_unreviewed(store, grace, sender, at=at) == [key]
    assert sender.publishes == ["ru"]
    assert states(store, sub.article_id)["ru"] == JobState.TRANSLATED
    assert store.translations.get(key).unreviewed
    assert store.translations.review_skipped(key) == at
    assert lifecycle.publish_unreviewed(store, grace, sender, at=at + grace) == []  # once
    assert feed_ids(store, "ru") == [sub.article_id]
    assert store.publications.entries("ru", "en", 10)[0].translations["ru"].unreviewed


def test_the_grace_period_leaves_held_approved_retracted_and_superseded_text_alone(store):
    held, approved, gone, old = (add(store, article(f"T{n}", n)) for n in range(1, 5))
    finish(store, held.article_id, review=True, issues=["script: Latin"])
    for sub in (approved, gone, old):
        finish(store, sub.article_id, review=True)
    assert lifecycle.approve(store, approved.article_id, "ru")
    lifecycle.retract(store, gone.article_id)
    lifecycle.submit(store, article("T4, corrected", 4), ("en", "ru"), None, update_of=old.article_id)
    later = datetime.now(UTC) + timedelta(days=1)
    assert lifecycle.publish_unreviewed(store, timedelta(hours=1), None, at=later) == []
    assert states(store, held.article_id)["ru"] == JobState.HELD
    assert store.jobs.get(JobKey(old.article_id, 1, "ru")).state == JobState.REVIEW
    assert not store.translations.get(JobKey(approved.article_id, 1, "ru")).unreviewed


def test_a_new_text_of_an_unreviewed_translation_waits_for_its_own_review(store):
    sub = add(store, article())
    key = JobKey(sub.article_id, 1, "ru")
    finish(store, sub.article_id, review=True)
    lifecycle.publish_unreviewed(store, timedelta(0), None, at=datetime.now(UTC) + timedelta(seconds=1))
    assert store.translations.get(key).unreviewed
    lifecycle.requeue(store, sub.article_id, ["ru"])  # retranslate
    assert finish(store, sub.article_id, review=True) == JobState.REVIEW
    assert not store.translations.get(key).unreviewed
    assert store.translations.review_skipped(key) is None


def test_an_approval_after_the_read_wins_over_the_grace_period(store):
    sub = add(store, article())
    key = JobKey(sub.article_id, 1, "ru")
    finish(store, sub.article_id, review=True)
    seen = store.jobs.get(key)  # the sweeper read it in review ...
    assert lifecycle.approve(store, sub.article_id, "ru")  # ... an editor approved it meanwhile
    assert not store.translations.skip_review(seen, datetime.now(UTC))
    assert not store.translations.get(key).unreviewed


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "Published without an editor's review."),
        ("ru", "Опубликовано без проверки редактором."),
        ("ja", "編集者の確認を経ずに公開されました。"),
    ],
)
def test_the_unreviewed_note_is_in_the_feeds_language_and_joined_as_it_joins_sentences(lang, note):
    assert unreviewed_note(lang) == note
    joiner = "" if lang == "ja" else " "
    assert with_unreviewed_note("Prov.", lang) == "Prov." + joiner + note


@pytest.mark.parametrize("lang", ["ru", "ja"])
def test_every_format_says_an_entry_was_published_without_review(store, lang):
    reviewed, skipped = (
        add(store, article("One", 1), ("en", lang)),
        add(store, article("Two", 2), ("en", lang)),
    )
    for sub in (reviewed, skipped):
        finish(store, sub.article_id, lang, review=True)
    lifecycle.approve(store, reviewed.article_id, lang)
    lifecycle.publish_unreviewed(store, timedelta(0), None, at=datetime.now(UTC) + timedelta(seconds=1))
    store.publications.sequence_ready(lang, "en")
    feed = build(
        store.publications.entries(lang, "en", 10), lang, base_url="https://n.example", source_lang="en",
        languages=("en", lang), publisher="P",
    )  # fmt: skip
    note = unreviewed_note(lang)
    items = json.loads(jsonfeed_bytes(feed))["items"]
    flagged = {i["url"].rsplit("/", 1)[-1]: i["_syndicate"].get("published_without_review") for i in items}
    assert flagged == {f"{skipped.article_id}.html": True, f"{reviewed.article_id}.html": None}
    for item in items:
        unreviewed = item["_syndicate"].get("published_without_review", False)
        assert item["_syndicate"]["provenance"].endswith(note) == unreviewed
        assert (note in item["content_html"]) == unreviewed
    # The note is in the flagged entry's content once (Atom's category label repeats the note).
    atom = etree.fromstring(atom_bytes(feed))
    contents = [c.text or "" for c in atom.iter("{http://www.w3.org/2005/Atom}content")]
    assert sum(c.count(note) for c in contents) == 1
    rss = etree.fromstring(rss_bytes(feed))
    texts = [e.text or "" for e in rss.iter() if isinstance(e.tag, str) and e.tag != "category"]
    assert sum(t.count(note) for t in texts) == 1


def test_metrics_show_every_state_of_every_language_review_included(store, tmp_path):
    settings = config.load(
        {"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_REDIS_URL": "redis://127.0.0.1:1"}
    )
    sub = add(store, article(), ("en", "ru", "ja"))
    finish(store, sub.article_id, "ru", review=True)
    registry = CollectorRegistry()
    registry.register(ServiceCollector(settings, lambda: store))
    text = generate_latest(registry).decode()
    assert 'syndicate_jobs{lang="ru",state="review"} 1.0' in text
    assert 'syndicate_jobs{lang="ja",state="review"} 0.0' in text
    assert 'syndicate_jobs{lang="ja",state="queued"} 1.0' in text
    assert 'syndicate_jobs{lang="en",state="translated"} 1.0' in text
    assert text.count("syndicate_jobs{") == 3 * len(JobState)
