"""Every input of the ingestion corpus gives its expected structure or its expected reason.

The corpus is tests/testdata/ingest/ (the original inputs) and one folder per kind of scraper
fault beneath it (dates/, header/, characters/, markup/, pages/, ...): each holds good/, bad/
and an expected.toml written by hand from the inputs, not generated from the parser's output.
Keys of a good input (after its file's [defaults]): title, published, updated ("" for none),
author, url, kinds, lead_trimmed, lead_starts and lead_ends (of the LEAD paragraph); optional
speakers, texts (every paragraph's exact text), sentences (every paragraph's sentence count),
notes (substrings that must each be in one note), no_notes (substrings no note may contain),
absent (substrings found nowhere in title, author or paragraphs), zone (the --source-tz to read
with), file (the input's path under tests/testdata/ when it is not good/NAME: the field cases
are kept once, in tests/testdata/field/).
"""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from syndicate import segment
from syndicate.ingest import IngestOptions, Rejected, parse_bytes
from syndicate.model import Kind

TESTDATA = Path(__file__).parent / "testdata"
CORPUS = TESTDATA / "ingest"
OPTIONS = IngestOptions(zone=UTC, now=datetime(2026, 11, 1, tzinfo=UTC))


def _load() -> tuple[dict[str, tuple[Path, dict[str, Any]]], dict[str, tuple[Path, Any]]]:
    good: dict[str, tuple[Path, dict[str, Any]]] = {}
    bad: dict[str, tuple[Path, Any]] = {}
    for file in sorted(CORPUS.rglob("expected.toml")):
        folder, expected = file.parent, tomllib.loads(file.read_text("utf-8"))
        prefix = "" if folder == CORPUS else f"{folder.name}/"
        for name, want in expected.get("good", {}).items():
            path = TESTDATA / want["file"] if "file" in want else folder / "good" / name
            good[prefix + name] = (path, {**expected.get("defaults", {}), **want})
        for name, want in expected.get("bad", {}).items():
            bad[prefix + name] = (folder / "bad" / name, want)
    return good, bad


GOOD, BAD = _load()


def _options(want: dict[str, Any]) -> IngestOptions:
    if "zone" in want:
        return dataclasses.replace(OPTIONS, zone=ZoneInfo(want["zone"]))
    return OPTIONS


def test_the_corpus_is_complete():
    assert len(GOOD) >= 60 and len(BAD) >= 25
    on_disk = {p for p in CORPUS.rglob("*") if p.is_file() and p.parent.name in ("good", "bad")}
    listed = {path for path, _ in GOOD.values()} | {path for path, _ in BAD.values()}
    assert on_disk == {path for path in listed if CORPUS in path.parents}
    assert all(path.is_file() for path in listed)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_input(name):
    path, want = GOOD[name]
    article = parse_bytes(path.read_bytes(), options=_options(want))
    assert article.title == want["title"]
    assert article.published == datetime.fromisoformat(want["published"])
    assert article.published.utcoffset() == datetime.fromisoformat(want["published"]).utcoffset()
    updated = want.get("updated", "")
    assert (article.updated.isoformat() if article.updated else "") == (
        datetime.fromisoformat(updated).isoformat() if updated else ""
    )
    assert (article.author or "") == want["author"]
    assert (article.url or "") == want["url"]
    assert [str(p.kind) for p in article.paragraphs] == want["kinds"]
    assert article.lead_trimmed == want["lead_trimmed"]
    lead = next(p.text for p in article.paragraphs if p.kind == Kind.LEAD)
    assert lead.startswith(want["lead_starts"]) and lead.endswith(want["lead_ends"])
    if "speakers" in want:
        assert [p.speaker for p in article.paragraphs if p.speaker] == want["speakers"]
    if "texts" in want:
        assert [p.text for p in article.paragraphs] == want["texts"]
    if "sentences" in want:
        assert [len(segment.sentences(p.text, article.lang)) for p in article.paragraphs] == want["sentences"]
    for fragment in want.get("notes", []):
        assert any(fragment in note for note in article.notes), (fragment, article.notes)
    for fragment in want.get("no_notes", []):
        assert not any(fragment in note for note in article.notes), (fragment, article.notes)
    everything = [article.title, article.author or "", *(p.text for p in article.paragraphs)]
    for fragment in want.get("absent", []):
        assert not any(fragment in text for text in everything), fragment
    for p in article.paragraphs:
        assert p.text == " ".join(p.text.split())  # whitespace collapsed, no line breaks
        assert not any(
            ch in p.text for ch in ("\u200b", "\u00ad", "\x07", "icon", "Share", "Advertisement", "Read more")
        )
    for text in everything:
        assert (
            "tracking" not in text and "Great news, finally" not in text and "Ferry prices rise" not in text
        )
    assert all("\n" not in note for note in article.notes)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input(name):
    path, want = BAD[name]
    with pytest.raises(Rejected) as info:
        parse_bytes(path.read_bytes(), options=_options(want) if isinstance(want, dict) else OPTIONS)
    message = info.value.message
    assert (want["reason"] if isinstance(want, dict) else want) in message
    assert "\n" not in message


def test_too_large_input():
    with pytest.raises(Rejected, match="too large"):
        parse_bytes(b"x" * 2_000_001, options=OPTIONS)


def test_lead_policy_reject():
    data = (CORPUS / "good" / "t02_cut_lead.txt").read_bytes()
    from syndicate.ingest import LeadPolicy

    with pytest.raises(Rejected, match="cut off mid-sentence"):
        parse_bytes(data, options=IngestOptions(now=OPTIONS.now, lead_policy=LeadPolicy.REJECT))
