"""Shared rules for turning blocks of text into paragraphs with kinds, whatever the input format."""

from __future__ import annotations

import re
from dataclasses import dataclass

from syndicate import segment
from syndicate.ingest.errors import Rejected
from syndicate.ingest.options import LeadPolicy, Reading
from syndicate.model import Kind, Paragraph

__all__ = [
    "CutLead", "Lead", "LeadPolicy", "collapse", "drop_repeats", "is_heading", "lead", "paragraph", "speaker",
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


def drop_repeats(paragraphs: tuple[Paragraph, ...], reading: Reading) -> tuple[Paragraph, ...]:
    """``paragraphs`` without the body paragraphs and quotes that repeat earlier text: a pull
    quote (a sentence of an earlier paragraph set again in large type) or a block a scraper
    took twice. A paragraph or quote of at least MIN_REPEAT_WORDS words whose words all occur,
    in order and together, in one earlier paragraph is dropped, noted on ``reading``; headings,
    list items and the lead are never dropped."""
    kept: list[Paragraph] = []
    for p in paragraphs:
        words = _words_of(p.text)
        repeat = (
            p.kind in (Kind.PARAGRAPH, Kind.QUOTE)
            and len(words.split()) >= MIN_REPEAT_WORDS
            and any(words in _words_of(earlier.text) for earlier in kept)
        )
        if repeat:
            shown = p.text if len(p.text) <= 50 else p.text[:49] + "…"
            reading.note(f"dropped a paragraph that repeats earlier text (a pull quote?): {shown!r}")
        else:
            kept.append(p)
    return tuple(kept)
