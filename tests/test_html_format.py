"""Saved HTML pages (issue 11): all of the article, each block its own paragraph, lists as items,
and the article's own date, byline and URL."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from syndicate.ingest import Format, IngestOptions, Rejected, html_blocks, page_meta, parse
from syndicate.ingest.lines import classify
from syndicate.ingest.options import Reading
from syndicate.model import Kind

NOW = datetime(2026, 11, 1, tzinfo=UTC)
OPTIONS = IngestOptions(now=NOW, format=Format.HTML, check_language=False)
TITLE = "Harbour authority orders four new pilot boats"
P1 = (
    "The harbour authority ordered four new pilot boats on Tuesday, replacing a fleet that has guided "
    "ships into the port since the early nineteen-eighties."
)
P2 = "The boats will be built at a yard on the river and delivered over the next two years."
P3 = "Pilots said the old boats were slow in heavy seas and often needed repairs during the winter."
DATE_META = '<meta property="article:published_time" content="2022-05-17T10:30:00+02:00">'


def page(body: str, head: str = DATE_META, title: str = TITLE) -> str:
    """A saved page: the head's extra elements, a menu, an <article> holding ``body``, a footer."""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} | Port News</title>{head}"
        "</head><body><nav><a href='/'>Home</a> <a href='/sport'>Sport</a> "
        "<a href='/weather'>Weather</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Port News, 1 Quay Street</footer></body></html>"
    )


def read(html: str, **options):
    return parse(html, dataclasses.replace(OPTIONS, **options))


def texts(article) -> list[str]:
    return [p.text for p in article.paragraphs]


# --- all of the article, each block its own paragraph -------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        f"<p>{P1}</p><div>{P2}</div><p>{P3}</p>",
        f"<p>{P1}</p><div class='para'>\n{P2}\n</div><p>{P3}</p>",
        f"<p>{P1}</p>{P2}<p>{P3}</p>",
        f"<div>{P1}</div><div>{P2}</div><div>{P3}</div>",
        f"<p>{P1}</p><section><div>{P2}</div></section><p>{P3}</p>",
    ],
    ids=["bare-div", "div-with-class", "text-node", "all-divs", "nested-div"],
)
def test_text_outside_paragraphs_is_kept_as_its_own_paragraph(body):
    article = read(page(body))
    assert texts(article) == [P1, P2, P3]
    assert [p.kind for p in article.paragraphs] == [Kind.LEAD, Kind.PARAGRAPH, Kind.PARAGRAPH]


@pytest.mark.parametrize("gap", ["<br><br>", "<br/>\n<br/>", "<br> &nbsp; <br>", "<br><br><br>", "<BR><BR>"])
def test_a_run_of_breaks_separates_blocks(gap):
    article = read(page(f"<div class='story'>{P1}{gap}{P2}{gap}{P3}</div>"))
    assert texts(article) == [P1, P2, P3]


def test_a_run_of_breaks_inside_a_p_separates_blocks_too():
    assert texts(read(page(f"<p>{P1}<br><br>{P2}</p><p>{P3}</p>"))) == [P1, P2, P3]


def test_a_page_with_an_xml_declaration():
    assert texts(read('<?xml version="1.0" encoding="utf-8"?>' + page(f"<p>{P1}</p><p>{P2}</p>"))) == [P1, P2]


@pytest.mark.parametrize("br", ["<br>", "<br/>", "<br />\n", "\n<br>"])
def test_a_single_break_inside_a_paragraph_is_a_space(br):
    body = (
        f"<p>{P1}</p>"
        f"<p>Fuel had been running low since the middle of November.{br}Boats will sail twice a day.</p>"
    )
    article = read(page(body + f"<p>{P3}</p>"))
    assert article.paragraphs[1].text == (
        "Fuel had been running low since the middle of November. Boats will sail twice a day."
    )
    assert not any("November.Boats" in t for t in texts(article))


def test_the_byline_line_is_the_author_not_a_paragraph():
    article = read(page(f"<p>By Dana Whitfield</p><p>{P1}</p><p>{P2}</p>"))
    assert article.author == "Dana Whitfield"
    assert texts(article) == [P1, P2]
    assert any("before the lead read as byline" in n for n in article.notes)


