"""The CLI contract against real processes: bad input, wait, status, failures, redelivery."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from syndicate.stack import stop
from syndicate.store import JobKey, Store
from syndicate.store import tables as t
from tests.conftest import ARTICLES, TESTDATA
from tests.integration.accounting import report
from tests.integration.conftest import wait_for_log

ROOT_SAMPLES = TESTDATA / "ingest" / "good"

GOOD = ARTICLES / "storm-warning-2020.txt"


def stored_articles(site) -> int:
    store = Store(site.settings.database_url)
    try:
        return store.articles.count()
    finally:
        store.close()


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty input"),
        ("scan.pdf", b"%PDF-1.4 binary", "binary input"),
        ("photo.txt", b"\x89PNG\r\n\x1a\nxxxx", "binary input"),
        ("garbage.txt", b"Title\n\n" + bytes(range(0x80, 0x100)) * 4, "not valid UTF-8"),
        ("short.txt", b"12 May, 2020 10:00\n\nA title\n\nToo short to be an article.", "body too short"),
        ("notitle.txt", b"12 May, 2020 10:00\n", "no title"),
        ("huge.txt", b"12 May, 2020 10:00\n\nTitle\n\n" + b"word " * 500_000, "too large"),
    ],
)
def test_bad_input_exit_2_one_line_nothing_stored(site, tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    result = site.cli("submit", str(path))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0] and reason in lines[0]
    assert result.stdout == b""
    assert stored_articles(site) == 0


def test_missing_file_and_stdin(site):
    result = site.cli("submit", "/nonexistent/article.txt")
    assert result.returncode == 2 and b"/nonexistent/article.txt: no such file" in result.stderr
    result = site.cli("submit", "-", input=GOOD.read_bytes())
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 1
    assert stored_articles(site) == 1


def test_directory_stores_good_files_and_rejects_bad_ones(site, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in ARTICLES.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "broken.txt").write_bytes(b"%PDF-1.5")
    result = site.cli("submit", str(folder))
    assert result.returncode == 2
    assert len(result.stdout.split()) == 2
    assert b"broken.txt: binary input" in result.stderr
    assert stored_articles(site) == 2


def test_without_redis_the_article_is_stored_and_queued(site):
    result = site.cli("submit", str(GOOD))
    assert result.returncode == 0, result.stderr
    assert b"stored and queued" in result.stderr
    article_id = result.stdout.decode().strip()
    status = json.loads(site.cli("status", article_id, "--json").stdout)
    assert status["languages"]["ru"]["state"] == "queued"
    listed = json.loads(site.cli("list", "--json").stdout)
    assert [a["id"] for a in listed] == [article_id]


def test_wait_times_out_with_status_3(site, redis):
    article_id = site.cli("submit", str(GOOD)).stdout.decode().strip()
    result = site.cli("wait", article_id, "--timeout", "1")
    assert result.returncode == 3
    assert b"timed out" in result.stderr


def test_a_missing_model_waits_and_installing_one_resumes_the_job(site, redis, demo_archives):
    """No en->ja package: the ja job waits (never fails), every command says how to install one,
    and installing it is the only thing the operator does for the article to be published."""
    from syndicate.translation import packages

    (ja,) = [p for p in packages.installed(site.settings.packages_dir) if p.to_code == "ja"]
    packages.remove(ja)
    worker = site.spawn("worker", "worker")
    try:
        article_id = site.cli("submit", str(GOOD)).stdout.decode().strip()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = json.loads(site.cli("status", article_id, "--json").stdout)
            states = {lang: s["state"] for lang, s in status["languages"].items()}
            if states == {"en": "published", "ru": "published", "ja": "waiting-for-model"}:
                break
            time.sleep(0.5)
        assert states == {"en": "published", "ru": "published", "ja": "waiting-for-model"}
        assert status["languages"]["ja"]["attempts"] == 0
        text = site.cli("status", article_id).stdout.decode()
        assert "ja   waiting-for-model: install one with syndicate models install en ja" in text
        assert "syndicate models demo" in text
        listed = json.loads(site.cli("list", "--state", "waiting-for-model", "--json").stdout)
        assert [row["id"] for row in listed] == [article_id]
        assert json.loads(site.cli("list", "--state", "failed", "--json").stdout) == []
        doctor = site.cli("doctor").stdout.decode()
        assert "FAIL model ja" in doctor and "1 job(s) waiting-for-model" in doctor
        assert site.cli("wait", article_id, "--timeout", "2").returncode == 3  # waiting, not failed

        installed = site.cli("models", "install", str(demo_archives["ja"]))
        assert installed.returncode == 0, installed.stderr
        assert b"resumed 1 job(s) that waited for a model" in installed.stderr
        waited = site.cli("wait", article_id, "--timeout", "120")
        assert waited.returncode == 0, waited.stderr.decode() + site.log("worker")[-3000:]
        report(site, [article_id])
    finally:
        worker.terminate()
        worker.wait(30)


def test_redelivered_task_gives_one_translation_and_one_entry(site, worker):
    from syndicate.store import JobKey
    from workers.dispatch import Dispatcher

    article_id = site.cli("submit", str(GOOD)).stdout.decode().strip()
    assert site.cli("wait", article_id, "--timeout", "120").returncode == 0
    # As if Redis delivered it again.
    assert Dispatcher(site.settings).send_translations([JobKey(article_id, 1, "ru")])
    deadline = time.monotonic() + 60
    while "already-done" not in site.log("worker") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "already-done" in site.log("worker")
    store = Store(site.settings.database_url)
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(func.count()).select_from(t.translations).where(t.translations.c.lang == "ru")
        ).scalar_one()
    store.close()
    assert rows == 1
    report(site, [article_id])


def test_models_load_once_per_worker_process(site, worker):
    ids = [site.cli("submit", str(p)).stdout.decode().strip() for p in sorted(ARTICLES.glob("*.txt"))]
    assert site.cli("wait", *ids, "--timeout", "120").returncode == 0
    loads = [line for line in site.log("worker").splitlines() if "loaded model" in line]
    processes = {line.rsplit("process ", 1)[1] for line in loads}
    assert len(processes) == 1  # one pool process (concurrency 1)...
    assert len(loads) == 2  # ...which loaded en->ru and en->ja once each, for all articles


def test_held_translation_release_and_retranslate_from_the_cli(site, worker):
    from syndicate.model import Kind, Paragraph, Provenance, Translation

    article_id = site.cli("submit", str(GOOD)).stdout.decode().strip()
    assert site.cli("wait", article_id, "--timeout", "120").returncode == 0
    # Replace the Russian text with what a broken model might produce, held by the gate.
    store = Store(site.settings.database_url)
    broken = Translation(
        "ru",
        "паром паром паром паром паром",
        (Paragraph(Kind.LEAD, "паром " * 9),),
        Provenance("broken-model", "1"),
    )
    from syndicate import lifecycle
    from tests.store_helpers import translated

    lifecycle.requeue(store, article_id, ["ru"])
    translated(store, article_id, 1, broken, issues=["loop: repeats 'паром'"])
    status = site.cli("status", article_id).stdout.decode()
    assert "ru   held by the quality gate" in status and "loop: repeats" in status
    assert site.cli("wait", article_id, "--timeout", "5").returncode == 1

    released = site.cli("release", article_id, "ru")
    assert released.returncode == 0, released.stderr
    assert site.cli("wait", article_id, "--timeout", "60").returncode == 0
    atom = (site.settings.feeds_dir / "feeds" / "ru" / "atom.xml").read_text("utf-8")
    assert "паром паром паром" in atom  # the operator chose to publish it

    again = site.cli("retranslate", article_id, "--lang", "ru")
    assert again.returncode == 0 and again.stdout.decode().strip() == article_id
    assert site.cli("wait", article_id, "--timeout", "120").returncode == 0
    from syndicate.store import JobKey

    assert store.translations.get(JobKey(article_id, 1, "ru")).provenance.model_name.startswith(
        "syndicate-demo"
    )
    atom = (site.settings.feeds_dir / "feeds" / "ru" / "atom.xml").read_text("utf-8")
    assert "паром паром паром" not in atom
    assert site.cli("release", article_id, "ru").returncode == 2  # nothing held now
    store.close()


def test_dry_run_shows_structure_and_stores_nothing(site):
    sample = ROOT_SAMPLES / "t14_quotes_speaker.txt"
    result = site.cli("submit", "--dry-run", "--json", "--source-tz", "Europe/Moscow", str(sample))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "City council approves a new footbridge over the old harbour"
    assert data["published"] == "2014-10-07T14:30:00+04:00"
    assert {"author", "url"} <= set(data)
    assert [p["kind"] for p in data["paragraphs"]] == ["lead", "paragraph", "quote", "quote", "paragraph"]
    assert all(isinstance(p["text"], str) and p["text"] for p in data["paragraphs"])
    assert not (site.data_dir / "syndicate.db").exists()  # nothing stored, no Redis needed
    text = site.cli("submit", "--dry-run", str(sample)).stdout.decode()
    assert "[quote (Mikhail Orlov)]" in text


def test_revision_by_url_and_update_then_retract(site, worker, server, tmp_path):
    def article(title: str, extra: str = "") -> Path:
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.json"
        body = ("The harbour council approved the new ferry timetable on Monday after months of talks with "
                "the operators and the towns on both coasts of the strait. " + extra)  # fmt: skip
        path.write_text(json.dumps({"title": title, "published": "2021-05-04T10:00:00Z", "body": body,
                                    "url": "https://harbour.example/ferry"}))  # fmt: skip
        return path

    first = site.cli("submit", str(article("Ferry timetable approved")))
    article_id = first.stdout.decode().strip()
    assert site.cli("wait", article_id, "--timeout", "120").returncode == 0
    same = site.cli("submit", str(article("Ferry timetable approved")))
    assert same.stdout.decode().strip() == article_id and b"already stored" in same.stderr
    revised = site.cli("submit", str(article("Ferry timetable approved after all", "Boats sail hourly.")))
    assert revised.stdout.decode().strip() == article_id and b"revision 2" in revised.stderr
    assert site.cli("wait", article_id, "--timeout", "120").returncode == 0
    status = json.loads(site.cli("status", article_id, "--json").stdout)
    assert status["revision"] == 2 and status["languages"]["ru"]["state"] == "published"
    _, _, atom = site.fetch("/feeds/en/atom.xml")
    assert atom.count(b"<entry") == 1 and b"Ferry timetable approved after all" in atom

    updated = site.cli("submit", "--update", article_id, str(article("Ferry timetable final", "Fares fall.")))
    assert updated.returncode == 0 and b"revision 3" in updated.stderr
    assert site.cli("wait", article_id, "--timeout", "120").returncode == 0

    retracted = site.cli("retract", article_id)
    assert retracted.returncode == 0, retracted.stderr
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        feeds = [site.fetch(f"/feeds/{lang}/atom.xml")[2] for lang in ("en", "ru", "ja")]
        if all(b"<entry" not in f for f in feeds):
            break
        time.sleep(0.3)
    assert all(b"<entry" not in f for f in feeds)
    assert not (site.settings.feeds_dir / "en" / f"{article_id}.html").exists()
    assert not (site.settings.feeds_dir / "articles" / f"{article_id}.html").exists()
    status = json.loads(site.cli("status", article_id, "--json").stdout)
    assert status["retracted"] is not None
    assert "retracted" in site.cli("status", article_id).stdout.decode()
    waited = site.cli("wait", article_id, "--timeout", "5")
    assert waited.returncode == 1 and b"retracted" in waited.stderr


def test_an_article_retracted_before_it_was_published_is_not_pursued(site, redis, tmp_path):
    """Retracted while its translations wait: no worker translates it, no sweep sends it,
    `wait` says retracted at once, and /metrics no longer counts its jobs."""
    article_id = site.cli("submit", str(GOOD)).stdout.decode().strip()
    assert site.cli("retract", article_id).returncode == 0
    worker = site.spawn("worker", "worker", "--loglevel", "INFO")
    try:
        wait_for_log(site, "worker", " ready.", worker)
        swept = site.cli("sweep", "--min-age", "0")
        assert swept.returncode == 0 and b"re-sent" not in swept.stderr, swept.stderr
        waited = site.cli("wait", article_id, "--timeout", "10")
        assert waited.returncode == 1 and b"retracted" in waited.stderr, waited.stderr
        deadline = time.monotonic() + 30
        while "superseded" not in site.log("worker") and time.monotonic() < deadline:
            time.sleep(0.3)  # the messages sent before the retraction find it retracted
        assert "superseded" in site.log("worker")
        store = Store(site.settings.database_url)
        assert store.counts.jobs() == {}
        assert store.translations.get(JobKey(article_id, 1, "ru")) is None
        store.close()
    finally:
        stop(worker, grace=30)


def test_poison_article_fails_after_bounded_retries_and_others_flow(site, worker):
    from tests.test_pipeline import poison
    from workers.dispatch import Dispatcher

    store = Store(site.settings.database_url)
    bad = poison(store, site.settings)
    assert Dispatcher(site.settings).send_submitted([(bad, 1)])
    good = site.cli("submit", str(GOOD)).stdout.decode().strip()
    assert site.cli("wait", good, "--timeout", "120").returncode == 0  # others keep flowing
    assert site.cli("wait", bad, "--timeout", "120").returncode == 1
    deadline = time.monotonic() + 90  # three retries, backoff up to 2, 4, 8 s (jittered) per language
    while time.monotonic() < deadline:
        status = json.loads(site.cli("status", bad, "--json").stdout)
        if all(status["languages"][lang]["state"] == "failed" for lang in ("ru", "ja")):
            break
        time.sleep(1)
    for lang in ("ru", "ja"):
        assert status["languages"][lang]["state"] == "failed"
        assert "no-such-kind" in status["languages"][lang]["error"]
        assert status["languages"][lang]["attempts"] == 4  # the first try and three retries
    assert status["languages"]["en"]["state"] == "failed"  # publishing refused it, and went on
    assert "unreadable" in status["languages"]["en"]["error"]
    store.close()
    report(site, [good])  # the poison article is failed, visibly; the good one is published once


def test_doctor(site):
    down = site.cli("doctor")
    assert down.returncode == 1
    lines = down.stdout.decode().splitlines()
    assert any(line.startswith("FAIL redis") for line in lines)
    assert any(line.startswith("ok   database") for line in lines)
    assert any(line.startswith("ok   model ru") and "DEMO" in line for line in lines)
    from syndicate.stack import start_redis, stop

    proc = start_redis(site.settings)
    try:
        up = site.cli("doctor")
        assert up.returncode == 0, up.stdout
        assert all(line.startswith("ok") for line in up.stdout.decode().splitlines())
    finally:
        stop(proc)
    site.env["SYNDICATE_TARGETS"] = "ru,de"
    missing = site.cli("doctor")
    assert missing.returncode == 1 and b"FAIL model de" in missing.stdout


def test_sweep_without_redis_says_so_in_one_line(site):
    site.cli("submit", str(GOOD))
    swept = site.cli("sweep", "--min-age", "0")
    lines = swept.stderr.decode().strip().splitlines()
    assert swept.returncode == 1 and len(lines) == 1, swept.stderr
    assert lines[0].startswith("Error: sweep: Redis unreachable at unix://")


def test_jobs_stored_while_redis_was_down_are_delivered_by_the_sweeper(site):
    from syndicate.stack import start_redis, stop

    submitted = site.cli("submit", str(GOOD))  # Redis is not running
    assert submitted.returncode == 0 and b"stored and queued" in submitted.stderr
    article_id = submitted.stdout.decode().strip()
    proc = start_redis(site.settings)  # Redis comes back, empty
    worker = site.spawn("worker", "worker")
    try:
        swept = site.cli("sweep", "--min-age", "0")
        assert swept.returncode == 0 and b"re-sent 2 unfinished job(s) and 1 publish(es)" in swept.stderr
        assert site.cli("wait", article_id, "--timeout", "120").returncode == 0
        report(site, [article_id])
        again = site.cli("sweep", "--min-age", "0")
        assert b"re-sent" not in again.stderr  # nothing is due any more
    finally:
        worker.terminate()
        worker.wait(30)
        stop(proc)


def test_submit_output_contract(site, tmp_path):
    """Scripts rely on it: stdout is exactly one article id per accepted input (the stored id
    for a duplicate), one per line; notes, warnings and the summary go to stderr; --json is one
    JSON document on stdout."""
    import re

    folder = tmp_path / "contract"
    folder.mkdir()
    for path in sorted(ARTICLES.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz-copy.txt").write_bytes(GOOD.read_bytes())  # a duplicate of one of them
    (folder / "zz-empty.txt").write_bytes(b"")
    result = site.cli("submit", str(folder))
    assert result.returncode == 2
    lines = result.stdout.decode().splitlines()
    accepted = len(list(ARTICLES.glob("*.txt"))) + 1
    assert len(lines) == accepted and all(re.fullmatch(r"[0-9a-z]{10}", line) for line in lines), lines
    assert len(set(lines)) == accepted - 1  # the duplicate printed the stored id again
    err = result.stderr.decode()
    assert "already stored as" in err and "zz-empty.txt" in err and "duplicates 1" in err
    assert "stored and queued" in err  # Redis is down: said on stderr, never on stdout

    stored = site.cli("submit", str(GOOD)).stdout.decode()
    assert stored.endswith("\n") and stored.strip() in lines  # a duplicate prints the stored id
    again = site.cli("submit", "--json", str(GOOD))
    outcomes = json.loads(again.stdout)  # the whole of stdout is one document
    assert [(o["article_id"], o["duplicate"]) for o in outcomes] == [(stored.strip(), True)]
