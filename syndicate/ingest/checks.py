"""Checks every parsed article passes, whatever its format."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from syndicate.ingest.errors import BadDate, NoTitle, Rejected
from syndicate.ingest.options import Reading
from syndicate.languages import IDENTIFIED, identify
from syndicate.model import Article

# A source clock a little fast is not a future article: up to CLOCK_SKEW ahead is taken as is.
CLOCK_SKEW = timedelta(minutes=5)
# Further ahead, but no more than 26 h (the widest gap between two civil time zones, UTC+14 to
# UTC-12: the most a date read in the wrong zone can be off by), the date is set to the time of
# submission with a note; beyond that it is refused. A future date never reaches a feed, whose
# own `updated` would move into the future with it.
FUTURE_SLACK = timedelta(hours=26)
# The longest title accepted (characters): longer is a paragraph taken for a title; feed readers
# cut titles far shorter.
MAX_TITLE_CHARS = 250
# Earlier dates are a scraper's default or a misread date (year 1 broke storage; RSS needs a
# four-digit year); archives of 19th-century newspapers still fit.
EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
# Characters of title and body the language detector reads.
LANGUAGE_SAMPLE_CHARS = 3000


class TooShort(Rejected):
    """The body has fewer words than the minimum (``SYNDICATE_MIN_BODY_WORDS``)."""

    reason = "too-short"


class WrongLanguage(Rejected):
    """The text reads as another language than the declared source language."""

    reason = "wrong-language"


def check(
    article: Article, reading: Reading, *, min_words: int, now: datetime, check_language: bool = True
) -> Article:
    """Refuse an article that is too short, dated too far in the future, or not in its language;
    return it with its dates brought back to ``now`` when they were a little ahead.

    ``min_words``: the fewest whitespace-separated words the paragraphs together may have.
    ``now``: an aware datetime. ``published`` or ``updated`` ahead of it by more than CLOCK_SKEW
    but at most FUTURE_SLACK become ``now`` (noted on ``reading``); further ahead is refused.
    An ``updated`` before ``published`` is dropped with a note. A title over MAX_TITLE_CHARS
    characters is refused (NoTitle), and so is a date before EARLIEST. The
    language is checked (``check_language``) only when ``article.lang`` is one lingua is asked
    about, on the first LANGUAGE_SAMPLE_CHARS characters of title and body. Raises NoTitle,
    TooShort, BadDate or WrongLanguage.
    """
    if len(article.title) > MAX_TITLE_CHARS:
        raise NoTitle(
            f"title too long: {len(article.title):,} characters (at most {MAX_TITLE_CHARS}); "
            f"is {article.title[:30]!r}... a paragraph?"
        )
    for what, value in (("date", article.published), ("updated date", article.updated)):
        if value is not None and value < EARLIEST:
            raise BadDate(
                f"{what} {value.isoformat()} is before {EARLIEST.year}: not a plausible publication date "
                "(a scraper's default or a misread date?)"
            )
    words = sum(len(p.text.split()) for p in article.paragraphs)
    if words < min_words:
        raise TooShort(f"body too short: {words} words (at least {min_words})")
    published = _not_future(article.published, now, reading, "date")
    updated = None if article.updated is None else _not_future(article.updated, now, reading, "updated date")
    if updated is not None and updated < published:
        reading.note(f"updated date {updated.isoformat()} is before the publication date: ignored")
        updated = None
    if check_language and article.lang in IDENTIFIED:
        sample = " ".join([article.title, *(p.text for p in article.paragraphs)])[:LANGUAGE_SAMPLE_CHARS]
        found = identify(sample)
        if found is not None and found != article.lang:
            raise WrongLanguage(
                f"not {article.lang}: the text reads as {found} (give the source language with --lang)"
            )
    return dataclasses.replace(article, published=published, updated=updated)


def _not_future(value: datetime, now: datetime, reading: Reading, what: str) -> datetime:
    """``value``, or ``now`` with a note when it is ahead by more than CLOCK_SKEW; raises BadDate
    when it is ahead by more than FUTURE_SLACK."""
    ahead = value - now
    if ahead <= CLOCK_SKEW:
        return value
    if ahead > FUTURE_SLACK:
        limit = FUTURE_SLACK.total_seconds() / 3600
        raise BadDate(
            f"{what} in the future: {value.isoformat()} is more than {limit:.0f} h after now "
            f"({now.isoformat(timespec='seconds')})"
        )
    hours = ahead.total_seconds() / 3600
    now = now.replace(microsecond=0)  # as precise as any date an input states
    reading.note(
        f"{what} {value.isoformat()} is {hours:.1f} h in the future (a wrong zone?): set to the time of "
        f"submission, {now.isoformat()}"
    )
    return now
