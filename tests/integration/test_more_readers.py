"""Two more real readers against the real server: Perl's XML::Feed and Node's rss-parser.

Each reads every language's main RSS 2.0 and Atom feed, fetched by the client itself over HTTP
(tests/integration/clients/ holds the small scripts that print what the client read as JSON).
What each shows a subscriber must be that language's own: the feed's home link is
``{base}/{lang}/`` (both clients take RSS ``<channel><link>`` and, in Atom, the first
``rel="alternate"`` link), each entry links to its own page ``{base}/{lang}/{id}.html``, dates are
the article's instant, the language is the feed's, and titles show literally: a reader that takes
the title as HTML (as RSS readers do, and Atom readers for ``type="html"``) shows exactly the
title's characters, with no element. XML::Feed comes from Debian (libxml-feed-perl), rss-parser
from npm (tests/integration/clients/package.json); .ci/run installs both. A test skips, saying
so, only where its client is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import html5lib
import pytest
from lxml import etree

from syndicate.store import Store
from tests.integration.test_validator import SPECIAL_TITLES, publish_articles

CLIENTS = Path(__file__).parent / "clients"
LANGS = ("en", "ru", "ja")
FORMATS = {"rss": "rss.xml", "atom": "atom.xml"}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(site, worker, server, tmp_path) -> dict[str, datetime]:
    """The articles of test_validator published (one main feed each language holds them all):
    article id -> its publication instant, read from the store."""
    ids = publish_articles(site, tmp_path)
    store = Store(site.settings.database_url)
    try:
        return {i: store.articles.revision(i, 1).published for i in ids}
    finally:
        store.close()


def shown_as_html(text: str) -> tuple[str, list[str]]:
    """What a reader that takes ``text`` as HTML shows: its characters, and the elements it would
    render (html5lib parses as browsers do)."""
    fragment = html5lib.parseFragment(text, treebuilder="etree", namespaceHTMLElements=False)
    return "".join(fragment.itertext()), [e.tag for e in fragment.iter() if isinstance(e.tag, str)][1:]


def entries(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(f"{ATOM}entry"))


def atom_title_types(body: bytes) -> dict[str, str]:
    """Entry id -> the RFC 4287 3.1 ``type`` of its title ("text" when absent)."""
    root = etree.fromstring(body)
    return {
        e.findtext(f"{ATOM}id", ""): e.find(f"{ATOM}title").get("type", "text")
        for e in root.iter(f"{ATOM}entry")
    }


def expected_titles(site, lang: str) -> dict[str, str]:
    """Entry page URL -> title, from the JSON Feed (JSON Feed 1.1: ``title`` is plain text)."""
    _, _, body = site.fetch(f"/feeds/{lang}/feed.json")
    return {item["url"]: item["title"] for item in json.loads(body)["items"]}


def check_feed(site, published, lang, fmt, home, entries, language=None) -> list[str]:
    """The common checks on one client's reading of one feed; what is wrong, one line each.
    ``entries``: (id, title, link, published instant) per entry as the client gave them;
    ``language``: the feed's language as the client gave it (None where it does not expose it)."""
    base, where, wrong = site.base, f"{lang} {fmt}:", []
    if home != f"{base}/{lang}/":
        wrong.append(f"{where} home link {home}")
    if language is not None and language != lang:
        wrong.append(f"{where} language {language}")
    pages = {f"{base}/{lang}/{i}.html": i for i in published}
    if sorted(link for _, _, link, _ in entries) != sorted(pages):
        wrong.append(f"{where} entry links {sorted(link for _, _, link, _ in entries)}")
    titles = expected_titles(site, lang)
    if lang == "en":  # the oracle itself holds the titles with markup characters
        assert set(SPECIAL_TITLES) <= set(titles.values())
    _, _, body = site.fetch(f"/feeds/{lang}/atom.xml")
    types = atom_title_types(body)
    for entry_id, title, link, instant in entries:
        if link not in pages:
            continue
        if instant != published[pages[link]]:
            wrong.append(f"{where} {link} dated {instant}, published {published[pages[link]]}")
        as_html = fmt == "rss" or types[entry_id] in ("html", "xhtml")
        text, elements = shown_as_html(title) if as_html else (title, [])
        if (text, elements) != (titles[link], []):
            wrong.append(f"{where} {link} title {title!r} shows {text!r} with elements {elements}")
    return wrong


def test_perl_xml_feed_reads_each_language_as_its_own(site, published):
    if not shutil.which("perl") or subprocess.run(["perl", "-MXML::Feed", "-e1"]).returncode:
        pytest.skip("Perl's XML::Feed is not installed (.ci/run installs libxml-feed-perl)")
    wrong = []
    for lang in LANGS:
        for fmt, name in FORMATS.items():
            url = f"{site.base}/feeds/{lang}/{name}"
            run = subprocess.run(["perl", str(CLIENTS / "xml_feed.pl"), url], capture_output=True, timeout=60)
            assert run.returncode == 0, run.stderr
            feed = json.loads(run.stdout)
            assert feed["format"] == ("RSS 2.0" if fmt == "rss" else "Atom")
            read = [
                (e["id"], e["title"], e["link"], e["issued"] and datetime.fromtimestamp(e["issued"], UTC))
                for e in feed["entries"]
            ]
            wrong += check_feed(site, published, lang, fmt, feed["link"], read, feed["language"])
    assert wrong == [], "\n".join(wrong)


def iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def test_node_rss_parser_reads_each_language_as_its_own(site, published):
    script = CLIENTS / "rss_parser.js"
    if not shutil.which("node") or not (CLIENTS / "node_modules" / "rss-parser").is_dir():
        pytest.skip("node or rss-parser is not installed (.ci/run installs them)")
    wrong = []
    for lang in LANGS:
        for fmt, name in FORMATS.items():
            url = f"{site.base}/feeds/{lang}/{name}"
            run = subprocess.run(["node", str(script), url], capture_output=True, timeout=60)
            assert run.returncode == 0, run.stderr
            feed = json.loads(run.stdout)
            read = [(i["id"] or i["guid"], i["title"], i["link"], iso(i["isoDate"])) for i in feed["items"]]
            # rss-parser gives a language for RSS (<language>) only, none for Atom (xml:lang).
            language = feed["language"] if fmt == "rss" else None
            wrong += check_feed(site, published, lang, fmt, feed["link"], read, language)
    assert wrong == [], "\n".join(wrong)
