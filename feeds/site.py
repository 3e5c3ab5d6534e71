"""The site's index pages: ``/`` (every language) and each language's list of every article.

URLs: ``/`` is ``index.html`` at the public root; a language's index is ``/{lang}/``
(``{lang}/index.html``, the newest articles) and its older pages are
``/{lang}/page/{n}.html`` for n = 2 .. pages, :data:`PAGE_SIZE` articles each, newest
publication date first (ties: article id, so a render is deterministic). Page numbers count
from the newest, so a newly published article shifts every page by one: a publish re-renders
all of a language's index pages, n / PAGE_SIZE small files (a 10,000-article history is 200),
and writes only those whose bytes changed (feeds/publish.py write_atomic).

Rendering is pure: the rows (id, title, published) of every article published in the language
come from the caller (feeds/publish.py reads them from the store).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape
from typing import NamedTuple

from feeds.document import Feed, feed_url, page_url
from feeds.i18n import language_name, messages
from feeds.pages import FEED_TYPES, head_links, page, subscribe, when

# Articles per index page: a long but quick page on a phone (about 10 screens), and few pages.
PAGE_SIZE = 50


class IndexRow(NamedTuple):
    """One published article as a language's index lists it: its id, its title in that
    language (plain text) and its publication time (aware)."""

    id: str
    title: str
    published: datetime


def index_path(lang: str, number: int = 1) -> str:
    """Path under the public directory of ``lang``'s index page ``number`` (from 1)."""
    return f"{lang}/index.html" if number <= 1 else f"{lang}/page/{number}.html"


def index_url(base_url: str, lang: str, number: int = 1) -> str:
    """URL of ``lang``'s index page ``number`` (page 1 is the directory, ``{base}/{lang}/``)."""
    return page_url(base_url, lang) if number <= 1 else f"{base_url}/{index_path(lang, number)}"


def page_count(rows: int, size: int = PAGE_SIZE) -> int:
    """How many index pages ``rows`` articles take: at least 1 (an empty language still has
    its index page)."""
    return max(1, -(-rows // size))


def index_pages(main: Feed, rows: Iterable[IndexRow], size: int | None = None) -> dict[str, bytes]:
    """Every index page of ``main``'s language, keyed by path under the public directory.

    ``main`` is the language's main feed (feeds/document.py build): it gives the language, the
    base URL, the other languages and the title (which carries the demo-model warning).
    ``rows`` are every article published in that language, in any order, ``size`` (default
    :data:`PAGE_SIZE`) to a page; a row repeated (same
    id) is listed once. Each page has the subscribe links, links to the other languages'
    indexes, its articles (newest first, dates in the language's format) and links to the
    newer and older pages. The first page's hreflang alternates are every language's first
    index page; later pages have none, since no other language's page n holds the same articles
    and an alternate pointing at page 1 would tell search engines page n is a copy of it.
    UTF-8 HTML; every text escaped.
    """
    lang, base = main.lang, main.base_url
    size = size or PAGE_SIZE  # read at call time, so a test may set PAGE_SIZE
    tr = messages(lang)
    _ = tr.gettext
    unique = {row.id: row for row in rows}
    ordered = sorted(unique.values(), key=lambda r: (r.published, r.id), reverse=True)
    pages = page_count(len(ordered), size)
    others = " ".join(
        f'<a hreflang="{escape(lg)}" lang="{escape(lg)}" href="{escape(page_url(base, lg))}">'
        f"{escape(language_name(lg))}</a>"
        for lg in main.other_langs
    )
    alternates = sorted(
        [(lang, page_url(base, lang))] + [(lg, page_url(base, lg)) for lg in main.other_langs]
    )
    first_head, later_head = head_links(base, lang, alternates), head_links(base, lang)
    # Marked strings stay outside f-strings: pybabel extract does not look inside them.
    newer, older, pages_label, others_label = _("Newer"), _("Older"), _("Pages"), _("Other languages:")
    count = tr.ngettext("%(count)d article", "%(count)d articles", len(ordered)) % {"count": len(ordered)}
    files: dict[str, bytes] = {}
    for number in range(1, pages + 1):
        chunk = ordered[(number - 1) * size : number * size]
        items = "\n".join(
            f'<li><a href="{escape(page_url(base, lang, row.id))}">{escape(row.title)}</a> '
            f'<span class="meta">{when(row.published, lang)}</span></li>'
            for row in chunk
        )
        where = _("Page %(page)d of %(pages)d") % {"page": number, "pages": pages}
        steps = []
        if number > 1:
            steps.append(
                f'<a rel="prev" href="{escape(index_url(base, lang, number - 1))}">{escape(newer)}</a>'
            )
        if number < pages:
            steps.append(
                f'<a rel="next" href="{escape(index_url(base, lang, number + 1))}">{escape(older)}</a>'
            )
        paging = (
            f'<nav class="pages" aria-label="{escape(pages_label)}">{escape(where)} {" ".join(steps)}</nav>'
        )
        body = (
            f"<h1>{escape(main.title)}</h1>\n"
            f'<p class="meta">{escape(count)}</p>\n{subscribe(base, lang)}\n'
            f"<nav>{escape(others_label)} {others}</nav>\n"
            f'<ul class="articles">\n{items}\n</ul>\n{paging}'
        )
        title = main.title if number == 1 else f"{main.title} · {where}"
        files[index_path(lang, number)] = page(lang, title, body, first_head if number == 1 else later_head)
    return files


def root_page(base_url: str, languages: tuple[str, ...], source_lang: str, publisher: str) -> bytes:
    """``/``: a link to ``/{lang}/`` for every language, each named in itself, with that
    language's feeds. Its interface text is in ``source_lang``; its head announces every
    language's feeds (hreflang on each) and lists every language's index as an hreflang
    alternate, with itself as ``x-default``. UTF-8 HTML; every text escaped."""
    _ = messages(source_lang).gettext
    items = "\n".join(
        f'<li lang="{escape(lg)}"><a hreflang="{escape(lg)}" href="{escape(page_url(base_url, lg))}">'
        f"{escape(language_name(lg))}</a> "
        + " ".join(
            f'<a class="meta" type="{mime}" href="{escape(feed_url(base_url, lg, fmt))}">{label}</a>'
            for fmt, mime, label in FEED_TYPES
        )
        + "</li>"
        for lg in languages
    )
    ordered = [source_lang] + [lg for lg in languages if lg != source_lang]
    head = "".join(
        head_links(base_url, lg, [(lg, page_url(base_url, lg))], feed_hreflang=True) for lg in ordered
    )
    head += f'<link rel="alternate" hreflang="x-default" href="{escape(base_url)}/">'
    heading = _("Languages")
    body = f"<h1>{escape(publisher)}</h1>\n<h2>{escape(heading)}</h2>\n<ul>\n{items}\n</ul>"
    return page(source_lang, publisher, body, head)
