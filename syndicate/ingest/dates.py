"""Dates as scrapers give them: date lines of a text scrape, and date values of pages and JSON.

STUB: the interface the format parsers use; the rules (zone abbreviations, prefixes, day-first
dates, Updated lines) are being built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from syndicate.ingest.options import Reading


class Role(StrEnum):
    """What a date line says: when the article was published, or when it last changed."""

    PUBLISHED = "published"
    UPDATED = "updated"


@dataclass(frozen=True)
class DateLine:
    """A line of a text scrape that is a date: its aware value and its role."""

    value: datetime
    role: Role


def read_date_line(line: str, reading: Reading) -> DateLine | None:
    """The date a whole line states, or None when the line is not a date line.

    Notes what it assumed on ``reading``. Raises BadDate when the line is plainly a date that
    cannot be settled (an ambiguous zone abbreviation the source zone does not resolve).
    """
    from syndicate.ingest.scrape_text import parse_date

    value = parse_date(line, reading.options.zone)
    return None if value is None else DateLine(value, Role.PUBLISHED)


def read_timestamp(value: str, reading: Reading, what: str = "date") -> datetime | None:
    """A date value from page metadata or JSON (ISO 8601, ``Z`` accepted; RFC 822), aware.

    ``what`` names the field in notes ("published", "article:published_time"). A value without
    an offset is read in the source zone, noted on ``reading``. None when it does not parse.
    """
    from dateutil import parser as dateparser

    try:
        parsed = dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        reading.note(f"{what} {value.strip()} has no zone: read in {reading.options.zone}")
        return parsed.replace(tzinfo=reading.options.zone)
    return parsed
