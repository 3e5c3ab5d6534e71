"""Review before publishing, with real workers, Redis, the server and the CLI: SYNDICATE_REVIEW
keeps a language's new translations in review (no feed, `wait` times out, status, list and
/metrics show it) until `syndicate approve` (or `release`); SYNDICATE_REVIEW_GRACE publishes
them after the sweeper runs, saying so in the feed. The demo models' output is not a
translation: these tests only follow where the text goes."""

from __future__ import annotations

import json
import time
from pathlib import Path

from syndicate import lifecycle
from syndicate.model import JobState, Kind, Paragraph, Provenance, Translation
from syndicate.store import JobKey, Store
from tests.conftest import write_articles
from tests.integration.conftest import Site, wait_for_log
from tests.integration.test_operations import samples
from tests.store_helpers import translated

NOTE_RU = "Опубликовано без проверки редактором."


def start_worker(site: Site, **env: str):
    site.env.update(env)
    proc = site.spawn("worker", "worker", "--loglevel", "INFO")
    wait_for_log(site, "worker", " ready.", proc)
    return proc


def submit(site: Site, path: Path) -> str:
    result = site.cli("submit", str(path))
    assert result.returncode == 0, result.stderr
    return result.stdout.decode().strip()


def states(site: Site, article_id: str) -> dict[str, str]:
    result = site.cli("status", article_id, "--json")
    assert result.returncode == 0, result.stderr
    return {lang: v["state"] for lang, v in json.loads(result.stdout)["languages"].items()}


