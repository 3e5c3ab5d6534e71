"""A format-neutral feed for one language, built from stored articles.

RSS, Atom, JSON Feed and the HTML pages are all rendered from this, so they never disagree.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from feeds.i18n import feed_description, feed_title, provenance_text, with_unreviewed_note
from syndicate import inline
from syndicate.model import ENTRY_NAMESPACE, Kind, Paragraph, StoredArticle, entry_id

# Characters XML 1.0 forbids; model output or a bad input must never break a document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (section 2.2, Char): C0 controls other
    than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF."""
    return _XML_ILLEGAL.sub("", text)


# A feed with no entries still needs a stable `updated`; "now" would change its bytes every run.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FORMATS = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}


@dataclass(frozen=True)
class Link:
    """A link to the same article in another language: absolute page URL and language code."""

    href: str
    lang: str


# The category scheme of "who translated" in Atom and RSS (a URN of ours, stable forever).
TRANSLATION_SCHEME = f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, 'translation-kind')}"
# Provenance.kind -> the category term feeds carry.
TRANSLATION_TERMS = {
    "machine": "machine-translation",
    "post-edited": "post-edited",
    "human": "human-translation",
}


@dataclass(frozen=True)
class TranslationInfo:
    """Who translated an entry (model.Provenance, as JSON Feed's ``_syndicate.translation``):
    ``kind`` "machine", "post-edited" or "human"; the model and its version; how many segments
    (title and sentences), how many of them a person translated, and how many are the model's
    output a person approved unchanged (``approved_segments``)."""

    kind: str
    model: str
    model_version: str
    segments: int
    human_segments: int
    approved_segments: int = 0

    @property
    def term(self) -> str:
        """The Atom/RSS category term: machine-translation, post-edited or human-translation."""
        return TRANSLATION_TERMS[self.kind]


@dataclass(frozen=True)
class Entry:
    """One language version of one article, as every format renders it.

    ``id`` is ``urn:uuid:`` + UUIDv5 of (article, language), so each language has its own id
    and it never changes (RFC 4287 4.2.6: atom:id is permanent and unique); ``url`` is the
    entry's own page. ``published`` and ``updated`` are aware datetimes; ``updated`` moves only
    when this language's text changes. Text fields are plain text, free of XML-illegal
    characters; ``summary`` is the lead.
    """

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
    # Published after the review grace period without an editor's approval (the note says so).
    unreviewed: bool = False
    # Who translated it, for machine readers; None for the original.
    translation: TranslationInfo | None = None

    @property
    def content_html(self) -> str:
        """The entry's body as escaped HTML (see :func:`paragraphs_html`)."""
        return paragraphs_html(self.paragraphs, self.provenance)


@dataclass(frozen=True)
class Feed:
    """One feed document of one language: the main feed or an RFC 5005 archive page.

    ``entries`` are in the order given to :func:`build` (newest first for the main feed).
    ``updated`` is the latest entry's, or EPOCH for no entries, never "now", so unchanged
    content renders to the same bytes. ``base_url`` is absolute, without a trailing slash.
    """

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
        """The URL of this document (main feed or archive page) in format ``fmt``.

        With ``lang``, the main feed of that language instead (for alternate links). ``fmt`` is a
        key of FORMATS; KeyError otherwise.
        """
        return feed_url(self.base_url, lang or self.lang, fmt, self.page if lang is None else None)

    def main_url(self, fmt: str) -> str:
        """The URL of this language's main (subscription) feed in format ``fmt``."""
        return feed_url(self.base_url, self.lang, fmt)

    def archive_url(self, fmt: str, page: int) -> str:
        """The URL of this language's archive page ``page`` (from 1) in format ``fmt``."""
        return feed_url(self.base_url, self.lang, fmt, page)


def feed_path(lang: str, fmt: str, page: int | None = None) -> str:
    """Path under the public directory: the main feed, or RFC 5005 archive page ``page``.

    ``feeds/{lang}/{file}`` or ``feeds/{lang}/archive/{page}/{file}``, the file named by FORMATS
    (KeyError for another ``fmt``). Page 0 or None is the main feed.
    """
    return f"feeds/{lang}/" + (f"archive/{page}/" if page else "") + FORMATS[fmt]


def feed_url(base: str, lang: str, fmt: str, page: int | None = None) -> str:
    """``base`` (absolute, no trailing slash) joined to :func:`feed_path`."""
    return f"{base}/{feed_path(lang, fmt, page)}"


def page_url(base: str, lang: str, article_id: str | None = None) -> str:
    """A language's index page (``{base}/{lang}/``), or an entry's page with ``article_id``."""
    return f"{base}/{lang}/" + (f"{article_id}.html" if article_id else "")


def paragraphs_html(paragraphs: tuple[Paragraph, ...], provenance: str | None = None) -> str:
    """Article HTML: each paragraph's text escaped, or its inline markup (links, emphasis, code,
    sup/sub, line breaks) sanitised again with nh3 (:func:`syndicate.inline.content`): no other
    markup from input survives.

    Headings become ``<h2>``, quotes ``<blockquote><p>``, each run of consecutive items one
    ``<ul>`` of ``<li>``, everything else ``<p>``, one line each; ``provenance`` (the model's
    description) is appended in ``<p><em>``, always the last paragraph.
    """
    parts: list[str] = []
    for i, p in enumerate(paragraphs):
        text = inline.content(p.text, p.html)
        if p.kind == Kind.ITEM:
            opens = i == 0 or paragraphs[i - 1].kind != Kind.ITEM
            closes = i == len(paragraphs) - 1 or paragraphs[i + 1].kind != Kind.ITEM
            parts.append(("<ul>" if opens else "") + f"<li>{text}</li>" + ("</ul>" if closes else ""))
        elif p.kind == Kind.HEADING:
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
    """The feed of ``lang`` holding ``stored`` articles, in the order given.

    For a target language, every article must have a translation into ``lang``
    (KeyError otherwise); its entry says who translated (``provenance``, the note readers see,
    and ``translation`` for machines) and names the model, and the feed's title says
    so when any entry comes from a demo model. Entries link their article's page in every other
    language of ``languages`` that it exists in (``rel=related``). An entry's ``updated`` is when
    this language's text last changed, never before ``published``. ``page``, ``prev_archive``
    and ``next_archive`` are RFC 5005 archive page numbers (None for the main feed / none).
    """
    entries: list[Entry] = []
    for item in stored:
        article = item.article
        info = None
        if lang == source_lang:
            title, paragraphs, provenance = article.title, article.paragraphs, None
            unreviewed = False
        else:
            translation = item.translations[lang]
            title, paragraphs = translation.title, translation.paragraphs
            provenance = provenance_text(translation.provenance, lang)
            unreviewed = translation.unreviewed
            if unreviewed:
                provenance = with_unreviewed_note(provenance, lang)
            made = translation.provenance
            info = TranslationInfo(
                made.kind,
                made.model_name,
                made.model_version,
                made.segments,
                made.human_segments,
                made.approved_segments,
            )
        title = xml_safe(title)
        paragraphs = tuple(
            Paragraph(p.kind, xml_safe(p.text), html=xml_safe(p.html) if p.html else None) for p in paragraphs
        )
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
                unreviewed=unreviewed,
                translation=info,
            )
        )
    updated = max((e.updated for e in entries), default=EPOCH)
    demo = any(lang in a.translations and a.translations[lang].provenance.demo for a in stored)
    return Feed(
        lang=lang,
        id=f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'feed/{lang}')}",
        title=feed_title(publisher, lang, demo),
        description=feed_description(publisher, lang, machine=lang != source_lang),
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
