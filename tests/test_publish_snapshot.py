"""feeds.publish.render on hand-made snapshots: pure, no store, no translation engine.

Guards RFC 5005 paging (page boundaries, no entry both in the main feed and an archive page,
prev-archive / next-archive / current links) and related links to every published version
(issue 12, items 1, 2 and 6).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from lxml import etree

from feeds.publish import render
from syndicate import config
from syndicate.model import Article, Kind, Paragraph, Provenance, StoredArticle, Translation, entry_id
from syndicate.store import Snapshot
from syndicate.store.snapshots import closed_pages, page_of

ATOM = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"
BASE = "https://news.example"


@pytest.fixture
def settings(tmp_path):
    return config.load(
        {
            "SYNDICATE_DATA_DIR": str(tmp_path / "nowhere"),
            "SYNDICATE_FEED_SIZE": "2",
            "SYNDICATE_TARGETS": "ru,ja",
            "SYNDICATE_BASE_URL": BASE,
        }
    )


def stored(seq: int, *langs: str) -> StoredArticle:
    """Article ``a{seq}`` at position ``seq``, translated into ``langs``."""
    when = datetime(2021, 1, seq, tzinfo=UTC)
    article = Article(f"Story {seq}", when, (Paragraph(Kind.LEAD, f"Text {seq}."),))
    translations = {
        lang: Translation(lang, f"{lang} {seq}", article.paragraphs, Provenance("m", "1")) for lang in langs
    }
    return StoredArticle(f"a{seq}", 1, article, when, translations, {"en": when}, seq)


def snapshot(last: int, archives: tuple[int, ...], lang: str = "en") -> Snapshot:
    """``lang``'s snapshot with positions 1..last (size 2), rendering the ``archives`` pages."""
    closed = closed_pages(last, 2)
    main = tuple(stored(seq) for seq in range(last, closed * 2, -1))
    pages = {k: tuple(stored(seq) for seq in (2 * k, 2 * k - 1)) for k in archives}
    return Snapshot(lang=lang, feed_size=2, closed=closed, main=main, archives=pages)


def atom(files: dict[str, bytes], page: int | None = None) -> etree._Element:
    path = "feeds/en/" + (f"archive/{page}/" if page else "") + "atom.xml"
    return etree.fromstring(files[path])


def links(root: etree._Element, rel: str) -> list[str]:
    return [x.get("href") for x in root.findall(f"{ATOM}link") if x.get("rel") == rel]


def ids(root: etree._Element) -> list[str]:
    return [x.findtext(f"{ATOM}id") for x in root.findall(f"{ATOM}entry")]


def test_page_boundaries():
    assert [page_of(seq, 2) for seq in (1, 2, 3, 4, 5)] == [1, 1, 2, 2, 3]
    # Page k closes once a full feed's worth of newer positions exists: last >= (k+1)*size.
    assert [closed_pages(last, 2) for last in (0, 1, 2, 3, 4, 5, 6)] == [0, 0, 0, 0, 1, 1, 2]


def test_main_feed_and_archive_pages_never_share_an_entry(settings):
    files = render(snapshot(7, (1, 2)), settings)
    main, page1, page2 = atom(files), atom(files, 1), atom(files, 2)
    assert ids(main) == [entry_id(f"a{n}", "en") for n in (7, 6, 5)]
    assert ids(page2) == [entry_id(f"a{n}", "en") for n in (4, 3)]
    assert ids(page1) == [entry_id(f"a{n}", "en") for n in (2, 1)]
    assert not set(ids(main)) & (set(ids(page1)) | set(ids(page2)))
    for fmt_path in ("feeds/en/archive/2/feed.json", "feeds/en/feed.json"):
        assert json.loads(files[fmt_path])["items"]


def test_archive_links_prev_next_and_current(settings):
    files = render(snapshot(6, (1, 2)), settings)
    main, page1, page2 = atom(files), atom(files, 1), atom(files, 2)
    archive = f"{BASE}/feeds/en/archive/{{}}/atom.xml"
    assert links(main, "prev-archive") == [archive.format(2)]
    assert main.find(f"{FH}archive") is None
    assert links(page1, "prev-archive") == [] and links(page1, "next-archive") == [archive.format(2)]
    assert links(page2, "prev-archive") == [archive.format(1)] and links(page2, "next-archive") == []
    for page in (page1, page2):
        assert links(page, "current") == [f"{BASE}/feeds/en/atom.xml"]
        assert page.find(f"{FH}archive") is not None
    rss = etree.fromstring(files["feeds/en/archive/1/rss.xml"]).find("channel")
    assert links(rss, "next-archive") == [f"{BASE}/feeds/en/archive/2/rss.xml"]


def test_only_the_pages_in_the_snapshot_are_rendered(settings):
    files = render(snapshot(7, (2,)), settings)
    assert "feeds/en/archive/2/atom.xml" in files
    assert not any(path.startswith("feeds/en/archive/1/") for path in files)
    assert {"feeds/en/atom.xml", "en/index.html", "feeds.opml"} <= files.keys()


def test_the_only_archive_page_has_no_archive_neighbours(settings):
    page1 = atom(render(snapshot(5, (1,)), settings), 1)
    assert links(page1, "prev-archive") == [] and links(page1, "next-archive") == []


def test_an_open_page_cannot_be_rendered_as_an_archive(settings):
    with pytest.raises(ValueError, match="not closed"):
        render(snapshot(3, (1,)), settings)


def test_related_links_name_every_published_version_in_main_and_archive(settings):
    both, alone = stored(1, "ru", "ja"), stored(2)
    snap = Snapshot("en", 2, 1, main=(stored(4, "ru"), stored(3)), archives={1: (alone, both)})
    files = render(snap, settings)

    def related(root: etree._Element, article_id: str) -> set[tuple[str, str]]:
        entry = next(
            e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == entry_id(article_id, "en")
        )
        return {
            (x.get("hreflang"), x.get("href"))
            for x in entry.findall(f"{ATOM}link")
            if x.get("rel") == "related"
        }

    assert related(atom(files, 1), "a1") == {("ru", f"{BASE}/ru/a1.html"), ("ja", f"{BASE}/ja/a1.html")}
    assert related(atom(files, 1), "a2") == set()
    assert related(atom(files), "a4") == {("ru", f"{BASE}/ru/a4.html")}
    ru = render(Snapshot("ru", 2, 0, main=(stored(1, "ru", "ja"),)), settings)
    root = etree.fromstring(ru["feeds/ru/atom.xml"])
    (entry,) = root.findall(f"{ATOM}entry")
    hrefs = {x.get("hreflang") for x in entry.findall(f"{ATOM}link") if x.get("rel") == "related"}
    assert hrefs == {"en", "ja"}
