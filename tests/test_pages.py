"""The HTML pages as a small news site (issue 13, item 1): pure renderers, catalogues, publish.

Guards: ``/`` links every language's index; each language's index lists every article, newest
publication date first, in pages of feeds/site.py PAGE_SIZE; every page's head announces its
language's three feeds and hreflang alternates; ru and ja interface text comes from the
catalogues (feeds/locale), complete for every marked string; dates are in the locale's format.
Chromium checks the layout: tests/integration/test_pages_browser.py.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from lxml import html as lxml_html

from feeds import i18n, pages, site
from feeds.document import build
from feeds.publish import publish_language, render
from syndicate import config, lifecycle
from syndicate.model import Article, Kind, Paragraph, Provenance, StoredArticle, Translation
from syndicate.store import Snapshot, Store
from tests.store_helpers import add

BASE = "https://news.example"
LANGS = ("en", "ru", "ja")
FEED_TYPES = {
    "application/atom+xml": "atom.xml",
    "application/rss+xml": "rss.xml",
    "application/feed+json": "feed.json",
}
MARKED = [
    Path(site.__file__),
    Path(pages.__file__),
    Path(i18n.__file__),
]  # the modules whose strings are translated


def stored(n: int, when: datetime | None = None, title: str | None = None) -> StoredArticle:
    when = when or datetime(2021, 1, 1, tzinfo=UTC) + timedelta(hours=n)
    article = Article(title or f"Story {n}", when, (Paragraph(Kind.LEAD, f"Text {n}."),))
    translations = {
        lg: Translation(lg, f"{lg} story {n}", article.paragraphs, Provenance("m", "1"))
        for lg in ("ru", "ja")
    }
    return StoredArticle(f"a{n}", 1, article, when, translations, {"en": when}, n)


def feed(lang: str, items: list[StoredArticle] | None = None):
    return build(items or [], lang, base_url=BASE, source_lang="en", languages=LANGS, publisher="Daily")


def head(doc: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """(feed MIME type -> href, hreflang -> href) of a page's head links."""
    tree = lxml_html.fromstring(doc)
    links = tree.xpath("//head/link[@rel='alternate']")
    feeds = {x.get("type"): x.get("href") for x in links if x.get("type") and not x.get("hreflang")}
    langs = {x.get("hreflang"): x.get("href") for x in links if x.get("hreflang") and not x.get("type")}
    return feeds, langs


def text(doc: bytes) -> str:
    """A page's text, CLDR's no-break spaces (before AM, before г.) as plain ones."""
    return lxml_html.fromstring(doc).text_content().replace("\u202f", " ").replace("\xa0", " ")


def assert_feeds(doc: bytes, lang: str) -> None:
    feeds, _ = head(doc)
    assert feeds == {mime: f"{BASE}/feeds/{lang}/{name}" for mime, name in FEED_TYPES.items()}


def test_root_page_links_every_language_and_its_feeds():
    doc = site.root_page(BASE, LANGS, "en", "Daily <News>")
    tree = lxml_html.fromstring(doc)
    assert [a.get("href") for a in tree.xpath("//a[@hreflang]")] == [f"{BASE}/{lg}/" for lg in LANGS]
    assert [a.text for a in tree.xpath("//a[@hreflang]")] == ["English", "Русский", "日本語"]
    assert tree.xpath("//h1")[0].text == "Daily <News>"  # escaped, then parsed back
    links = tree.xpath("//head/link[@rel='alternate']")
    announced = {(x.get("hreflang"), x.get("type")): x.get("href") for x in links}
    for lg in LANGS:
        assert announced[(lg, None)] == f"{BASE}/{lg}/"
        for mime, name in FEED_TYPES.items():
            assert announced[(lg, mime)] == f"{BASE}/feeds/{lg}/{name}"
    assert announced[("x-default", None)] == f"{BASE}/"
    assert links[0].get("type") == "application/atom+xml" and links[0].get("hreflang") == "en"