def test_the_heading_repeating_the_title_is_dropped_and_subheadings_kept():
    article = read(page(f"<p>{P1}</p><h2>A slow winter</h2><p>{P2}</p>"))
    assert [p.kind for p in article.paragraphs] == [Kind.LEAD, Kind.HEADING, Kind.PARAGRAPH]
    assert TITLE not in texts(article)


P4 = "Anglers welcomed the order but said the money should also go towards dredging the old channel."
P5 = "The authority is also looking at a fifth boat for the northern harbour entrance."
CHROME = (
    "<aside><h3>Most read</h3><ul><li><a href='/a'>Ferry prices rise</a></li></ul></aside>"
    "<section class='comments'>"
    "<h3>Comments</h3><p>Great news, finally! I have waited years for this.</p></section>"
)


def test_the_recall_pass_keeps_all_five_paragraphs_and_no_chrome():
    # The field case's shape: trafilatura's precise pass drops the two bare <div>s (measured:
    # 55 of 92 words), the recall pass keeps them; menus, asides and comments stay out.
    body = (
        f"<p class='byline'>By Dana Whitfield</p><p>{P1}</p><div>\n{P2}\n</div><p>{P3}</p>"
        f"<div class='para'>{P4}</div><p>{P5}</p>"
    )
    article = read(page(body).replace("</article>", "</article>" + CHROME))
    assert texts(article) == [P1, P2, P3, P4, P5]
    assert article.author == "Dana Whitfield"
    assert any("recall settings" in n for n in article.notes)
    everything = " ".join([article.title, *texts(article)])
    for chrome in ("Home", "Weather", "Most read", "Ferry prices", "Quay Street", "Great news", "Comments"):
        assert chrome not in everything