def until_states(site: Site, article_id: str, wanted: dict[str, str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while (found := states(site, article_id)) != wanted:
        assert time.monotonic() < deadline, (
            f"{article_id}: {found}, not {wanted}\n{site.log('worker')[-3000:]}"
        )
        time.sleep(0.5)


def feed_items(site: Site, lang: str) -> dict[str, dict]:
    """The items of ``lang``'s main JSON Feed by article id ({} before it was first written)."""
    path = site.settings.feeds_dir / "feeds" / lang / "feed.json"
    if not path.exists():
        return {}
    items = json.loads(path.read_text("utf-8"))["items"]
    return {item["url"].rsplit("/", 1)[-1].removesuffix(".html"): item for item in items}


def test_review_language_waits_until_approved_and_the_other_is_published(site, redis, server, tmp_path):
    worker = start_worker(site, SYNDICATE_REVIEW="ru")
    try:
        first, second = write_articles(tmp_path / "articles", 2)
        one = submit(site, first)
        until_states(site, one, {"en": "published", "ja": "published", "ru": "review"})
        assert one in feed_items(site, "ja") and one in feed_items(site, "en")
        assert one not in feed_items(site, "ru")

        waited = site.cli("wait", one, "--timeout", "2")
        assert waited.returncode == 3  # in review is not published, and not a failure
        assert f"{one}:ru:review" in waited.stderr.decode()
        status = site.cli("status", one).stdout.decode()
        assert "ru   review: waits for an editor (syndicate approve ID LANG)" in status
        assert "published without review at" not in status  # no grace period set
        listed = json.loads(site.cli("list", "--state", "review", "--json").stdout)
        assert [(r["id"], r["states"]["ru"]) for r in listed] == [(one, "review")]
        assert json.loads(site.cli("list", "--state", "held", "--json").stdout) == []
        m = samples(site.fetch("/metrics")[2])
        assert m[("syndicate_jobs", (("lang", "ru"), ("state", "review")))] == 1
        assert m[("syndicate_jobs", (("lang", "ja"), ("state", "review")))] == 0
        assert m[("syndicate_jobs", (("lang", "ja"), ("state", "published")))] == 1

        approved = site.cli("approve", one, "ru")
        assert approved.returncode == 0, approved.stderr
        assert approved.stdout.decode().strip() == f"approved {one} ru"
        assert site.cli("wait", one, "--timeout", "60").returncode == 0
        item = feed_items(site, "ru")[one]
        assert "published_without_review" not in item["_syndicate"]
        assert NOTE_RU not in item["content_html"]
        again = site.cli("approve", one, "ru")
        assert again.returncode == 2 and b"no ru translation in review or held" in again.stderr
        m = samples(site.fetch("/metrics")[2])
        assert m[("syndicate_jobs", (("lang", "ru"), ("state", "review")))] == 0  # the series stays

        # `release`, the old name, approves a translation in review too.
        two = submit(site, second)
        until_states(site, two, {"en": "published", "ja": "published", "ru": "review"})
        released = site.cli("release", two, "ru")
        assert released.returncode == 0 and released.stdout.decode().strip() == f"released {two} ru"
        assert site.cli("wait", one, two, "--timeout", "60").returncode == 0
        assert {one, two} <= feed_items(site, "ru").keys()

        # A translation the quality gate held is approved the same way (held before review).
        store = Store(site.settings.database_url)
        try:
            broken = Translation(
                "ru", "паром паром паром", (Paragraph(Kind.LEAD, "паром " * 9),), Provenance("broken", "1")
            )
            lifecycle.requeue(store, two, ["ru"])
            assert translated(store, two, 1, broken, issues=["loop: repeats 'паром'"]) == JobState.HELD
            assert site.cli("wait", two, "--timeout", "5").returncode == 1  # held is a failure to wait
            assert site.cli("approve", two, "ru").returncode == 0
            assert site.cli("wait", two, "--timeout", "60").returncode == 0
            assert feed_items(site, "ru")[two]["title"] == "паром паром паром"
            assert store.jobs.get(JobKey(two, 1, "ru")).state == JobState.PUBLISHED
        finally:
            store.close()
    finally:
        worker.terminate()
        worker.wait(60)


def test_the_grace_period_publishes_unreviewed_text_after_a_sweep_and_says_so(site, redis, tmp_path):
    grace_s = 0.001 * 3600  # SYNDICATE_REVIEW_GRACE=0.001 hours
    worker = start_worker(site, SYNDICATE_REVIEW="ru", SYNDICATE_REVIEW_GRACE="0.001")
    try:
        (path,) = write_articles(tmp_path / "articles", 1)
        one = submit(site, path)
        until_states(site, one, {"en": "published", "ja": "published", "ru": "review"})
        entered = time.monotonic()
        status = site.cli("status", one).stdout.decode()
        assert "review: waits for an editor" in status and "published without review at" in status
        assert one not in feed_items(site, "ru")
        time.sleep(max(0.0, grace_s + 0.5 - (time.monotonic() - entered)))
        assert one not in feed_items(site, "ru")  # only a sweep publishes it

        swept = site.cli("sweep", "--min-age", "0")
        assert swept.returncode == 0, swept.stderr
        assert "published 1 translation(s) without review" in swept.stderr.decode()
        assert site.cli("wait", one, "--timeout", "60").returncode == 0
        item = feed_items(site, "ru")[one]
        assert item["_syndicate"]["published_without_review"] is True
        assert item["_syndicate"]["provenance"].endswith(" " + NOTE_RU)
        assert NOTE_RU in item["content_html"]
        assert "published_without_review" not in feed_items(site, "ja")[one]["_syndicate"]
        atom = (site.settings.feeds_dir / "feeds" / "ru" / "atom.xml").read_text("utf-8")
        assert atom.count(NOTE_RU) == 1
        status = json.loads(site.cli("status", one, "--json").stdout)["languages"]
        assert status["ru"]["published_without_review"] is not None
        assert status["ja"]["published_without_review"] is None
        assert "ru   published without review" in site.cli("status", one).stdout.decode()
        again = site.cli("sweep", "--min-age", "0")
        assert "without review" not in again.stderr.decode()  # once
    finally:
        worker.terminate()
        worker.wait(60)
