"""Plain server-rendered HTML: a page per language and a page per article, readable on a phone."""

from __future__ import annotations

from html import escape

from feeds.document import Entry, Feed, page_url

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:42rem;margin:auto;padding:1rem;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.2rem}blockquote{border-left:3px solid #999;margin-left:0;padding-left:1rem}
.meta{color:#555;font-size:.9rem}nav a{margin-right:.8rem}
"""


def _page(lang: str, title: str, body: str) -> bytes:
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    ).encode()


def _subscribe(feed: Feed) -> str:
    links = " ".join(
        f'<a href="{escape(feed.url(fmt))}">{label}</a>'
        for fmt, label in (("rss", "RSS"), ("atom", "Atom"), ("json", "JSON Feed"))
    )
    return f"<p>Subscribe: {links}</p>"


def index_page(feed: Feed) -> bytes:
    items = "\n".join(
        f'<li><a href="{escape(e.url)}">{escape(e.title)}</a> '
        f'<span class="meta">{e.published:%Y-%m-%d %H:%M} UTC</span></li>'
        for e in feed.entries
    )
    others = " ".join(
        f'<a hreflang="{escape(lg)}" href="{escape(page_url(feed.base_url, lg))}">{escape(lg)}</a>'
        for lg in feed.other_langs
    )
    body = (
        f"<h1>{escape(feed.title)}</h1>\n<p>{escape(feed.description)}</p>\n{_subscribe(feed)}\n"
        f"<nav>Other languages: {others}</nav>\n<ul>\n{items}\n</ul>"
    )
    return _page(feed.lang, feed.title, body)


def article_page(feed: Feed, entry: Entry) -> bytes:
    others = " ".join(
        f'<a hreflang="{escape(r.lang)}" href="{escape(r.href)}">{escape(r.lang)}</a>' for r in entry.related
    )
    body = (
        f'<nav><a href="{escape(feed.home_url)}">{escape(feed.title)}</a> {others}</nav>\n'
        f"<article>\n<h1>{escape(entry.title)}</h1>\n"
        f'<p class="meta">{entry.published:%Y-%m-%d %H:%M} UTC · {escape(entry.author)}</p>\n'
        f"{entry.content_html}\n</article>"
    )
    return _page(entry.lang, entry.title, body)
