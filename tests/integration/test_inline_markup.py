"""Inline markup end to end (issue 14, item 2), with a real Redis, worker, HTTP server, CLI and
the demo models (their output is NOT a translation): a saved page with a link and emphasis ends
with the same link in every language's JSON Feed, Atom and RSS content and entry page, the
provenance note last."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

from lxml import etree

from syndicate import inline
from tests.integration.test_corrections import settle

HREF = "https://harbour.example/reports/ferry?year=2021&part=2"
PAGE = f"""<!doctype html><html lang="en"><head><title>Ferry timetable approved</title>
<link rel="canonical" href="https://harbour.example/news/ferry-timetable"></head><body><article>
<h1>Ferry timetable approved</h1><time datetime="2021-05-04T10:00:00Z">4 May 2021</time>
<p>The harbour council approved a new ferry timetable on Monday, <em>after months of talks</em> with
the operators and the towns on both coasts of the strait, the council said.</p>
<p>The <a href="{HREF.replace("&", "&amp;")}" class="inline" onclick="track()">full report</a> lists
<strong>twelve</strong> sailings a day from June, and a <a href="/news/night-ferry">night ferry</a>
at weekends.</p>
<p>Operators said the new timetable would need two more boats before the summer season starts.</p>
</article></body></html>"""
LANGS = ("en", "ru", "ja")
ATOM = "{http://www.w3.org/2005/Atom}"


def test_links_and_emphasis_reach_every_language_feed_and_page(site, worker, server, tmp_path: Path):
    path = tmp_path / "ferry.html"
    path.write_text(PAGE, encoding="utf-8")
    submitted = site.cli("submit", str(path))
    assert submitted.returncode == 0, submitted.stderr
    article_id = submitted.stdout.decode().strip()
    assert site.cli("wait", article_id, "--timeout", "180").returncode == 0
    night = "https://harbour.example/news/night-ferry"  # resolved against the canonical URL

    def every_feed_has_the_links() -> None:
        for lang in LANGS:
            feed = json.loads(site.fetch(f"/feeds/{lang}/feed.json")[2])
            item = next(i for i in feed["items"] if article_id in i["url"])
            content = item["content_html"]
            links = [m.href for m in inline.parse(content)[1] if m.tag == "a"]
            assert links == [HREF, night], (lang, content)
            assert "<em>" in content and "<strong>" in content, (lang, content)
            last = content.rsplit("\n", 1)[-1]
            # The model note (in the feed's language) is the last paragraph of a translation.
            note = {"ru": "<p><em>Машинный перевод", "ja": "<p><em>機械翻訳"}.get(lang)
            assert last.startswith(note) if note else "<em>" not in last, (lang, last)
            assert "onclick" not in content and "class=" not in content
            for fmt, xpath in (
                ("atom.xml", f"{ATOM}entry/{ATOM}content"),
                ("rss.xml", "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded"),
            ):
                root = etree.fromstring(site.fetch(f"/feeds/{lang}/{fmt}")[2])
                texts = [e.text or "" for e in root.iterfind(xpath)]
                assert any(f'href="{HREF.replace("&", "&amp;")}"' in t for t in texts), (lang, fmt)
            page = site.fetch(urllib.parse.urlsplit(item["url"]).path)[2].decode()
            assert f'<a href="{HREF.replace("&", "&amp;")}">' in page, lang

    settle(every_feed_has_the_links, timeout=120)