def test_index_lists_every_article_newest_first_in_pages(monkeypatch):
    monkeypatch.setattr(site, "PAGE_SIZE", 50)
    start = datetime(2020, 3, 1, tzinfo=UTC)
    rows = [site.IndexRow(f"a{n}", f"Story {n}", start + timedelta(days=n)) for n in range(120)]
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    files = site.index_pages(feed("en"), shuffled + rows[:5])  # a repeated row is listed once
    assert sorted(files) == ["en/index.html", "en/page/2.html", "en/page/3.html"]
    listed: list[str] = []
    for number, path in enumerate(["en/index.html", "en/page/2.html", "en/page/3.html"], 1):
        tree = lxml_html.fromstring(files[path])
        hrefs = [a.get("href") for a in tree.xpath("//ul[@class='articles']/li/a")]
        assert len(hrefs) == (50 if number < 3 else 20)
        listed += hrefs
        prev, nxt = tree.xpath("//a[@rel='prev']/@href"), tree.xpath("//a[@rel='next']/@href")
        assert prev == ([] if number == 1 else [site.index_url(BASE, "en", number - 1)])
        assert nxt == ([] if number == 3 else [site.index_url(BASE, "en", number + 1)])
        assert f"Page {number} of 3" in tree.text_content()
        assert_feeds(files[path], "en")
        # Only page 1 has hreflang alternates: no other language's page n lists the same articles.
        assert head(files[path])[1] == ({lg: f"{BASE}/{lg}/" for lg in LANGS} if number == 1 else {})
    newest_first = sorted(rows, key=lambda r: r.published, reverse=True)
    assert listed == [f"{BASE}/en/{r.id}.html" for r in newest_first]
    assert site.index_url(BASE, "en", 2) == f"{BASE}/en/page/2.html"
    assert site.index_url(BASE, "en") == f"{BASE}/en/"


def test_an_empty_language_has_one_index_page():
    files = site.index_pages(feed("ja"), [])
    assert list(files) == ["ja/index.html"]
    assert "記事0件" in lxml_html.fromstring(files["ja/index.html"]).text_content()


def test_index_text_is_escaped():
    row = site.IndexRow("x1", '<script>alert("x")</script>', datetime(2021, 1, 1, tzinfo=UTC))
    doc = site.index_pages(feed("en"), [row])["en/index.html"]
    assert b"<script>" not in doc and b"&lt;script&gt;" in doc


@pytest.mark.parametrize(
    ("lang", "words", "date"),
    [
        (
            "en",
            ["Subscribe:", "Other languages:", "Page 1 of 1", "2 articles"],
            "January 5, 2021, 10:07 AM UTC",
        ),
        (
            "ru",
            ["Подписаться:", "Другие языки:", "Страница 1 из 1", "2 статьи"],
            "5 января 2021 г., 10:07 UTC",
        ),
        ("ja", ["購読：", "他の言語：", "1 / 1 ページ", "記事2件"], "2021年1月5日 10:07 UTC"),
    ],
)
def test_interface_text_and_dates_in_the_pages_language(lang, words, date):
    when = datetime(2021, 1, 5, 10, 7, tzinfo=UTC)
    item = stored(1, when)
    rows = [site.IndexRow("a1", "T", when), site.IndexRow("a2", "U", when - timedelta(days=1))]
    index = text(site.index_pages(feed(lang), rows)[f"{lang}/index.html"])
    for word in words:
        assert word in index
    assert date in index
    entry = feed(lang, [item]).entries[0]
    article = pages.article_page(BASE, entry)
    shown = text(article)
    assert date in shown
    assert i18n.messages(lang).gettext("All articles") in shown
    assert_feeds(article, lang)
    assert head(article)[1] == {lg: f"{BASE}/{lg}/a1.html" for lg in LANGS}
    if lang != "en":  # no English interface text left on a translated page
        for english in ("Subscribe", "Other languages", "All articles", "Side by side", "Page 1"):
            assert english not in index + shown


def test_compare_page_takes_the_window_and_announces_its_feeds():
    doc = pages.compare_page(stored(4), LANGS, "en", BASE)
    tree = lxml_html.fromstring(doc)
    assert tree.xpath("//body/@class") == ["wide"]
    assert b"max-width:none" in doc and b"overflow-wrap:anywhere" in doc
    assert_feeds(doc, "en")
    assert "Original and 2 machine translations" in tree.text_content()
    assert [a.get("href") for a in tree.xpath("//nav/a")] == [f"{BASE}/{lg}/a4.html" for lg in LANGS]


