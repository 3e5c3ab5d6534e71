"""RFC 5005 archives, WebSub, OPML and the links between languages."""

from __future__ import annotations

import json
import threading
import urllib.parse
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import feedparser
import pytest
from lxml import etree

from feeds.publish import publish_language
from syndicate import config, lifecycle
from syndicate.model import Article, Kind, Paragraph
from syndicate.store import Store
from tests.feedcheck import validate_atom
from tests.store_helpers import add

ATOM = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"


def article(n: int) -> Article:
    return Article(f"Story {n}", datetime(2021, 1, n, tzinfo=UTC), (Paragraph(Kind.LEAD, f"Text {n}."),))


def links(path, rel: str) -> list[str]:
    root = etree.parse(str(path)).getroot()
    parent = root.find("channel") if root.tag == "rss" else root
    return [x.get("href") for x in parent.findall(f"{ATOM}link") if x.get("rel") == rel]


@pytest.fixture
def hub():
    """A WebSub hub stub on 127.0.0.1 that records what it is told."""
    pings: list[dict] = []

    class Hub(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            pings.append(dict(urllib.parse.parse_qsl(body)))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hub", pings
    server.shutdown()
    server.server_close()


@pytest.fixture
def site(data_dir, hub):
    settings = config.load(
        {
            "SYNDICATE_DATA_DIR": str(data_dir),
            "SYNDICATE_FEED_SIZE": "2",
            "SYNDICATE_TARGETS": "ru",
            "SYNDICATE_BASE_URL": "https://news.example",
            "SYNDICATE_WEBSUB_HUB": hub[0],
        }
    )
    store = Store(settings.database_url)
    yield settings, store
    store.close()


def publish_one(settings, store, n: int) -> None:
    add(store, article(n), settings.languages, None)
    published = publish_language(store, settings, "en")
    lifecycle.mark_published(store, "en", published.article_ids)


def titles(path) -> list[str]:
    return [e.title for e in feedparser.parse(path.read_bytes()).entries]


def test_archive_pages_close_behind_a_full_main_feed_and_link_both_ways(site):
    """Page k exists once a full feed's worth of newer positions does, so the main feed never
    shares an entry with an archive page; a closing page gives its older neighbour next-archive."""
    settings, store = site
    feeds = settings.feeds_dir / "feeds" / "en"
    page1, page2 = feeds / "archive" / "1" / "atom.xml", feeds / "archive" / "2" / "atom.xml"
    for n in range(1, 6):
        publish_one(settings, store, n)
    assert titles(feeds / "atom.xml") == ["Story 5", "Story 4", "Story 3"]
    assert titles(page1) == ["Story 2", "Story 1"]
    assert not page2.exists()
    assert links(feeds / "atom.xml", "prev-archive") == ["https://news.example/feeds/en/archive/1/atom.xml"]
    assert links(page1, "prev-archive") == [] and links(page1, "next-archive") == []

    publish_one(settings, store, 6)
    assert titles(feeds / "atom.xml") == ["Story 6", "Story 5"]
    assert titles(page2) == ["Story 4", "Story 3"]
    assert links(feeds / "atom.xml", "prev-archive") == ["https://news.example/feeds/en/archive/2/atom.xml"]
    assert links(page1, "next-archive") == ["https://news.example/feeds/en/archive/2/atom.xml"]
    assert links(page2, "prev-archive") == ["https://news.example/feeds/en/archive/1/atom.xml"]
    assert links(page2, "next-archive") == []
    assert links(page2, "current") == ["https://news.example/feeds/en/atom.xml"]
    assert etree.parse(str(page2)).getroot().find(f"{FH}archive") is not None
    assert etree.parse(str(feeds / "atom.xml")).getroot().find(f"{FH}archive") is None
    rss_page = feeds / "archive" / "2" / "rss.xml"
    assert links(rss_page, "prev-archive") == ["https://news.example/feeds/en/archive/1/rss.xml"]
    json_main = json.loads((feeds / "feed.json").read_text())
    assert json_main["next_url"] == "https://news.example/feeds/en/archive/2/feed.json"
    for path in (feeds / "atom.xml", page1, page2):
        validate_atom(path)

    frozen = {p: p.read_bytes() for p in (feeds / "archive").rglob("*") if p.is_file()}
    publish_one(settings, store, 7)  # closes no page: the archives stay as they are
    for path, data in frozen.items():
        assert path.read_bytes() == data
    assert store.stale.marked("en") == []


def test_a_revision_leaves_its_archive_page_for_the_head_of_the_main_feed(site):
    settings, store = site
    feeds = settings.feeds_dir / "feeds" / "en"
    ids = [add(store, article(n), settings.languages, None).article_id for n in range(1, 6)]
    lifecycle.mark_published(store, "en", publish_language(store, settings, "en").article_ids)
    assert titles(feeds / "archive" / "1" / "atom.xml") == ["Story 2", "Story 1"]
    corrected = Article("Story 1, corrected", article(1).published, (Paragraph(Kind.LEAD, "Fixed."),))
    assert lifecycle.submit(store, corrected, ("en",), None, update_of=ids[0]).article_id == ids[0]
    lifecycle.mark_published(store, "en", publish_language(store, settings, "en").article_ids)
    assert titles(feeds / "archive" / "1" / "atom.xml") == ["Story 2"]
    assert titles(feeds / "atom.xml")[0] == "Story 1, corrected"


def test_backdated_article_goes_to_the_top_not_into_an_archive(site):
    settings, store = site
    for n in (10, 11, 12, 13):
        publish_one(settings, store, n)
    publish_one(settings, store, 1)  # dated long before the others, published last
    main = feedparser.parse((settings.feeds_dir / "feeds" / "en" / "atom.xml").read_bytes())
    assert main.entries[0].title == "Story 1"


def test_websub_hub_is_advertised_and_pinged(site, hub):
    settings, store = site
    url, pings = hub
    publish_one(settings, store, 1)
    feeds = settings.feeds_dir / "feeds" / "en"
    assert links(feeds / "atom.xml", "hub") == [url]
    assert links(feeds / "rss.xml", "hub") == [url]
    assert json.loads((feeds / "feed.json").read_text())["hubs"] == [{"type": "WebSub", "url": url}]
    topics = {p["hub.url"] for p in pings if p["hub.mode"] == "publish"}
    assert topics == {
        f"https://news.example/feeds/en/{name}" for name in ("rss.xml", "atom.xml", "feed.json")
    }
    count = len(pings)
    publish_language(store, settings, "en")  # nothing changed: no ping
    assert len(pings) == count


def test_unreachable_hub_does_not_fail_publishing(data_dir):
    settings = config.load(
        {"SYNDICATE_DATA_DIR": str(data_dir), "SYNDICATE_WEBSUB_HUB": "http://127.0.0.1:9/hub"}
    )
    store = Store(settings.database_url)
    add(store, article(1), settings.languages, None)
    assert publish_language(store, settings, "en").article_ids
    store.close()


def test_language_links_in_rss_and_opml(site):
    settings, store = site
    publish_one(settings, store, 1)
    feeds = settings.feeds_dir / "feeds" / "en"
    root = etree.parse(str(feeds / "rss.xml")).getroot()
    alternates = [x for x in root.find("channel").findall(f"{ATOM}link") if x.get("rel") == "alternate"]
    # The other languages' feeds are alternates (the home page comes first: tests/test_feeds.py).
    assert ("ru", "https://news.example/feeds/ru/rss.xml") in [
        (x.get("hreflang"), x.get("href")) for x in alternates
    ]
    opml = etree.parse(str(settings.feeds_dir / "feeds.opml")).getroot()
    urls = sorted(o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl"))
    assert any(url.startswith("https://news.example/feeds/ru/") for url in urls)


def test_a_backlog_is_published_in_chunks_of_pages_and_every_page_is_written(site, monkeypatch):
    import feeds.publish

    settings, store = site
    monkeypatch.setattr(feeds.publish, "PAGES_PER_CHUNK", 2)
    chunks = []
    read_pages = feeds.publish.read_pages
    monkeypatch.setattr(
        feeds.publish,
        "read_pages",
        lambda *a: chunks.append(len(a[2])) or read_pages(*a),
    )
    ids = [add(store, article(n), settings.languages, None).article_id for n in range(1, 6)]
    published = publish_language(store, settings, "en", ping_hub=False)
    assert sorted(published.article_ids) == sorted(ids)
    assert chunks == [2, 2, 1]
    for article_id in ids:
        assert (settings.feeds_dir / "en" / f"{article_id}.html").is_file()
        assert (settings.feeds_dir / "articles" / f"{article_id}.html").is_file()
    # Pages are written before the feed that links to them.
    first_page = settings.feeds_dir / "en" / f"{ids[0]}.html"
    assert (
        first_page.stat().st_mtime_ns <= (settings.feeds_dir / "feeds" / "en" / "atom.xml").stat().st_mtime_ns
    )
