"""Date lines and metadata dates: zone abbreviations, prefixes and roles, numeric date order.

Expected offsets are from the tz database's history (e.g. Moscow: +03:00 with summer +04:00
until 2011-03-27, +04:00 all year until 2014-10-26, +03:00 since), written here by hand.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from syndicate.ingest import IngestOptions, Reading, Rejected, dates, parse_bytes, zones
from syndicate.ingest.dates import Role, read_date_line, read_timestamp
from syndicate.ingest.errors import BadDate

NOW = datetime(2026, 11, 1, tzinfo=UTC)
BODY = (
    "The regional council voted on Tuesday to extend the harbour ferry timetable into the evening, "
    "after a year of complaints from shift workers who had no way home after the last boat left."
)


def reading(zone: str | None = None) -> Reading:
    return Reading(IngestOptions(zone=ZoneInfo(zone) if zone else UTC, now=NOW))


def read(line: str, zone: str | None = None) -> tuple[datetime, Role, list[str]]:
    r = reading(zone)
    found = read_date_line(line, r)
    assert found is not None, line
    return found.value, found.role, r.notes


def offset(value: datetime) -> str:
    return zones.hhmm(value.utcoffset() or timedelta(0))


@pytest.mark.parametrize(
    "line, iso, note",
    [
        (
            "Oct 7, 2014 2:30 PM EDT",
            "2014-10-07T14:30:00-04:00",
            "zone EDT read as America/New_York (-04:00)",
        ),
        (
            "Jan 7, 2015 9:00 AM EST",
            "2015-01-07T09:00:00-05:00",
            "zone EST read as America/New_York (-05:00)",
        ),
        ("Oct 7, 2014 2:30 PM CDT", "2014-10-07T14:30:00-05:00", "zone CDT read as America/Chicago (-05:00)"),
        ("Oct 7, 2014 11:30 AM PDT", "2014-10-07T11:30:00-07:00", "zone PDT read as America/Los_Angeles"),
        ("Dec 1, 2014 8:00 AM PST", "2014-12-01T08:00:00-08:00", "zone PST read as America/Los_Angeles"),
        ("Oct 7, 2014 12:30 PM MDT", "2014-10-07T12:30:00-06:00", "zone MDT read as America/Denver (-06:00)"),
        ("Tuesday 7 October 2014 14:30 BST", "2014-10-07T14:30:00+01:00", "zone BST read as Europe/London"),
        ("7 October 2014 14:30 CEST", "2014-10-07T14:30:00+02:00", "zone CEST read as Europe/Paris (+02:00)"),
        ("7 January 2015 14:30 CET", "2015-01-07T14:30:00+01:00", "zone CET read as Europe/Paris (+01:00)"),
        ("7 October 2014 14:30 EEST", "2014-10-07T14:30:00+03:00", "zone EEST read as Europe/Athens"),
        ("25 Jan 2010 17:40 MSK", "2010-01-25T17:40:00+03:00", "zone MSK read as Europe/Moscow (+03:00)"),
        ("15 Mar 2012 11:20 MSK", "2012-03-15T11:20:00+04:00", "zone MSK read as Europe/Moscow (+04:00)"),
        ("15 Jul 2012 11:20 MSK", "2012-07-15T11:20:00+04:00", "zone MSK read as Europe/Moscow (+04:00)"),
        ("2 Jul 2015 09:15 MSK", "2015-07-02T09:15:00+03:00", "zone MSK read as Europe/Moscow (+03:00)"),
        ("5 Jul 2010 12:00 MSD", "2010-07-05T12:00:00+04:00", "zone MSD read as Europe/Moscow (+04:00)"),
        ("2019/11/05 10:00 JST", "2019-11-05T10:00:00+09:00", "zone JST read as Asia/Tokyo (+09:00)"),
        ("5 Nov 2019 10:00 KST", "2019-11-05T10:00:00+09:00", "zone KST read as Asia/Seoul (+09:00)"),
        ("5 Nov 2019 10:00 HKT", "2019-11-05T10:00:00+08:00", "zone HKT read as Asia/Hong_Kong (+08:00)"),
        ("5 Nov 2019 10:00 SGT", "2019-11-05T10:00:00+08:00", "zone SGT read as Asia/Singapore (+08:00)"),
        ("5 Nov 2019 10:00 WIB", "2019-11-05T10:00:00+07:00", "zone WIB read as Asia/Jakarta (+07:00)"),
        ("Mon 20 Jan 2020 6:05am AEDT", "2020-01-20T06:05:00+11:00", "zone AEDT read as Australia/Sydney"),
        (
            "20 Jul 2020 6:05am AEST",
            "2020-07-20T06:05:00+10:00",
            "zone AEST read as Australia/Sydney (+10:00)",
        ),
        (
            "20 Jan 2020 6:05am NZDT",
            "2020-01-20T06:05:00+13:00",
            "zone NZDT read as Pacific/Auckland (+13:00)",
        ),
        ("20 Jan 2020 16:05 SAST", "2020-01-20T16:05:00+02:00", "zone SAST read as Africa/Johannesburg"),
        (
            "Oct 7, 2014 at 2:30 p.m. ET",
            "2014-10-07T14:30:00-04:00",
            "zone ET read as America/New_York (-04:00)",
        ),
        (
            "Jan 7, 2015 at 2:30 p.m. ET",
            "2015-01-07T14:30:00-05:00",
            "zone ET read as America/New_York (-05:00)",
        ),
        ("Jan 7, 2015 at 11:30 a.m. PT", "2015-01-07T11:30:00-08:00", "zone PT read as America/Los_Angeles"),
        ("7 October 2014 14:30 UK", "2014-10-07T14:30:00+01:00", "zone UK read as Europe/London (+01:00)"),
    ],
)
def test_zone_abbreviations_take_their_regions_offset_for_the_date(line, iso, note):
    value, role, notes = read(line)
    assert value == datetime.fromisoformat(iso) and offset(value) == iso[-6:]
    assert role is Role.PUBLISHED
    assert any(note in n for n in notes), notes
    assert isinstance(value.tzinfo, timezone)  # a fixed offset, as stated, not a region


@pytest.mark.parametrize(
    "line, iso",
    [
        ("7 October 2014 14:30 GMT", "2014-10-07T14:30:00+00:00"),  # GMT in summer is still +00:00
        ("7 January 2015 14:30 GMT", "2015-01-07T14:30:00+00:00"),  # London in winter
        ("7 Oct 2014 14:30 UTC", "2014-10-07T14:30:00+00:00"),
        ("7 Oct 2014 14:30 Z", "2014-10-07T14:30:00+00:00"),
        ("2014-10-07T14:30:00Z", "2014-10-07T14:30:00+00:00"),
        ("14:30 GMT - 7 October 2014", "2014-10-07T14:30:00+00:00"),  # "- 7" is no offset
    ],
)
def test_utc_names_need_no_note(line, iso):
    value, _, notes = read(line)
    assert value == datetime.fromisoformat(iso) and offset(value) == "+00:00"
    assert notes == []


@pytest.mark.parametrize(
    "line, iso, stated",
    [
        ("Jan 7, 2015 9:00 AM EDT", "2015-01-07T09:00:00-04:00", "when America/New_York was on EST (-05:00)"),
        ("5 Jul 2010 12:00 MSK", "2010-07-05T12:00:00+03:00", "when Europe/Moscow was on MSD (+04:00)"),
        (
            "July 7, 2014 10:00 AEDT",
            "2014-07-07T10:00:00+11:00",
            "when Australia/Sydney was on AEST (+10:00)",
        ),
        ("July 7, 2014 10:00 BST", "2014-07-07T10:00:00+01:00", None),
        ("7 January 2015 10:00 BST", "2015-01-07T10:00:00+01:00", "when Europe/London was on GMT (+00:00)"),
    ],
)
def test_an_abbreviation_contradicting_the_date_is_read_as_printed_and_noted(line, iso, stated):
    value, _, notes = read(line)
    assert value == datetime.fromisoformat(iso) and offset(value) == iso[-6:]
    if stated:
        assert any(stated in n and "as printed" in n for n in notes), notes
    else:
        assert not any("as printed" in n for n in notes), notes


@pytest.mark.parametrize(
    "line, zone, iso, region",
    [
        ("Oct 7, 2014 2:30 PM IST", "Asia/Kolkata", "2014-10-07T14:30:00+05:30", "Asia/Kolkata"),
        ("14 July 2016 9:00 IST", "Europe/Dublin", "2016-07-14T09:00:00+01:00", "Europe/Dublin"),
        ("14 Jan 2016 9:00 IST", "Asia/Jerusalem", "2016-01-14T09:00:00+02:00", "Asia/Jerusalem"),
        ("14 July 2016 9:00 IST", "Europe/London", "2016-07-14T09:00:00+01:00", "Europe/Dublin"),
        ("Jan 7, 2015 2:30 PM CST", "America/Chicago", "2015-01-07T14:30:00-06:00", "America/Chicago"),
        ("Jan 7, 2015 2:30 PM CST", "America/New_York", "2015-01-07T14:30:00-06:00", "America/Chicago"),
        ("2016-08-01 20:00 CST", "Asia/Shanghai", "2016-08-01T20:00:00+08:00", "Asia/Shanghai"),
        ("2016-08-01 20:00 CST", "Asia/Taipei", "2016-08-01T20:00:00+08:00", "Asia/Taipei"),
        ("2016-08-01 20:00 CST", "Asia/Hong_Kong", "2016-08-01T20:00:00+08:00", "Asia/Shanghai"),
        ("Jan 7, 2015 2:30 PM CST", "America/Havana", "2015-01-07T14:30:00-05:00", "America/Havana"),
        (
            "Jan 7, 2015 2:30 PM AST",
            "America/Puerto_Rico",
            "2015-01-07T14:30:00-04:00",
            "America/Puerto_Rico",
        ),
        ("Oct 7 2014 2:30 PM MST", "America/Phoenix", "2014-10-07T14:30:00-07:00", "America/Phoenix"),
        ("Oct 7 2014 2:30 PM BST", "Asia/Dhaka", "2014-10-07T14:30:00+06:00", "Asia/Dhaka"),
        ("Oct 7 2014 2:30 PM PST", "Asia/Manila", "2014-10-07T14:30:00+08:00", "Asia/Manila"),
    ],
)
def test_the_source_zone_settles_an_ambiguous_abbreviation(line, zone, iso, region):
    value, _, notes = read(line, zone)
    assert value == datetime.fromisoformat(iso) and offset(value) == iso[-6:]
    assert any(n.startswith(f"zone {line.split()[-1]} read as {region} (") for n in notes), notes


@pytest.mark.parametrize(
    "line, zone, candidates",
    [
        ("Oct 7, 2014 2:30 PM IST", None, ["Asia/Kolkata +05:30", "Europe/Dublin +01:00", "Asia/Jerusalem"]),
        ("Oct 7, 2014 2:30 PM IST", "Asia/Colombo", ["Asia/Kolkata", "Asia/Jerusalem"]),
        ("Jan 7, 2015 2:30 PM CST", None, ["America/Chicago -06:00", "Asia/Shanghai +08:00"]),
        ("Jan 7, 2015 2:30 PM CST", "Europe/Paris", ["America/Chicago", "Asia/Shanghai"]),
        ("Jan 7, 2015 2:30 PM AST", None, ["America/Halifax -04:00", "Asia/Riyadh +03:00"]),
    ],
)
def test_an_ambiguous_abbreviation_not_settled_is_refused_in_one_line(line, zone, candidates):
    with pytest.raises(BadDate) as info:
        read_date_line(line, reading(zone))
    message = info.value.message
    assert "ambiguous" in message and "--source-tz" in message and "\n" not in message
    assert all(c in message for c in candidates), message


@pytest.mark.parametrize(
    "line", ["Oct 7, 2014 2:30 PM XYZT", "7 October 2014 14:30 QQT", "Oct 7, 2014 2:30pm ABC"]
)
def test_an_unknown_abbreviation_is_refused_never_utc(line):
    with pytest.raises(BadDate, match=r"unknown zone abbreviation [A-Z]+ in the date line: set --source-tz"):
        read_date_line(line, reading())


@pytest.mark.parametrize(
    "abbr, iso", [("EDT", "2014-11-02T01:30:00-04:00"), ("EST", "2014-11-02T01:30:00-05:00")]
)
def test_the_abbreviation_tells_which_of_the_repeated_hours(abbr, iso):
    value, _, notes = read(f"Nov 2, 2014 1:30 AM {abbr}")
    assert value == datetime.fromisoformat(iso) and offset(value) == iso[-6:]
    assert not any("as printed" in n for n in notes), notes


def test_an_abbreviation_the_source_zone_prints_is_known_through_it():
    value, _, notes = read("Jul 7, 2014 9:00 AM SST", "Pacific/Pago_Pago")
    assert offset(value) == "-11:00"
    assert "zone SST read as Pacific/Pago_Pago (-11:00), the source zone" in notes


def test_dateutil_never_drops_a_zone_word_with_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for line in ("Oct 7, 2014 2:30 PM EDT", "Oct 7, 2014 2:30 PM Xyzt", "Oct 7, 2014 2:30 PM MSK"):
            value = read_date_line(line, reading())
            assert value is None or offset(value.value) != "+00:00"


@pytest.mark.parametrize(
    "line, iso",
    [
        ("Tue, 07 Oct 2014 14:30:00 +0300", "2014-10-07T14:30:00+03:00"),
        ("7 Oct 2014 14:30 UTC+3", "2014-10-07T14:30:00+03:00"),  # as people write it, not POSIX's -3
        ("7 Oct 2014 14:30 GMT-5", "2014-10-07T14:30:00-05:00"),
        ("7 Oct 2014 14:30 UTC+05:30", "2014-10-07T14:30:00+05:30"),
        ("2014-10-07T14:30:00-04:00", "2014-10-07T14:30:00-04:00"),
        ("Tue, 07 Oct 2014 14:30:00 -0400 (EDT)", "2014-10-07T14:30:00-04:00"),
    ],
)
def test_numeric_offsets(line, iso):
    value, _, notes = read(line)
    assert value == datetime.fromisoformat(iso) and offset(value) == iso[-6:]
    assert not any("no zone" in n for n in notes)


@pytest.mark.parametrize(
    "line, role",
    [
        ("Published: Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("Published on Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("published Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("Posted: Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("Posted on Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("Posted Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("Date: Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("First published on Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("FIRST PUBLISHED: Oct 7, 2014 2:30 PM EDT", Role.PUBLISHED),
        ("Updated: Oct 7, 2014 2:30 PM EDT", Role.UPDATED),
        ("Updated on Oct 7, 2014 2:30 PM EDT", Role.UPDATED),
        ("Updated Oct 7, 2014 2:30 PM EDT", Role.UPDATED),
        ("Last updated: Oct 7, 2014 2:30 PM EDT", Role.UPDATED),
        ("Last modified: Oct 7, 2014 2:30 PM EDT", Role.UPDATED),
        ("Last Modified Oct 7, 2014 2:30 PM EDT", Role.UPDATED),
        ("Modified: Oct 7, 2014 2:30 PM EDT", Role.UPDATED),
        ("Updated 2:30 PM EDT, Oct 7, 2014", Role.UPDATED),
    ],
)
def test_prefixes_give_the_role(line, role):
    value, found, _ = read(line)
    assert value == datetime.fromisoformat("2014-10-07T14:30:00-04:00")
    assert found is role


@pytest.mark.parametrize(
    "line",
    [
        "Tuesday 7 October 2014 14:30 EDT",
        "Tues, Oct 7, 2014 2:30 PM EDT",
        "Tue 7 Oct 2014 14.30 EDT",  # Guardian style: a dotted time
        "Oct. 7, 2014, 2:30 p.m. EDT",
        "October 7, 2014 at 2:30 P.M. EDT",
        "7th October 2014, 2:30pm EDT",
        "2:30 PM EDT, Oct 7, 2014",
        "Politics | Oct 7, 2014 | 2:30 PM EDT",
        "Oct 7, 2014 2:30 PM EDT | Reuters",
        "Politics | Oct 7, 2014 | 2:30 PM | EDT",
        "Oct 7, 2014 / 2:30 PM EDT",
        "Oct 7, 2014 - 2:30 PM EDT",
        "7 October 2014 — 14:30 EDT",
        "Oct 7, 2014 2:30 PM EDT (18:30 GMT)",
        "07 Oct 2014, 14:30 (EDT)",
        "   Oct 7,   2014   2:30 PM EDT   ",
    ],
)
def test_noise_around_the_date_is_read_through(line):
    value, _, _ = read(line)
    assert value == datetime.fromisoformat("2014-10-07T14:30:00-04:00")


@pytest.mark.parametrize(
    "line, iso",
    [
        ("23/09/2019", "2019-09-23"),
        ("23/09/2019 16:20", "2019-09-23T16:20"),
        ("09/23/2019", "2019-09-23"),
        ("23-09-2019", "2019-09-23"),
        ("07.10.2014 14:30", "2014-10-07T14:30"),  # dots: day first everywhere
        ("04.03.2019", "2019-03-04"),
        ("2019-03-04 08:00", "2019-03-04T08:00"),  # ISO is never ambiguous
        ("05/05/2019", "2019-05-05"),  # the same both ways
    ],
)
def test_numeric_dates_valid_one_way_need_no_region(line, iso):
    value, _, notes = read(line)
    assert value.replace(tzinfo=None) == datetime.fromisoformat(iso)
    assert not any("ambiguous" in n for n in notes), notes


@pytest.mark.parametrize(
    "zone, iso, note",
    [
        (
            "America/New_York",
            "2019-03-04T08:30:00-05:00",
            "read month first, as written in America/New_York (US)",
        ),
        ("America/Los_Angeles", "2019-03-04T08:30:00-08:00", "read month first"),
        ("Europe/Paris", "2019-04-03T08:30:00+02:00", "read day first, as written in Europe/Paris (FR)"),
        ("Europe/London", "2019-04-03T08:30:00+01:00", "read day first, as written in Europe/London (GB)"),
        ("America/Sao_Paulo", "2019-04-03T08:30:00-03:00", "read day first"),
        ("Australia/Sydney", "2019-04-03T08:30:00+11:00", "read day first"),
        (
            None,
            "2019-03-04T08:30:00+00:00",
            "read month first (US order: the source zone UTC settles no day-month order; set --source-tz)",
        ),
        (
            "Asia/Tokyo",
            "2019-03-04T08:30:00+09:00",
            "read month first (US order: the source zone Asia/Tokyo settles no day-month order",
        ),
    ],
)
def test_a_numeric_date_valid_both_ways_follows_the_region_and_is_noted(zone, iso, note):
    value, _, notes = read("03/04/2019 08:30", zone)
    assert value == datetime.fromisoformat(iso) and offset(value) == iso[-6:]
    assert any(n.startswith("03/04/2019 is ambiguous: ") and note in n for n in notes), notes


def test_the_lines_own_zone_decides_the_order_before_the_source_zone():
    value, _, notes = read("03/04/2019 8:30 BST", "America/New_York")
    assert value == datetime.fromisoformat("2019-04-03T08:30:00+01:00")
    assert "03/04/2019 is ambiguous: read day first, as written in Europe/London (GB)" in notes


def test_a_published_line_then_an_updated_line():
    r = reading()
    first = read_date_line("Published: Oct 7, 2014 2:30 PM EDT", r)
    second = read_date_line("Updated: Oct 8, 2014 9:05 AM EDT", r)
    assert first == dates.DateLine(datetime.fromisoformat("2014-10-07T14:30:00-04:00"), Role.PUBLISHED)
    assert second == dates.DateLine(datetime.fromisoformat("2014-10-08T09:05:00-04:00"), Role.UPDATED)
    assert r.notes == ["zone EDT read as America/New_York (-04:00)"]  # each note once


def test_a_date_without_zone_is_read_in_the_source_zone_and_noted():
    value, _, notes = read("14 Mar, 2011 09:05")
    assert value == datetime(2011, 3, 14, 9, 5, tzinfo=UTC)
    assert notes == ["no zone in the date line: read in UTC (set --source-tz)"]
    value, _, notes = read("14 Jul, 2011 09:05", "Europe/Berlin")
    assert value == datetime.fromisoformat("2011-07-14T09:05:00+02:00")
    assert notes == ["no zone in the date line: read in Europe/Berlin (+02:00)"]


@pytest.mark.parametrize(
    "line",
    [
        "Mar 2011",
        "09:05",
        "In 1956, the city grew",
        "Port city opens new ferry",
        "3 killed as storm hits the coast on Oct 7, 2014",
        "PARIS, Oct 7, 2014",  # a dateline's city is no zone: not a date line, not an error
        "Oct 7, 2014 NEWS",
        "Published 7 Oct 2014 14:30 EDT by Anna Smith",
        "Updated:",
        "2014 World Cup: 7 things we learned",
        "The ferry will run from " + "Oct 7, 2014 2:30 PM EDT " * 3,
    ],
)
def test_lines_that_are_not_date_lines(line):
    r = reading()
    assert read_date_line(line, r) is None
    assert r.notes == []


def test_a_date_in_the_future_is_left_to_the_checks():
    line = "Oct 7, 2030 2:30 PM EDT"
    assert read(line)[0] == datetime.fromisoformat("2030-10-07T14:30:00-04:00")
    text = f"Share\n{line}\n\nFerry timetable extended into the evening\n\n{BODY}\n"
    with pytest.raises(Rejected, match="date in the future"):
        parse_bytes(text.encode(), options=IngestOptions(now=NOW))


@pytest.mark.parametrize(
    "value, zone, iso, note",
    [
        ("2014-10-07T14:30:00Z", None, "2014-10-07T14:30:00+00:00", None),
        ("2014-10-07T14:30:00+03:00", None, "2014-10-07T14:30:00+03:00", None),
        (
            "2014-10-07T14:30:00",
            None,
            "2014-10-07T14:30:00+00:00",
            "published 2014-10-07T14:30:00 has no zone",
        ),
        (
            "2014-10-07T14:30:00",
            "Europe/Moscow",
            "2014-10-07T14:30:00+04:00",
            "read in Europe/Moscow (+04:00)",
        ),
        ("Tue, 07 Oct 2014 14:30:00 -0400", None, "2014-10-07T14:30:00-04:00", None),
        ("Tue, 07 Oct 2014 14:30:00 GMT", None, "2014-10-07T14:30:00+00:00", None),
        ("Oct 7, 2014 2:30 PM EDT", None, "2014-10-07T14:30:00-04:00", "zone EDT read as America/New_York"),
    ],
)
def test_read_timestamp(value, zone, iso, note):
    r = reading(zone)
    found = read_timestamp(value, r, "published")
    assert found == datetime.fromisoformat(iso) and offset(found) == iso[-6:]
    assert (not r.notes) if note is None else any(note in n for n in r.notes), r.notes


@pytest.mark.parametrize("value", ["", "yesterday", "2014-13-45", "soon after the vote"])
def test_read_timestamp_of_a_non_date_is_none(value):
    assert read_timestamp(value, reading(), "published") is None


def test_read_timestamp_refuses_an_ambiguous_zone():
    with pytest.raises(BadDate, match="zone IST in published is ambiguous"):
        read_timestamp("Oct 7, 2014 2:30 PM IST", reading(), "published")


def test_every_region_of_the_table_is_in_the_tz_database():
    for regions in zones.REGIONS.values():
        for name in regions:
            ZoneInfo(name)
    assert set(zones.REGIONS) >= zones.AMBIGUOUS
    assert all(len(zones.REGIONS[abbr]) > 1 for abbr in zones.AMBIGUOUS)


def test_dates_does_not_lean_on_the_scrape_parser():
    source = Path(dates.__file__).read_text("utf-8")
    assert "scrape_text" not in source
