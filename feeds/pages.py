"""Plain server-rendered HTML: a page per article in each language, and a side-by-side page.

Every page is a whole UTF-8 HTML5 document whose ``<head>`` carries feed autodiscovery links
(``rel=alternate`` to its language's Atom, RSS and JSON Feed documents) and ``hreflang``
alternates to the same page in the other languages it exists in, itself included (as search
engines ask: every version lists every version). Its interface text is in its language
(feeds/i18n.py). The index pages and the root page are in feeds/site.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from feeds.document import Entry, feed_url, page_url, xml_safe
from feeds.i18n import format_when, language_name, messages, provenance_text
from syndicate import inline
from syndicate.model import Paragraph, StoredArticle

# Feed formats as autodiscovery announces them: (format key of document.FORMATS, MIME type,
# label). JSON Feed 1.1 names application/feed+json; RSS and Atom have their registered types.
FEED_TYPES = (
    ("atom", "application/atom+xml", "Atom"),
    ("rss", "application/rss+xml", "RSS"),
    ("json", "application/feed+json", "JSON Feed"),
)

# Why each rule: the reading column is 42rem (about 70 characters a line); .wide pages (the
# side-by-side one) take the whole window, because three columns in 42rem left each about 13
# characters and a long Russian word ran into the Japanese column. Words that still do not
# fit a column break anywhere (overflow-wrap) rather than overflow; hyphens:auto uses the
# cells' lang attribute. Under 40rem a row's cells stack, each labelled with its language.
_STYLE = """
body{font-family:system-ui,sans-serif;max-width:42rem;margin:auto;padding:1rem;line-height:1.5;
overflow-wrap:break-word}
body.wide{max-width:none;padding:1rem 2rem}
h1{font-size:1.5rem}h2{font-size:1.2rem}blockquote{border-left:3px solid #999;margin-left:0;padding-left:1rem}
.meta{color:#555;font-size:.9rem}nav a{margin-right:.8rem}.articles li{margin:.3rem 0}
.row{display:grid;grid-template-columns:repeat(var(--langs),minmax(0,1fr));gap:1.5rem;
border-top:1px solid #ddd;padding:.5rem 0}.cell{min-width:0;overflow-wrap:anywhere;hyphens:auto}
.cell .lang{display:none}
.provenance{font-size:.85rem;color:#555}.row[data-kind=heading] .cell{font-weight:bold}
.row[data-kind=quote] .cell{font-style:italic}
@media (max-width:40rem){body.wide{padding:1rem}.row{grid-template-columns:minmax(0,1fr);gap:.3rem}
.cell .lang{display:inline;font-size:.75rem;color:#777;margin-right:.4rem}}
"""


def head_links(
    base_url: str, feed_lang: str, alternates: Iterable[tuple[str, str]] = (), *, feed_hreflang: bool = False
) -> str:
    """``<link>`` elements: ``feed_lang``'s main feeds (autodiscovery, Atom first: readers that
    take the first one get Atom; ``feed_hreflang`` marks them with their language, for a page
    that announces several languages' feeds), then ``hreflang`` alternates, given as
    (language, absolute URL) pairs. ``base_url`` is absolute, without a trailing slash. Every
    value escaped."""
    marked = f' hreflang="{escape(feed_lang)}"' if feed_hreflang else ""
    links = [
        f'<link rel="alternate"{marked} type="{mime}" title="{escape(label)} ({escape(feed_lang)})" '
        f'href="{escape(feed_url(base_url, feed_lang, fmt))}">'
        for fmt, mime, label in FEED_TYPES
    ]
    links += [
        f'<link rel="alternate" hreflang="{escape(lang)}" href="{escape(href)}">' for lang, href in alternates
    ]
    return "".join(links)


def page(lang: str, title: str, body: str, head: str = "", *, wide: bool = False) -> bytes:
    """A whole HTML5 document in UTF-8 around ``body`` and ``head`` (both already HTML);
    ``title`` is escaped. ``wide``: the page takes the window's width (see _STYLE)."""
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{head}<style>{_STYLE}</style></head>\n"
        + ('<body class="wide">' if wide else "<body>")
        + f"\n{body}\n</body></html>\n"
    ).encode()


def subscribe(base_url: str, lang: str) -> str:
    """A paragraph of visible links to ``lang``'s main feeds, labelled in ``lang``."""
    links = " ".join(
        f'<a type="{mime}" href="{escape(feed_url(base_url, lang, fmt))}">{label}</a>'
        for fmt, mime, label in FEED_TYPES
    )
    label = messages(lang).gettext("Subscribe:")
    return f"<p>{escape(label)} {links}</p>"


def when(published: datetime, lang: str) -> str:
    """A ``<time>`` element: ISO 8601 in ``datetime``, the text in ``lang``'s format (UTC)."""
    return f'<time datetime="{published.isoformat()}">{escape(format_when(published, lang))}</time>'


def compare_url(base_url: str, article_id: str) -> str:
    """The side-by-side page of an article: ``{base_url}/articles/{article_id}.html``."""
    return f"{base_url}/articles/{article_id}.html"


def article_page(base_url: str, entry: Entry) -> bytes:
    """An entry's own page, in its own language: what its feed item links to.

    It depends on the entry alone, so any publisher that renders it writes the same bytes. Its
    hreflang alternates are the entry's related pages (the same article in each other language
    it is published in) and itself. UTF-8 HTML; every text escaped. ``base_url`` is absolute,
    without a trailing slash.
    """
    _ = messages(entry.lang).gettext
    # Marked strings stay outside f-strings: pybabel extract does not look inside them.
    all_label, side_label = _("All articles"), _("Side by side")
    others = " ".join(
        f'<a hreflang="{escape(r.lang)}" lang="{escape(r.lang)}" href="{escape(r.href)}">'
        f"{escape(language_name(r.lang))}</a>"
        for r in entry.related
    )
    side_by_side = f'<a href="{escape(compare_url(base_url, entry.article_id))}">{escape(side_label)}</a>'
    home = f'<a href="{escape(page_url(base_url, entry.lang))}">{escape(all_label)}</a>'
    alternates = sorted([(entry.lang, entry.url)] + [(r.lang, r.href) for r in entry.related])
    body = (
        f"<nav>{home} {side_by_side} {others}</nav>\n"
        f"<article>\n<h1>{escape(entry.title)}</h1>\n"
        f'<p class="meta">{when(entry.published, entry.lang)} · {escape(entry.author)}</p>\n'
        f"{entry.content_html}\n</article>"
    )
    return page(entry.lang, entry.title, body, head_links(base_url, entry.lang, alternates))


def compare_page(
    stored: StoredArticle, languages: tuple[str, ...], source_lang: str, base_url: str = ""
) -> bytes:
    """The original and its published translations side by side, paragraph by paragraph.

    One grid row per paragraph (the title first), one cell per language, across the window's
    width; on a narrow screen (under 40rem) the cells of a row stack, each labelled with its
    language. Languages are those of ``languages`` that the article has (``source_lang``
    always); a translation with fewer paragraphs than the original gets empty cells. The page
    is in ``source_lang`` and announces that language's feeds; it has one version only, so no
    hreflang alternates. ``base_url`` (absolute, no trailing slash) prefixes the links; empty,
    they are root-relative. UTF-8 HTML; every text escaped, inline markup sanitised again
    (:func:`syndicate.inline.content`).
    """
    article = stored.article
    langs = [lg for lg in languages if lg == source_lang or lg in stored.translations]
    texts: dict[str, tuple[str, tuple[Paragraph, ...]]] = {source_lang: (article.title, article.paragraphs)}
    for lang in langs:
        if lang != source_lang:
            translation = stored.translations[lang]
            texts[lang] = (translation.title, translation.paragraphs)

    def cell(lang: str, text: str, tag: str = "div", markup: str | None = None) -> str:
        label = f'<span class="lang">{escape(lang)}</span>'
        body = inline.content(xml_safe(text), xml_safe(markup) if markup else None)
        return f'<{tag} class="cell" lang="{escape(lang)}">{label}{body}</{tag}>'

    rows = [
        '<div class="row" data-kind="title">'
        + "".join(cell(lg, texts[lg][0], "h2") for lg in langs)
        + "</div>"
    ]
    for index, paragraph in enumerate(article.paragraphs):
        cells: list[str] = []
        for lang in langs:
            paragraphs = texts[lang][1]
            shown = paragraphs[index] if index < len(paragraphs) else None
            cells.append(cell(lang, shown.text, markup=shown.html) if shown else cell(lang, ""))
        rows.append(
            f'<div class="row" data-kind="{paragraph.kind}" data-index="{index}">{"".join(cells)}</div>'
        )
    provenance = "".join(
        f"<li>{escape(lang)}: {escape(provenance_text(translation.provenance, source_lang))}</li>"
        for lang, translation in ((lg, stored.translations.get(lg)) for lg in langs)
        if translation is not None and lang != source_lang
    )
    tr = messages(source_lang)
    count = len(langs) - 1
    summary = tr.ngettext(
        "Original and %(count)d machine translation", "Original and %(count)d machine translations", count
    ) % {"count": count}
    links = " ".join(
        f'<a hreflang="{escape(lg)}" lang="{escape(lg)}" href="{escape(page_url(base_url, lg, stored.id))}">'
        f"{escape(language_name(lg))}</a>"
        for lg in langs
    )
    body = (
        f"<nav>{links}</nav>\n"
        f'<article class="compare" data-article="{escape(stored.id)}" style="--langs:{len(langs)}">\n'
        f"<h1>{escape(xml_safe(article.title))}</h1>\n"
        f'<p class="meta">{when(article.published, source_lang)} · {escape(summary)}</p>\n'
        + "\n".join(rows)
        + "\n"
        f'<ul class="provenance">{provenance}</ul>\n</article>'
    )
    return page(source_lang, article.title, body, head_links(base_url, source_lang), wide=True)