def test_no_recall_pass_when_the_precise_one_has_the_text():
    article = read(page(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>").replace("</article>", "</article>" + CHROME))
    assert texts(article) == [P1, P2, P3]
    assert not any("recall" in n for n in article.notes)


def test_a_page_with_only_a_menu_has_no_body():
    html = "<html><head><title>Home</title></head><body><nav><a>Home</a> <a>News</a></nav></body></html>"
    with pytest.raises(Rejected, match="no article text"):
        read(html)


def test_character_references_escaped_twice_are_decoded_with_a_note():
    article = read(page(f"<p>The mayor&amp;#39;s office said so. {P1}</p><p>{P2}</p>"))
    assert article.paragraphs[0].text.startswith("The mayor's office said so.")
    assert any("character references decoded" in n for n in article.notes)


# --- lists ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["ul", "ol"])
def test_list_items_are_items_in_order_never_headings(tag):
    items = ["Free breakfast clubs", "School buses every 15 minutes", "Mobile phones banned"]
    listed = "".join(f"<li>{i}</li>" for i in items)
    body = f"<p>{P1}</p><p>The main changes are:</p><{tag}>{listed}</{tag}><p>{P2}</p>"
    article = read(page(body))
    assert [p.kind for p in article.paragraphs] == [Kind.LEAD, Kind.PARAGRAPH] + [Kind.ITEM] * 3 + [
        Kind.PARAGRAPH
    ]
    assert texts(article)[2:5] == items


def test_a_nested_list_follows_its_item_in_order():
    body = (
        f"<p>{P1}</p><ul><li>Laptops stay in the bag, except:<ul><li>when an officer asks</li>"
        f"<li>in Terminal 1</li></ul></li><li>No plastic bags</li></ul><p>{P2}</p>"
    )
    article = read(page(body))
    assert texts(article)[1:5] == [
        "Laptops stay in the bag, except:", "when an officer asks", "in Terminal 1", "No plastic bags"
    ]  # fmt: skip
    assert all(p.kind == Kind.ITEM for p in article.paragraphs[1:5])


def test_list_item_with_paragraphs_and_links_is_one_item():
    html = lxml.html.fragment_fromstring(
        "<ul><li><p>First <a href='/x'>point</a>.</p><p>More.</p></li><li>Second</li></ul>",
        create_parent="div",
    )
    found, _ = html_blocks.paragraphs(html)
    assert [(p.kind, p.text) for p in found] == [(Kind.ITEM, "First point. More."), (Kind.ITEM, "Second")]


# --- dates ---------------------------------------------------------------------------------------


def ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


ARTICLE_LD = {"@type": "NewsArticle", "datePublished": "2019-03-14T16:05:00+01:00",
              "dateModified": "2019-03-15T08:00:00+01:00"}  # fmt: skip


@pytest.mark.parametrize(
    "head",
    [
        ld({"@context": "https://schema.org", **ARTICLE_LD}),
        ld(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebPage", "datePublished": "2010-01-01T00:00:00Z"},
                    {**ARTICLE_LD, "@type": "Article"},
                ],
            }
        ),
        ld([{"@type": "BreadcrumbList"}, {**ARTICLE_LD, "@type": ["BlogPosting", "Thing"]}]),
        ld({"@type": "WebPage", "mainEntity": ARTICLE_LD}),
        '<meta property="article:published_time" content="2019-03-14T16:05:00+01:00">'
        '<meta property="article:modified_time" content="2019-03-15T08:00:00+01:00">',
        '<meta itemprop="datePublished" content="2019-03-14T16:05:00+01:00">'
        '<meta itemprop="dateModified" content="2019-03-15T08:00:00+01:00">',
    ],
    ids=["json-ld", "graph", "list", "main-entity", "open-graph", "itemprop"],
)
def test_publication_and_update_dates_come_from_the_article_metadata(head):
    masthead = "<div class='top'><time datetime='2026-10-31'>Today</time></div>"
    article = read(page(f"<p>{P1}</p><p>{P2}</p>", head=head).replace("<nav>", masthead + "<nav>"))
    assert article.published == datetime(2019, 3, 14, 16, 5, tzinfo=ZoneInfo("Europe/Paris"))
    assert article.published.utcoffset().total_seconds() == 3600
    assert article.updated == datetime(2019, 3, 15, 7, 0, tzinfo=UTC)


def test_the_time_inside_the_article_wins_over_the_masthead_time():
    html = page(
        f"<p class='meta'><time datetime='2019-03-14T16:05:00+00:00'>14 March</time></p>"
        f"<p>{P1}</p><p>{P2}</p>",
        head="",
    ).replace("<nav>", "<header><time datetime='2026-10-31T00:00:00Z'>Saturday</time></header><nav>")
    assert read(html).published == datetime(2019, 3, 14, 16, 5, tzinfo=UTC)


def test_a_related_story_card_is_not_the_article():
    card = (
        "<article class='teaser'><time datetime='2026-10-30T09:00:00Z'>Yesterday</time><a>Other</a></article>"
    )
    html = page(
        f"<p><time datetime='2019-03-14T16:05:00Z'>14 March</time></p><p>{P1}</p><p>{P2}</p>", head=""
    )
    assert read(html.replace("<footer>", card + "<footer>")).published == datetime(
        2019, 3, 14, 16, 5, tzinfo=UTC
    )


def test_the_masthead_date_alone_is_no_publication_date():
    html = page(f"<p>{P1}</p><p>{P2}</p>", head="").replace(
        "<nav>", "<div class='masthead'><time datetime='2026-10-31'>Saturday 31 October</time></div><nav>"
    )
    with pytest.raises(Rejected, match="no publication date"):
        read(html)


