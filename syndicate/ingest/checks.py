"""Checks every parsed article passes, whatever its format."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from syndicate.ingest.errors import BadDate, Rejected
from syndicate.model import Article

# A clock a little fast, or a time zone mix-up, is not a future article.
FUTURE_SLACK = timedelta(hours=26)


class TooShort(Rejected):
    reason = "too-short"


class WrongLanguage(Rejected):
    reason = "wrong-language"


_LINGUA = {
    "en": "ENGLISH", "ru": "RUSSIAN", "ja": "JAPANESE", "de": "GERMAN", "fr": "FRENCH", "es": "SPANISH",
    "it": "ITALIAN", "pt": "PORTUGUESE", "nl": "DUTCH", "pl": "POLISH", "uk": "UKRAINIAN", "zh": "CHINESE",
    "tr": "TURKISH", "ar": "ARABIC", "ko": "KOREAN",
}  # fmt: skip


@functools.cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LINGUA.values()]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language among common news languages, offline (lingua)."""
    found = _detector().detect_language_of(text)
    if found is None:
        return None
    return next((code for code, name in _LINGUA.items() if name == found.name), None)


def check(article: Article, *, min_words: int, now: datetime, check_language: bool = True) -> None:
    words = sum(len(p.text.split()) for p in article.paragraphs)
    if words < min_words:
        raise TooShort(f"body too short: {words} words (at least {min_words})")
    if article.published > now + FUTURE_SLACK:
        raise BadDate(f"date in the future: {article.published.isoformat()}")
    if check_language and article.lang in _LINGUA:
        sample = " ".join([article.title, *(p.text for p in article.paragraphs)])[:3000]
        found = detect_language(sample)
        if found is not None and found != article.lang:
            raise WrongLanguage(
                f"not {article.lang}: the text reads as {found} (give the source language with --lang)"
            )
