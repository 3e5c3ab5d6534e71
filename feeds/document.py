"""A format-neutral feed for one language, built from stored articles.

RSS, Atom, JSON Feed and the HTML pages are all rendered from this, so they never disagree.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from syndicate.model import ENTRY_NAMESPACE, Kind, Paragraph, StoredArticle, entry_id

# Characters XML 1.0 forbids; model output or a bad input must never break a document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


# A feed with no entries still needs a stable `updated`; "now" would change its bytes every run.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FORMATS = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}


@dataclass(frozen=True)
class Link:
    href: str
    lang: str


@dataclass(frozen=True)
class Entry:
    id: str
    article_id: str
    lang: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    url: str
    published: datetime
    updated: datetime
    author: str
    summary: str
    # Text shown under a machine translation, naming the model; None for the original.
    provenance: str | None
    related: tuple[Link, ...]

    @property
    def content_html(self) -> str:
        return paragraphs_html(self.paragraphs, self.provenance)


@dataclass(frozen=True)
class Feed:
    lang: str
    id: str
    title: str
    description: str
    home_url: str
    base_url: str
    other_langs: tuple[str, ...]  # languages whose feeds this one links to as alternates
    author: str
    updated: datetime
    entries: tuple[Entry, ...]
    hub: str | None = None  # WebSub hub
    # RFC 5005: this document's archive page number (None: the main, subscription feed), and
    # its older and newer neighbours among the archive pages.
    page: int | None = None
    prev_archive: int | None = None
    next_archive: int | None = None

    def url(self, fmt: str, lang: str | None = None) -> str:
        """The URL of this document (main feed or archive page) in format ``fmt``."""
        return feed_url(self.base_url, lang or self.lang, fmt, self.page if lang is None else None)

    def main_url(self, fmt: str) -> str:
        return feed_url(self.base_url, self.lang, fmt)

    def archive_url(self, fmt: str, page: int) -> str:
        return feed_url(self.base_url, self.lang, fmt, page)


def feed_path(lang: str, fmt: str, page: int | None = None) -> str:
    """Path under the public directory: the main feed, or RFC 5005 archive page ``page``."""
    return f"feeds/{lang}/" + (f"archive/{page}/" if page else "") + FORMATS[fmt]


def feed_url(base: str, lang: str, fmt: str, page: int | None = None) -> str:
    return f"{base}/{feed_path(lang, fmt, page)}"


def page_url(base: str, lang: str, article_id: str | None = None) -> str:
    return f"{base}/{lang}/" + (f"{article_id}.html" if article_id else "")


def paragraphs_html(paragraphs: tuple[Paragraph, ...], provenance: str | None = None) -> str:
    """Article HTML built from plain text, every character escaped: no markup from input survives."""
    parts = []
    for p in paragraphs:
        text = html.escape(p.text, quote=False)
        if p.kind == Kind.HEADING:
            parts.append(f"<h2>{text}</h2>")
        elif p.kind == Kind.QUOTE:
            parts.append(f"<blockquote><p>{text}</p></blockquote>")
        else:
            parts.append(f"<p>{text}</p>")
    if provenance:
        parts.append(f"<p><em>{html.escape(provenance, quote=False)}</em></p>")
    return "\n".join(parts)


def build(
    stored: list[StoredArticle],
    lang: str,
    *,
    base_url: str,
    source_lang: str,
    languages: tuple[str, ...],
    publisher: str,
    hub: str | None = None,
    page: int | None = None,
    prev_archive: int | None = None,
    next_archive: int | None = None,
) -> Feed:
    entries = []
    for item in stored:
        article = item.article
        if lang == source_lang:
            title, paragraphs, provenance = article.title, article.paragraphs, None
        else:
            translation = item.translations[lang]
            title, paragraphs = translation.title, translation.paragraphs
            provenance = translation.provenance.describe()
        title = xml_safe(title)
        paragraphs = tuple(Paragraph(p.kind, xml_safe(p.text)) for p in paragraphs)
        others = [lg for lg in languages if lg != lang and (lg == source_lang or lg in item.translations)]
        lead = next((p.text for p in paragraphs if p.kind in (Kind.LEAD, Kind.PARAGRAPH)), title)
        entries.append(
            Entry(
                id=entry_id(item.id, lang),
                article_id=item.id,
                lang=lang,
                title=title,
                paragraphs=paragraphs,
                url=page_url(base_url, lang, item.id),
                published=article.published,
                updated=max(item.updated.get(lang, item.created_at), article.published),
                author=xml_safe(article.author or publisher),
                summary=lead,
                provenance=provenance,
                related=tuple(Link(page_url(base_url, lg, item.id), lg) for lg in others),
            )
        )
    updated = max((e.updated for e in entries), default=EPOCH)
    machine = "" if lang == source_lang else " (machine translation)"
    demo = any(lang in a.translations and a.translations[lang].provenance.demo for a in stored)
    return Feed(
        lang=lang,
        id=f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'feed/{lang}')}",
        title=f"{publisher} [{lang}]" + (" DEMO MODEL: NOT A TRANSLATION" if demo else ""),
        description=f"Articles from {publisher} in {lang}{machine}",
        home_url=page_url(base_url, lang),
        base_url=base_url,
        other_langs=tuple(lg for lg in languages if lg != lang),
        author=publisher,
        updated=updated,
        entries=tuple(entries),
        hub=hub,
        page=page,
        prev_archive=prev_archive,
        next_archive=next_archive,
    )
