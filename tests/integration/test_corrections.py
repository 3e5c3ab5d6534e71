"""Corrections and links between languages reach every document subscribers read (issue 12,
items 1 and 2), with a real Redis, worker, HTTP server and CLI.

An English entry published before its translations, then pushed into an archive page by newer
articles, must gain related links to ru and ja in the document that holds it; a corrected
article must reappear at the head of every language's main feed with a newer ``updated``, and
no archive page may keep its old copy.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from pathlib import Path

from lxml import etree

from syndicate.model import entry_id
from tests.integration.conftest import Site

ATOM = "{http://www.w3.org/2005/Atom}"
LANGS = ("en", "ru", "ja")


def source(tmp_path: Path, n: int, title: str, extra: str = "") -> Path:
    path = tmp_path / f"{n}-{len(list(tmp_path.iterdir()))}.json"
    body = (
        f"The harbour council of town number {n} approved a new ferry timetable on Monday after months "
        "of talks with the operators and the towns on both coasts of the strait. " + extra
    )
    url = f"https://harbour.example/ferry-{n}"
    published = f"2021-05-{n:02d}T10:00:00Z"
    path.write_text(json.dumps({"title": title, "published": published, "body": body, "url": url}))
    return path


def documents(site: Site, lang: str) -> dict[str, etree._Element]:
    """Every Atom document of ``lang`` over HTTP: the main feed, then each archive page,
    following prev-archive links (RFC 5005) from the main feed."""
    found: dict[str, etree._Element] = {}
    path: str | None = f"/feeds/{lang}/atom.xml"
    while path is not None and path not in found:
        root = etree.fromstring(site.fetch(path)[2])
        found[path] = root
        older = [x.get("href") for x in root.findall(f"{ATOM}link") if x.get("rel") == "prev-archive"]
        path = urllib.parse.urlsplit(older[0]).path if older else None
    return found


def entries(root: etree._Element) -> dict[str, tuple[str, set[str]]]:
    """Entry id -> (updated, hreflangs of its related links)."""
    out = {}
    for entry in root.findall(f"{ATOM}entry"):
        related = {x.get("hreflang") for x in entry.findall(f"{ATOM}link") if x.get("rel") == "related"}
        out[entry.findtext(f"{ATOM}id")] = (entry.findtext(f"{ATOM}updated"), related)
    return out


def settle(check, timeout: float = 90) -> None:
    """Poll ``check`` (raises AssertionError until the documents are up to date) until it
    passes or ``timeout`` seconds pass; then run it once more for its message. Publishes of the
    other languages follow a translation's publish, so `wait` can return before they finish."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            check()
            return
        except AssertionError:
            time.sleep(0.3)
    check()


def test_corrections_and_related_links_reach_every_main_feed_and_archive_page(site, tmp_path, request):
    site.env["SYNDICATE_FEED_SIZE"] = "2"
    ids = []
    for n in (1, 2, 3, 4):  # no Redis yet: stored and queued
        submitted = site.cli("submit", str(source(tmp_path, n, f"Timetable story {n}")))
        assert submitted.returncode == 0, submitted.stderr
        ids.append(submitted.stdout.decode().strip())
    first = ids[0]
    published = site.cli("publish", "en")  # English is published before any translation exists...
    assert published.returncode == 0, published.stderr
    page1 = site.settings.feeds_dir / "feeds" / "en" / "archive" / "1" / "atom.xml"
    # ...and story 1 is on a closed archive page at once, without links to other languages.
    assert entries(etree.parse(str(page1)).getroot())[entry_id(first, "en")][1] == set()

    request.getfixturevalue("worker")
    request.getfixturevalue("server")
    assert site.cli("sweep", "--min-age", "0").returncode == 0
    assert site.cli("wait", *ids, "--timeout", "180").returncode == 0

    def every_entry_links_every_other_version() -> None:
        for lang in LANGS:
            docs = documents(site, lang)
            main_ids = set(entries(docs[f"/feeds/{lang}/atom.xml"]))
            for path, root in docs.items():
                if "archive" in path:
                    assert not main_ids & set(entries(root)), path  # no repeats of the main feed
                for eid, (_, related) in entries(root).items():
                    assert related == set(LANGS) - {lang}, (path, eid, related)

    # The English archive page was rendered before the translations and closes no more: only
    # the marks set as ru and ja publish bring its related links.
    settle(every_entry_links_every_other_version)
    for n in (5, 6):  # push story 1 into an archive page in ru and ja too
        newer = site.cli("submit", str(source(tmp_path, n, f"Timetable story {n}"))).stdout.decode().strip()
        assert site.cli("wait", newer, "--timeout", "120").returncode == 0

    settle(every_entry_links_every_other_version)
    for lang in LANGS:  # story 1 now lives on an archive page in every language
        docs = documents(site, lang)
        assert len(docs) == 3, (lang, list(docs))  # the main feed, archive pages 2 and 1
        assert entry_id(first, lang) not in entries(docs[f"/feeds/{lang}/atom.xml"])
    before = {
        lang: {k: v for root in documents(site, lang).values() for k, v in entries(root).items()}
        for lang in LANGS
    }

    corrected = source(tmp_path, 1, "Timetable story 1, corrected", "The first sailing leaves at six.")
    updated = site.cli("submit", "--update", first, str(corrected))
    assert updated.returncode == 0 and b"revision 2" in updated.stderr, updated.stderr
    assert site.cli("wait", first, "--timeout", "120").returncode == 0

    def the_correction_is_at_the_head_and_in_no_archive() -> None:
        for lang in LANGS:
            eid = entry_id(first, lang)
            docs = documents(site, lang)
            main = docs.pop(f"/feeds/{lang}/atom.xml")
            assert next(iter(entries(main))) == eid, lang  # newest position first
            new_updated, related = entries(main)[eid]
            assert new_updated > before[lang][eid][0], (lang, new_updated)
            assert related == set(LANGS) - {lang}
            for path, root in docs.items():
                assert eid not in entries(root), path

    settle(the_correction_is_at_the_head_and_in_no_archive)
    text = site.fetch("/feeds/en/atom.xml")[2]
    assert b"Timetable story 1, corrected" in text
    for path, root in documents(site, "en").items():
        assert b"Ferry timetable approved" not in etree.tostring(root), path
