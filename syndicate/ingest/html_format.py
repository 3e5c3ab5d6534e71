"""Saved news pages (HTML): trafilatura finds the article, leaving navigation, share buttons,
related links, comments and scripts behind; html_blocks turns it into paragraphs with kinds,
page_meta reads dates, byline and URL from the article's own metadata.
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from syndicate.ingest import html_blocks, lines, page_meta, structure
from syndicate.ingest.errors import NoBody, NoTitle, Rejected
from syndicate.ingest.options import Reading
from syndicate.model import Article, Kind, Paragraph

# trafilatura's precise pass is taken when it keeps at least this share of the words of the
# page's main text; below it, its recall pass is tried (issue 11: the precise pass dropped two
# of five paragraphs held in bare <div>s; measured on that field case, it kept 62 of 106 words).
MIN_PRECISE_SHARE = 0.8
# A block before the lead of up to this many words may be metadata ("By Dana Whitfield", "Posted
# 14 March 2016", "4 min read"), not a paragraph: lines.classify says which.
MAX_HEADER_WORDS = 12
# A heading before the first paragraph is a standfirst (the deck under the headline, shown as a
# subheading, e.g. <h2 class="standfirst">) when it reads as a sentence: at least this many
# words, or sentence punctuation at its end. Shorter ones ("Key points") stay headings.
MIN_STANDFIRST_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*$")
# Pull quotes set a sentence of the article again in large type: left out (html_blocks.DROPPED
# has figures and asides), and said.
_PULL_QUOTES = (
    "//figure[contains(@class, 'pullquote')] | //blockquote[contains(@class, 'pullquote')] | "
    "//aside[contains(@class, 'pullquote')]"
)
_METADATA = (lines.LineKind.BYLINE, lines.LineKind.DATE, lines.LineKind.UPDATED, lines.LineKind.READING_TIME)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _page(text: str) -> lxml.html.HtmlElement:
    """The page as an lxml document (an XML declaration dropped: lxml refuses one in a str).
    Raises NoBody for a page with no elements."""
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (lxml.etree.ParserError, ValueError):
        raise NoBody("no article text found in the HTML page (no HTML elements)") from None


def _extract(
    page: lxml.html.HtmlElement, recall: bool, base: str | None = None, notes: list[str] | None = None
) -> tuple[list[Paragraph], dict[str, str | None]]:
    """trafilatura's article (no comments, no tables) on a copy of ``page`` without its chrome
    (:func:`html_blocks.drop_chrome`), loose text wrapped (:func:`html_blocks.wrap_loose_text`)
    and ``<br>`` runs and quote attributions marked (:func:`html_blocks.mark_breaks`), as
    paragraphs, with its title and author. trafilatura keeps links and formatting, which become
    the paragraphs' inline markup (links resolved against ``base``, said on ``notes``)."""
    import trafilatura

    marked = copy.deepcopy(page)
    html_blocks.drop_chrome(marked)
    html_blocks.wrap_loose_text(marked)
    html_blocks.mark_breaks(marked)
    doc = trafilatura.bare_extraction(
        marked, include_comments=False, include_tables=False, with_metadata=True,
        favor_precision=not recall, favor_recall=recall, include_formatting=True, include_links=True,
    )  # fmt: skip
    if doc is None or isinstance(doc, dict) or doc.body is None:
        return [], {}
    found, _ = html_blocks.paragraphs(doc.body, base, notes)
    return found, {"title": doc.title, "author": doc.author}


def _words(paragraphs: list[Paragraph]) -> int:
    """Whitespace-separated words of the paragraphs that are not headings (the precise pass
    often leaves the headline out, which the title gives anyway)."""
    return sum(len(p.text.split()) for p in paragraphs if p.kind != Kind.HEADING)


def main_text_words(page: lxml.html.HtmlElement) -> int:
    """Words of the page's main text: its ``articleBody``, else its article element
    (:func:`page_meta.main_article`), else ``<main>``, else its body; headings, navigation,
    asides, forms, figures and scripts left out (``html_blocks.DROPPED``)."""
    found = page.xpath("//*[@itemprop='articleBody']")
    container = found[0] if found else page_meta.main_article(page)
    if container is None:
        found = page.xpath("//main | //*[@role='main'] | //body")
        container = found[0] if found else page
    return len(html_blocks.plain(container, skip=html_blocks.HEADINGS).split())