@pytest.mark.parametrize(
    ("meta", "zone", "expected"),
    [
        ("<span class='posted-on'><time class='entry-date' datetime='2017-09-05T07:12:44-05:00'>Sept 5</time>"
         "</span>",
         "UTC", datetime(2017, 9, 5, 12, 12, 44, tzinfo=UTC)),
        ("<p class='postmeta'>Posted on September 5, 2017 at 7:12 am by staff</p>",
         "America/New_York", datetime(2017, 9, 5, 11, 12, tzinfo=UTC)),
    ],
    ids=["time-element", "text"],
)  # fmt: skip
def test_htmldate_fallback_keeps_the_time_of_day(meta, zone, expected):
    html = (
        f"<html><head><title>{TITLE}</title></head><body><div class='post'><h1>{TITLE}</h1>"
        f"<div class='entry-meta'>{meta}</div><div class='entry-content'><p>{P1}</p><p>{P2}</p></div></div>"
        "</body></html>"
    )
    article = read(html, zone=ZoneInfo(zone))
    assert article.published == expected
    assert any("htmldate" in n for n in article.notes)


@pytest.mark.parametrize(
    ("head", "what"),
    [
        ('<meta property="article:published_time" content="2018-04-09">', "article:published_time"),
        (ld({"@type": "NewsArticle", "datePublished": "2018-04-09"}), "JSON-LD datePublished"),
    ],
)
def test_a_date_without_time_is_midnight_in_the_source_zone_noted(head, what):
    article = read(page(f"<p>{P1}</p><p>{P2}</p>", head=head), zone=ZoneInfo("Europe/London"))
    assert article.published == datetime(2018, 4, 9, tzinfo=ZoneInfo("Europe/London"))
    assert article.published.utcoffset().total_seconds() == 3600
    assert any(what in n and "no time of day" in n for n in article.notes)


def test_an_unparseable_metadata_date_is_noted_and_the_next_source_used():
    head = ld({"@type": "NewsArticle", "datePublished": "{{ date }}"}) + DATE_META
    article = read(page(f"<p>{P1}</p><p>{P2}</p>", head=head))
    assert article.published == datetime(2022, 5, 17, 8, 30, tzinfo=UTC)
    assert any("'{{ date }}' is not a date" in n for n in article.notes)


def test_an_update_equal_to_the_publication_is_no_update():
    head = ld(
        {
            "@type": "Article",
            "datePublished": "2022-05-17T10:30:00+02:00",
            "dateModified": "2022-05-17T08:30:00Z",
        }
    )
    assert read(page(f"<p>{P1}</p><p>{P2}</p>", head=head)).updated is None


# --- byline --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "author"),
    [
        (ld({"@type": "NewsArticle", "author": "Lucia Fernandes"}), "", "Lucia Fernandes"),
        (ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Lucia Fernandes"}}), "",
         "Lucia Fernandes"),
        (ld({"@type": "NewsArticle", "author": [{"name": "Lucia Fernandes"}, {"name": "Ben Achebe"}]}), "",
         "Lucia Fernandes and Ben Achebe"),
        (ld({"@type": "NewsArticle", "author": ["A Lee", "B Cho", "C Diaz"]}), "", "A Lee, B Cho and C Diaz"),
        (ld({"@graph": [{"@type": "Article", "author": {"@id": "#p1"}}, {"@type": "Person", "@id": "#p1",
                                                                         "name": "Gareth Llewellyn"}]}),
         "", "Gareth Llewellyn"),
        ("", "<p>Story by <a rel='author' href='/staff/tom'>Tom Okafor</a></p>", "Tom Okafor"),
        ('<meta name="author" content="By Sam Whitaker, Transport reporter">', "", "Sam Whitaker"),
        ("", "<span class='byline'>By Priya Natarajan, Health correspondent</span>", "Priya Natarajan"),
    ],
    ids=["ld-string", "ld-object", "ld-two", "ld-three", "ld-id-ref", "rel-author", "meta", "byline-class"],
)  # fmt: skip
def test_the_byline(head, body, author):
    assert read(page(f"{body}<p>{P1}</p><p>{P2}</p>", head=DATE_META + head)).author == author


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("By Dana Whitfield", "Dana Whitfield"),
        ("by Dana Whitfield, in London", "Dana Whitfield"),
        ("Written by Jo Tran | 4 March 2019", "Jo Tran"),
        ("Jo Tran, shipping reporter", "Jo Tran"),
        ("Anna Lee, Ben Cho and Carla Diaz", "Anna Lee, Ben Cho and Carla Diaz"),
        ("https://example.com/staff/jo", None),
        ("", None),
    ],
)
def test_byline_cleaning(text, name):
    assert page_meta.byline(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("By Jane Roe, Europe editor", "Jane Roe"),
        ("Jane Roe", "Jane Roe"),  # a metadata field holds names: no "By" needed
        ("Jane Roe; John Doe", "Jane Roe and John Doe"),
        ("Oct 7, 2014 | By Jane Roe", "Jane Roe"),
        ("By Jane Roe, BBC News, Brussels", "Jane Roe"),
        ("By Jane Roe, Europe editor, and John Doe, Moscow correspondent", "Jane Roe and John Doe"),
        ("Reuters", "Reuters"),
        ("jane.roe@example.com", None),
        ("Jane Roe 2", None),
        ("BBC News", None),
        ("Staff Writer", None),
        ("The harbour authority ordered four new pilot boats.", None),
    ],
)
def test_metadata_bylines_follow_the_text_scrape_rule(text, name):
    assert page_meta.byline(text) == name
    if text.startswith("By"):  # the same line in a text scrape gives the same author
        assert classify(text, OPTIONS).author == name


