"""Feed documents rendered from hand-made snapshots (no store, no translation engine): each feed's
home link, plain text that must never become markup, JSON Feed's feed_url, the OPML lists, and
the W3C Feed Validator's rules over all of them."""

from __future__ import annotations

import html
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from feeds.document import Feed, build, feed_url, page_url
from feeds.jsonfeed import jsonfeed_bytes
from feeds.opml import OPML_FILES, opml_bytes, opml_files
from feeds.xmlfeeds import atom_bytes, rss_bytes
from syndicate.model import Article, Kind, Paragraph, Provenance, StoredArticle, Translation

sys.path.insert(0, str(Path(__file__).parent / "tools" / "feedvalidator"))
import feedvalidator  # noqa: E402  (vendored, unchanged: tests/tools/feedvalidator)
from feedvalidator.logging import Error, Warning  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://news.example"
LANGS = ("en", "ru", "ja")
PUBLISHER = "Tom & Jerry's <Daily>"
# Field case 20: every character that HTML or XML could misread, in a title.
SPECIAL = """Tom & Jerry's <b>"Cheese & Crackers"</b> café beats 'Big Mac' <> rivals ]]> in award"""
# Field case 19: a sentence that mentions markup as text.
SCRIPT = "Editors removed <script>alert(1)</script> & <b>bold</b> tags ]]> from the page."
PLAIN = 'Floods, ferries: 5 > 4 "now"'  # no "<" or "&": nothing HTML would misread, stays as written
RENDER = {"rss": rss_bytes, "atom": atom_bytes}


def stored(n: int, title: str, lead: str) -> StoredArticle:
    """Article ``n`` with ``title`` and ``lead``, translated into ru and ja with the same text."""
    when = datetime(2015, 5, n, 11, tzinfo=UTC)
    paragraphs = (Paragraph(Kind.LEAD, lead), Paragraph(Kind.PARAGRAPH, f"More {n} <i>."))
    translations = {
        lang: Translation(lang, title, paragraphs, Provenance("model", "1")) for lang in ("ru", "ja")
    }
    return StoredArticle(f"a{n}", 1, Article(title, when, paragraphs), when, translations)


ARTICLES = [stored(2, SPECIAL, SCRIPT), stored(1, PLAIN, PLAIN)]
TEXTS = {"a2": (SPECIAL, SCRIPT), "a1": (PLAIN, PLAIN)}
# (page, prev_archive, next_archive): the main feed, the oldest and the newest archive page.
DOCUMENTS = [(None, 2, None), (1, None, 2), (2, 1, None)]


def feed(lang: str, page: int | None = None, prev: int | None = None, nxt: int | None = None) -> Feed:
    return build(
        ARTICLES, lang, base_url=BASE, source_lang="en", languages=LANGS, publisher=PUBLISHER,
        hub="https://hub.example/", page=page, prev_archive=prev, next_archive=nxt,
    )  # fmt: skip


def feed_links(document: bytes) -> tuple[etree._Element, list[etree._Element]]:
    """The root element and its feed-level atom:link elements, in document order."""
    root = etree.fromstring(document)
    parent = root.find("channel") if root.tag == "rss" else root
    assert parent is not None
    return root, parent.findall(f"{ATOM}link")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("page", "prev", "nxt"), DOCUMENTS)
def test_the_first_alternate_link_is_the_home_page_of_the_feeds_language(fmt, lang, page, prev, nxt):
    # gofeed, rss-parser, XML::Feed and fastfeedparser take the first alternate as the home page.
    document = RENDER[fmt](feed(lang, page, prev, nxt))
    root, links = feed_links(document)
    alternates = [x for x in links if x.get("rel") == "alternate"]
    home = (alternates[0].get("href"), alternates[0].get("type"), alternates[0].get("hreflang"))
    assert home == (f"{BASE}/{lang}/", "text/html", lang)
    others = [(x.get("hreflang"), x.get("href"), x.get("type")) for x in alternates[1:]]
    if page is None:  # the main feed names the other languages' main feeds after its home page
        kind = f"application/{fmt}+xml"
        assert others == [(lg, feed_url(BASE, lg, fmt), kind) for lg in LANGS if lg != lang]
    assert all(href != f"{BASE}/{lang}/" for _, href, _ in others)
    if fmt == "rss":
        assert root.findtext("channel/link") == f"{BASE}/{lang}/"
    assert feedparser.parse(document).feed.link == f"{BASE}/{lang}/"


@pytest.mark.parametrize(("page", "prev", "nxt"), DOCUMENTS)
def test_json_feed_home_and_feed_url(page, prev, nxt):
    # JSON Feed 1.1: feed_url "serves as the unique identifier for the feed": archive pages too.
    doc = json.loads(jsonfeed_bytes(feed("ru", page, prev, nxt)))
    assert doc["home_page_url"] == f"{BASE}/ru/"
    assert doc["feed_url"] == f"{BASE}/feeds/ru/feed.json"
    assert doc.get("next_url") == (feed_url(BASE, "ru", "json", prev) if prev else None)


