"""Dates as scrapers give them: date lines of a text scrape, and date values of pages and JSON.

A date line is a whole line that states a day, month and year, optionally a time and a zone, in
the shapes news sites print: ``Oct 7, 2014 2:30 PM EDT``, ``Tuesday 7 October 2014 14.30 BST``,
``Published: 23/09/2019 10:45``, ``Updated Oct. 7, 2014 at 2:30 p.m. ET``, ``2014-10-07T14:30Z``,
RFC 822. A prefix (``Published:``, ``Posted on``, ``Updated:``, ``Last modified`` ...) says its
role. The zone is, in order: a numeric offset (``+0300``, ``UTC+3``: the sign as people write
it, not POSIX's); a zone abbreviation, resolved for that date by :mod:`zones` (refused when
unknown or ambiguous, never read as UTC); else the source zone (``--source-tz``), noted.

Numeric dates: dotted ones (``07.10.2014``) are day first, as everywhere dots are used; slashed
or dashed ones are day first when the first number is over 12, month first when the second is;
when both readings are valid (``03/04/2019``) the region of the line's own zone abbreviation,
else of the source zone, decides (CLDR's usage: America/New_York month first, Europe/Paris day
first) and it is noted; without a region (UTC)
the date is read month first with a note asking for --source-tz, not refused: the issue allows
"resolved or reported", and a note keeps the article while telling the operator.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timezone, tzinfo
from enum import StrEnum

from dateutil import parser as dateparser

from syndicate.ingest import zones
from syndicate.ingest.options import Reading

# A date line is short: the longest shape above with a prefix and weekday is about 60
# characters; a longer line is a sentence that mentions a date.
MAX_LINE_CHARS = 80
MAX_DATE_CHARS = 60


class Role(StrEnum):
    """What a date line says: when the article was published, or when it last changed."""

    PUBLISHED = "published"
    UPDATED = "updated"


@dataclass(frozen=True)
class DateLine:
    """A line of a text scrape that is a date: its aware value (fixed offset) and its role."""

    value: datetime
    role: Role


_PREFIX = re.compile(
    r"^(?:(?P<updated>(?:last\s+)?(?:updated|modified))|(?:(?:first|originally)\s+)?(?:published|posted)"
    r"|date)(?:\s+(?:on|at))?\b\s*:?\s*",
    re.IGNORECASE,
)
# A converted time in brackets, "(18:30 GMT)", restates the date line's own time.
_BRACKETED = re.compile(r"[(\[][^()\[\]]*\d[^()\[\]]*[)\]]")
_SEPARATOR = re.compile(r"\s*[|·•]\s*|\s+[-/–—]\s+")
_DOTTED_MERIDIEM = re.compile(r"(?<![A-Za-z])([AaPp])\.\s?[Mm]\b\.?")
# "14.30" (Guardian style) is a time unless it is part of a dotted date "07.10.2014".
_DOTTED_TIME = re.compile(r"(?<![\d.])([01]?\d|2[0-3])\.([0-5]\d)(?![\d.])")
_NAMED_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?\b")
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b\.?,?",
    re.IGNORECASE,
)
_WORD = re.compile(r"\b[A-Za-z]+\b")
_ZONE_LIKE = re.compile(r"[A-Z]{2,5}|Z")
_TIME_BEFORE = re.compile(
    r"(?<![\d:])(?:\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]m)?|\d{1,2}\s*[ap]m)$", re.I
)
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-])")
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
]  # fmt: skip
# Words dateutil reads in a date ("at" 2:30, "on", "of"); any other word means the line is not a date.
_DATE_WORDS = frozenset([*_MONTHS, "at", "on", "of", "am", "pm"])


def read_date_line(line: str, reading: Reading) -> DateLine | None:
    """The date a whole line of a text scrape states, or None when the line is not a date line.

    ``line``: one line (surrounding blanks ignored). A line over MAX_LINE_CHARS characters,
    without a digit, with a word that is not part of a date, or lacking day, month or year is
    not a date line. The value has a fixed offset (``datetime.timezone``). An ``Updated``,
    ``Last modified`` or ``Modified`` prefix gives Role.UPDATED, anything else Role.PUBLISHED.
    Notes every assumption on ``reading`` (zone read, source zone used, numeric date order).
    Raises BadDate when the line is plainly a date whose zone cannot be settled (an unknown
    abbreviation after the time, an ambiguous one the source zone does not resolve).
    """
    text = " ".join(line.split())
    if not text or len(text) > MAX_LINE_CHARS or not any(c.isdigit() for c in text):
        return None
    prefix = _PREFIX.match(text)
    role = Role.UPDATED if prefix and prefix.group("updated") else Role.PUBLISHED
    text = text[prefix.end() :] if prefix else text
    if len(text) > MAX_DATE_CHARS:
        return None
    value = _read(text, reading, "the date line")
    return None if value is None else DateLine(value, role)


def read_timestamp(value: str, reading: Reading, what: str = "date") -> datetime | None:
    """A date value from page metadata or JSON, aware; None when it is not a date.

    ISO 8601 as :func:`dateutil.parser.isoparse` reads it (``Z`` accepted), else any shape a date
    line may have (RFC 822 ``Tue, 07 Oct 2014 14:30:00 -0400``, ``Oct 7, 2014 2:30 PM EDT``).
    ``what`` names the field in notes and reasons ("published", "article:published_time"). A
    value without an offset is read in the source zone, noted on ``reading``. Raises BadDate for
    a zone abbreviation that is unknown or ambiguous (see :func:`zones.resolve`).
    """
    text = " ".join(value.split())
    try:
        parsed = dateparser.isoparse(text)
    except (ValueError, OverflowError):
        return _read(text, reading, what) if len(text) <= MAX_DATE_CHARS else None
    offset = parsed.utcoffset()
    if offset is not None:
        return parsed.replace(tzinfo=timezone(offset))
    return _in_source_zone(parsed, reading, f"{what} {text} has no zone")


def _in_source_zone(wall: datetime, reading: Reading, lacking: str) -> datetime:
    """``wall`` (naive) read in the source zone at a fixed offset, noted: "{lacking}: read in ..."."""
    zone = reading.options.zone
    offset = wall.replace(tzinfo=zone).utcoffset()
    name = zones.zone_name(zone)
    if offset is None or name in zones.UTC_NAMES:
        reading.note(f"{lacking}: read in {name} (set --source-tz)")
    else:
        reading.note(f"{lacking}: read in {name} ({zones.hhmm(offset)})")
    return wall.replace(tzinfo=timezone(offset) if offset is not None else UTC)


def _read(text: str, reading: Reading, where: str) -> datetime | None:
    """The date ``text`` states (no prefix), aware; None when it is not a date; see the module."""
    split = _split_zone(_normalise(text))
    if split is None:
        return None
    rest, abbr = split
    dayfirst, order_note = _order(rest, zones.home(abbr) or reading.options.zone)
    wall = _parse(rest, dayfirst)
    if wall is None:
        return None
    if order_note:
        reading.note(order_note)
    if wall.tzinfo is not None:
        return wall  # a numeric offset is exact: a named zone beside it adds nothing
    if abbr is None:
        return _in_source_zone(wall, reading, f"no zone in {where}")
    offset, notes = zones.resolve(abbr, wall, reading.options.zone, where)
    for note in notes:
        reading.note(note)
    return wall.replace(tzinfo=timezone(offset))


def _normalise(text: str) -> str:
    """``text`` with the noise scrapers leave around a date made readable to dateutil: converted
    times in brackets and digitless parts between separators (but a zone) dropped, weekdays removed (dateutil
    misreads "Tues"), "p.m." as "pm", "14.30" as "14:30", "UTC+3" as "+03:00"."""
    text = _BRACKETED.sub(" ", text).replace("(", " ").replace(")", " ")
    parts = _SEPARATOR.split(text)
    text = " ".join(p for p in parts if any(c.isdigit() for c in p) or zones.is_known(p.strip()))
    text = _WEEKDAY.sub(" ", text)
    text = _DOTTED_MERIDIEM.sub(lambda m: f"{m.group(1).lower()}m ", text)
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    text = _NAMED_OFFSET.sub(lambda m: f" {m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'} ", text)
    return " ".join(text.split()).strip(" ,")


def _split_zone(text: str) -> tuple[str, str | None] | None:
    """``text`` without its zone abbreviation, and the abbreviation; None when a word is neither
    part of a date nor a zone. A capitalised word of 2 to 5 letters is a zone when it follows a
    time ("14:30 XYZT", refused later if unknown) or, if a known one, ends the line."""
    found: list[re.Match[str]] = []
    for word in _WORD.finditer(text):
        if word.group().lower() in _DATE_WORDS:
            continue
        after_time = _TIME_BEFORE.search(text[: word.start()].rstrip(" ,")) is not None
        known = zones.is_known(word.group())
        at_end = not text[word.end() :].strip(" ,.")
        if not _ZONE_LIKE.fullmatch(word.group()) or not (after_time or (known and at_end)):
            return None
        found.append(word)
    if len(found) > 1:
        return None
    if not found:
        return text, None
    zone = found[0]
    return " ".join((text[: zone.start()] + " " + text[zone.end() :]).split()).strip(" ,"), zone.group()


def _order(text: str, source: tzinfo) -> tuple[bool, str | None]:
    """Whether dateutil should read a numeric date in ``text`` day first, and the note when both
    orders were valid. Dots: day first. Slashes or dashes: the number over 12 is the day; when
    both are 12 or less and differ, the region of ``source`` (the line's own zone abbreviation's
    home, else the source zone) decides (:func:`zones.day_first`), or month first without one."""
    numeric = _NUMERIC_DATE.search(text)
    if numeric is None:
        return False, None
    first, sep, second = int(numeric.group(1)), numeric.group(2), int(numeric.group(3))
    if sep == "." or first > 12:
        return True, None
    if second > 12 or first == second:
        return False, None
    name = zones.zone_name(source)
    usage = zones.day_first(name)
    found = f"{numeric.group()} is ambiguous: read"
    if usage is None:
        return (
            False,
            f"{found} month first (US order: the source zone {name} settles no day-month order; "
            "set --source-tz)",
        )
    return usage[0], f"{found} {'day' if usage[0] else 'month'} first, as written in {name} ({usage[1]})"


def _parse(text: str, dayfirst: bool) -> datetime | None:
    """``text`` read by dateutil, None unless it states day, month and year (two different
    defaults reveal a field it lacks); a stated offset is kept as a fixed offset."""
    try:
        with warnings.catch_warnings():
            # dateutil drops a zone word it does not know with only a warning: never let it.
            warnings.simplefilter("error", dateparser.UnknownTimezoneWarning)
            first = dateparser.parse(text, default=datetime(2000, 1, 1), dayfirst=dayfirst)
            second = dateparser.parse(text, default=datetime(2001, 2, 2), dayfirst=dayfirst)
    except (ValueError, OverflowError, dateparser.UnknownTimezoneWarning):
        return None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None
    offset = first.utcoffset()
    return first if offset is None else first.replace(tzinfo=timezone(offset))