def test_every_marked_string_is_translated_in_every_catalogue():
    marked: set[str | tuple[str, str]] = set()
    for path in MARKED:
        for _line, message, _comments, _context in extract_from_file("python", str(path)):
            marked.add(message if isinstance(message, str) else tuple(message))
    assert len(marked) >= 10
    for lang in ("ru", "ja"):
        with i18n.catalogue_path(lang).open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
        assert marked <= ids, (lang, marked - ids)
        for message in catalog:
            if message.id:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                assert all(strings) and not message.fuzzy, (lang, message.id)
                assert len(strings) == (catalog.num_plurals if message.pluralizable else 1)
        assert not [problem for _m, problems in catalog.check() for problem in problems], lang


def test_render_writes_the_root_page_and_the_index_from_the_rows(tmp_path):
    settings = config.load(
        {"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_TARGETS": "ru,ja", "SYNDICATE_BASE_URL": BASE}
    )
    snapshot = Snapshot(lang="ru", feed_size=10, closed=0, main=(stored(2),))
    rows = [
        site.IndexRow(f"a{n}", f"ru {n}", datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=n))
        for n in range(3)
    ]
    files = render(snapshot, settings, rows)
    assert "index.html" in files and "ru/index.html" in files
    listed = lxml_html.fromstring(files["ru/index.html"]).xpath("//ul[@class='articles']/li/a/@href")
    assert listed == [f"{BASE}/ru/a2.html", f"{BASE}/ru/a1.html", f"{BASE}/ru/a0.html"]


def test_publish_writes_every_index_page_and_drops_pages_past_the_last(data_dir, monkeypatch):
    monkeypatch.setattr(site, "PAGE_SIZE", 2)
    settings = config.load(
        {"SYNDICATE_DATA_DIR": str(data_dir), "SYNDICATE_FEED_SIZE": "2", "SYNDICATE_TARGETS": "ru",
         "SYNDICATE_BASE_URL": BASE}
    )  # fmt: skip
    store = Store(settings.database_url)
    try:
        ids = []
        for n in range(1, 6):  # published out of date order: the index sorts by date
            when = datetime(2021, 1, 6 - n if n % 2 else 10 + n, tzinfo=UTC)
            article = Article(f"Story {n}", when, (Paragraph(Kind.LEAD, f"Text {n}."),))
            ids.append(add(store, article, settings.languages, None).article_id)
            lifecycle.mark_published(store, "en", publish_language(store, settings, "en").article_ids)
        root = settings.feeds_dir
        assert (root / "index.html").is_file()
        assert sorted(p.name for p in (root / "en" / "page").iterdir()) == ["2.html", "3.html"]
        hrefs = []
        for path in ("en/index.html", "en/page/2.html", "en/page/3.html"):
            hrefs += lxml_html.fromstring((root / path).read_bytes()).xpath(
                "//ul[@class='articles']/li/a/@href"
            )
        assert len(hrefs) == 5  # older articles than the main feed's are reachable
        for article_id in ids[:2]:
            lifecycle.retract(store, article_id)
        publish_language(store, settings, "en")
        assert sorted(p.name for p in (root / "en" / "page").iterdir()) == ["2.html"]
    finally:
        store.close()


MODEL_NOTES = {
    "en": (
        "Machine translation by m (version 1).",
        " This is a demo model: its output is NOT a translation.",
    ),
    "ru": (
        "Машинный перевод: модель m (версия 1).",
        " Это демонстрационная модель: её вывод НЕ является переводом.",
    ),
    "ja": ("機械翻訳：モデル m（バージョン 1）。", "これはデモ用モデルです。出力は翻訳ではありません。"),
}


@pytest.mark.parametrize("lang", MODEL_NOTES)
def test_the_model_note_and_feed_titles_are_in_the_feeds_language(lang):
    model, warning = MODEL_NOTES[lang]
    assert i18n.provenance_text(Provenance("m", "1", demo=True), lang) == model + warning
    assert i18n.provenance_text(Provenance("m", "1"), lang) == model
    title = i18n.feed_title("Pub", lang, demo=True)
    assert title.startswith(f"Pub [{lang}] ") and len(title) > len(f"Pub [{lang}] ") + 5
    assert i18n.feed_title("Pub", lang, demo=False) == f"Pub [{lang}]"
    assert "Pub" in i18n.feed_description("Pub", lang, machine=True)
