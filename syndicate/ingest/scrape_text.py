"""The plain-text scrape format: a header of metadata lines around a one-line title, then the
lead and the paragraphs, then perhaps the page's trailers.

See ``syndicate/demo/articles/`` and tests/testdata/ingest/header/ for examples. The header runs
from the first line to the lead: page chrome, breadcrumbs, section labels, reading times,
bylines and date lines (lines.py tells them apart) may come in any order before and after the
title. The body keeps its text; only chrome, photo credits and trailers are dropped from it.
Every line dropped is listed in one note, and the byline read in another.

Guards against false drops (tests/testdata/ingest/false_drops/): a sentence (ending with a full
stop) is never the title: the nearest line a rule dropped above it, alone in its block, is the
title (noted), else NoTitle; a date line after the title followed by text, with another date line
alone in its block further down, opens a timeline's body as a heading; a run of 3+ one-word lines
after a line ending ":" is a list (app names), not a share bar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby, islice

from syndicate.ingest import markup, structure
from syndicate.ingest.bylines import loose_byline, role_or_outlet
from syndicate.ingest.checks import MAX_TITLE_CHARS
from syndicate.ingest.dates import DateLine, Role
from syndicate.ingest.errors import BadDate, NoBody, NoTitle
from syndicate.ingest.lines import (
    DATE_LABEL,
    Classified,
    LineKind,
    bare_byline,
    classify,
    is_chrome,
    is_role,
    note_dropped,
    quote,
)
from syndicate.ingest.options import Reading
from syndicate.model import Article, Kind, Paragraph

__all__ = ["MAX_TITLE_CHARS", "is_chrome", "parse"]

# (block number, stripped line): a non-blank line of the input and the block it belongs to.
Line = tuple[int, str]
# A sentence's end, which a headline lacks; "…" (a cut headline), "?" and "!" end headlines too.
_SENTENCE = re.compile(r"(?<![A-Z])\.[\"”’»)\]]*$")
# Kinds of header line that may be a headline the rules took for metadata ("Hamlet – Review").
_MAYBE_TITLE = {
    LineKind.SECTION,
    LineKind.BYLINE,
    LineKind.TRAILER,
    LineKind.PHOTO,
    LineKind.DATE,
    LineKind.UPDATED,
}


def _lines(text: str) -> list[Line]:
    """Stripped non-blank lines, each with the number of its block (blocks are separated by
    blank lines)."""
    found: list[Line] = []
    block = 0
    for raw in text.split("\n"):
        if raw.strip():
            found.append((block, raw.strip()))
        elif found and found[-1][0] == block:
            block += 1
    return found


@dataclass
class _Header:
    """What the header lines said: dates, author, title, and what was dropped."""

    reading: Reading
    published: DateLine | None = None
    updated: DateLine | None = None
    author: str | None = None
    title: str | None = None
    title_problem: str | None = None
    unread: list[str] = field(default_factory=list)  # labelled date lines that could not be read
    dropped: list[tuple[str, str]] = field(default_factory=list)
    byline: str = ""  # the line that gave the author, noted at the end (it may become the title)
    heading_first: bool = False  # the body opens with a date heading (a timeline)

    def take(self, line: str, found: Classified) -> None:
        """Use one metadata line: its author, its dates by role (the first of each role wins,
        the others are noted as ignored), its notes; list what it drops."""
        self.dropped += found.dropped
        if found.kind in (LineKind.DATE, LineKind.UPDATED) and not found.dates:
            self.unread.append(line)
        used = not found.dates
        for date in found.dates:
            slot = "updated" if date.role == Role.UPDATED else "published"
            first = getattr(self, slot)
            if first is None:
                setattr(self, slot, date)
                used = True
            else:
                what = "updated date" if slot == "updated" else "date line"
                self.reading.note(
                    f"second {what} {quote(line)} ignored: the first, {first.value.isoformat()}, is kept"
                )
        if found.author:
            if self.author is None:
                self.author, self.byline = found.author, line
            else:
                self.reading.note(f"second byline {quote(line)} ignored: the author is {self.author!r}")
        if used:
            for note in found.notes:
                self.reading.note(note)

    def read(self, lines: list[Line]) -> int:
        """Read the header of ``lines``: metadata, then the title, then metadata up to the first
        line of text, which starts the body. Returns that line's index (len(lines) when there
        is no body); sets ``title_problem`` and stops where the title is not a one-line title."""
        options = self.reading.options
        title_at, previous, label, box = -1, LineKind.TEXT, "", -1
        for i, (block, line) in enumerate(lines):
            found = classify(line, options)
            listed = block == box and found.kind is LineKind.TEXT and structure.is_heading(line)
            box = block if found.opens_list or listed else -1
            if listed:
                self.dropped.append(("trailer", line))
                continue
            if label and found.dates and (joined := classify(f"{label} {line}", options)).dates:
                # "Updated" on one line, its date on the next: the label gives the role.
                found = joined
                self.unread.remove(label)
                self.dropped.remove((DATE_LABEL, label))
            label = line if found.dropped[:1] and found.dropped[0][0] == DATE_LABEL else ""
            after_byline = previous is LineKind.BYLINE and lines[i - 1][0] == block
            previous = found.kind
            role = found.kind is LineKind.TEXT and is_role(line) and len(line.split()) <= 5
            if role and after_byline and (self.title or self._title_below(lines, i)):
                # The byline's role on the line below it ("By Jane Roe" / "Europe editor"); above
                # the title only when a title-shaped block follows, or the line is the title itself.
                self.dropped.append((role_or_outlet(line), line))
                continue
            if found.kind is LineKind.TEXT and (loose := loose_byline(line, self.title is None)) is not None:
                found = loose  # "By Jane Roe, <anything>" is neither the title nor the lead
            below = lines[i + 1] if i + 1 < len(lines) else (-1, "")
            if (
                self.title
                and found.kind is LineKind.TEXT
                and below[0] == block
                and (name := bare_byline(line))
            ):
                # A name alone right above a date line is the byline ("Jane Roe" / "Oct 7, 2014").
                found = name if classify(below[1], options).dates else found
            if self.title and self.published and found.kind is LineKind.DATE and self._timeline(lines, i):
                self.heading_first = True
                return i
            if found.kind is not LineKind.TEXT:
                self.take(line, found)
            elif self.title is None and _SENTENCE.search(line):
                return self._title_above(lines, i)
            elif self.title is None:
                self.title, title_at = structure.collapse(line), i
                if len(line) > MAX_TITLE_CHARS:
                    self.title_problem = f"the first line of text is {len(line)} characters long"
                    return i
            elif title_at == i - 1 and lines[title_at][0] == block:
                self.title_problem = "the text after the header is a paragraph, not a one-line title"
                return title_at
            else:
                return i
        return len(lines)

    def _title_above(self, lines: list[Line], i: int) -> int:
        """Line ``i``, the first line of text, is a sentence: the lead, not the title. The title
        is the nearest line above it that a rule dropped (not a date, reading time, chrome or
        breadcrumb) when that line is alone in its block, has 2+ words, at most MAX_TITLE_CHARS
        characters and no final full stop ("Hamlet – Review" read as a section label); else
        ``title_problem`` is set. Returns ``i``, where the body starts. Source: the reviewer's
        false drops of November 2026 (tests/testdata/ingest/false_drops/)."""
        options, blocks = self.reading.options, [b for b, _ in lines]
        for j in range(i - 1, -1, -1):
            found, (block, line) = classify(lines[j][1], options), lines[j]
            if found.dates or found.kind not in _MAYBE_TITLE:
                continue
            alone = blocks[j - 1 : j].count(block) + blocks[j + 1 : j + 2].count(block) == 0
            if alone and len(line.split()) >= 2 and len(line) <= MAX_TITLE_CHARS and not line.endswith("."):
                self.title = structure.collapse(line)
                self.dropped = [d for d in self.dropped if d[1] not in line]
                self.author, self.byline = (None, "") if self.byline == line else (self.author, self.byline)
                self.unread = [u for u in self.unread if u != line]
                self.reading.note(
                    f"{quote(line)} read as the title, not a {found.kind}: the line below is a sentence"
                )
                return i
            break
        self.title, self.title_problem = (
            lines[i][1],
            f"the first line of text is a sentence, {quote(lines[i][1])}",
        )
        return i

    def _timeline(self, lines: list[Line], i: int) -> bool:
        """Whether the date line ``i`` after the title (a publication date already read) is the
        first heading of a timeline's body ("Monday, October 6, 2014" above its text): alone in
        its block, text below it, and another date line alone in its block further down.
        Otherwise a second date line is ignored with a note (h13_two_plain_dates.txt)."""
        options, blocks = self.reading.options, [b for b, _ in lines]
        if blocks.count(lines[i][0]) != 1 or i + 1 == len(lines):
            return False
        later = (j for j in range(i + 2, len(lines)) if blocks.count(lines[j][0]) == 1)
        return classify(lines[i + 1][1], options).kind is LineKind.TEXT and any(
            classify(lines[j][1], options).kind is LineKind.DATE for j in later
        )

    def _title_below(self, lines: list[Line], i: int) -> bool:
        """Whether line ``i`` ends its block and the next line of text below it could be the
        title: the only text of its block, without a final full stop, with more text below."""
        if i + 1 < len(lines) and lines[i + 1][0] == lines[i][0]:
            return False
        options = self.reading.options
        below = (j for j in range(i + 1, len(lines)) if classify(lines[j][1], options).kind is LineKind.TEXT)
        text = list(islice(below, 2))
        if len(text) < 2 or lines[text[0]][0] == lines[text[1]][0]:
            return False
        title = lines[text[0]][1]
        return len(title) <= MAX_TITLE_CHARS and not title.endswith((".", "…", "!"))

    def note_dropped(self) -> None:
        """One note listing every kind of line dropped (:func:`lines.note_dropped`), and one for
        the byline read (so "By Royal Appointment" read as a name is never silent)."""
        if self.byline and self.author:
            self.reading.note(f"byline {quote(self.byline)} read as author {self.author!r}")
        note_dropped(self.reading, self.dropped)


def _name_lists(lines: list[Line], kinds: list[Classified]) -> set[int]:
    """Indexes of the lines of a list of names that share buttons also have ("The ban covers:" /
    "WhatsApp" / "Telegram" / "Messenger"): a run of 3+ one-word lines in one block, right
    after a line of text ending with ":" that introduces it. A share bar has no such line."""
    found: set[int] = set()
    for _, run in groupby(range(len(lines)), key=lambda j: (lines[j][0], len(lines[j][1].split()) == 1)):
        run_at = list(run)
        before = run_at[0] - 1
        single = len(lines[run_at[0]][1].split()) == 1
        if single and len(run_at) >= 3 and before >= 0 and kinds[before].kind is LineKind.TEXT:
            found |= set(run_at) if lines[before][1].endswith(":") else set()
    return found


def _body(lines: list[Line], header: _Header) -> list[list[str]]:
    """The body's blocks of lines without page chrome, photo credits and trailers.

    Chrome lines go wherever they are; a photo credit or trailer when it is a block of its own
    or in the tail (the run of short, unpunctuated lines and droppable lines that ends the
    input). A line that opens a list of links ("More on this story", "Related stories") goes
    with the short lines below it in its block, and in the tail with everything after it. In
    the tail, an updated date line ("Last updated: ...") gives the article's ``updated``.
    """
    options = header.reading.options
    kinds = [classify(line, options, header=False) for _, line in lines]
    sizes = {block: len(list(group)) for block, group in groupby(b for b, _ in lines)}
    tail = len(lines)
    short = [structure.is_heading(line) for _, line in lines]
    while tail > 0 and (kinds[tail - 1].kind is not LineKind.TEXT or short[tail - 1]):
        tail -= 1
    marker = next((j for j in range(tail, len(lines)) if kinds[j].opens_list), len(lines))
    kept: list[Line] = []
    listed_names = _name_lists(lines, kinds)
    box = -1  # the block of a list of links, from its first line ("Related stories") on
    for j, ((block, line), found) in enumerate(zip(lines, kinds, strict=True)):
        listed = block == box and found.kind is LineKind.TEXT and short[j]
        box = block if found.opens_list or listed else -1
        alone = j >= tail or sizes[block] == 1 or found.opens_list
        if j >= marker or listed:
            header.dropped.append(found.dropped[0] if found.dropped else ("trailer", line))
        elif j in listed_names:
            kept.append((block, line))
        elif found.kind is LineKind.CHROME or (found.kind is not LineKind.TEXT and alone):
            header.dropped += found.dropped
        elif j >= tail and (dated := classify(line, options)).kind is LineKind.UPDATED:
            header.take(line, dated)
        else:
            kept.append((block, line))
    return [[line for _, line in group] for _, group in groupby(kept, key=lambda item: item[0])]


def parse(text: str, reading: Reading) -> Article:
    """Parse a plain-text scrape into an Article in ``reading.options.lang``.

    After :func:`markup.clean_scrape`: the header (lines.classify, in any order) must hold a
    date line (dates in ``options.zone`` when they have no offset; a second publication date is
    ignored with a note, an updated date line gives ``updated``) and a one-line title of at most
    MAX_TITLE_CHARS characters, the first line of text. The body starts at the next line of
    text: the lead (:func:`structure.lead`), then paragraphs separated by blank lines
    (:func:`structure.paragraph`). The byline's names are the author. Dropped lines are listed
    in one note. Raises NoBody (nothing but chrome, or no text after the title), BadDate (no
    date line, or one that cannot be settled), NoTitle, or CutLead under ``LeadPolicy.REJECT``.
    """
    lang, lead_policy = reading.options.lang, reading.options.lead_policy
    lines = _lines(markup.clean_scrape(text, reading))
    if all(is_chrome(line) for _, line in lines):
        raise NoBody("no text after removing page chrome")
    header = _Header(reading)
    start = header.read(lines)
    if header.published is None:
        where = f"around the title {quote(header.title)}" if header.title else "in the header"
        if header.unread:
            where += f"; the date line {quote(header.unread[0])} could not be read"
        elif header.updated:
            where += f"; there is only an updated date ({header.updated.value.isoformat()})"
        raise BadDate(f"no date line: expected a date such as '14 Mar, 2011 09:05' {where}")
    if header.title is None:
        raise NoTitle("no title: the header has only metadata lines (date, byline, page chrome)")
    if header.title_problem:
        raise NoTitle(f"no title: {header.title_problem}")
    blocks = _body(lines[start:], header)
    header.note_dropped()
    if not blocks:
        raise NoBody("no body: the article has a title but no paragraphs")

    first = [Paragraph(Kind.HEADING, blocks.pop(0)[0])] if header.heading_first and len(blocks) > 1 else []
    lead = structure.lead(structure.collapse(" ".join(blocks[0])), lead_policy, reading.options.lang)
    paragraphs = [*first, Paragraph(Kind.LEAD, lead.text)]
    paragraphs += [structure.paragraph(structure.collapse(" ".join(b)), len(b) == 1) for b in blocks[1:]]
    updated: datetime | None = header.updated.value if header.updated else None
    return Article(
        title=header.title,
        published=header.published.value,
        paragraphs=tuple(paragraphs),
        lang=lang,
        author=header.author,
        lead_trimmed=lead.trimmed,
        updated=updated,
    )
