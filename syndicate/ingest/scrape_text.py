"""The plain-text scrape format: chrome line(s), date line, title, byline, lead, paragraphs.

See ``syndicate/demo/articles/`` for examples. Web-page chrome (icon names run together, share
buttons, "Read more" links) is dropped wherever it appears; a "By ..." line is the author.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from dateutil import parser as dateparser

from syndicate.ingest import dates, markup, structure
from syndicate.ingest.errors import BadDate, NoBody, NoTitle
from syndicate.ingest.options import Reading
from syndicate.model import Article, Kind, Paragraph

_ICON_TOKEN = re.compile(r"\w*icon\w*", re.IGNORECASE)
_UI_LINE = re.compile(
    r"^(?:share(?: (?:this|on) \w+)?|tweet|email|print|comments?(?: \(\d+\))?|subscribe(?: now)?|"
    r"advertisement|read more(?::.*)?|related(?: articles| stories)?:?|follow us(?: on \w+)?|"
    r"(?:facebook|twitter|telegram|vk|whatsapp)(?:\s*[|·•]\s*\w+)*)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|from)\s+(.{2,80}?)(?:,\s*(?:staff|correspondent|reporter).*)?$", re.IGNORECASE)
MAX_TITLE_CHARS = 250


def is_chrome(line: str) -> bool:
    """Web-page UI, not article text: icon names run together, share buttons, "Read more".

    True for a whole line matching one of the UI phrases, or a line of 3 or more words of
    which at least a quarter contain "icon" (e.g. "facebookicon twittericon mailicon").
    """
    stripped = line.strip()
    if _UI_LINE.match(stripped):
        return True
    tokens = stripped.split()
    if len(tokens) < 3:
        return False
    icons = sum(1 for t in tokens if _ICON_TOKEN.fullmatch(t))
    return icons / len(tokens) >= 0.25


def parse_date(line: str, zone: tzinfo) -> datetime | None:
    """A whole line that is a date with day, month and year; None if it is anything else.

    Read with dateutil, in the formats of the README (``14 Mar, 2011 09:05``, ``2014-10-07
    14:30``, ``October 7, 2014 2:30 PM``, RFC 822 with its offset, ...). Dotted dates
    (``07.10.2014``) are day first, as everywhere dots are used; slashed ones month first (US).
    A line of more than 48 characters, without a digit, or lacking day, month or year is not a
    date. A time without an offset is in ``zone``; the result is always aware.
    """
    line = line.strip()
    if not line or len(line) > 48 or not any(c.isdigit() for c in line):
        return None
    # "14.03.2011" is day first wherever dots are used; slashes are read month first (US).
    dayfirst = bool(re.match(r"^\d{1,2}\.\d{1,2}\.\d{2,4}", line))
    try:
        # Two different defaults reveal any field the line does not state.
        first = dateparser.parse(line, default=datetime(2000, 1, 1), dayfirst=dayfirst)
        second = dateparser.parse(line, default=datetime(2001, 2, 2), dayfirst=dayfirst)
    except (ValueError, OverflowError):
        return None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None
    return first if first.tzinfo is not None else first.replace(tzinfo=zone)


def _blocks(lines: list[str]) -> list[list[str]]:
    """Stripped non-blank lines grouped into blocks at each run of blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse(text: str, reading: Reading) -> Article:
    """Parse a plain-text scrape into an Article in ``lang``; see the module docstring.

    After chrome lines are dropped: the first line must be a date (:func:`parse_date`, in
    ``zone`` when it has no offset), then a one-line title of at most MAX_TITLE_CHARS
    characters, an optional ``By ...`` line, the lead (:func:`structure.lead`), then paragraphs
    separated by blank lines (:func:`structure.paragraph`: a single short line without final
    punctuation is a heading). Raises NoBody, BadDate, NoTitle, or CutLead under
    ``LeadPolicy.REJECT``.
    """
    lang, lead_policy = reading.options.lang, reading.options.lead_policy
    text = markup.clean_scrape(text, reading)
    lines = [line for line in text.split("\n") if not is_chrome(line)]
    blocks = _blocks(lines)
    if not blocks:
        raise NoBody("no text after removing page chrome")

    dated = dates.read_date_line(blocks[0][0], reading)
    published = dated.value if dated else None
    if published is None:
        raise BadDate(
            f"no date line: expected a date such as '14 Mar, 2011 09:05' before the title, "
            f"found {blocks[0][0][:40]!r}"
        )
    # The date may share a block with the title when the blank line is missing.
    rest = blocks[0][1:]
    blocks = ([rest] if rest else []) + blocks[1:]
    if not blocks:
        raise NoTitle("no title: nothing follows the date line")

    title_block = blocks[0]
    author = None
    if len(title_block) == 2 and (byline := _BYLINE.match(title_block[1])):
        author = byline.group(1)
        title_block = title_block[:1]
    if len(title_block) != 1 or len(title_block[0]) > MAX_TITLE_CHARS:
        raise NoTitle("no title: the text after the date is a paragraph, not a one-line title")
    title = structure.collapse(title_block[0])

    body = blocks[1:]
    if body and len(body[0]) == 1 and (byline := _BYLINE.match(body[0][0])):
        author = byline.group(1)
        body = body[1:]
    if not body:
        raise NoBody("no body: the article has a title but no paragraphs")

    lead = structure.lead(structure.collapse(" ".join(body[0])), lead_policy)
    paragraphs = [Paragraph(Kind.LEAD, lead.text)]
    paragraphs += [
        structure.paragraph(structure.collapse(" ".join(block)), len(block) == 1) for block in body[1:]
    ]
    return Article(
        title=title,
        published=published,
        paragraphs=tuple(paragraphs),
        lang=lang,
        author=author,
        lead_trimmed=lead.trimmed,
    )
