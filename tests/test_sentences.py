"""The sentence splitter against the hand-written corpus (tests/testdata/sentences.toml), the
field case of issue 11 through ingestion and the dry run's structure, and the property that no
character is ever lost or changed."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate import segment, segment_rules
from syndicate.ingest import IngestOptions, parse_bytes
from syndicate.ingest.structure import lead
from syndicate.submit import describe
from tests.conftest import TESTDATA

CASES: list[dict[str, Any]] = tomllib.loads((TESTDATA / "sentences.toml").read_text("utf-8"))["case"]
SPACES = re.compile(r"\s+")


def collapsed(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def joins_back(pieces: list[str], text: str) -> bool:
    """The pieces are the text, in order, cut at a space (dropped) or between two characters."""
    cursor = 0
    for i, piece in enumerate(pieces):
        if not piece or piece != piece.strip() or not text.startswith(piece, cursor):
            return False
        cursor += len(piece)
        if i < len(pieces) - 1 and text.startswith(" ", cursor):
            cursor += 1
    return cursor == len(text)


def test_the_corpus_is_big_and_consistent():
    names = [case["name"] for case in CASES]
    assert len(CASES) >= 60 and len(set(names)) == len(names)
    assert {case.get("lang", "en") for case in CASES} == {"en", "ru", "ja"}
    for case in CASES:
        # The expected split must be the text itself, cut: a typo in the corpus shows here.
        assert joins_back(case["sentences"], collapsed(case["text"])), case["name"]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=pytest.mark.xfail(reason=case["xfail"], strict=True)) if "xfail" in case
        else case
        for case in CASES
    ],
    ids=[case["name"] for case in CASES],
)  # fmt: skip
def test_corpus_case(case):
    assert segment.sentences(case["text"], case.get("lang", "en")) == case["sentences"]


def test_the_field_case_gives_one_sentence_per_paragraph_in_the_dry_run():
    options = IngestOptions(zone=UTC, now=datetime(2026, 11, 1, tzinfo=UTC))
    article = parse_bytes((TESTDATA / "field" / "11-abbreviations.txt").read_bytes(), options=options)
    structure = describe(article)
    assert [len(p["sentences"]) for p in structure["paragraphs"]] == [1, 1, 1]
    assert structure["paragraphs"][1]["sentences"][0].endswith("Acme Inc. USA, the yard's parent company.")
    assert not article.lead_trimmed


def test_a_cut_lead_is_trimmed_to_a_whole_sentence_not_at_an_abbreviation():
    text = "The deal was signed at 9 a.m. Monday by Gen. Robert Hayes. Officials of the Dept. of"
    assert lead(text).text == "The deal was signed at 9 a.m. Monday by Gen. Robert Hayes."


@pytest.mark.parametrize(
    ("token", "following", "ends"),
    [
        ("a.m.", ["Monday"], False),
        ("p.m.", ["The"], True),
        ("p.m.", ["New", "York", "time."], False),
        ("Corp.", ["Chairman"], False),
        ("Corp.", ["Tickets"], True),
        ("Inc.", ["USA,"], False),
        ("Gen.", ["Robert"], False),
        ("(U.S.", ["Navy"], False),
        ("U.S.", ["The"], True),
        ("J.", ["A."], False),
        ("No.", ["5"], False),
        ("No.", ["Then"], None),
        ("Oct.", ["2019."], False),
        ("said.", ["The"], None),
    ],
)
def test_the_rules_one_by_one(token, following, ends):
    assert segment_rules.decide(token, following) is ends


TOKENS = st.sampled_from(
    ["The", "he", "Gen.", "a.m.", "p.m.", "Monday", "Corp.", "Chairman", "U.S.", "J.", "No.", "5", "bn.",
     "Jr.", "Day", "…", "...", ".", "?", "!", "?!", '"', "“", "”", "(", ")", "https://x.org/a?b=1!c",
     "www.example.com.", "a@b.co", "example.com/Page.Html", "iPhone", "т. е.", "руб.", "。", "「", "」",
     "今日", "\u00a0", "\n", "\t", "\u2028", "\x1c", "", " "]
)  # fmt: skip
TEXTS = st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=30).map(" ".join)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXTS, st.sampled_from(["en", "ru", "ja"]))
def test_no_character_is_lost_or_changed(text, lang):
    pieces = segment.sentences(text, lang)
    assert joins_back(pieces, collapsed(text))
    if lang != "ja":
        assert " ".join(pieces) == collapsed(text)
