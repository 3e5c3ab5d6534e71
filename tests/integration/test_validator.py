"""The W3C Feed Validator's rules over every RSS, Atom and OPML document the real server serves.

The validator is vendored unchanged in tests/tools/feedvalidator (github.com/w3c/feedvalidator,
offline; needs lxml, html5lib and rdflib, the test extras). It fetches each URL itself over HTTP,
so Content-Type and encoding are checked as a subscriber's reader meets them. Every main feed and
every RFC 5005 archive page of every language is checked, in RSS 2.0 and Atom (RFC 4287), and
feeds.opml (OPML 2.0); JSON Feed is not the validator's. Articles whose titles and sentences hold
``& < > ' "``, ``]]>``, ``<b>`` and ``<script>`` as text are among the entries.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections import deque
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ARTICLES, TESTDATA

ROOT = Path(__file__).parents[2]
FEEDVALIDATE = ROOT / "tests" / "tools" / "feedvalidator" / "feedvalidate"
LANGS = ("en", "ru", "ja")
FORMATS = {"rss": "rss.xml", "atom": "atom.xml"}
ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 5005 section 4: the links that join a feed's archive pages to each other and to the feed.
ARCHIVE_RELS = ("prev-archive", "next-archive", "current")
# Six articles: at least two archive pages in each language, whether the main feed keeps the
# newest FEED_SIZE entries or FEED_SIZE to 2 * FEED_SIZE - 1 of them.
FEED_SIZE = 2
# A sentence that mentions markup as text: it must reach every reader as these characters.
MARKUP_IN_TEXT = """3 Mar, 2016 09:30

Web course teaches why <script> tags & "quotes" matter

The city library said on Monday that its free web course explains why a <script> tag pasted \
from an e-mail can run code, and why <b>bold</b> markup & "smart quotes" break pages.

