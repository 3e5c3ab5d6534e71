"""Checks every parsed article passes, whatever its format."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from syndicate.ingest.errors import BadDate, Rejected
from syndicate.model import Article

if TYPE_CHECKING:
    from lingua import LanguageDetector

# A clock a little fast, or a time zone mix-up, is not a future article: 26 h is the widest gap
# between two civil time zones (UTC+14, Line Islands, to UTC-12), the most a date read in the
# wrong zone can be off by.
FUTURE_SLACK = timedelta(hours=26)
# Characters of title and body the language detector reads.
LANGUAGE_SAMPLE_CHARS = 3000


class TooShort(Rejected):
    """The body has fewer words than the minimum (``SYNDICATE_MIN_BODY_WORDS``)."""

    reason = "too-short"


class WrongLanguage(Rejected):
    """The text reads as another language than the declared source language."""

    reason = "wrong-language"


_LINGUA = {
    "en": "ENGLISH", "ru": "RUSSIAN", "ja": "JAPANESE", "de": "GERMAN", "fr": "FRENCH", "es": "SPANISH",
    "it": "ITALIAN", "pt": "PORTUGUESE", "nl": "DUTCH", "pl": "POLISH", "uk": "UKRAINIAN", "zh": "CHINESE",
    "tr": "TURKISH", "ar": "ARABIC", "ko": "KOREAN",
}  # fmt: skip


@functools.cache
def _detector() -> LanguageDetector:
    """lingua's detector for the languages of _LINGUA, built once (it loads its n-gram models)."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LINGUA.values()]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language among common news languages, offline (lingua).

    Only the languages of ``_LINGUA`` are candidates, in lingua's low-accuracy mode (trigrams
    only: fast, and reliable on article-length text). None when lingua cannot decide.
    """
    found = _detector().detect_language_of(text)
    if found is None:
        return None
    return next((code for code, name in _LINGUA.items() if name == found.name), None)


def check(article: Article, *, min_words: int, now: datetime, check_language: bool = True) -> None:
    """Refuse an article that is too short, dated in the future, or not in its language.

    ``min_words``: the fewest whitespace-separated words the paragraphs together may have.
    ``now``: an aware datetime; a ``published`` more than FUTURE_SLACK after it is refused. The
    language is checked (``check_language``) only when ``article.lang`` is one lingua is asked
    about, on the first LANGUAGE_SAMPLE_CHARS characters of title and body. Raises TooShort,
    BadDate or WrongLanguage.
    """
    words = sum(len(p.text.split()) for p in article.paragraphs)
    if words < min_words:
        raise TooShort(f"body too short: {words} words (at least {min_words})")
    if article.published > now + FUTURE_SLACK:
        raise BadDate(f"date in the future: {article.published.isoformat()}")
    if check_language and article.lang in _LINGUA:
        sample = " ".join([article.title, *(p.text for p in article.paragraphs)])[:LANGUAGE_SAMPLE_CHARS]
        found = detect_language(sample)
        if found is not None and found != article.lang:
            raise WrongLanguage(
                f"not {article.lang}: the text reads as {found} (give the source language with --lang)"
            )
