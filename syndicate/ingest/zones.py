"""Zone abbreviations of date lines ("EDT", "MSK", "IST") resolved to an offset for their date.

An abbreviation names a region of the tz database; the offset is the one that region had on the
date (Moscow's MSK was +04:00 from 2011-03-27 to 2014-10-26, +03:00 before and after), never a
fixed table. An abbreviation used by regions hours apart (IST: India, Ireland, Israel) is settled
by the source zone (``--source-tz``) or refused, never read as UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from syndicate.ingest.errors import BadDate

# Names that are UTC itself, whatever the date.
UTC_NAMES = frozenset({"UTC", "GMT", "UT", "Z"})

# Abbreviation -> the regions that print it, most used first: the first is read unless the
# source zone picks another (see :func:`resolve`). From the tz database's own abbreviations
# (``tzname``) and, where it now prints numbers (+08), the names newsrooms use (SGT, PHT).
REGIONS: dict[str, tuple[str, ...]] = {
    "ET": ("America/New_York",), "EST": ("America/New_York",), "EDT": ("America/New_York",),
    "CT": ("America/Chicago",), "CDT": ("America/Chicago",),
    "CST": ("America/Chicago", "Asia/Shanghai"),
    "MT": ("America/Denver",), "MST": ("America/Denver",), "MDT": ("America/Denver",),
    "PT": ("America/Los_Angeles",), "PDT": ("America/Los_Angeles",),
    "PST": ("America/Los_Angeles", "Asia/Manila"),
    "AKST": ("America/Anchorage",), "AKDT": ("America/Anchorage",), "HST": ("Pacific/Honolulu",),
    "AST": ("America/Halifax", "Asia/Riyadh"), "ADT": ("America/Halifax",),
    "NST": ("America/St_Johns",), "NDT": ("America/St_Johns",),
    "BRT": ("America/Sao_Paulo",), "ART": ("America/Argentina/Buenos_Aires",),
    "UK": ("Europe/London",), "BST": ("Europe/London", "Asia/Dhaka"),
    "WET": ("Europe/Lisbon",), "WEST": ("Europe/Lisbon",),
    "CET": ("Europe/Paris",), "CEST": ("Europe/Paris",), "EET": ("Europe/Athens",),
    "EEST": ("Europe/Athens",), "MSK": ("Europe/Moscow",), "MSD": ("Europe/Moscow",),
    "TRT": ("Europe/Istanbul",), "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "IDT": ("Asia/Jerusalem",), "GST": ("Asia/Dubai",), "IRST": ("Asia/Tehran",),
    "PKT": ("Asia/Karachi",), "NPT": ("Asia/Kathmandu",), "ICT": ("Asia/Bangkok",),
    "WIB": ("Asia/Jakarta",), "WITA": ("Asia/Makassar",), "WIT": ("Asia/Jayapura",),
    "SGT": ("Asia/Singapore",), "MYT": ("Asia/Kuala_Lumpur",), "PHT": ("Asia/Manila",),
    "HKT": ("Asia/Hong_Kong",), "JST": ("Asia/Tokyo",), "KST": ("Asia/Seoul",),
    "AWST": ("Australia/Perth",), "ACST": ("Australia/Adelaide",), "ACDT": ("Australia/Adelaide",),
    "AEST": ("Australia/Sydney",), "AEDT": ("Australia/Sydney",),
    "NZST": ("Pacific/Auckland",), "NZDT": ("Pacific/Auckland",),
    "WAT": ("Africa/Lagos",), "CAT": ("Africa/Maputo",), "EAT": ("Africa/Nairobi",),
    "SAST": ("Africa/Johannesburg",),
}  # fmt: skip

# Abbreviations whose regions are hours apart with no reading common enough to be a default:
# refused unless the source zone settles them. BST is British Summer Time unless the source is
# in Asia (Bangladesh); PST is US Pacific unless the source is in Asia (Philippines).
AMBIGUOUS = frozenset({"IST", "CST", "AST"})


def is_known(word: str) -> bool:
    """Whether ``word`` (as written) is an abbreviation of REGIONS or a UTC name."""
    return word in REGIONS or word in UTC_NAMES


def zone_name(zone: tzinfo) -> str:
    """The IANA name of a zone ("Asia/Tokyo"), or its own name for others ("UTC")."""
    return getattr(zone, "key", None) or str(zone)


def hhmm(offset: timedelta) -> str:
    """An offset as ISO 8601 writes it: "+05:30", "-04:00"."""
    sign, minutes = ("-" if offset < timedelta(0) else "+"), abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _probes(zone: tzinfo, year: int) -> list[datetime]:
    """Noon on the 1st and 15th of every month of ``year`` in ``zone``: every DST period lasts
    weeks, so these meet each abbreviation the zone printed that year."""
    return [datetime(year, month, day, 12, tzinfo=zone) for month in range(1, 13) for day in (1, 15)]


def _uses(zone: tzinfo, abbr: str, year: int) -> bool:
    """Whether the tz database prints ``abbr`` for ``zone`` at some time of ``year``."""
    return any(probe.tzname() == abbr for probe in _probes(zone, year))


def _offset_in(zone: tzinfo, abbr: str, wall: datetime) -> tuple[timedelta, str | None]:
    """The offset ``abbr`` stands for in ``zone`` at the naive local time ``wall``, and a note
    when the abbreviation contradicts the date (EDT in January): the source printed it, so the
    offset the zone has under that name that year is taken."""
    local = wall.replace(tzinfo=zone)
    offset = local.utcoffset() or timedelta(0)
    # In the hour repeated when clocks go back, the abbreviation tells which of the two it is.
    repeated = wall.replace(tzinfo=zone, fold=1)
    if repeated.tzname() == abbr != local.tzname():
        return repeated.utcoffset() or timedelta(0), None
    if local.tzname() == abbr or not _uses(zone, abbr, wall.year):
        return offset, None  # the date's own offset: also for names the database does not print (ET, SGT)
    stated = next(p.utcoffset() for p in _probes(zone, wall.year) if p.tzname() == abbr) or timedelta(0)
    note = (
        f"zone {abbr} stated for {wall.date()}, when {zone_name(zone)} was on {local.tzname()} "
        f"({hhmm(offset)}): read as {abbr} ({hhmm(stated)}) as printed"
    )
    return stated, note


def _area(zone: tzinfo) -> str | None:
    """The continent part of an IANA name ("Europe" of "Europe/Dublin"); None for UTC."""
    name = zone_name(zone)
    return name.split("/")[0] if "/" in name else None


def _region(abbr: str, wall: datetime, source: tzinfo, where: str) -> tuple[tzinfo, str]:
    """The region ``abbr`` is read in, and why (for the note); raises BadDate when none fits."""
    if _uses(source, abbr, wall.year):
        return source, ", the source zone"
    candidates = REGIONS.get(abbr, ())
    if not candidates:
        raise BadDate(
            f"unknown zone abbreviation {abbr} in {where}: set --source-tz to a zone that uses it, "
            f"or give the time with an offset such as +03:00"
        )
    same_area = [name for name in candidates if name.split("/")[0] == _area(source)]
    if len(same_area) == 1 and len(candidates) > 1:
        return ZoneInfo(same_area[0]), f", the reading in the source zone's region ({_area(source)})"
    if abbr not in AMBIGUOUS:
        return ZoneInfo(candidates[0]), ""
    readings = ", ".join(f"{name} {hhmm(_offset_in(ZoneInfo(name), abbr, wall)[0])}" for name in candidates)
    raise BadDate(f"zone {abbr} in {where} is ambiguous ({readings}): set --source-tz to the source's zone")


def resolve(
    abbr: str, wall: datetime, source: tzinfo, where: str = "the date line"
) -> tuple[timedelta, list[str]]:
    """The UTC offset the abbreviation ``abbr`` (upper case, e.g. "MSK") meant at the naive local
    time ``wall``, and the notes to record ("zone EDT read as America/New_York (-04:00)").

    The region is, in order: ``source`` (the ``--source-tz`` zone) when the tz database prints
    ``abbr`` for it that year (IST in Asia/Kolkata, CST in Asia/Taipei, PKT in Asia/Karachi);
    the only candidate of REGIONS on the source zone's continent (IST with Europe/London is
    Irish); the first candidate unless ``abbr`` is AMBIGUOUS. UTC names need no region and give
    no note. Raises BadDate (one line, naming ``where``) for an ambiguous abbreviation the source
    zone does not settle, and for one neither REGIONS nor the source zone knows.
    """
    if abbr in UTC_NAMES:
        return timedelta(0), []
    zone, why = _region(abbr, wall, source, where)
    offset, contradiction = _offset_in(zone, abbr, wall)
    if contradiction:  # one fact, one note: it names the region and the offset taken
        return offset, [contradiction + why]
    return offset, [f"zone {abbr} read as {zone_name(zone)} ({hhmm(offset)}){why}"]


def home(abbr: str | None) -> ZoneInfo | None:
    """The region an unambiguous abbreviation belongs to ("EDT": America/New_York), for what its
    date line implies beyond the offset (numeric date order); None for others and UTC names."""
    if abbr is None or abbr in AMBIGUOUS or abbr not in REGIONS:
        return None
    return ZoneInfo(REGIONS[abbr][0])


@cache
def day_first(zone_key: str) -> tuple[bool, str] | None:
    """Whether the region of the IANA zone ``zone_key`` writes numeric dates day first, with its
    territory code: (True, "FR") for Europe/Paris, (False, "US") for America/New_York.

    From CLDR (babel): the zone's territory and the short date pattern of its likely locale
    ("dd/MM/y" in FR, "M/d/yy" in US). None for UTC, an unknown zone, or a pattern that starts
    with the year (JP, CN, CA: ISO order, which says nothing about 03/04).
    """
    territory = get_global("zone_territories").get(zone_key)
    if territory is None or territory in ("ZZ", "001"):
        return None
    try:
        pattern = Locale.parse(f"und_{territory}").date_formats["short"].pattern
    except (UnknownLocaleError, ValueError):
        return None
    first = next((c for c in pattern if c in "dMy"), "y")
    return None if first == "y" else (first == "d", territory)
