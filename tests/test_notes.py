"""Saying what was assumed: notes collected while reading, dates never in the future, and the
structure scripts read (`submit --dry-run --json`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feeds.document import paragraphs_html
from syndicate.ingest import IngestOptions, Reading, Rejected, parse
from syndicate.model import Kind, Paragraph
from syndicate.submit import describe

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BODY = (
    "The council met on Monday to discuss the new ferry route across the strait, which officials say "
    "will cut the journey from nine hours to under five and bring back tourists."
)


def json_article(author: str) -> str:
    head = '"title": "Ferry route approved", "published": "2014-10-07T14:30:00+00:00"'
    return f'{{{head}, "author": {author}, "body": "{BODY}"}}'


def scrape(date_line: str) -> str:
    return f"{date_line}\n\nFerry route approved by the council\n\n{BODY}\n"


def read(text: str) -> tuple[object, list[str]]:
    article = parse(text, IngestOptions(now=NOW, check_language=False))
    return article, list(article.notes)


def test_a_note_is_one_line_recorded_once():
    reading = Reading()
    reading.note("zone EDT read as\nAmerica/New_York")
    reading.note("zone EDT read as America/New_York")
    reading.note("   ")
    assert reading.notes == ["zone EDT read as America/New_York"]


@pytest.mark.parametrize("ahead", [timedelta(0), timedelta(minutes=4), timedelta(minutes=5)])
def test_a_date_a_few_minutes_ahead_is_taken_as_is(ahead):
    when = NOW + ahead
    article, notes = read(scrape(f"{when:%Y-%m-%d %H:%M} +0000"))
    assert article.published == when
    assert not any("future" in n for n in notes)


@pytest.mark.parametrize("hours", [1, 13, 25.9])
def test_a_date_hours_ahead_is_set_to_now_with_a_note(hours):
    when = (NOW + timedelta(hours=hours)).replace(second=0)
    article, notes = read(scrape(f"{when:%Y-%m-%d %H:%M} +0000"))
    assert article.published == NOW
    assert any("in the future" in n and when.isoformat() in n for n in notes)


@pytest.mark.parametrize("days", [2, 30, 4000])
def test_a_date_days_ahead_is_refused(days):
    when = NOW + timedelta(days=days)
    with pytest.raises(Rejected, match="in the future"):
        read(scrape(f"{when:%Y-%m-%d %H:%M} +0000"))


def test_describe_keeps_its_fields_and_adds_updated_and_notes():
    article, _ = read(scrape("2014-10-07 14:30 +0000"))
    data = describe(article)
    assert data["published"] == "2014-10-07T14:30:00+00:00"  # +00:00, never Z
    assert data["updated"] is None and isinstance(data["notes"], list)
    assert {"title", "author", "url", "lang", "lead_trimmed", "paragraphs"} <= set(data)
    assert all(set(p) >= {"kind", "text", "sentences"} for p in data["paragraphs"])


def test_list_items_render_as_one_list_per_run():
    paragraphs = (
        Paragraph(Kind.LEAD, "The changes are:"),
        Paragraph(Kind.ITEM, "Free <breakfast>"),
        Paragraph(Kind.ITEM, "Buses & trams"),
        Paragraph(Kind.PARAGRAPH, "More later."),
        Paragraph(Kind.ITEM, "One more"),
    )
    html = paragraphs_html(paragraphs)
    assert html.split("\n") == [
        "<p>The changes are:</p>",
        "<ul><li>Free &lt;breakfast&gt;</li>",
        "<li>Buses &amp; trams</li></ul>",
        "<p>More later.</p>",
        "<ul><li>One more</li></ul>",
    ]


def test_a_clamped_date_has_whole_seconds_and_a_refusal_states_the_limit():
    now = NOW.replace(microsecond=123456)
    when = NOW + timedelta(hours=3)
    article = parse(scrape(f"{when:%Y-%m-%d %H:%M} +0000"), IngestOptions(now=now, check_language=False))
    assert article.published == NOW and article.published.microsecond == 0
    with pytest.raises(Rejected, match=r"more than 26 h after now"):
        parse(scrape(f"{NOW + timedelta(days=3):%Y-%m-%d %H:%M} +0000"), IngestOptions(now=NOW))


@pytest.mark.parametrize(
    "author, expected",
    [
        ('"Jane Roe"', "Jane Roe"),
        ('["Jane Roe", "John Doe"]', "Jane Roe and John Doe"),
        (
            '[{"@type": "Person", "name": "Jane Roe"}, "John Doe", "Ann Lee"]',
            "Jane Roe, John Doe and Ann Lee",
        ),
        ('{"name": "Jane Roe"}', "Jane Roe"),
        ('"By Jane Roe, Europe editor"', "Jane Roe"),  # the byline rule of every format
        ('["By Jane Roe", "John Doe, Moscow correspondent"]', "Jane Roe and John Doe"),
        ('"Madonna"', "Madonna"),  # a value the byline rule names no one in is kept as given
        ("null", None),
    ],
)
def test_a_json_author_of_any_usual_shape_is_kept(author, expected):
    text = json_article(author)
    assert parse(text, IngestOptions(now=NOW, check_language=False)).author == expected


@pytest.mark.parametrize("author", ["42", '[{"id": 7}]', '{"role": "editor"}'])
def test_a_json_author_of_another_shape_is_refused(author):
    text = json_article(author)
    with pytest.raises(Rejected, match='"author" must be'):
        parse(text, IngestOptions(now=NOW, check_language=False))


@pytest.mark.parametrize("text", ['[{"title": "A"}]', "[\n  {}\n]", "[]"])
def test_a_json_array_is_read_as_json_and_refused_as_such(text):
    with pytest.raises(Rejected, match="must be one object.*an array given"):
        parse(text, IngestOptions(now=NOW, check_language=False))


@pytest.mark.parametrize(
    "published",
    [
        "0001-01-01T00:00:00+01:00",
        "0001-01-01T00:00:00+00:00",
        "1066-10-14T09:00:00+00:00",
        "1799-12-31T23:00:00+00:00",
    ],
)
def test_an_implausibly_early_date_is_refused_in_one_line(published):
    text = f'{{"title": "Ferry route approved", "published": "{published}", "body": "{BODY}"}}'
    with pytest.raises(Rejected, match="not a plausible publication date"):
        parse(text, IngestOptions(now=NOW, check_language=False))


@pytest.mark.parametrize(
    "published", ["1800-01-01T00:00:00+00:00", "1871-03-18T10:00:00+01:00", "1965-07-01T00:00:00+00:00"]
)
def test_old_dates_of_real_archives_are_kept(published):
    text = f'{{"title": "Ferry route approved", "published": "{published}", "body": "{BODY}"}}'
    assert parse(text, IngestOptions(now=NOW, check_language=False)).published.isoformat() == published


def test_a_title_longer_than_250_characters_is_refused_in_every_format():
    long_title = "Ferry route approved " * 13  # 273 characters
    json_text = f'{{"title": "{long_title}", "published": "2014-10-07T14:30:00+00:00", "body": "{BODY}"}}'
    html_text = (
        f"<html><head><title>{long_title}</title><meta property='article:published_time' "
        f"content='2014-10-07T14:30:00+00:00'></head><body><article><p>{BODY}</p><p>{BODY} Again.</p>"
        "</article></body></html>"
    )
    for text in (json_text, html_text):
        with pytest.raises(Rejected, match="title too long: 2"):
            parse(text, IngestOptions(now=NOW, check_language=False))


PULL = "We listened to the sailors this time and it shows"
SAID = f"The harbour master said: “{PULL},” after the vote on Monday."


@pytest.mark.parametrize(
    "repeat",
    [
        f"“{PULL},”",  # a pull quote: a sentence of an earlier paragraph in quotation marks
        f"“{PULL.upper()}”",  # set in capitals
        f"«{PULL}.»",
        SAID,  # the paragraph just before, taken twice
    ],
)
def test_a_pull_quote_or_a_block_taken_twice_is_dropped_with_a_note(repeat):
    body = f"{BODY}\n\n{SAID}\n\n{repeat}\n\nWork starts in May."
    article = parse(f"2014-10-07 14:30 +0000\n\nFerry route approved\n\n{body}\n", IngestOptions(now=NOW))
    texts = [p.text for p in article.paragraphs]
    assert texts[-1] == "Work starts in May." and len(texts) == 3
    assert any("dropped a paragraph that repeats" in n for n in article.notes)


@pytest.mark.parametrize(
    "again",
    [
        "And the river came and the river went, and the town stayed where it was.",  # a refrain
        "Trading was suspended for the whole day on Monday.",  # a status line of another day
        PULL + ".",  # words of an earlier paragraph, not set as a quote
    ],
)
def test_a_repeat_further_on_that_is_not_a_quote_is_kept(again):
    body = f"{BODY}\n\n{again}\n\n{SAID}\n\nThen the ferry came back.\n\n{again}"
    article = parse(f"2014-10-07 14:30 +0000\n\nFerry route approved\n\n{body}\n", IngestOptions(now=NOW))
    assert [p.text for p in article.paragraphs].count(again) == 2
    assert not any("repeats" in n for n in article.notes)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_lead_that_repeats_the_title_is_dropped_and_the_next_paragraph_leads(fmt):
    title = "Ferry route approved by the council"
    if fmt == "text":
        text = f"2014-10-07 14:30 +0000\n\n{title}\n\n{title}\n\n{BODY}\n\nWork starts in May.\n"
    else:
        head = f'"title": "{title}", "published": "2014-10-07T14:30:00+00:00"'
        text = f'{{{head}, "paragraphs": ["{title}", "{BODY}"]}}'
    article = parse(text, IngestOptions(now=NOW, check_language=False))
    assert article.paragraphs[0] == Paragraph(Kind.LEAD, BODY)
    assert not article.lead_trimmed and not any("cut off" in n for n in article.notes)
    assert "the first paragraph repeats the title: dropped" in article.notes


@pytest.mark.parametrize("text", ["Yes, it does.", "The council agreed.", "Officials expect more riders"])
def test_short_repeats_are_kept(text):
    from syndicate.ingest.structure import drop_repeats

    paragraphs = (
        Paragraph(Kind.LEAD, f"{text} {BODY}"),
        Paragraph(Kind.PARAGRAPH, text),
        Paragraph(Kind.HEADING, text),
        Paragraph(Kind.ITEM, text),
    )
    reading = Reading()
    kept = drop_repeats(paragraphs, reading)
    assert kept == paragraphs and reading.notes == []  # under MIN_REPEAT_WORDS words, or not a paragraph


def test_headings_and_list_items_repeating_earlier_text_are_kept():
    from syndicate.ingest.structure import drop_repeats

    line = "Free breakfast clubs in every primary school"
    paragraphs = (
        Paragraph(Kind.LEAD, f"{line}, the department said on Friday."),
        Paragraph(Kind.HEADING, line),
        Paragraph(Kind.ITEM, line),
        Paragraph(Kind.PARAGRAPH, f"“{line}.”"),
    )
    reading = Reading()
    assert drop_repeats(paragraphs, reading) == paragraphs[:3] and len(reading.notes) == 1
