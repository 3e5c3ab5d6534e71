"""What one submission is read with (IngestOptions) and what reading it found out (Reading)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from enum import StrEnum


class LeadPolicy(StrEnum):
    """What to do with a lead the scraper cut mid-sentence (``--lead``, ``SYNDICATE_LEAD_POLICY``)."""

    TRIM = "trim"  # cut a lead the scraper truncated back to its last full sentence
    KEEP = "keep"  # keep it as it is, marked with an ellipsis
    REJECT = "reject"  # refuse the article


class Format(StrEnum):
    """An input format (``--format``); AUTO detects it from the content (``detect_format``)."""

    AUTO = "auto"
    TEXT = "text"
    HTML = "html"
    JSON = "json"


@dataclass(frozen=True)
class IngestOptions:
    """How one submission is read and checked.

    ``zone``: the zone of dates that carry no offset, and the region that settles an ambiguous
    zone abbreviation (``IST``, ``CST``) or a numeric date valid both ways (``03/04/2019``).
    ``max_bytes``: the largest input accepted, in bytes. ``lang``: the ISO 639-1 source language
    the article must be in. ``min_words``: the fewest whitespace-separated words the body may
    have. ``now``: the reference time for "a date in the future" (aware; default the current
    time, UTC). ``page_url``: the absolute URL the input was fetched from, when known (a
    relative canonical URL is resolved against it).
    """

    zone: tzinfo = UTC
    max_bytes: int = 2_000_000
    lang: str = "en"
    format: Format = Format.AUTO
    lead_policy: LeadPolicy = LeadPolicy.TRIM
    min_words: int = 25
    # False when the operator declared the language: the detector is not asked.
    check_language: bool = True
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    page_url: str | None = None


@dataclass
class Reading:
    """One input being read: its options, and the notes that reading it collects.

    A note is one line for the operator saying what was repaired or assumed ("mojibake
    repaired", "date line's zone EDT read as America/New_York"); the parsers add them with
    :meth:`note` and the Article carries them out (``Article.notes``), in the order made, each once.
    """

    options: IngestOptions = field(default_factory=IngestOptions)
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Record one repair or assumption (one line, no newline); a repeat is recorded once."""
        line = " ".join(text.split())
        if line and line not in self.notes:
            self.notes.append(line)
