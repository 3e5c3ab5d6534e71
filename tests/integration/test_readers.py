"""Real clients against the real server: newsboat, sfeed, feedparser, and Chromium for the pages.

newsboat, sfeed and chromium come from Debian (.ci/run installs them); a test skips, saying so,
only where its client is missing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from syndicate.store import Store
from tests.conftest import ARTICLES

ROOT = Path(__file__).parents[2]
ARTIFACTS = Path(os.environ.get("SYNDICATE_TEST_ARTIFACTS", ROOT / "artifacts"))
LANGS = ("en", "ru", "ja")


@pytest.fixture
def published(site, worker, server):
    ids = [site.cli("submit", str(p)).stdout.decode().strip() for p in sorted(ARTICLES.glob("*.txt"))]
    waited = site.cli("wait", *ids, "--timeout", "120")
    assert waited.returncode == 0, waited.stderr
    return ids


def entry_titles(site, lang: str) -> set[str]:
    import feedparser

    _, _, body = site.fetch(f"/feeds/{lang}/atom.xml")
    return {e.title for e in feedparser.parse(body).entries}


def test_newsboat_reads_every_language_over_http(site, published, tmp_path):
    if not shutil.which("newsboat"):
        pytest.skip("newsboat is not installed (.ci/run installs it)")
    # One cache per format: an entry has the same guid in its RSS and its Atom feed, which
    # newsboat rightly stores once.
    for name in ("rss.xml", "atom.xml"):
        run = tmp_path / name
        run.mkdir()
        (run / "urls").write_text("".join(f"{site.base}/feeds/{lang}/{name}\n" for lang in LANGS))
        (run / "config").write_text("")
        result = subprocess.run(
            ["newsboat", "-u", str(run / "urls"), "-c", str(run / "cache.db"), "-C", str(run / "config"),
             "-x", "reload"],
            capture_output=True, timeout=120, env={**os.environ, "HOME": str(run)},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(run / "cache.db") as db:
            rows = db.execute("select feedurl, title, url, guid from rss_item").fetchall()
        for lang in LANGS:
            items = [r for r in rows if r[0] == f"{site.base}/feeds/{lang}/{name}"]
            assert {r[1] for r in items} == entry_titles(site, lang), (lang, name)
            # newsboat takes an entry's LAST alternate link: it must be the entry's own language.
            assert {r[2] for r in items} == {f"{site.base}/{lang}/{i}.html" for i in published}
        # Equal guids across languages would merge them in newsboat: each language has its own.
        assert len({r[3] for r in rows}) == len(rows) == len(LANGS) * len(published)


def test_sfeed_takes_the_entry_in_its_own_language(site, published):
    if not shutil.which("sfeed"):
        pytest.skip("sfeed is not installed (.ci/run installs it)")
    for lang in LANGS:
        for name in ("rss.xml", "atom.xml"):
            _, _, body = site.fetch(f"/feeds/{lang}/{name}")
            out = subprocess.run(["sfeed"], input=body, capture_output=True, timeout=30, check=True).stdout
            lines = [line.split("\t") for line in out.decode().splitlines()]
            assert {fields[1] for fields in lines} == entry_titles(site, lang)
            # sfeed takes the FIRST alternate link: also the entry's own language.
            assert {fields[2] for fields in lines} == {f"{site.base}/{lang}/{i}.html" for i in published}
            assert all(int(fields[0]) > 0 for fields in lines)  # dates parsed


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def test_side_by_side_page_in_chromium(site, published):
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    article_id = published[0]
    store = Store(site.settings.database_url)
    paragraphs = len(store.articles.revision(article_id, 1).paragraphs)
    store.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        desktop = browser.new_page(viewport={"width": 1280, "height": 900})
        desktop.goto(f"{site.base}/articles/{article_id}.html")
        rows = desktop.query_selector_all(".compare .row")
        assert len(rows) == 1 + paragraphs  # the title, then one row per paragraph
        for row in rows:
            cells = row.query_selector_all(".cell")
            assert [c.get_attribute("lang") for c in cells] == list(LANGS)
            boxes = [c.bounding_box() for c in cells]
            assert len({round(b["y"]) for b in boxes}) == 1  # side by side: one line per row
            assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
            assert all(c.inner_text().strip() for c in cells)
        kinds = [r.get_attribute("data-kind") for r in rows]
        assert kinds[0] == "title" and "heading" in kinds
        provenance = desktop.inner_text(".provenance")
        assert "ru:" in provenance and "NOT a translation" in provenance
        desktop.screenshot(path=str(ARTIFACTS / "side-by-side-desktop.png"), full_page=True)

        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        phone.goto(f"{site.base}/articles/{article_id}.html")
        cells = phone.query_selector_all(".compare .row")[1].query_selector_all(".cell")
        tops = [c.bounding_box()["y"] for c in cells]
        assert tops == sorted(tops) and len(set(tops)) == 3  # stacked on a phone
        assert all(c.bounding_box()["width"] <= 390 for c in cells)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        phone.screenshot(path=str(ARTIFACTS / "side-by-side-phone.png"), full_page=True)

        index = browser.new_page()
        index.goto(f"{site.base}/ru/")
        hrefs = [a.get_attribute("href") for a in index.query_selector_all("a")]
        assert f"{site.base}/feeds/ru/atom.xml" in hrefs and f"{site.base}/feeds/ru/feed.json" in hrefs
        browser.close()
    assert (ARTIFACTS / "side-by-side-desktop.png").stat().st_size > 10_000
