"""Numbers, amounts and times of a source sentence, found again in its translation in any form.

Numbers, currency amounts and times are NOT hidden behind placeholders (unlike URLs, e-mail
addresses and the like, see :mod:`syndicate.translation.placeholders`): they reach the model as
text, which it may localise. Why: in Russian the form of the counted noun depends on the number
(``1 доллар``, ``3 доллара``, ``5 долларов``) and a scale is a word the sentence agrees with
(``1,2 млн``, ``120万ドル``); a placeholder's own value (``7301``) would make the model inflect
for the wrong number, and formatting the amount afterwards (Babel can) could not fix the words
around it. The quality gate then checks each quantity by VALUE, so every correct form passes:

- grouping and decimal marks of either convention: ``1,234.56``, ``1 234,56`` (space, no-break
  or narrow no-break space), ``1.234,56``, ``1’234.56``; full-width digits and marks (``１２０``);
- scale words from CLDR (through Babel's compact number formats) of the target and of English:
  ``1.2 million`` = ``1,2 млн`` = ``1,2 миллиона`` = ``120万``; Japanese compounds ``1万2000``
  (12,000) and ``3億5000万``; English news abbreviations ``$1.2bn``, ``£3m``, ``5tn``;
- times: ``14:30``, ``9.30am``, ``9 p.m.`` = ``21:30``, ``9:30``, ``21時30分``, ``午後9時半``; a
  12-hour time also matches the same clock time read as 24-hour and back.

A number of the translation whose marks are ambiguous (``1,234`` is 1234 in English, 1.234 in
Russian) counts as every value it may mean: the gate catches lost or changed digits, scales and
times, not a separator style. Not recognised: numbers written in words or kanji (``三億``),
fractions (``½``), Roman numerals; a source number written so is simply not checked.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

# A quantity's identity for comparison: ("n", value) for a number, ("t", minutes) for a time,
# ("m", value) for a bare number of a translation, which also answers for a source amount whose
# scale word (or a time whose "p.m.") went into the words: "84 млн" or "84 миллиона" are ("n",
# 84000000), "84 <a word we do not know>" is ("m", 84), which "84 million" accepts.
Key = tuple[str, Decimal]

_SPACES = " \u00a0\u202f"
# Digit runs joined by single marks; a space joins only before a group of exactly three digits.
_RUN = re.compile(r"\d+(?:(?:[,.'’\u00a0\u202f]|\s(?=\d{3}(?!\d)))\d+)*")
_CLOCK = re.compile(r"(?<![\d.,:])([01]?\d|2[0-4]):([0-5]\d)(?![\d:]|[.,]\d)")
# 9am, 9.30 p.m., 11:15PM: a 12-hour time (the "m" must end the word: not "9 amendments").
_MERIDIEM_TIME = re.compile(
    r"(?<![\d.,:])(1[0-2]|0?\d)(?:[.:]([0-5]\d))?\s?([ap])(?:\.m\.|m\b)", re.IGNORECASE
)
_JA_TIME = re.compile(r"(午前|午後)?(\d{1,2})時(?:(\d{1,2})分|(半))?")
# News abbreviations of scales beside CLDR's long English words (its short K, M, B, T are left
# out: "5 t" is tonnes). "m" and "k" count only after a currency sign: "£3m", not "a 3m wall".
_EN_SCALES = {"bn": 9, "bln": 9, "mn": 6, "mln": 6, "tn": 12, "trn": 12}
_CURRENCY_SCALES = {"m": 6, "k": 3}
_CURRENCY_SIGNS = "$€£¥₽"
# Scale words beside CLDR's compact forms, per language: Japanese and Chinese 千 and 百 after
# digits (1万2千 is 12,000; CLDR's compact forms start at 万), and Spanish "millardo" (10^9,
# RAE's Diccionario; CLDR gives "mil millones", matched as two words).
_MORE_SCALES = {"ja": {"千": 3, "百": 2}, "zh": {"千": 3, "百": 2}, "es": {"millardo": 9}}
# Separator conventions tried on every number of a translation: (group marks, decimal mark).
_CONVENTIONS = ((",", "."), (_SPACES, ","), (".", ","), (_SPACES, "."), ("'’", "."))
_FULL_WIDTH_MARKS = str.maketrans("，．：　", ",.: ")


@dataclass(frozen=True)
class Quantity:
    """One number, amount or time as written (``text``) and the ``keys`` it may stand for."""

    text: str
    keys: frozenset[Key]


def _ascii_digits(text: str) -> str:
    """Every decimal digit (full-width, Arabic-Indic...) as ASCII, full-width marks as ASCII."""
    chars = [str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text]
    return "".join(chars).translate(_FULL_WIDTH_MARKS)


@functools.cache
def scale_words(lang: str) -> dict[str, int]:
    """Scale words of ``lang`` and English from CLDR compact formats, {word: power of ten}.

    ``{"тыс.": 3, "млн": 6, "миллиона": 6, ...}`` for ru, ``{"万": 4, "億": 8, ...}`` for ja,
    ``{"mil millones": 9, ...}`` for es (a scale of several words keeps one space between
    them), plus English long ones (``million``), :data:`_EN_SCALES` and :data:`_MORE_SCALES`.
    Words are lower-cased. An unknown locale gives the English words only.
    """
    words: dict[str, int] = {**_EN_SCALES, **_MORE_SCALES.get(lang.split("-")[0], {})}
    for code in dict.fromkeys(("en", lang)):
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
        for width in ("long",) if code == "en" else ("short", "long"):
            for patterns in locale.compact_decimal_formats.get(width, {}).values():
                for magnitude, pattern in patterns.items():
                    text = pattern.pattern
                    zeros = text.count("0")
                    word = " ".join(re.sub(r"[0#']", "", text).split()).lower()
                    if word and zeros:
                        words[word] = len(magnitude) - zeros
    return words


def _values(run: str, lang: str | None) -> set[Decimal]:
    """Every value a digit run may mean: English conventions only when ``lang`` is None, else
    all of :data:`_CONVENTIONS` and the target's own (from Babel). Empty when no convention
    reads it (``1,23,4``)."""
    conventions: list[tuple[str, str]] = [(",", ".")]
    if lang is not None:
        with contextlib.suppress(UnknownLocaleError, ValueError):
            conventions.append((get_group_symbol(locale=lang), get_decimal_symbol(locale=lang)))
        conventions.extend(_CONVENTIONS)
    found: set[Decimal] = set()
    parts = re.split(r"(\D)", run)
    digits, marks = parts[0::2], parts[1::2]
    for groups, decimal in conventions:
        body, fraction = digits, ""
        if marks and marks[-1] == decimal and (len(marks) == 1 or marks[-1] not in groups):
            body, fraction = digits[:-1], digits[-1]
        body_marks = marks[: len(body) - 1]
        if body_marks and (
            len(set(body_marks)) > 1
            or body_marks[0] not in groups
            or not 1 <= len(body[0]) <= 3
            or any(len(g) != 3 for g in body[1:])
        ):
            continue
        try:
            found.add(Decimal("".join(body) + ("." + fraction if fraction else "")))
        except InvalidOperation:
            continue
    return found


def _scale_after(text: str, end: int, lang: str | None, currency: bool) -> tuple[int, int]:
    """(power of ten, end offset) of a scale word right after ``end``; (0, end) when none.

    In English only English words count; a word counts when it starts with a scale word of at
    least three letters (``миллионами``) or equals a shorter one (``bn``, ``万``); ``currency``
    (the number follows a currency sign) adds ``m`` and ``k``.
    """
    words = scale_words(lang or "en")
    # Scales of several words first, longest first: "mil millones" before "mil".
    for phrase in sorted((w for w in words if " " in w), key=len, reverse=True):
        pattern = r"[\s\u00a0]?" + r"[\s\u00a0]+".join(map(re.escape, phrase.split())) + r"(?![^\W\d_])"
        if long := re.compile(pattern, re.IGNORECASE).match(text, end):
            return words[phrase], long.end()
    match = re.compile(r"[\s\u00a0]?([^\W\d_]+\.?)").match(text, end)
    if not match:
        return 0, end
    word = match.group(1).lower()
    if currency:
        words = {**words, **_CURRENCY_SCALES}
    best = ""
    for scale in words:
        bare = scale.rstrip(".")
        if (word.rstrip(".") == bare or (len(bare) >= 3 and word.startswith(bare))) and len(scale) > len(
            best
        ):
            best = scale
    if not best:
        # Japanese scales are single characters glued to the next word (120万ドル).
        first = text[match.start(1)] if text[end] not in _SPACES else ""
        if first and first in words:
            return words[first], match.start(1) + 1
        return 0, end
    stop = match.end()
    if not best.endswith(".") and match.group(1).endswith("."):
        stop -= 1  # the sentence's full stop, not the abbreviation's
    return words[best], stop


def _times(text: str, lang: str | None) -> list[tuple[int, int, set[Key]]]:
    """(start, end, keys) of each clock time: ``14:30``, ``9.30am``, ``9 p.m.``, ``9時30分``."""
    found: list[tuple[int, int, set[Key]]] = []

    def add(start: int, end: int, hour: int, minute: int, meridiem: str = "", bare: bool = False) -> None:
        if meridiem and not 1 <= hour <= 12:
            return
        if meridiem:
            hour = hour % 12 + (12 if meridiem in ("p", "午後") else 0)
        keys = {("t", Decimal(hour * 60 + minute))}
        if not meridiem:  # 9:30 and 21:30 may be the same time written on a 12-hour clock
            keys.add(("t", Decimal((hour + 12) % 24 * 60 + minute)))
        if bare:  # "10 p.m." may become "в 10 часов вечера" or "22 часа"
            keys |= {("m", Decimal(hour)), ("m", Decimal(hour % 12 or 12))}
        found.append((start, end, keys))

    for m in _MERIDIEM_TIME.finditer(text):
        minute = m.group(2)
        add(m.start(), m.end(), int(m.group(1)), int(minute or 0), m.group(3).lower(), bare=minute is None)
    for m in _CLOCK.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in found):
            add(m.start(), m.end(), int(m.group(1)), int(m.group(2)))
    if lang != "en":
        for m in _JA_TIME.finditer(text):
            minute = 30 if m.group(4) else int(m.group(3) or 0)
            if minute < 60:
                add(m.start(), m.end(), int(m.group(2)), minute, m.group(1) or "")
    return found


def quantities(text: str, lang: str | None = None) -> list[Quantity]:
    """The numbers, amounts and times of ``text``, in order.

    ``lang`` None reads ``text`` as English source (``,`` groups, ``.`` decimals); a language
    code reads it as a translation into that language, where every convention counts (module
    docstring). A number with a scale word is one quantity (``$1.2 million``: 1,200,000); a
    clock time is one quantity, also keyed as a decimal when written ``14.30``. Digit runs no
    convention reads (``1,23,4``) give one number per run of digits. Never raises.
    """
    text = _ascii_digits(text)
    found: list[tuple[int, Quantity]] = []
    times = _times(text, lang)
    for start, end, keys in times:
        found.append((start, Quantity(text[start:end], frozenset(keys))))
    position = 0
    while match := _RUN.search(text, position):
        start, end = match.span()
        position = end
        if any(s <= start < e for s, e, _ in times):
            continue
        values = _values(match.group(0), lang)
        if not values:
            for part in re.finditer(r"\d+", match.group(0)):
                number = Quantity(part.group(0), frozenset({("n", Decimal(part.group(0)))}))
                found.append((start + part.start(), number))
            continue
        if re.fullmatch(r"([01]?\d|2[0-4])\.[0-5]\d", match.group(0)):  # 14.30, British style
            hour, minute = map(int, match.group(0).split("."))
            values_keys: set[Key] = {("t", Decimal(hour * 60 + minute))}
        else:
            values_keys = set()
        currency = start > 0 and text[start - 1] in _CURRENCY_SIGNS
        power, stop = _scale_after(text, end, lang, currency)
        values_keys |= {("m", v.normalize()) for v in values}  # see Key
        if power:
            if lang is not None:
                values_keys.clear()  # "12万" is no bare 12
            values = {v.scaleb(power) for v in values}
            # Japanese compounds: 1万2000, 3億5000万.
            while lang is not None and (tail := _RUN.match(text, stop)) and "," not in tail.group(0):
                low, after = _scale_after(text, tail.end(), lang, False)
                if low >= power:
                    break
                values = {v + Decimal(tail.group(0).replace(" ", "")).scaleb(low) for v in values}
                stop = position = after if low else tail.end()
                if not low:
                    break
            position = max(position, stop)
        keys = values_keys | {("n", v.normalize()) for v in values}
        found.append((start, Quantity(text[start : max(stop, end)], frozenset(keys))))
    return [q for _, q in sorted(found, key=lambda pair: pair[0])]


def missing(source: str, translation: str, lang: str) -> list[str]:
    """The numbers, amounts and times of ``source`` (English) absent from ``translation`` (in
    ``lang``), as written in the source, in order; empty when every one is there in some form.

    Each quantity of the translation answers for at most one of the source (``5 and 5`` needs
    two fives). Never raises.
    """
    available = quantities(translation, lang)
    absent: list[str] = []
    for quantity in quantities(source):
        for i, candidate in enumerate(available):
            if quantity.keys & candidate.keys:
                del available[i]
                break
        else:
            absent.append(quantity.text)
    return absent
