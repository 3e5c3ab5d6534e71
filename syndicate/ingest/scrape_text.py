"""The plain-text scrape format: chrome line, date line, title, lead, paragraphs and subheadings.

See ``syndicate/demo/articles/`` for examples. The scraper cuts the lead at a fixed length,
often mid-word; we trim it back to its last full sentence and say so.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from dateutil import parser as dateparser

from syndicate import segment
from syndicate.ingest.errors import BadDate, NoBody, NoTitle
from syndicate.model import Article, Kind, Paragraph

_ICON_TOKEN = re.compile(r"\w*icon\w*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*$")
_HEADING_END = re.compile(r"[.!?…:;,\"”’»]$")
_OPENING_QUOTE = ("“", '"', "«", "„")
MAX_TITLE_CHARS = 250
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90


def is_chrome(line: str) -> bool:
    """Web-page UI: a line dominated by icon names run together ("bookmarkicon cameraicon ...")."""
    tokens = line.split()
    if len(tokens) < 3:
        return False
    icons = sum(1 for t in tokens if _ICON_TOKEN.fullmatch(t))
    return icons / len(tokens) >= 0.25


def parse_date(line: str, zone: tzinfo) -> datetime | None:
    """A whole line that is a date with day, month and year; None if it is anything else."""
    line = line.strip()
    if not line or len(line) > 40 or not any(c.isdigit() for c in line):
        return None
    try:
        # Two different defaults reveal any field the line does not state.
        first = dateparser.parse(line, default=datetime(2000, 1, 1))
        second = dateparser.parse(line, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        return None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None
    return first if first.tzinfo is not None else first.replace(tzinfo=zone)


def _blocks(lines: list[str]) -> list[list[str]]:
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


def trim_cut_lead(text: str) -> tuple[str, bool]:
    """Trim a lead cut off mid-word back to its last full sentence. Returns (text, trimmed)."""
    if _SENTENCE_END.search(text):
        return text, False
    parts = segment.sentences(text)
    complete = [s for s in parts if _SENTENCE_END.search(s)]
    if complete and len(complete) < len(parts):
        return " ".join(parts[: len(parts) - 1]), True
    # Nothing complete to fall back to: keep the fragment, marked as cut.
    return text.rstrip() + "…", True


def _kind(text: str, single_line: bool) -> Kind:
    if (
        single_line
        and len(text) <= MAX_HEADING_CHARS
        and len(text.split()) <= MAX_HEADING_WORDS
        and not _HEADING_END.search(text)
    ):
        return Kind.HEADING
    if text.startswith(_OPENING_QUOTE):
        return Kind.QUOTE
    return Kind.PARAGRAPH


def parse(text: str, zone: tzinfo, lang: str = "en") -> Article:
    lines = [line for line in text.split("\n") if not is_chrome(line)]
    blocks = _blocks(lines)
    if not blocks:
        raise NoBody("no text after removing page chrome")

    published = parse_date(blocks[0][0], zone) if blocks else None
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
    if len(title_block) != 1 or len(title_block[0]) > MAX_TITLE_CHARS:
        raise NoTitle("no title: the text after the date is a paragraph, not a one-line title")
    title = title_block[0]

    body = blocks[1:]
    if not body:
        raise NoBody("no body: the article has a title but no paragraphs")

    paragraphs: list[Paragraph] = []
    lead_text, lead_trimmed = trim_cut_lead(" ".join(body[0]))
    paragraphs.append(Paragraph(Kind.LEAD, lead_text))
    for block in body[1:]:
        text_ = " ".join(block)
        paragraphs.append(Paragraph(_kind(text_, len(block) == 1), text_))

    return Article(
        title=title,
        published=published,
        paragraphs=tuple(paragraphs),
        lang=lang,
        lead_trimmed=lead_trimmed,
    )
