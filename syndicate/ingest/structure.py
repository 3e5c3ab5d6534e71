"""Shared rules for turning blocks of text into paragraphs with kinds, whatever the input format."""

from __future__ import annotations

import re
from dataclasses import dataclass

from syndicate import segment
from syndicate.ingest.errors import Rejected
from syndicate.ingest.options import LeadPolicy, Reading
from syndicate.model import Kind, Paragraph

__all__ = [
    "CutLead", "Lead", "LeadPolicy", "collapse", "drop_repeats", "drop_title_repeat", "is_heading", "lead",
    "paragraph", "speaker",
]  # fmt: skip

_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*$")
_HEADING_END = re.compile(r"[.!?…:;,\"”’»]$")
_OPENING_QUOTE = ("“", '"', "«", "„", "‘")
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90
_NAME = r"(?:(?:Mr|Mrs|Ms|Dr|Prof)\.\s)?(?:[A-Z][\w'’-]+)(?:\s(?:[A-Z][\w'’-]+|de|van|von)){0,3}"
_SAID = r"(?:said|says|told\s+\w+|added|explained|warned|insisted|noted|stressed)"
_ROLE = r"(?:[a-z][\w-]*\s){0,5}"  # "chief engineer ", "the mayor of the northern port, "
_SPEAKER_PATTERNS = [
    # “…,” said chief engineer Tomas Berger.   /   “…,” says Mikhail Orlov, the mayor …
    re.compile(rf"[”\"»],?\s+{_SAID}\s+{_ROLE}({_NAME})"),
    # “…,” Ms. Lindqvist said.
    re.compile(rf"[”\"»],?\s+({_NAME})\s+{_SAID}"),
    # Anna Kovalenko said: “…”
    re.compile(rf"^({_NAME}),?\s+{_SAID}:?\s+[“\"«]"),
]


class CutLead(Rejected):
    """The lead ends mid-sentence and the policy is REJECT."""

    reason = "cut-lead"


@dataclass(frozen=True)
class Lead:
    """The lead's text, and whether it was cut (trimmed back, or kept with an ellipsis)."""

    text: str
    trimmed: bool


def lead(text: str, policy: LeadPolicy = LeadPolicy.TRIM, lang: str = "en") -> Lead:
    """The lead paragraph, handling a scraper's cut mid-word according to ``policy``.

    A lead is whole when it ends with sentence punctuation (``. ! ? …``, optionally followed by
    closing quotes or brackets). Otherwise TRIM drops its last, unfinished sentence when an
    earlier one is complete; TRIM with nothing to fall back to, and KEEP, append ``…``. Raises
    CutLead under REJECT. ``lang`` (ISO 639-1) chooses the sentence rules.
    """
    if _SENTENCE_END.search(text):
        return Lead(text, False)
    if policy == LeadPolicy.REJECT:
        raise CutLead(
            f"the lead is cut off mid-sentence ({text[-30:]!r}); resubmit it whole or use --lead trim"
        )
    parts = segment.sentences(text, lang)
    complete = [s for s in parts if _SENTENCE_END.search(s)]
    if policy == LeadPolicy.TRIM and complete and len(complete) < len(parts):
        return Lead(" ".join(parts[: len(parts) - 1]), True)
    # Nothing complete to fall back to, or asked to keep it: keep the fragment, marked as cut.
    return Lead(text.rstrip() + "…", True)


def speaker(text: str) -> str | None:
    """Who speaks in a quote, when the sentence says so in English ("…," said Anna Kovalenko;
    "…," Ms. Lindqvist said; Anna Kovalenko said: "…"): a capitalised name of up to four
    words, optionally with a title; None otherwise."""
    for pattern in _SPEAKER_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(1).rstrip(",")
    return None


def is_heading(text: str) -> bool:
    """A single line of at most MAX_HEADING_CHARS characters and MAX_HEADING_WORDS words that
    does not end in sentence or clause punctuation."""
    return (
        "\n" not in text
        and len(text) <= MAX_HEADING_CHARS
        and len(text.split()) <= MAX_HEADING_WORDS
        and not _HEADING_END.search(text)
    )