def test_a_metadata_byline_in_capitals_is_title_cased_with_a_note():
    reading = Reading(OPTIONS)
    assert page_meta.byline("JANE ROE, EUROPE EDITOR", reading) == "Jane Roe"
    assert any("capitals" in note for note in reading.notes)


def test_the_role_in_a_meta_author_is_not_the_author():
    head = '<meta name="author" content="Jane Roe, Europe editor">'
    assert read(page(f"<p>{P1}</p><p>{P2}</p>", head=DATE_META + head)).author == "Jane Roe"


# --- canonical URL -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "page_url", "url", "note"),
    [
        ('<link rel="canonical" href="https://port.example/news/boats">', None,
         "https://port.example/news/boats", None),
        ('<link rel="canonical" href="/news/latest">', None, None,
         "relative canonical URL '/news/latest' ignored"),
        ('<link rel="canonical" href="/news/boats">', "https://port.example/index.php?id=7",
         "https://port.example/news/boats", "resolved against the page URL"),
        ('<link rel="canonical" href="/news/latest"><meta property="og:url" content="https://port.example/n/1">',
         None, "https://port.example/n/1", "ignored"),
        ('<meta property="og:url" content="boats.html">', "https://port.example/news/",
         "https://port.example/news/boats.html", "resolved"),
        ('<link rel="canonical" href="//port.example/news/boats">', None, "https://port.example/news/boats",
         "https assumed"),
        ('<link rel="canonical" href="javascript:void(0)">', None, None, "not an http(s) URL"),
        ("", "https://port.example/news/boats", "https://port.example/news/boats", None),
        ("", "/relative/page", None, None),
    ],
    ids=["absolute", "relative", "relative-with-page-url", "og-after-relative", "og-relative",
         "protocol-relative",
         "javascript", "page-url", "bad-page-url"],
)  # fmt: skip
def test_the_canonical_url(head, page_url, url, note):
    article = read(page(f"<p>{P1}</p><p>{P2}</p>", head=DATE_META + head), page_url=page_url)
    assert article.url == url
    if note:
        assert any(note in n for n in article.notes), article.notes


def test_two_stories_sharing_a_relative_canonical_stay_two_articles():
    head = DATE_META + '<link rel="canonical" href="/news/latest">'
    first = read(page(f"<p>{P1}</p><p>{P2}</p>", head=head))
    second = read(page(f"<p>{P3} {P1}</p><p>{P2}</p>", head=head, title="Pilots welcome the new boats"))
    assert first.url is None and second.url is None
    assert first.content_hash() != second.content_hash()


# --- quote attributions (review: the <cite> was read as a sentence of the quote) ---------------