About 40 people signed up for the first evening, the library said.
"""
SPECIAL_TITLES = (
    "Tom & Jerry's <b>\"Cheese & Crackers\"</b> café beats 'Big Mac' <> rivals ]]> in award",
    'Web course teaches why <script> tags & "quotes" matter',
)


def article_files(directory: Path) -> list[Path]:
    """The articles these tests publish, in submit order: the two test articles, the field cases
    01 (a zone abbreviation in the dateline), 03 (character references in a title) and 20
    (``& < > ' " ]]>`` and ``<b>`` in a title), and one whose title and body mention ``<script>``
    and ``<b>`` as text (written to ``directory``)."""
    markup = directory / "markup-in-text.txt"
    markup.write_text(MARKUP_IN_TEXT)
    field = TESTDATA / "field"
    return [
        *sorted(ARTICLES.glob("*.txt")),
        field / "01-edt-dateline.txt",
        field / "03-entities-title.txt",
        field / "20-title-specials.txt",
        markup,
    ]


def publish_articles(site, directory: Path) -> list[str]:
    """Submit :func:`article_files` through the real CLI and wait until each is done; their ids."""
    ids = []
    for path in article_files(directory):
        submitted = site.cli("submit", str(path))
        assert submitted.returncode == 0, submitted.stderr
        ids.append(submitted.stdout.decode().strip())
    waited = site.cli("wait", *ids, "--timeout", "300", timeout=360)
    assert waited.returncode == 0, waited.stderr
    return ids


@pytest.fixture
def site(site):
    """The integration site with small feed documents, so every language has archive pages."""
    site.env["SYNDICATE_FEED_SIZE"] = str(FEED_SIZE)
    return site


@pytest.fixture
def published(site, worker, server, tmp_path):
    return publish_articles(site, tmp_path)


def archive_links(body: bytes) -> list[str]:
    """The RFC 5005 links of one RSS or Atom document: ``atom:link`` under ``<feed>`` (Atom) or
    ``<channel>`` (RSS), with rel ``prev-archive``, ``next-archive`` or ``current``."""
    root = etree.fromstring(body)
    parent = root if root.tag == f"{ATOM}feed" else root.find("channel")
    assert parent is not None, root.tag
    return [link.get("href", "") for link in parent.findall(f"{ATOM}link") if link.get("rel") in ARCHIVE_RELS]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read()


def linked_documents(main_url: str) -> set[str]:
    """Every document reached from ``main_url`` by following RFC 5005 links, itself included:
    what a reader rebuilding the whole feed history can fetch."""
    seen, todo = {main_url}, deque([main_url])
    while todo:
        for href in archive_links(fetch(todo.popleft())):
            if href not in seen:
                seen.add(href)
                todo.append(href)
    return seen


def listed_archive_pages(site, lang: str, name: str) -> set[str]:
    """The archive pages of ``lang`` in the file ``name`` the publisher wrote, as served URLs."""
    public = site.settings.data_dir / "public"
    pages = (public / "feeds" / lang / "archive").glob(f"*/{name}")
    return {f"{site.base}/{p.relative_to(public).as_posix()}" for p in pages}


LINE = re.compile(r"^(ERROR|WARNING) (\S+):([\d-]+):([\d-]+) (\w+) (.*)$")


def feedvalidate(*targets: str) -> list[tuple[str, str, str, str]]:
    """Run the vendored validator on ``targets`` (URLs or files); its problems as (level,
    target, message class, line and text). Raises AssertionError when it crashed or printed a
    line that is not a problem."""
    run = subprocess.run(
        [sys.executable, str(FEEDVALIDATE), *targets], capture_output=True, text=True, timeout=600
    )
    assert run.returncode in (0, 1) and not run.stderr, run.stderr
    problems = []
    for line in run.stdout.splitlines():
        match = LINE.match(line)
        assert match, f"not a validator line: {line!r}"
        level, target, row, _, cls, text = match.groups()
        problems.append((level, target, cls, f"line {row}: {text}"))
    return problems


def quoted_lines(problems: list[tuple[str, str, str, str]]) -> str:
    """The document line each problem points at, for the failure message."""
    quoted = []
    for _, target, _, where in problems:
        row = where.removeprefix("line ").split(":")[0]
        if "://" in target and row.isdigit():
            lines = fetch(target).decode("utf-8", "replace").splitlines()
            quoted.append(f"{target}:{row}: {lines[int(row) - 1][:300]}")
    return "\n".join(quoted)


def test_the_validator_reports_errors_and_warnings_it_finds(tmp_path):
    """The harness itself: a channel without <link> (RSS 2.0 requires one) and an item whose
    description holds markup that is not HTML are reported, and parsed, as such."""
    bad = tmp_path / "bad.xml"
    bad.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>t</title>'
        "<description>d</description><item><title>i</title><guid>urn:x:1</guid>"
        "<description>&lt;scrpt&gt;&lt;/span&gt;</description></item></channel></rss>\n"
    )
    found = {(level, cls) for level, _, cls, _ in feedvalidate(str(bad))}
    assert ("ERROR", "MissingLink") in found
    assert ("WARNING", "NotHtml") in found


def test_every_served_rss_atom_and_opml_document_passes_the_w3c_validator(site, published):
    urls = [f"{site.base}/feeds.opml"]
    only_pages = set()  # archive pages that are their feed's only one: RFC 5005 gives them no link
    for lang in LANGS:
        for fmt, name in FORMATS.items():
            main = f"{site.base}/feeds/{lang}/{name}"
            listed = listed_archive_pages(site, lang, name)
            assert len(listed) >= 2, f"{lang} {fmt}: {len(listed)} archive pages, test needs two"
            # Every page the publisher wrote can be reached from the main feed by RFC 5005 links.
            assert linked_documents(main) == {main, *listed}, (lang, fmt)
            if len(listed) == 1:
                only_pages |= listed
            urls += [main, *sorted(listed)]
    # The entries with markup characters in their text are among those validated (read back from
    # the JSON Feed documents, whose ``title`` is plain text by JSON Feed 1.1).
    json_urls = [u.replace("atom.xml", "feed.json") for u in urls if "/en/" in u and u.endswith("atom.xml")]
    titles = {item["title"] for u in json_urls for item in json.loads(fetch(u))["items"]}
    assert set(SPECIAL_TITLES) <= titles
    problems = [p for p in feedvalidate(*urls) if not (p[2] == "ArchiveIncomplete" and p[1] in only_pages)]
    assert problems == [], "\n".join(map(str, problems)) + "\n" + quoted_lines(problems)
