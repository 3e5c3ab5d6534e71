"""Human segments survive revisions, re-translation and a model upgrade (issue 16, items 1 and 6),
with a real Redis, Celery worker and CLI: an editor's sentence is published as post-edited
machine translation and stays until `retranslate --discard-edits`. Demo models: their output is
NOT a translation; the test only follows which text came from whom."""

from __future__ import annotations

import dataclasses
import json
from html import escape
from pathlib import Path

from lxml import etree

from syndicate import editing
from syndicate.model import entry_id
from syndicate.stack import stop
from syndicate.store import JobKey, Store
from syndicate.translation import demo, packages
from tests.integration.conftest import Site, wait_for_log
from workers.dispatch import Dispatcher

ATOM = "{http://www.w3.org/2005/Atom}"
SENTENCES = [
    "The harbour council approved a new ferry timetable on Monday.",
    "The first sailing leaves at six in the morning.",
    "Tickets are sold at https://harbour.example/tickets from today.",
]
EDITED = "Первый рейс отправляется в шесть утра, сказал совет."


def write(tmp_path: Path, sentences: list[str]) -> Path:
    path = tmp_path / f"story-{len(list(tmp_path.iterdir()))}.json"
    body = {
        "title": "Ferry timetable approved",
        "published": "2021-05-01T10:00:00Z",
        "body": " ".join(sentences),
        "url": "https://harbour.example/ferry",
    }
    path.write_text(json.dumps(body))
    return path


def ru_item(site: Site, article_id: str) -> dict:
    feed = json.loads((site.settings.feeds_dir / "feeds" / "ru" / "feed.json").read_text())
    (item,) = [i for i in feed["items"] if i["id"] == entry_id(article_id, "ru")]
    return item


def atom_term(site: Site, article_id: str) -> str:
    root = etree.parse(str(site.settings.feeds_dir / "feeds" / "ru" / "atom.xml")).getroot()
    for entry in root.findall(f"{ATOM}entry"):
        if entry.findtext(f"{ATOM}id") == entry_id(article_id, "ru"):
            return entry.find(f"{ATOM}category").get("term")
    raise AssertionError("no ru entry")


def wait(site: Site, article_id: str) -> None:
    done = site.cli("wait", article_id, "--timeout", "180")
    assert done.returncode == 0, done.stderr.decode()


def test_an_edited_sentence_survives_revisions_retranslation_and_a_model_upgrade(
    site, worker, tmp_path, demo_archives
):
    sources = tmp_path / "sources"
    sources.mkdir()
    submitted = site.cli("submit", str(write(sources, SENTENCES)))
    assert submitted.returncode == 0, submitted.stderr
    article_id = submitted.stdout.decode().strip()
    wait(site, article_id)
    assert ru_item(site, article_id)["_syndicate"]["translation"]["kind"] == "machine"

    settings = site.settings
    store = Store(settings.database_url)
    doc = editing.export_document(store, settings, article_id, "ru")
    assert [u.source for u in doc.units[1:]] == SENTENCES
    units = list(doc.units)
    units[2] = dataclasses.replace(units[2], target=EDITED)
    report = editing.apply_document(
        store, settings, dataclasses.replace(doc, units=tuple(units)), Dispatcher(settings)
    )
    assert report.applied == [doc.units[2].id] and report.published
    wait(site, article_id)

    def edited_and_published(kind: str = "post-edited") -> dict:
        item = ru_item(site, article_id)
        assert EDITED in item["content_html"]
        made = item["_syndicate"]["translation"]
        assert (made["kind"], made["human_segments"], made["segments"]) == (kind, 1, 4)
        assert atom_term(site, article_id) == "post-edited"
        return item

    first = edited_and_published()
    note = first["_syndicate"]["provenance"]
    assert "отредактирован человеком" in note and first["content_html"].endswith(
        f"<p><em>{escape(note, quote=False)}</em></p>"
    )

    # A new revision changing another sentence keeps the edit; the changed sentence is machine.
    changed = [SENTENCES[0].replace("Monday", "Tuesday"), *SENTENCES[1:]]
    revised = site.cli("submit", str(write(sources, changed)))
    assert revised.returncode == 0 and revised.stdout.decode().strip() == article_id
    wait(site, article_id)
    edited_and_published()
    records = store.translations.segments(JobKey(article_id, 2, "ru"))
    assert [(r["origin"], r["reviewed"]) for r in records] == [
        ("machine", False), ("machine", False), ("human", True), ("machine", False),
    ]  # fmt: skip
    assert records[2]["id"] == doc.units[2].id

    # Re-translation keeps human segments.
    assert site.cli("retranslate", article_id, "--lang", "ru").returncode == 0
    wait(site, article_id)
    edited_and_published()

    # A new model version (a restarted worker loads it) keeps them too.
    stop(worker, grace=30)
    upgraded = demo.build_package("ru", tmp_path, version="0.9.0", seed=11)
    packages.remove(packages.find(settings.packages_dir, "en", "ru"))
    packages.install_file(upgraded, settings.packages_dir)
    again = site.spawn("worker-2", "worker", "--loglevel", "INFO")
    try:
        wait_for_log(site, "worker-2", " ready.", again)
        assert site.cli("retranslate", article_id, "--lang", "ru").returncode == 0
        wait(site, article_id)
        item = edited_and_published()
        assert item["_syndicate"]["translation"]["model_version"] == "0.9.0"

        # --discard-edits drops them: machine translation throughout.
        discarded = site.cli("retranslate", article_id, "--lang", "ru", "--discard-edits")
        assert discarded.returncode == 0, discarded.stderr
        assert b"1 human segment(s) discarded" in discarded.stderr
        wait(site, article_id)
        item = ru_item(site, article_id)
        assert EDITED not in item["content_html"]
        assert item["_syndicate"]["translation"]["kind"] == "machine"
        assert atom_term(site, article_id) == "machine-translation"
    finally:
        stop(again, grace=30)
        store.close()