@pytest.mark.parametrize(
    "quote",
    [
        '<blockquote class="wp-block-quote"><p>We listened to every pilot.</p><cite>Sofia Lindqvist</cite>'
        "</blockquote>",
        "<blockquote><p>We listened to every pilot.</p><footer>— <cite>Sofia Lindqvist</cite>, harbour master"
        "</footer></blockquote>",
        "<blockquote><p>We listened to every pilot.</p><footer>&mdash; Sofia Lindqvist</footer></blockquote>",
        "<blockquote><p>We listened to every pilot.</p><p>— <cite>Sofia Lindqvist</cite></p></blockquote>",
    ],
    ids=["wp-cite", "footer-cite-role", "footer-text", "p-cite"],
)
def test_a_quote_attribution_on_a_page_is_the_speaker(quote):
    article = read(page(f"<p>{P1}</p>{quote}<p>{P2}</p><p>{P3}</p>"))
    quotes = [p for p in article.paragraphs if p.kind == Kind.QUOTE]
    assert [(q.text, q.speaker) for q in quotes] == [("We listened to every pilot.", "Sofia Lindqvist")]
    assert not any("Lindqvist" in t for t in texts(article))


def test_a_pull_quote_on_a_page_is_not_text():
    pull = (
        '<figure class="wp-block-pullquote"><blockquote><p>The old boats were slow in heavy seas.</p>'
        "<cite>A pilot</cite></blockquote></figure>"
    )
    article = read(page(f"<p>{P1}</p><p>{P2}</p>{pull}<p>{P3}</p>"))
    assert texts(article) == [P1, P2, P3]


# --- JSON-LD with trailing commas (common CMS template output) ----------------------------------


@pytest.mark.parametrize(
    "block",
    [
        '{"@type":"NewsArticle", "datePublished":"2024-03-05T09:15:00Z",}',
        '{"@type": "NewsArticle",\n  "datePublished": "2024-03-05T09:15:00Z",\n}',
        '[{"@type":"NewsArticle","datePublished":"2024-03-05T09:15:00Z","author":[{"name":"Jo Park",},],},]',
        '{"@graph":[{"@type":"WebPage",},{"@type":"NewsArticle","datePublished":"2024-03-05T09:15:00Z"},]}',
    ],
    ids=["object", "newlines", "list-and-author", "graph"],
)
def test_json_ld_with_trailing_commas_is_read_leniently_with_a_note(block):
    head = f'<script type="application/ld+json">{block}</script>'
    article = read(page(f"<p>{P1}</p><p>{P2}</p>", head=head))
    assert article.published == datetime(2024, 3, 5, 9, 15, tzinfo=UTC)
    assert "a JSON-LD block had trailing commas: read leniently" in article.notes


def test_a_comma_before_a_bracket_inside_a_json_ld_string_is_kept():
    block = '{"@type":"NewsArticle","headline":"Boats ,} and ,]","datePublished":"2024-03-05T09:15:00Z",}'
    reading = Reading(OPTIONS)
    articles, _ = page_meta.json_ld(
        lxml.html.document_fromstring(page("", head=f'<script type="application/ld+json">{block}</script>')),
        reading,
    )
    assert articles[0]["headline"] == "Boats ,} and ,]"


@pytest.mark.parametrize(
    "block",
    [
        '{"@type":"NewsArticle" "datePublished":"2024-03-05T09:15:00Z"}',
        "{'@type': 'NewsArticle'}",
        "{{ ld_json }}",
    ],
)
def test_unreadable_json_ld_and_no_date_says_so(block):
    head = f'<script type="application/ld+json">{block}</script>'
    with pytest.raises(
        Rejected, match=r"no publication date found .*\(.*a JSON-LD block is not valid JSON\)$"
    ):
        read(page(f"<p>{P1}</p><p>{P2}</p>", head=head))


def test_unreadable_json_ld_is_not_blamed_when_the_date_is_found_elsewhere():
    head = '<script type="application/ld+json">{"@type":"NewsArticle" "x":1}</script>' + DATE_META
    article = read(page(f"<p>{P1}</p><p>{P2}</p>", head=head))
    assert article.published == datetime(2022, 5, 17, 8, 30, tzinfo=UTC)
    assert any("JSON-LD block of the page is not valid JSON" in n for n in article.notes)