def paragraph(text: str, single_line: bool = True) -> Paragraph:
    """A body block as a paragraph of the right kind.

    HEADING when ``single_line`` and :func:`is_heading`; QUOTE (with :func:`speaker`) when it
    opens with a quotation mark; PARAGRAPH otherwise. Never LEAD: the caller makes the lead.
    """
    if single_line and is_heading(text):
        return Paragraph(Kind.HEADING, text)
    if text.startswith(_OPENING_QUOTE):
        return Paragraph(Kind.QUOTE, text, speaker(text))
    return Paragraph(Kind.PARAGRAPH, text)


def collapse(text: str) -> str:
    """Whitespace runs (newlines included) as single spaces, none at either end."""
    return " ".join(text.split())


# A paragraph shorter than this many words is never dropped as a repeat: "Yes." or a one-line
# answer may well be said twice.
MIN_REPEAT_WORDS = 6
_NOT_WORD = re.compile(r"[^\w]+")


def _words_of(text: str) -> str:
    """``text`` as its words only, lower case, single-spaced: what two copies share whatever
    their quotation marks, punctuation and case."""
    return " " + _NOT_WORD.sub(" ", text.casefold()).strip() + " "


def _quoted(p: Paragraph) -> bool:
    """A quote: of kind QUOTE, or wholly inside quotation marks."""
    text = p.text.strip()
    return p.kind == Kind.QUOTE or (text[:1] in '“"«„‘' and text.rstrip(".,")[-1:] in '”"»“’')


def drop_repeats(paragraphs: tuple[Paragraph, ...], reading: Reading) -> tuple[Paragraph, ...]:
    """``paragraphs`` without the copies a page or scraper added: a paragraph or quote the same
    as the one just before it (a block taken twice), and a quote of at least MIN_REPEAT_WORDS
    words whose words all occur, in order and together, in an earlier paragraph that is not a
    quote (a pull quote: a sentence set again in large type). Each is noted on ``reading``.
    A repeat further on that is not a quote (a refrain, a status line of another day) is kept;
    so are headings, list items and the lead."""
    kept: list[Paragraph] = []
    for p in paragraphs:
        words = _words_of(p.text)
        long_enough = p.kind in (Kind.PARAGRAPH, Kind.QUOTE) and len(words.split()) >= MIN_REPEAT_WORDS
        twice = long_enough and bool(kept) and words == _words_of(kept[-1].text)
        pulled = (
            long_enough and _quoted(p) and any(words in _words_of(e.text) and not _quoted(e) for e in kept)
        )
        if twice or pulled:
            shown = p.text if len(p.text) <= 50 else p.text[:49] + "…"
            what = "repeats the paragraph before it" if twice else "repeats earlier text (a pull quote)"
            reading.note(f"dropped a paragraph that {what}: {shown!r}")
        else:
            kept.append(p)
    return tuple(kept)


def drop_title_repeat(
    paragraphs: tuple[Paragraph, ...], title: str, reading: Reading, policy: LeadPolicy, lang: str
) -> tuple[tuple[Paragraph, ...], Lead | None]:
    """``paragraphs`` without a lead that only repeats the title (pages and scrapes often set the
    headline again as the first line of text), the next non-heading paragraph made the lead
    (:func:`lead`), and that new Lead; ``(paragraphs, None)`` when the lead is not the title or
    nothing would be left. Noted on ``reading``."""
    at = next((i for i, p in enumerate(paragraphs) if p.kind == Kind.LEAD), None)
    if at is None or _words_of(paragraphs[at].text.rstrip("…")) != _words_of(title):
        return paragraphs, None
    rest = paragraphs[:at] + paragraphs[at + 1 :]
    following = next((i for i in range(at, len(rest)) if rest[i].kind != Kind.HEADING), None)
    if following is None:
        return paragraphs, None
    new = lead(rest[following].text, policy, lang)
    reading.note("the first paragraph repeats the title: dropped")
    changed = Paragraph(Kind.LEAD, new.text, html=rest[following].html)
    return rest[:following] + (changed,) + rest[following + 1 :], new