def body(
    page: lxml.html.HtmlElement, reading: Reading, base: str | None = None
) -> tuple[list[Paragraph], dict[str, str | None]]:
    """The article's paragraphs (no LEAD yet) and trafilatura's title and author; relative
    links resolved against ``base`` (the page's URL), when known.

    trafilatura's precise pass first; when it keeps less than MIN_PRECISE_SHARE of
    :func:`main_text_words`, its recall pass, taken (and noted) when it finds more."""
    pull_quotes = page.xpath(_PULL_QUOTES)
    if pull_quotes:
        reading.note(
            f"left out of the page: {len(pull_quotes)} pull quote(s), which repeat the article's text"
        )
    notes: list[str] = []
    found, meta = _extract(page, False, base, notes)
    main = main_text_words(page)
    if _words(found) < MIN_PRECISE_SHARE * main:
        more_notes: list[str] = []
        more, more_meta = _extract(page, True, base, more_notes)
        if _words(more) > _words(found):
            for note in more_notes:
                reading.note(note)
            reading.note(
                f"the precise extraction kept {_words(found)} of about {main} words of the page's main text: "
                f"read with trafilatura's recall settings ({_words(more)} words)"
            )
            _note_left_out(page, more, reading)
            return more, more_meta
    for note in notes:
        reading.note(note)
    _note_left_out(page, found, reading)
    return found, meta


def _note_left_out(page: lxml.html.HtmlElement, found: list[Paragraph], reading: Reading) -> None:
    """Say which text blocks of the page's article element the extraction left out (trafilatura
    drops some short blocks it takes for boilerplate, "Print" over a section, "WhatsApp" in a
    list): one note with the first few, so nothing leaves silently. Only for a page with an
    article element (:func:`page_meta.main_article`); its first heading (the headline) aside."""
    container = page_meta.main_article(page)
    if container is None:
        return
    kept = [f" {_normal(p.text)} " for p in found]
    missing: list[str] = []
    blocks = ("p", "li", "h2", "h3", "h4", "h5", "h6")
    for element in container.iter(*blocks):
        if any(html_blocks.tag_of(a) in html_blocks.DROPPED for a in element.iterancestors()):
            continue
        if next(element.iterdescendants(*blocks), None) is not None:
            continue  # a list item holding a list: its own blocks are looked for one by one
        text = structure.collapse(html_blocks.plain(element))
        if lines.classify(text, reading.options).kind in _METADATA:
            continue  # a byline or date line: read from the page's metadata instead
        words = f" {_normal(text)} "
        # A block of a few words is kept only as a block of its own ("Print" is not kept by
        # "print runs"); a longer one may be part of a kept paragraph (a <p> in a <blockquote>).
        short = len(words.split()) <= 3
        found_in = any(words == k if short else words in k for k in kept)
        if words.strip() and not found_in and text not in missing:
            missing.append(text)
    if missing:
        shown = ", ".join(repr(t if len(t) <= 40 else t[:39] + "…") for t in missing[:3])
        more = f" (+{len(missing) - 3})" if len(missing) > 3 else ""
        reading.note(f"the extraction left out {len(missing)} block(s) of the article: {shown}{more}")


