"""JSON input (issue 11): rendered HTML in "body" or "paragraphs" read as a page's blocks,
character references decoded, dates and URL checked."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from syndicate.ingest import Format, IngestOptions, Rejected, html_blocks, parse

NOW = datetime(2026, 11, 1, tzinfo=UTC)
OPTIONS = IngestOptions(now=NOW, format=Format.JSON, check_language=False)
FIELD = Path(__file__).parent / "testdata" / "field" / "04-json-html-body.json"
P1 = (
    "The central library will stay open until midnight from next Monday, for four weeks, to give "
    "students more space to revise before the summer exams."
)
P2 = "The extra hours cost about 40,000 pounds and are paid by the city council."
P3 = "Staff volunteered for the late shifts, the head librarian said."
P4 = "Students can book a desk online from Friday, and the reading rooms will be quiet after ten."


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
    article = read({"paragraphs": [f"<p>{P1}</p>", f"{P2}", f"<p>{P3}</p><p>{P4}</p>"]})
    assert texts(article) == [P1, P2, P3, P4]


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
    [(None, 'needs "published"'), ("last week", "is not ISO 8601"), (20160502, "must be a string")],
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
                                 "javascript:alert(1)", "https:///nohost"])  # fmt: skip
def test_a_url_that_is_not_absolute_http_is_refused(url):
    with pytest.raises(Rejected, match="must be an absolute http"):
        read({"url": url, "body": f"{P1}\n\n{P2}"})


@pytest.mark.parametrize("url", [None, "", "  "])
def test_no_url(url):
    assert read({"url": url, "body": f"{P1}\n\n{P2}"}).url is None


def test_an_unknown_kind_is_refused():
    with pytest.raises(Rejected, match="unknown paragraph kind 'bullet'"):
        read({"paragraphs": [P1, {"kind": "bullet", "text": P2}]})


# --- fields of the wrong type (review: a title object was published as its Python repr) -------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": {"rendered": "Council"}}, '"title" must be a string (an object was given)'),
        ({"title": ["Council", "votes"]}, '"title" must be a string (a list was given)'),
        ({"title": True}, '"title" must be a string (a boolean was given)'),
        ({"title": 2024}, '"title" must be a string (a number was given)'),
        ({"published": 1709630100}, '"published" must be a string (a number was given)'),
        ({"published": {"date": "2024-03-05"}}, '"published" must be a string (an object was given)'),
        ({"updated": ["2024-03-05T10:00:00Z"]}, '"updated" must be a string (a list was given)'),
        ({"modified": 1.5}, '"modified" must be a string (a number was given)'),
        ({"url": 42}, '"url" must be a string (a number was given)'),
        ({"url": {"href": "https://x.example/a"}}, '"url" must be a string (an object was given)'),
        (
            {"author": 3},
            '"author" must be a name, a list of names or objects with a "name" (a number was given)',
        ),
        ({"author": [{"name": 7}]}, 'objects with a "name" (an object whose "name" is a number was given)'),
        ({"author": [True]}, "(a boolean was given)"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_naming_field_and_type(fields, reason):
    with pytest.raises(Rejected, match=re.escape(reason)) as caught:
        read({"body": f"{P1}\n\n{P2}", **fields})
    assert caught.value.reason == "bad-json"
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"body": ["a", "b"]}, '"body" must be a string (a list was given)'),
        ({"body": {"rendered": "<p>x</p>"}}, '"body" must be a string (an object was given)'),
        ({"body": 12}, '"body" must be a string (a number was given)'),
        ({"paragraphs": P1}, '"paragraphs" must be a list (a string was given)'),
        ({"paragraphs": {"0": P1}}, '"paragraphs" must be a list (an object was given)'),
        (
            {"paragraphs": [P1, P2, P3, 4]},
            '"paragraphs"[3] must be a string or a {"kind", "text"} object (a number',
        ),
        (
            {"paragraphs": [P1, None]},
            '"paragraphs"[1] must be a string or a {"kind", "text"} object (null was',
        ),
        (
            {"paragraphs": [P1, [P2]]},
            '"paragraphs"[1] must be a string or a {"kind", "text"} object (a list was',
        ),
        ({"paragraphs": [P1, {"text": ["x"]}]}, '"paragraphs"[1]."text" must be a string (a list was given)'),
        ({"paragraphs": [P1, {"kind": "quote"}]}, '"paragraphs"[1] has no "text"'),
        ({"paragraphs": [P1, {"kind": 2, "text": P2}]}, '"paragraphs"[1]."kind" must be a string (a number'),
    ],
)
def test_a_body_of_the_wrong_type_says_so_not_no_body(fields, reason):
    with pytest.raises(Rejected, match=re.escape(reason)) as caught:
        read(fields)
    assert "no body" not in str(caught.value)


def test_null_fields_are_absent():
    article = read(
        {"body": f"{P1}\n\n{P2}", "author": None, "url": None, "updated": None, "paragraphs": None}
    )
    assert (article.author, article.url, article.updated) == (None, None, None)
    with pytest.raises(Rejected, match="no title"):
        read({"title": None, "body": P1})


# --- WordPress REST API posts ---------------------------------------------------------------------

WP_BODY = (
    "<p>The city council voted on Tuesday to turn the old tram depot into a library, after a consultation "
    "that drew more than four thousand replies.</p>\n"
    "<p>Building work will start next spring and cost about 12 million euros, paid from the culture "
    "budget.</p>\n"
    '<blockquote class="wp-block-quote"><p>We listened to every reply, and this is what people asked for.</p>'
    "<cite>Sofia Lindqvist</cite></blockquote>\n"
    '<figure class="wp-block-pullquote"><blockquote><p>This is what people asked for.</p>'
    "<cite>Sofia Lindqvist</cite></blockquote></figure>\n"
    "<p>The library should open in the autumn of the following year.</p>"
)


def wordpress(**fields):
    post = {
        "id": 4812, "date": "2024-03-05T10:15:00", "date_gmt": "2024-03-05T09:15:00",
        "modified": "2024-03-06T08:00:00", "modified_gmt": "2024-03-06T07:00:00", "slug": "depot-library",
        "status": "publish", "type": "post", "link": "https://city.example.se/2024/03/05/depot-library/",
        "title": {"rendered": "Council turns tram depot into a library &#8211; &#8220;at last&#8221;"},
        "content": {"rendered": WP_BODY, "protected": False},
        "excerpt": {"rendered": "<p>The city council voted&hellip;</p>", "protected": False},
        "author": 3, "categories": [4],
    }  # fmt: skip
    post.update(fields)
    return parse(json.dumps(post), OPTIONS)


def test_a_wordpress_post_is_read_by_its_shape():
    article = wordpress()
    assert article.title == "Council turns tram depot into a library – “at last”"
    assert article.published == datetime(2024, 3, 5, 9, 15, tzinfo=UTC)
    assert article.updated == datetime(2024, 3, 6, 7, 0, tzinfo=UTC)
    assert article.url == "https://city.example.se/2024/03/05/depot-library/"
    assert article.author is None
    assert kinds(article) == ["lead", "paragraph", "quote", "paragraph"]
    assert article.paragraphs[2].text == "We listened to every reply, and this is what people asked for."
    assert article.paragraphs[2].speaker == "Sofia Lindqvist"
    assert "read as a WordPress REST API post" in article.notes
    assert "WordPress author id 3 ignored: no name in the post" in article.notes
    assert any("pull quote" in n for n in article.notes)
    # date_gmt is GMT by definition: no zone was assumed
    assert not any("zone" in n or "source" in n for n in article.notes)


def test_a_wordpress_post_without_date_gmt_reads_the_site_local_date_noted():
    article = parse(
        json.dumps(
            {
                "title": {"rendered": "Depot"},
                "content": {"rendered": WP_BODY},
                "date": "2024-03-05T10:15:00",
                "modified": "2024-03-06T08:00:00",
                "link": "https://city.example.se/a/",
            }
        ),  # fmt: skip
        dataclasses.replace(OPTIONS, zone=ZoneInfo("Europe/Stockholm")),
    )
    assert article.published == datetime(2024, 3, 5, 9, 15, tzinfo=UTC)
    assert article.updated == datetime(2024, 3, 6, 7, 0, tzinfo=UTC)
    assert any('"date_gmt" missing' in n for n in article.notes)


def test_a_wordpress_post_with_a_null_date_gmt_reads_the_date():
    article = wordpress(date_gmt=None, date="2024-03-05T09:15:00+00:00")
    assert article.published == datetime(2024, 3, 5, 9, 15, tzinfo=UTC)


def test_an_embedded_wordpress_author_gives_the_name():
    article = wordpress(_embedded={"author": [{"id": 3, "name": "Karin Ek", "slug": "karin"}]})
    assert article.author == "Karin Ek"
    assert not any("author id" in n for n in article.notes)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": {"rendered": 5}}, '"title"."rendered" must be a string (a number was given)'),
        ({"content": {"rendered": ["<p>x</p>"]}}, '"content"."rendered" must be a string (a list was given)'),
        ({"date_gmt": 1709630100}, '"date_gmt" must be a string (a number was given)'),
        ({"link": False}, '"link" must be a string (a boolean was given)'),
    ],
)
def test_a_wordpress_field_of_the_wrong_type_is_refused(fields, reason):
    with pytest.raises(Rejected, match=re.escape(reason)):
        wordpress(**fields)


def test_only_the_shape_makes_a_wordpress_post():
    # "rendered" in the title alone is not the shape: refused as a title of the wrong type.
    with pytest.raises(Rejected, match='"title" must be a string'):
        read({"title": {"rendered": "Council"}, "body": f"{P1}\n\n{P2}"})
    article = read({"body": f"{P1}\n\n{P2}", "content": "x"})
    assert "read as a WordPress REST API post" not in article.notes


# --- quote attributions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "speaker"),
    [
        ("<blockquote><p>We listened.</p><cite>Sofia Lindqvist</cite></blockquote>", "Sofia Lindqvist"),
        ('<blockquote class="wp-block-quote"><p>We listened.</p><cite>— Sofia Lindqvist</cite></blockquote>',
         "Sofia Lindqvist"),
        ("<blockquote><p>We listened.</p><footer>— <cite>Sofia Lindqvist</cite>, head of planning</footer>"
         "</blockquote>", "Sofia Lindqvist"),
        ("<blockquote><p>We listened.</p><footer>Sofia Lindqvist</footer></blockquote>", "Sofia Lindqvist"),
        ("<blockquote><p>We listened.</p><p>&mdash; <cite>Sofia Lindqvist</cite></p></blockquote>",
         "Sofia Lindqvist"),
        ("<blockquote>We listened.<cite>Sofia Lindqvist</cite></blockquote>", "Sofia Lindqvist"),
    ],
)  # fmt: skip
def test_a_quote_attribution_is_the_speaker_not_text(quote, speaker):
    article = read({"body": f"<p>{P1}</p>{quote}<p>{P2}</p>"})
    assert kinds(article) == ["lead", "quote", "paragraph"]
    assert article.paragraphs[1].text == "We listened."
    assert article.paragraphs[1].speaker == speaker


def test_a_cite_inside_the_quote_sentence_is_text():
    article = read(
        {"body": f"<p>{P1}</p><blockquote><p>As <cite>Hamlet</cite> says, words.</p></blockquote>"}
    )
    assert article.paragraphs[1].text == "As Hamlet says, words."
    assert article.paragraphs[1].speaker is None


@pytest.mark.parametrize(
    "pull",
    [
        '<figure class="wp-block-pullquote"><blockquote><p>Paid by the city council.</p>'
        "<cite>Sofia Lindqvist</cite></blockquote></figure>",
        '<blockquote class="pullquote alignright"><p>Paid by the city council.</p></blockquote>',
    ],
)
def test_a_pull_quote_is_left_out_with_a_note(pull):
    article = read({"body": f"<p>{P1}</p>{pull}<p>{P2}</p>"})
    assert texts(article) == [P1, P2]
    assert any("left out of the HTML body" in n and "pull quote" in n for n in article.notes)


def test_a_wordpress_post_without_a_date_or_with_protected_content_is_refused_saying_why():
    with pytest.raises(Rejected, match='no "date_gmt" or "date"'):
        wordpress(date_gmt=None, date=None)
    with pytest.raises(Rejected, match="password-protected"):
        wordpress(content={"rendered": "", "protected": True})
