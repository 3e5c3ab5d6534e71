"""JSON input (issue 11): rendered HTML in "body" or "paragraphs" read as a page's blocks,
character references decoded, dates and URL checked."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from syndicate.ingest import Format, IngestOptions, Rejected, html_blocks, parse

NOW = datetime(2026, 11, 1, tzinfo=UTC)
OPTIONS = IngestOptions(now=NOW, format=Format.JSON, check_language=False)
FIELD = Path(__file__).parent / "testdata" / "ingest" / "json" / "good" / "j01_field_html_body.json"
P1 = (
    "The central library will stay open until midnight from next Monday, for four weeks, to give "
    "students more space to revise before the summer exams."
)
P2 = "The extra hours cost about 40,000 pounds and are paid by the city council."
P3 = "Staff volunteered for the late shifts, the head librarian said."


def read(fields: dict, **options):
    data = {"title": "Library extends opening hours", "published": "2016-05-02T09:00:00+01:00", **fields}
    return parse(json.dumps(data), dataclasses.replace(OPTIONS, **options))


def texts(article) -> list[str]:
    return [p.text for p in article.paragraphs]


def kinds(article) -> list[str]:
    return [str(p.kind) for p in article.paragraphs]


# --- HTML bodies ---------------------------------------------------------------------------------


def test_the_field_case_html_body_is_three_plain_paragraphs():
    article = parse(FIELD.read_text("utf-8"), OPTIONS)
    assert texts(article) == [
        "The central library will stay open until midnight from next Monday, for four weeks, to give "
        "students more space to revise before the summer exams.",
        "The extra hours cost about 40,000 pounds and are paid by the city council.",
        "Staff volunteered for the late shifts, the head librarian said.",
    ]
    assert not article.lead_trimmed
    assert not any("lead" in n for n in article.notes)
    assert not any("<" in t or "href" in t for t in texts(article))


@pytest.mark.parametrize(
    "body",
    [
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>",
        f"<p>{P1}</p>\n\n<p>{P2}</p>\n\n<p>{P3}</p>",
        f"<div>{P1}</div><div>{P2}</div><div>{P3}</div>",
        f"{P1}<br><br>{P2}<br/><br/>{P3}",
        f"<P>{P1}</P><P>{P2.replace('city council', '<A HREF=x>city council</A>')}</P><P>{P3}</P>",
        f"<p>&nbsp;</p><p>{P1}</p><p></p><p>{P2}</p><p><br></p><p>{P3}</p>",
    ],
    ids=["p", "p-newlines", "div", "br-runs", "upper-case", "empty-p"],
)
def test_an_html_body_is_read_as_blocks(body):
    article = read({"body": body})
    assert texts(article) == [P1, P2, P3]
    assert kinds(article) == ["lead", "paragraph", "paragraph"]


@pytest.mark.parametrize("gap", ["\n\n", "\r\n\r\n", "\n  \n\n"])
def test_blank_lines_between_inline_html_separate_paragraphs(gap):
    body = f"{P1.replace('four weeks', '<em>four weeks</em>')}{gap}{P2}{gap}<strong>{P3}</strong>"
    assert texts(read({"body": body})) == [P1, P2, P3]


def test_html_comments_are_not_text():
    body = f"<!-- wp:paragraph -->\n<p>{P1}</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph --><p>{P2}</p>"
    assert texts(read({"body": body})) == [P1, P2]


def test_html_structure_gives_kinds():
    body = (
        f"<p>{P1}</p><h2>Longer hours</h2><p>It will open at:</p><ul><li>seven on weekdays</li>"
        "<li>nine on Sundays</li>"
        "</ul><blockquote><p>&ldquo;We are delighted,&rdquo; said librarian Ana Silva.</p></blockquote>"
        f"<ol><li>first</li><li>second<ul><li>nested</li></ul></li></ol><p>{P3}</p>"
    )
    article = read({"body": body})
    assert kinds(article) == [
        "lead", "heading", "paragraph", "item", "item", "quote", "item", "item", "item", "paragraph"
    ]  # fmt: skip
    assert texts(article)[5] == "“We are delighted,” said librarian Ana Silva."
    assert article.paragraphs[5].speaker == "Ana Silva"
    assert texts(article)[6:9] == ["first", "second", "nested"]


def test_a_heading_first_stays_a_heading_and_the_next_block_is_the_lead():
    article = read({"body": f"<h2>Exam season</h2><p>{P1}</p><p>{P2}</p>"})
    assert kinds(article) == ["heading", "lead", "paragraph"]


def test_a_single_break_is_a_space_never_glue():
    article = read({"body": f"<p>{P1}</p><p>It closes in November.<br>Boats to the island still run.</p>"})
    assert texts(article)[1] == "It closes in November. Boats to the island still run."


def test_inline_markup_gives_its_text():
    article = read(
        {
            "body": f"<p>{P1}</p><p>Paid by the <a href='https://c.example'>city <em>council</em></a>, "
            "<strong>not</strong> the state.</p>"
        }
    )
    assert texts(article)[1] == "Paid by the city council, not the state."


def test_figures_and_scripts_are_left_out_with_a_note():
    body = (
        f"<p>{P1}</p><figure><img src='a.jpg'><figcaption>Photo: archive</figcaption></figure>"
        f"<p>{P2}</p><script>x()</script>"
    )
    article = read({"body": body})
    assert texts(article) == [P1, P2]
    assert any("left out of the HTML body" in n and "figure" in n for n in article.notes)


def test_paragraph_strings_holding_html():
    article = read({"paragraphs": [f"<p>{P1}</p>", f"{P2}", f"<p>{P3}</p><p>{P2}</p>"]})
    assert texts(article) == [P1, P2, P3, P2]


def test_paragraph_objects_with_html_text_and_item_kind():
    article = read({"paragraphs": [
        {"kind": "lead", "text": f"<p>{P1}</p>"},
        {"kind": "item", "text": "Open <strong>until midnight</strong>"},
        {"kind": "item", "text": "Free coffee after ten"},
        {"kind": "quote", "text": "<em>“We are delighted,”</em> said librarian Ana Silva."},
    ]})  # fmt: skip
    assert kinds(article) == ["lead", "item", "item", "quote"]
    assert texts(article)[1] == "Open until midnight"
    assert article.paragraphs[3].speaker == "Ana Silva"


def test_a_second_lead_becomes_a_paragraph_with_a_note():
    article = read({"paragraphs": [{"kind": "lead", "text": P1}, {"kind": "lead", "text": P2}]})
    assert kinds(article) == ["lead", "paragraph"]
    assert any("kind lead" in n for n in article.notes)


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("<p>a</p>", True),
        ("a<br>b", True),
        ("a<br/>b", True),
        ("<strong>a</strong>", True),
        ('<a href="x">a</a>', True),
        ("<DIV class='x'>a</DIV>", True),
        ("children <12 years", False),
        ("if a < b and c > d", False),
        ("x <- y", False),
        ("I <3 libraries", False),
        ("<blink> is not a tag we read", False),
    ],
)
def test_what_counts_as_html(text, markup):
    assert html_blocks.has_markup(text) is markup


def test_a_lone_angle_bracket_in_text_is_kept():
    article = read({"body": f"Children aged <12 go free. {P1}\n\n{P2}"})
    assert texts(article)[0].startswith("Children aged <12 go free.")


def test_an_empty_html_body_has_no_body():
    with pytest.raises(Rejected, match="no body"):
        read({"body": "<p>&nbsp;</p><p><br></p><div></div>"})


# --- character references ------------------------------------------------------------------------


def test_character_references_are_decoded_in_every_text_field():
    article = read({
        "title": "Mayor&#39;s &quot;green&quot; budget passes &amp; fees rise",
        "author": "Ren&eacute;e O&#39;Brien",
        "body": f"{P1}\n\nFees rise to 3&nbsp;pounds &mdash; the first rise in years.\n\n"
        "The city&#8217;s parks gain.",
    })  # fmt: skip
    assert article.title == 'Mayor\'s "green" budget passes & fees rise'
    assert article.author == "Renée O'Brien"
    assert texts(article)[1:] == [
        "Fees rise to 3 pounds — the first rise in years.",
        "The city’s parks gain.",
    ]
    said = [n for n in article.notes if n.startswith("HTML character references decoded:")]
    assert len(said) == 1 and all(ref in said[0] for ref in ("&#39;", "&quot;", "&nbsp;"))


def test_character_references_in_paragraph_strings_and_objects():
    article = read(
        {"paragraphs": [P1, "Tom &amp; Jerry", {"kind": "quote", "text": "&ldquo;Yes,&rdquo; she said."}]}
    )
    assert texts(article)[1:] == ["Tom & Jerry", "“Yes,” she said."]


def test_an_author_in_a_span_gives_its_text():
    article = read({"author": "<span class='name'>Kenji Watanabe</span>", "body": f"{P1}\n\n{P2}"})
    assert article.author == "Kenji Watanabe"


# --- dates ---------------------------------------------------------------------------------------


def test_a_naive_published_is_read_in_the_source_zone_and_noted():
    article = read(
        {"published": "2016-05-02T09:00:00", "body": f"{P1}\n\n{P2}"}, zone=ZoneInfo("Europe/London")
    )
    assert article.published == datetime(2016, 5, 2, 8, 0, tzinfo=UTC)
    assert article.notes


def test_a_date_only_published_is_midnight_noted():
    article = read({"published": "2016-05-02", "body": f"{P1}\n\n{P2}"}, zone=ZoneInfo("Europe/London"))
    assert article.published == datetime(2016, 5, 2, tzinfo=ZoneInfo("Europe/London"))
    assert any("no time of day" in n for n in article.notes)


@pytest.mark.parametrize("key", ["updated", "modified"])
def test_the_update_date(key):
    article = read({key: "2016-05-03T10:00:00+01:00", "body": f"{P1}\n\n{P2}"})
    assert article.updated == datetime(2016, 5, 3, 9, 0, tzinfo=UTC)


def test_an_unreadable_update_is_ignored_with_a_note():
    article = read({"updated": "soon", "body": f"{P1}\n\n{P2}"})
    assert article.updated is None
    assert any('"updated" is not ISO 8601' in n for n in article.notes)


@pytest.mark.parametrize(
    ("published", "reason"),
    [(None, 'needs "published"'), ("last week", "is not ISO 8601"), (20160502, "is not ISO 8601")],
)
def test_a_missing_or_bad_published_is_refused(published, reason):
    with pytest.raises(Rejected, match=reason):
        read({"published": published, "body": f"{P1}\n\n{P2}"})


# --- url -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://news.example.org/a", "http://news.example.org/a?id=1", " https://x.example/b "]
)
def test_an_absolute_url_is_kept(url):
    assert read({"url": url, "body": f"{P1}\n\n{P2}"}).url == url.strip()


@pytest.mark.parametrize("url", ["/news/latest", "news/latest", "www.example.com/a", "ftp://example.com/a",
                                 "javascript:alert(1)", "https:///nohost", 42])  # fmt: skip
def test_a_url_that_is_not_absolute_http_is_refused(url):
    with pytest.raises(Rejected, match="must be an absolute http"):
        read({"url": url, "body": f"{P1}\n\n{P2}"})


@pytest.mark.parametrize("url", [None, "", "  "])
def test_no_url(url):
    assert read({"url": url, "body": f"{P1}\n\n{P2}"}).url is None


def test_an_unknown_kind_is_refused():
    with pytest.raises(Rejected, match="unknown paragraph kind 'bullet'"):
        read({"paragraphs": [P1, {"kind": "bullet", "text": P2}]})
