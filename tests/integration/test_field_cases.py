"""The ingestion field cases (tests/testdata/field/, copies of the inputs that broke the service
in November 2026), through the real `syndicate submit` command: the correct result of each, as
its README gives it, in the dry run's JSON; notes on stderr; stored with the revision and shown
by `syndicate status`."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.conftest import TESTDATA

FIELD = TESTDATA / "field"
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


def dry_run(site, name: str, *args: str) -> tuple[dict[str, Any], str]:
    result = site.cli("submit", "--dry-run", "--json", *args, str(FIELD / name))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr.decode()


def texts(data: dict[str, Any]) -> list[str]:
    return [data["title"], data["author"] or "", *(p["text"] for p in data["paragraphs"])]


def test_01_a_zone_abbreviation_is_the_zone_of_that_date(site):
    data, err = dry_run(site, "01-edt-dateline.txt")
    assert data["published"] == "2014-10-07T14:30:00-04:00"
    assert data["title"] == "Transit authority approves night bus service for the riverside districts"
    assert any("EDT" in note for note in data["notes"]) and "EDT" in err


def test_03_character_references_are_decoded_everywhere(site):
    data, _ = dry_run(site, "03-entities-title.txt")
    assert data["title"] == 'Mayor\'s "green" budget passes & parking fees rise'
    assert not any(ENTITY.search(text) for text in texts(data))
    assert "parking fees and bus fares" in data["paragraphs"][0]["text"]  # &nbsp; is a plain space
    assert "March — twice the current rate —" in data["paragraphs"][1]["text"]


def test_04_a_json_body_of_html_is_read_as_html(site):
    data, err = dry_run(site, "04-json-html-body.json")
    assert len(data["paragraphs"]) == 3
    assert not any("<" in text or ">" in text for text in texts(data))
    assert "by the city council." in data["paragraphs"][1]["text"]
    assert data["lead_trimmed"] is False and "cut off" not in err


def test_05_text_in_bare_divs_is_kept(site):
    data, _ = dry_run(site, "05-div-text.html")
    starts = [
        "A regional water company",
        "The judge said",
        "The company said",
        "Anglers' groups",
        "The environment",
    ]
    assert [p["text"][: len(s)] for p, s in zip(data["paragraphs"], starts, strict=False)] == starts
    assert len(data["paragraphs"]) == 5
    assert data["author"] == "Dana Whitfield"
    assert data["published"] == "2015-06-18T08:45:00+01:00"


def test_07_list_items_stay_list_items(site):
    data, _ = dry_run(site, "07-list-items.html")
    items = [p["text"] for p in data["paragraphs"] if p["kind"] == "item"]
    assert items == [
        "Free breakfast clubs in every primary school",
        "School buses every 15 minutes on the main routes",
        "Mobile phones banned in classrooms",
        "Uniform grants raised to 150 pounds",
    ]
    kinds = [p["kind"] for p in data["paragraphs"]]
    assert "heading" not in kinds and kinds.index("item") == 2  # after "The main changes are:"


def test_08_soft_hyphens_never_reach_storage(site):
    data, _ = dry_run(site, "08-soft-hyphen.txt")
    assert data["title"] == "Regional parliament approves new infrastructure fund"
    assert not any("\u00ad" in text for text in texts(data))
    assert "negotiations" in data["paragraphs"][0]["text"]


def test_09_mojibake_is_repaired_and_said(site):
    data, err = dry_run(site, "09-double-utf8.txt")
    assert data["title"] == "Café owners say the city’s new terrace rules are “unfair”"
    assert "Owners of cafés" in data["paragraphs"][0]["text"] and "“unfair”" in data["paragraphs"][0]["text"]
    assert any("mojibake" in note for note in data["notes"]) and "mojibake" in err


def test_11_abbreviations_do_not_end_sentences(site):
    data, _ = dry_run(site, "11-abbreviations.txt")
    assert [len(p["sentences"]) for p in data["paragraphs"]] == [1, 1, 1]


def test_19_scraped_scripts_are_dropped_and_said(site):
    data, err = dry_run(site, "19-script-in-text.txt")
    for text in texts(data):
        assert not re.search(r"<script|onerror|javascript:", text, re.IGNORECASE), text
    assert data["notes"] and "dropped" in err
    assert data["paragraphs"][-1]["text"] == "The festival runs from 14 to 16 August in the riverside park."


def test_20_markup_in_a_title_is_text(site):
    data, _ = dry_run(site, "20-title-specials.txt")
    assert (
        data["title"]
        == "Tom & Jerry's <b>\"Cheese & Crackers\"</b> café beats 'Big Mac' <> rivals ]]> in award"
    )


@pytest.mark.parametrize("name", ["01-edt-dateline.txt", "09-double-utf8.txt", "19-script-in-text.txt"])
def test_notes_are_said_stored_and_shown_by_status(site, name):
    """stdout stays the article id; each note is one stderr line; `status` shows them again."""
    result = site.cli("submit", str(FIELD / name))
    assert result.returncode == 0, result.stderr
    article_id = result.stdout.decode().strip()
    assert re.fullmatch(r"[0-9a-z]{10}", article_id)
    said = [line.split(": ", 2)[2] for line in result.stderr.decode().splitlines()
            if line.startswith(f"syndicate: {FIELD / name}: ")]  # fmt: skip
    assert said
    status = json.loads(site.cli("status", "--json", article_id).stdout)
    assert status["notes"] == said
    shown = site.cli("status", article_id).stdout.decode()
    assert all(f"note: {note}" in shown for note in status["notes"])
