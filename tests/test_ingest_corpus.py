"""Every input in tests/testdata/ingest gives its expected structure or its expected reason."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.ingest import IngestOptions, Rejected, parse_bytes

CORPUS = Path(__file__).parent / "testdata" / "ingest"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text("utf-8"))
OPTIONS = IngestOptions(zone=UTC, now=datetime(2026, 11, 1, tzinfo=UTC))


def test_the_corpus_is_complete():
    assert len(list((CORPUS / "good").iterdir())) >= 25 and len(list((CORPUS / "bad").iterdir())) >= 15
    assert set(EXPECTED["good"]) == {p.name for p in (CORPUS / "good").iterdir()}
    assert set(EXPECTED["bad"]) == {p.name for p in (CORPUS / "bad").iterdir()}


@pytest.mark.parametrize("name", sorted(EXPECTED["good"]))
def test_good_input(name):
    want = {**EXPECTED["defaults"], **EXPECTED["good"][name]}
    article = parse_bytes((CORPUS / "good" / name).read_bytes(), options=OPTIONS)
    assert article.title == want["title"]
    assert article.published == datetime.fromisoformat(want["published"])
    assert article.published.utcoffset() == datetime.fromisoformat(want["published"]).utcoffset()
    assert (article.author or "") == want["author"]
    assert (article.url or "") == want["url"]
    assert [str(p.kind) for p in article.paragraphs] == want["kinds"]
    assert article.lead_trimmed == want["lead_trimmed"]
    lead = article.paragraphs[0].text
    assert lead.startswith(want["lead_starts"]) and lead.endswith(want["lead_ends"])
    if "speakers" in want:
        assert [p.speaker for p in article.paragraphs if p.speaker] == want["speakers"]
    for p in article.paragraphs:
        assert p.text == " ".join(p.text.split())  # whitespace collapsed, no line breaks
        assert not any(
            ch in p.text for ch in ("\u200b", "\x07", "icon", "Share", "Advertisement", "Read more")
        )
    for text in (article.title, *(p.text for p in article.paragraphs)):
        assert (
            "tracking" not in text and "Great news, finally" not in text and "Ferry prices rise" not in text
        )


@pytest.mark.parametrize("name", sorted(EXPECTED["bad"]))
def test_bad_input(name):
    with pytest.raises(Rejected) as info:
        parse_bytes((CORPUS / "bad" / name).read_bytes(), options=OPTIONS)
    message = info.value.message
    assert EXPECTED["bad"][name] in message
    assert "\n" not in message


def test_too_large_input():
    with pytest.raises(Rejected, match="too large"):
        parse_bytes(b"x" * 2_000_001, options=OPTIONS)


def test_lead_policy_reject():
    data = (CORPUS / "good" / "t02_cut_lead.txt").read_bytes()
    from syndicate.ingest import LeadPolicy

    with pytest.raises(Rejected, match="cut off mid-sentence"):
        parse_bytes(data, options=IngestOptions(now=OPTIONS.now, lead_policy=LeadPolicy.REJECT))
