"""Plain server-rendered HTML: a page per language and a page per article, readable on a phone."""

from __future__ import annotations

from html import escape

from feeds.document import Entry, Feed, page_url, xml_safe
from syndicate.model import Paragraph, StoredArticle

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:var(--page,42rem);margin:auto;padding:1rem;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.2rem}blockquote{border-left:3px solid #999;margin-left:0;padding-left:1rem}
.meta{color:#555;font-size:.9rem}nav a{margin-right:.8rem}
.compare{max-width:none}.row{display:grid;grid-template-columns:repeat(var(--langs),minmax(0,1fr));gap:1.5rem;
border-top:1px solid #ddd;padding:.5rem 0}.cell .lang{display:none}
.provenance{font-size:.85rem;color:#555}.row[data-kind=heading] .cell{font-weight:bold}
.row[data-kind=quote] .cell{font-style:italic}
@media (max-width:40rem){.row{grid-template-columns:1fr;gap:.3rem}
.cell .lang{display:inline;font-size:.75rem;color:#777;margin-right:.4rem}}
"""


def _page(lang: str, title: str, body: str, wide: bool = False) -> bytes:
    """A whole HTML5 document in UTF-8 around ``body`` (already HTML); ``title`` is escaped."""
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n"
        + ('<body style="--page:72rem">' if wide else "<body>")
        + f"\n{body}\n</body></html>\n"
    ).encode()


def _subscribe(feed: Feed) -> str:
    """Links to this document's RSS, Atom and JSON Feed versions."""
    links = " ".join(
        f'<a href="{escape(feed.url(fmt))}">{label}</a>'
        for fmt, label in (("rss", "RSS"), ("atom", "Atom"), ("json", "JSON Feed"))
    )
    return f"<p>Subscribe: {links}</p>"


def index_page(feed: Feed) -> bytes:
    """A language's index page (``{base}/{lang}/``): the feed's entries in the feed's order, with
    their publication time (UTC, as the store keeps it), subscribe links and links to the other
    languages' pages. UTF-8 HTML; every text escaped."""
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


def compare_url(base_url: str, article_id: str) -> str:
    """The side-by-side page of an article: ``{base_url}/articles/{article_id}.html``."""
    return f"{base_url}/articles/{article_id}.html"


def article_page(base_url: str, entry: Entry) -> bytes:
    """An entry's own page, in its own language: what its feed item links to.

    It depends on the entry alone, so any publisher that renders it writes the same bytes.
    UTF-8 HTML; every text escaped. ``base_url`` is absolute, without a trailing slash.
    """
    others = " ".join(
        f'<a hreflang="{escape(r.lang)}" href="{escape(r.href)}">{escape(r.lang)}</a>' for r in entry.related
    )
    side_by_side = f'<a href="{escape(compare_url(base_url, entry.article_id))}">side by side</a>'
    home = f'<a href="{escape(page_url(base_url, entry.lang))}">all articles ({escape(entry.lang)})</a>'
    body = (
        f"<nav>{home} {others} {side_by_side}</nav>\n"
        f"<article>\n<h1>{escape(entry.title)}</h1>\n"
        f'<p class="meta">{entry.published:%Y-%m-%d %H:%M} UTC · {escape(entry.author)}</p>\n'
        f"{entry.content_html}\n</article>"
    )
    return _page(entry.lang, entry.title, body)


def compare_page(stored: StoredArticle, languages: tuple[str, ...], source_lang: str) -> bytes:
    """The original and its published translations side by side, paragraph by paragraph.

    One grid row per paragraph (the title first), one cell per language; on a narrow screen (under
    40rem) the cells of a row stack, each labelled with its language. Languages are those of
    ``languages`` that the article has (``source_lang`` always); a translation with fewer
    paragraphs than the original gets empty cells. UTF-8 HTML; every text escaped.
    """
    article = stored.article
    langs = [lg for lg in languages if lg == source_lang or lg in stored.translations]
    texts: dict[str, tuple[str, tuple[Paragraph, ...]]] = {source_lang: (article.title, article.paragraphs)}
    for lang in langs:
        if lang != source_lang:
            translation = stored.translations[lang]
            texts[lang] = (translation.title, translation.paragraphs)

    def cell(lang: str, text: str, tag: str = "div") -> str:
        label = f'<span class="lang">{escape(lang)}</span>'
        return f'<{tag} class="cell" lang="{escape(lang)}">{label}{escape(xml_safe(text))}</{tag}>'

    rows = [
        '<div class="row" data-kind="title">'
        + "".join(cell(lg, texts[lg][0], "h2") for lg in langs)
        + "</div>"
    ]
    for index, paragraph in enumerate(article.paragraphs):
        cells: list[str] = []
        for lang in langs:
            paragraphs = texts[lang][1]
            cells.append(cell(lang, paragraphs[index].text if index < len(paragraphs) else ""))
        rows.append(
            f'<div class="row" data-kind="{paragraph.kind}" data-index="{index}">{"".join(cells)}</div>'
        )
    provenance = "".join(
        f'<li lang="{escape(lang)}">{escape(lang)}: {escape(translation.provenance.describe())}</li>'
        for lang, translation in ((lg, stored.translations.get(lg)) for lg in langs)
        if translation is not None and lang != source_lang
    )
    body = (
        f'<article class="compare" data-article="{escape(stored.id)}" style="--langs:{len(langs)}">\n'
        f"<h1>{escape(xml_safe(article.title))}</h1>\n"
        f'<p class="meta">{article.published:%Y-%m-%d %H:%M} UTC · original ({escape(source_lang)}) and '
        f"{len(langs) - 1} machine translation(s)</p>\n" + "\n".join(rows) + "\n"
        f'<ul class="provenance">{provenance}</ul>\n</article>'
    )
    return _page(source_lang, article.title, body).replace(b"max-width:42rem", b"max-width:72rem", 1)
