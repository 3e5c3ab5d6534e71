from __future__ import annotations

import codecs
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from syndicate.ingest import (
    IngestOptions,
    LeadPolicy,
    Reading,
    Rejected,
    dates,
    parse_bytes,
    scrape_text,
    structure,
)
from syndicate.ingest import errors as e
from syndicate.model import Kind
from tests.conftest import ARTICLES

UTC = ZoneInfo("UTC")
BODY = (
    "The council met on Monday to discuss the new ferry route across the strait, which officials say "
    "will cut the journey from nine hours to under five and bring back tourists."
)
CHROME = (
    "icon bookmark-bicon bookmarkicon cameraicon checkicon closeicon editicon fbicon mailicon shareicon fm"
)


def parse(text: str | bytes, zone=UTC, max_bytes: int = 100_000):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_bytes(data, zone=zone, max_bytes=max_bytes)


def test_library_article_structure():
    article = parse((ARTICLES / "library-reopens-2017.txt").read_bytes())
    assert article.title == "National library reopens after a five-year restoration"
    assert article.published == datetime(2017, 2, 3, 11, 40, tzinfo=UTC)
    kinds = [p.kind for p in article.paragraphs]
    assert kinds == [Kind.LEAD, Kind.PARAGRAPH, Kind.PARAGRAPH, Kind.HEADING, Kind.QUOTE, Kind.PARAGRAPH]
    assert article.paragraphs[3].text == "A room for everyone"
    assert not any("icon" in p.text for p in article.paragraphs)


def test_lead_cut_mid_word_is_trimmed_to_last_sentence():
    article = parse((ARTICLES / "library-reopens-2017.txt").read_bytes())
    lead = article.paragraphs[0].text
    assert article.lead_trimmed
    assert lead.endswith("84 million euros.")
    assert "mor" not in lead.split()[-1]


def test_complete_lead_is_kept_whole():
    article = parse((ARTICLES / "storm-warning-2020.txt").read_bytes())
    assert not article.lead_trimmed
    assert article.paragraphs[0].text.endswith("asked residents to stay indoors.")


def test_lead_without_any_full_sentence_is_kept_and_marked():
    lead = structure.lead("The regional government says a new passenger fer")
    assert lead.trimmed and lead.text.endswith("fer…")


def test_lead_policies():
    cut = "A ferry will link the ports. Officials announced the plan on Monday after a year of tal"
    assert structure.lead(cut, LeadPolicy.TRIM).text == "A ferry will link the ports."
    assert structure.lead(cut, LeadPolicy.KEEP).text == cut + "…"
    with pytest.raises(Rejected, match="cut off mid-sentence"):
        structure.lead(cut, LeadPolicy.REJECT)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("14 Mar, 2011 09:05", datetime(2011, 3, 14, 9, 5)),
        ("2 Sep, 2019 22:47", datetime(2019, 9, 2, 22, 47)),
        ("2019-09-02 22:47", datetime(2019, 9, 2, 22, 47)),
    ],
)
def test_date_line_formats(line, expected):
    found = dates.read_date_line(line, Reading(IngestOptions(zone=UTC)))
    assert found is not None and found.value == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize("line", ["Mar 2011", "In 1956, the city grew", "09:05", "Port city opens new ferry"])
def test_not_a_date_line(line):
    assert dates.read_date_line(line, Reading(IngestOptions(zone=UTC))) is None


def test_date_is_read_in_the_source_zone():
    tokyo = ZoneInfo("Asia/Tokyo")
    article = parse(f"{CHROME}\n14 Mar, 2011 09:05\n\nTitle here\n\n{BODY}\n", zone=tokyo)
    assert article.published.utcoffset().total_seconds() == 9 * 3600


def test_chrome_detection():
    assert scrape_text.is_chrome(CHROME)
    assert not scrape_text.is_chrome("The icon of the city is its bridge, said the mayor on Monday.")


def test_crlf_bom_and_utf16_are_read():
    text = f"{CHROME}\r\n14 Mar, 2011 09:05\r\n\r\nA title\r\n\r\n{BODY}\r\n"
    for data in (codecs.BOM_UTF8 + text.encode(), text.encode("utf-16")):
        article = parse(data)
        assert article.title == "A title"
        assert article.paragraphs[0].text == BODY


def test_control_and_zero_width_characters_removed():
    article = parse(f"{CHROME}\n14 Mar, 2011 09:05\n\nA\u200b title\x07\n\nThe\u200d {BODY[4:]}\n")
    assert article.title == "A title"
    assert article.paragraphs[0].text == BODY


@pytest.mark.parametrize(
    "data, error, fragment",
    [
        (b"", e.Empty, "empty"),
        (b"  \n\n \t", e.Empty, "empty"),
        (b"%PDF-1.7\n...", e.Binary, "PDF"),
        (b"\x89PNG\r\n\x1a\n", e.Binary, "PNG"),
        (b"PK\x03\x04zip", e.Binary, "ZIP"),
        (b"text\x00with nul", e.Binary, "NUL"),
        (b"Title\n\n" + bytes(range(0x80, 0x100)) * 4, e.Undecodable, "UTF-8"),
        (f"{CHROME}\n14 Mar, 2011 09:05\n".encode(), e.NoTitle, "no title"),
        (
            b"14 Mar, 2011 09:05\n\nFirst line of a paragraph\nsecond line of it\n\nMore.",
            e.NoTitle,
            "no title",
        ),
        (b"14 Mar, 2011 09:05\n\nJust a title\n", e.NoBody, "no body"),
        (b"A title without date\n\nBody.", e.BadDate, "no date line"),
        (CHROME.encode(), e.NoBody, "no text"),
    ],
)
def test_rejections(data, error, fragment):
    with pytest.raises(error) as info:
        parse(data)
    assert isinstance(info.value, Rejected)
    assert fragment in info.value.message
    assert "\n" not in info.value.message


def test_too_large():
    with pytest.raises(e.TooLarge, match="too large"):
        parse(b"x" * 101, max_bytes=100)
