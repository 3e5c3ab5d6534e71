"""Saved news pages (HTML): trafilatura extracts the article, leaving navigation, share buttons,
related links, comments and scripts behind; we keep title, date, author, URL, paragraphs,
subheadings and quotes.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

import lxml.etree
import lxml.html
from dateutil import parser as dateparser

from syndicate.ingest import structure
from syndicate.ingest.errors import BadDate, NoBody, NoTitle
from syndicate.ingest.options import Reading
from syndicate.model import Article, Kind, Paragraph

_DATE_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//meta[@name='date' or @name='pubdate' or @name='publish-date' or @name='dc.date']/@content",
    "//time[@datetime]/@datetime",
)


def _strings(element: lxml.etree._Element, xpath: str) -> list[str]:
    """The string results of an XPath that selects attributes (empty for any other result)."""
    found = element.xpath(xpath)
    return [str(v) for v in found] if isinstance(found, list) else []


def _text(element: lxml.etree._Element) -> str:
    """All text inside ``element`` (lxml gives str for documents parsed from Unicode or UTF-8)."""
    return "".join(t if isinstance(t, str) else t.decode("utf-8") for t in element.itertext())


def _published(page: lxml.html.HtmlElement, fallback: str | None, zone: tzinfo) -> datetime:
    """The full timestamp from the page's metadata; trafilatura alone gives only the day.

    Tried in order: Open Graph ``article:published_time``, schema.org ``datePublished``, the
    common ``<meta name="date">`` spellings, ``<time datetime>``, then trafilatura's date
    (``fallback``). The first ISO 8601 value wins; one without an offset is read in ``zone``.
    Raises BadDate when none parses.
    """
    candidates: list[str] = []
    for xpath in _DATE_XPATHS:
        candidates += _strings(page, xpath)
    if fallback:
        candidates.append(fallback)
    for value in candidates:
        try:
            parsed = dateparser.isoparse(value.strip())
        except (ValueError, OverflowError):
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    raise BadDate("no publication date found in the page (article:published_time, <time>, ...)")


def parse(text: str, reading: Reading) -> Article:
    """Parse a saved HTML page into an Article in ``lang``; dates without an offset are in ``zone``.

    trafilatura (precision over recall, no comments or tables) finds the article; its ``head``
    elements become headings (the first one dropped when it repeats the title), ``quote``
    elements quotes with their speaker, list items paragraphs, the first non-heading block the
    lead (see :func:`structure.lead`). The URL is ``<link rel=canonical>``, else trafilatura's.
    Raises NoBody (nothing extracted, or only headings), NoTitle, BadDate, or CutLead under
    ``LeadPolicy.REJECT``.
    """
    zone, lang, lead_policy = reading.options.zone, reading.options.lang, reading.options.lead_policy
    import trafilatura

    extracted = trafilatura.extract(
        text, output_format="xml", include_comments=False, include_tables=False, with_metadata=True,
        favor_precision=True,
    )  # fmt: skip
    if not extracted:
        raise NoBody("no article text found in the HTML page")
    doc = lxml.etree.fromstring(extracted.encode("utf-8"))
    page = lxml.html.fromstring(text)
    title = structure.collapse(doc.get("title") or "")

    blocks: list[Paragraph] = []
    main = doc.find("main")
    for element in main if main is not None else []:
        content = structure.collapse(_text(element))
        if not content or (element.tag == "head" and content == title and not blocks):
            continue
        if element.tag == "head":
            blocks.append(Paragraph(Kind.HEADING, content))
        elif element.tag == "quote":
            blocks.append(Paragraph(Kind.QUOTE, content, structure.speaker(content)))
        elif element.tag == "list":
            blocks += [structure.paragraph(structure.collapse(_text(i))) for i in element]
        else:
            blocks.append(structure.paragraph(content, single_line=False))
    body = [b for b in blocks if b.text]
    first = next((i for i, b in enumerate(body) if b.kind != Kind.HEADING), None)
    if first is None:
        raise NoBody("no article text found in the HTML page (only navigation or headings)")
    if not title:
        raise NoTitle("no title found in the HTML page")
    published = _published(page, doc.get("date"), zone)
    lead = structure.lead(body[first].text, lead_policy)
    paragraphs = body[:first] + [Paragraph(Kind.LEAD, lead.text)] + body[first + 1 :]
    canonical = _strings(page, "//link[@rel='canonical']/@href")
    extracted_url = doc.get("url")
    if not canonical and extracted_url:
        canonical = [extracted_url]
    author = doc.get("author")
    return Article(
        title=title,
        published=published,
        paragraphs=tuple(paragraphs),
        lang=lang,
        author=structure.collapse(author) if author else None,
        url=canonical[0].strip() if canonical else None,
        lead_trimmed=lead.trimmed,
    )
