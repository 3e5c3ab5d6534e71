"""Rendering from the store: RSS, Atom and JSON Feed built from the same data, written atomically."""

from __future__ import annotations

import email.utils
import json
import re
from datetime import UTC, datetime

import feedparser
import pytest
from lxml import etree

from feeds import publish
from syndicate import config, ingest
from syndicate.model import Article, Kind, Paragraph
from syndicate.store import Store
from syndicate.translation.engine import Engine, EngineOptions
from syndicate.translation.translator import translate_articles
from tests.conftest import ARTICLES
from tests.feedcheck import validate_atom
from tests.store_helpers import add, translated

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def site(data_dir, installed_packages):
    settings = config.load(
        {"SYNDICATE_DATA_DIR": str(data_dir), "SYNDICATE_BASE_URL": "https://news.example"}
    )
    store = Store(settings.database_url)
    engine = Engine(EngineOptions(installed_packages))
    ids = []
    for path in sorted(ARTICLES.glob("*.txt")):
        article = ingest.parse_bytes(path.read_bytes(), zone=settings.zone, max_bytes=10**6)
        sub = add(store, article, settings.languages, path.name)
        for lang in settings.targets:
            (result,) = translate_articles(engine, [article], lang)
            translated(store, sub.article_id, 1, result.translation)
        ids.append(sub.article_id)
    for lang in settings.languages:
        publish.publish_language(store, settings, lang)
    yield settings, store, ids
    store.close()


def test_atom_is_valid_for_every_language(site):
    settings, _, _ = site
    for lang in settings.languages:
        validate_atom(settings.feeds_dir / "feeds" / lang / "atom.xml")


def test_atom_languages_ids_and_links(site):
    settings, _, ids = site
    seen_ids = set()
    for lang in settings.languages:
        root = etree.parse(str(settings.feeds_dir / "feeds" / lang / "atom.xml")).getroot()
        assert root.get(XML_LANG) == lang
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == len(ids)
        for entry in entries:
            assert entry.get(XML_LANG) == lang
            alternates = [x for x in entry.findall(f"{ATOM}link") if x.get("rel") == "alternate"]
            assert len(alternates) == 1 and alternates[0].get("hreflang") == lang
            related = {x.get("hreflang") for x in entry.findall(f"{ATOM}link") if x.get("rel") == "related"}
            assert related == set(settings.languages) - {lang}
            seen_ids.add(entry.findtext(f"{ATOM}id"))
    assert len(seen_ids) == len(ids) * len(settings.languages)  # every language version its own id


def test_rss_channel_and_items(site):
    settings, _, ids = site
    doc = etree.parse(str(settings.feeds_dir / "feeds" / "ru" / "rss.xml")).getroot()
    channel = doc.find("channel")
    assert channel.findtext("language") == "ru"
    assert channel.findtext("link") == "https://news.example/ru/"
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "https://news.example/feeds/ru/rss.xml"
    assert self_link.get("type") == "application/rss+xml"
    guids = [item.find("guid") for item in channel.findall("item")]
    assert len({g.text for g in guids}) == len(ids)
    assert all(g.get("isPermaLink") == "false" for g in guids)
    for item in channel.findall("item"):
        date = item.findtext("pubDate")
        assert re.match(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$", date), date
        assert email.utils.parsedate_to_datetime(date).tzinfo is not None
        assert item.findtext("{http://purl.org/dc/elements/1.1/}creator")


def test_json_feed(site):
    settings, _, ids = site
    doc = json.loads((settings.feeds_dir / "feeds" / "ja" / "feed.json").read_text("utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == "https://news.example/feeds/ja/feed.json"
    assert doc["language"] == "ja"
    assert len(doc["items"]) == len(ids)
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["content_html"].startswith("<p>")
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None
        assert item["authors"][0]["name"]
        # The ja feed names the demo model in Japanese (feeds/locale/ja).
        assert "出力は翻訳ではありません" in item["_syndicate"]["provenance"]


def test_feedparser_reads_paragraphs_in_order(site):
    settings, store, ids = site
    parsed = feedparser.parse((settings.feeds_dir / "feeds" / "en" / "atom.xml").read_bytes())
    assert not parsed.bozo
    storm = next(e for e in parsed.entries if e.title.startswith("Coastal towns"))
    html = storm.content[0].value
    positions = [
        html.index(text) for text in ("Forecasters expect", "Emergency crews", "The last storm", "Ferries")
    ]
    assert positions == sorted(positions)
    assert "icon" not in html


def test_republishing_unchanged_content_is_byte_identical(site):
    settings, store, _ = site
    before = {p: p.read_bytes() for p in settings.feeds_dir.rglob("*") if p.is_file()}
    result = publish.publish_language(store, settings, "ru")
    assert result.written == ()
    after = {p: p.read_bytes() for p in settings.feeds_dir.rglob("*") if p.is_file()}
    assert before == after


def test_markup_in_input_is_escaped(data_dir):
    settings = config.load({"SYNDICATE_DATA_DIR": str(data_dir)})
    store = Store(settings.database_url)
    evil = Article(
        title="<script>alert(1)</script> Title",
        published=datetime(2021, 5, 1, tzinfo=UTC),
        paragraphs=(Paragraph(Kind.LEAD, 'Body <img src=x onerror="alert(2)"> & more.'),),
    )
    add(store, evil, ("en",), None)
    publish.publish_language(store, settings, "en")
    for name in ("atom.xml", "rss.xml"):
        text = (settings.feeds_dir / "feeds" / "en" / name).read_text("utf-8")
        assert "<script" not in text and "<img" not in text
    item = json.loads((settings.feeds_dir / "feeds" / "en" / "feed.json").read_text("utf-8"))["items"][0]
    assert "<img" not in item["content_html"] and "&lt;img" in item["content_html"]
    assert item["title"] == evil.title  # JSON Feed titles are plain text by the spec
    parsed = feedparser.parse((settings.feeds_dir / "feeds" / "en" / "atom.xml").read_bytes())
    assert "<script>" not in parsed.entries[0].content[0].value


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "feeds" / "x.xml"
    assert publish.write_atomic(target, b"one")
    assert not publish.write_atomic(target, b"one")
    assert publish.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["x.xml"]


def test_atom_links_use_the_default_namespace_prefix(site):
    # lxml would write "ns0:link" for an element built outside the tree: sfeed then finds no link.
    settings, _, _ = site
    for lang in settings.languages:
        text = (settings.feeds_dir / "feeds" / lang / "atom.xml").read_text("utf-8")
        assert "ns0:" not in text and 'rel="related"' in text


def test_every_url_is_absolute_and_ascii(data_dir, installed_packages):
    settings = config.load(
        {"SYNDICATE_DATA_DIR": str(data_dir), "SYNDICATE_BASE_URL": "https://пример.example/новости"}
    )
    store = Store(settings.database_url)
    add(
        store,
        ingest.parse_bytes(
            (ARTICLES / "storm-warning-2020.txt").read_bytes(), zone=settings.zone, max_bytes=10**6
        ),
        settings.languages,
        None,
    )
    publish.publish_language(store, settings, "en")
    for name in ("rss.xml", "atom.xml"):
        root = etree.parse(str(settings.feeds_dir / "feeds" / "en" / name)).getroot()
        urls = [e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link")]
        urls += [e.text for e in root.iter("link") if e.text]
        assert urls and all(u.isascii() and u.startswith("https://xn--") for u in urls), urls
    store.close()