def _normal(text: str) -> str:
    """Words only, lower case: how a block is looked for in the extracted text."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def parse(text: str, reading: Reading) -> Article:
    """Parse a saved HTML page into an Article in ``options.lang``.

    Paragraphs: :func:`body`, kinds by :func:`html_blocks.paragraphs` (headings, quotes with
    their speaker, list items, paragraphs); the first heading dropped when it repeats the title,
    a short "By ..." line before the lead taken as the byline; the first other block is the lead
    (:func:`structure.lead`). Title: trafilatura's, else JSON-LD ``headline``. Dates
    (``published``, ``updated``), author and URL: :mod:`page_meta`. Character references left
    in any text are decoded and noted. Raises NoBody (no text, or only headings), NoTitle,
    BadDate, or CutLead under ``LeadPolicy.REJECT``.
    """
    page = _page(text)
    articles, by_id = page_meta.json_ld(page, reading)
    url = page_meta.canonical(page, reading)
    blocks, meta = body(page, reading, _base(page, reading) or url)
    headline = next((h for a in articles if isinstance(h := a.get("headline"), str) and h.strip()), "")
    title = html_blocks.decoded(meta.get("title") or headline, reading)
    blocks = [Paragraph(p.kind, html_blocks.decoded(p.text, reading), p.speaker, p.html) for p in blocks]
    blocks = lines.without_furniture(
        blocks, reading, lambda p: p.text, lambda p: p.kind == Kind.ITEM, lambda p: p.kind == Kind.HEADING
    )
    if blocks and blocks[0].kind == Kind.HEADING and blocks[0].text == title:
        blocks = blocks[1:]
    author = page_meta.author(page, articles, by_id, meta.get("author"), reading)
    first = next((i for i, b in enumerate(blocks) if b.kind != Kind.HEADING), None)
    while first is not None and (line := _metadata(blocks[first].text, reading)) is not None:
        reading.note(
            f"the line {blocks[first].text[:60]!r} before the lead read as {line.kind}, not a paragraph"
        )
        author = author or line.author
        del blocks[first]
        first = next((i for i, b in enumerate(blocks) if b.kind != Kind.HEADING), None)
    if first is None:
        raise NoBody("no article text found in the HTML page (only navigation or headings)")
    if not title:
        raise NoTitle("no title found in the HTML page")
    when = page_meta.dates(page, articles, reading)
    deck = next((i for i in range(first) if _standfirst(blocks[i])), None)
    if deck is not None:
        reading.note(
            f"the heading {blocks[deck].text[:60]!r} before the first paragraph read as the lead "
            "(a standfirst)"
        )
        first = deck
    lead = structure.lead(blocks[first].text, reading.options.lead_policy, reading.options.lang)
    if deck is not None and not _SENTENCE_END.search(blocks[first].text):
        lead = structure.Lead(blocks[first].text, False)  # a whole element, not a scraper's cut
    return Article(
        title=title,
        published=when.published,
        paragraphs=(
            *blocks[:first],
            Paragraph(Kind.LEAD, lead.text, html=blocks[first].html),
            *blocks[first + 1 :],
        ),
        lang=reading.options.lang,
        author=html_blocks.decoded(author, reading) if author else None,
        url=url,
        lead_trimmed=lead.trimmed,
        updated=when.updated,
    )


def _base(page: lxml.html.HtmlElement, reading: Reading) -> str | None:
    """The URL relative links of the page resolve against (WHATWG HTML, "document base URL"):
    its ``<base href>`` (itself resolved against the page's own URL), else the page's own URL
    (``options.page_url``); None when neither is an absolute http(s) URL (the caller falls back
    to the canonical URL, the article's address)."""
    own = (reading.options.page_url or "").strip()
    own = own if page_meta.is_absolute_url(own) else ""
    found = page.xpath("//base/@href")
    if found:
        resolved = urljoin(own, str(found[0]).strip()) if own else str(found[0]).strip()
        if page_meta.is_absolute_url(resolved):
            return resolved
    return own or None


def _metadata(text: str, reading: Reading) -> lines.Classified | None:
    """A block before the lead that a text scrape's header would hold: a byline ("By Dana
    Whitfield"), a date line ("Posted 14 March 2016"), a reading time, a section label
    (:func:`lines.classify`); None for article text. Page metadata gives the date, so a date
    line here is only dropped; a block over MAX_HEADER_WORDS words is always text."""
    if len(text.split()) > MAX_HEADER_WORDS:
        return None
    try:
        line = lines.classify(text, reading.options)
    except Rejected:  # a date line this page's metadata overrides anyway: not text either
        return lines.Classified(lines.LineKind.DATE)
    return None if line.kind == lines.LineKind.TEXT else line


def _standfirst(block: Paragraph) -> bool:
    """Whether a heading before the first paragraph is a standfirst: MIN_STANDFIRST_WORDS words
    or more, or ending in sentence punctuation."""
    text = block.text
    return block.kind == Kind.HEADING and (
        len(text.split()) >= MIN_STANDFIRST_WORDS or _SENTENCE_END.search(text) is not None
    )