def shown(value: str, kind: str) -> tuple[str, set[str]]:
    """What a reader shows for feedparser's ``value`` of content type ``kind``: its text, and
    the names of the elements it holds (none for plain text)."""
    if kind == "text/plain":
        return value, set()
    fragment = lxml_html.fragment_fromstring(value or " ", create_parent="div")
    return fragment.text_content(), {e.tag for e in fragment.iterdescendants()}


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_plain_text_shows_as_written_in_every_element_and_never_as_markup(fmt, lang):
    parsed = feedparser.parse(RENDER[fmt](feed(lang)))
    assert not parsed.bozo, parsed.bozo_exception
    assert shown(parsed.feed.title, parsed.feed.title_detail.type) == (f"{PUBLISHER} [{lang}]", set())
    assert len(parsed.entries) == 2
    for entry in parsed.entries:
        article = entry.link.rsplit("/", 1)[1].removesuffix(".html")
        title, lead = TEXTS[article]
        # feedparser's sanitized values: the characters as written, no <b> or <script> element.
        assert shown(entry.title, entry.title_detail.type) == (title, set())
        assert shown(entry.summary, entry.summary_detail.type) == (lead, set())
        body, tags = shown(entry.content[0].value, entry.content[0].type)
        assert lead in body and f"More {article[1:]} <i>." in body
        # Only the body's own markup: paragraphs, and the machine translation note in <em>.
        assert tags == ({"p"} if lang == "en" else {"p", "em"})


def test_text_is_escaped_for_html_only_where_html_would_misread_it():
    rss = etree.fromstring(rss_bytes(feed("en")))
    items = {i.findtext("link"): i for i in rss.iter("item")}
    special, plain = items[page_url(BASE, "en", "a2")], items[page_url(BASE, "en", "a1")]
    # RSS readers take <title> and <description> as HTML: the element text is escaped HTML.
    assert special.findtext("title") == html.escape(SPECIAL, quote=False)
    assert special.findtext("description") == html.escape(SCRIPT, quote=False)
    assert plain.findtext("title") == PLAIN  # readers that take it as plain text show it right
    assert rss.findtext("channel/title") == html.escape(f"{PUBLISHER} [en]", quote=False)
    atom = etree.fromstring(atom_bytes(feed("en")))
    entries = {e.find(f"{ATOM}link[@rel='alternate']").get("href"): e for e in atom.iter(f"{ATOM}entry")}
    special, plain = entries[page_url(BASE, "en", "a2")], entries[page_url(BASE, "en", "a1")]
    for tag, text in (("title", SPECIAL), ("summary", SCRIPT)):
        element = special.find(f"{ATOM}{tag}")
        assert (element.get("type"), element.text) == ("html", html.escape(text, quote=False))
        element = plain.find(f"{ATOM}{tag}")
        assert (element.get("type"), element.text) == ("text", PLAIN)


def test_rss_writes_xml_escapes_as_hexadecimal_references():
    # The RSS Best Practices Profile (Character Data); the validator checks the bytes.
    document = rss_bytes(feed("en"))
    assert b"&amp;" not in document and b"&lt;" not in document and b"&#x26;lt;b&#x26;gt;" in document


def test_json_feed_text_is_plain_and_html_is_escaped():
    items = {i["id"].rsplit("/", 1)[-1]: i for i in json.loads(jsonfeed_bytes(feed("en")))["items"]}
    special = next(i for i in items.values() if i["url"].endswith("/a2.html"))
    assert special["title"] == SPECIAL and special["summary"] == SCRIPT  # plain text by the spec
    text, tags = shown(special["content_html"], "text/html")
    assert SCRIPT in text and tags == {"p"}


def test_opml_lists_each_language_once_with_text_and_title():
    root = etree.fromstring(opml_bytes(BASE, LANGS, PUBLISHER))
    outlines = root.findall("body/outline")
    assert len(list(root.iter("outline"))) == len(outlines) == len(LANGS)
    for outline, lang in zip(outlines, LANGS, strict=True):
        name = html.escape(f"{PUBLISHER} [{lang}]", quote=False)  # OPML text is read as HTML
        assert outline.get("text") == outline.get("title") == name
        assert outline.get("type") == "rss"  # OPML 2.0's type for any subscription
        assert outline.get("xmlUrl") == f"{BASE}/feeds/{lang}/atom.xml"
        assert outline.get("htmlUrl") == f"{BASE}/{lang}/"
        assert outline.get("language") == lang
    assert etree.fromstring(opml_bytes(BASE, ("en",), "Plain & Co")).find("body/outline").get("text") == (
        "Plain &amp; Co [en]"  # a bare "&" is not valid HTML either (the validator's NotHtml)
    )


def test_each_format_has_its_own_opml_list():
    files = opml_files(BASE, LANGS, PUBLISHER)
    assert set(files) == set(OPML_FILES) and files["feeds.opml"] == opml_bytes(BASE, LANGS, PUBLISHER)
    for name, fmt in OPML_FILES.items():
        urls = [o.get("xmlUrl") for o in etree.fromstring(files[name]).iter("outline")]
        assert urls == [feed_url(BASE, lang, fmt) for lang in LANGS]


def problems(document: bytes, url: str) -> list[str]:
    """The W3C Feed Validator's errors and warnings for ``document`` served at ``url``."""
    events = feedvalidator.validateString(document, firstOccurrenceOnly=0, base=url)["loggedEvents"]
    return [
        f"{type(e).__name__} line {e.params.get('line')}: {e.params}"
        for e in events
        if isinstance(e, Error | Warning)
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_w3c_validator_finds_nothing_in_any_document(lang):
    for page, prev, nxt in DOCUMENTS:
        rendered = feed(lang, page, prev, nxt)
        for fmt, render in RENDER.items():
            assert problems(render(rendered), rendered.url(fmt)) == [], (fmt, page)
    for name, document in opml_files(BASE, LANGS, PUBLISHER).items():
        assert problems(document, f"{BASE}/{name}") == [], name
