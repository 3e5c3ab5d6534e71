"""Protect what the model must not touch behind placeholders: addresses, code, glossary terms.

Kept verbatim, byte for byte (the model never sees them):

- ``code``: a span between backticks (```` `make -j4` ````);
- ``url``: ``http(s)://``, ``ftp://`` or ``www.`` up to white space, with its path, query and
  fragment (``https://example.org/timetable?line=N4&day=fri#x``); a closing ``.,;:!?'’`` or
  ``)`` ``]`` at the end is the sentence's, except a ``)`` that closes a ``(`` of the URL;
- ``email``: ``name@example.org``;
- ``handle``: ``@harbour_ops``, ``@ops@social.example`` (fediverse);
- ``hashtag``: ``#N4Line`` (a ``#`` then a word with a letter: ``#1`` is a rank, translated);
- ``domain``: a bare domain ending in a common top-level domain written in lower case, with an
  optional path (``example.org/market``); the list is :data:`syndicate.segment.TLDS`, so
  ``e.g.``, ``U.S.`` and a missing space (``end.Next``) are not domains.

Glossary terms become their fixed rendering (:mod:`syndicate.translation.glossary`). Numbers,
amounts and times are NOT protected: the model localises them and the quality gate checks them
by value (:mod:`syndicate.translation.numbers` says why).

A placeholder is a number absent from the segment (e.g. ``7301``): translation models copy
numbers through reliably, our demo models too, and SentencePiece vocabularies always hold digits.
It must not equal any number of the segment in any form the model may write it in either: a
source ``7,301`` comes out ``7301`` in Russian (four-digit numbers have no group separator
there), and a placeholder ``7301`` would then put a URL where the number was. So the numbers
skipped are the segment's digit runs and each number with its separators removed
(:func:`taken`). Caller-given spans (``keep``: the text of a ``<code>`` element, see
translation/inline.py) are kept verbatim too, like a backtick code span.

After translation each placeholder is replaced by its fixed text; a placeholder the model lost
is reported so the quality gate can hold the translation, and so is one the model wrote more
than once (``Protected.repeated``): only its first copy gets the text, and the other copies,
left as numbers, would read as numbers that are not in the source.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from syndicate.segment import TLDS
from syndicate.translation.glossary import Glossary

_END = r"[^\s<>\"“”«»]*[^\s<>\"“”«».,;:!?)\]'’]"
# Earlier kinds win where spans overlap (a URL's #fragment is not a hashtag).
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("code", re.compile(r"`[^`\n]+`")),
    ("url", re.compile(r"(?:\b(?i:https?|ftp)://|\b(?i:www)\.)" + _END)),
    ("email", re.compile(r"(?<![\w.+@-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")),
    ("handle", re.compile(r"(?<![\w@./])@\w+(?:@[\w-]+(?:\.[\w-]+)+)?")),
    ("hashtag", re.compile(r"(?<![\w&#/])#(?=\w*[^\W\d_])\w+")),
    ("domain", re.compile(rf"(?<![\w@./-])[\w-]+(?:\.[\w-]+)*\.(?:{TLDS})\b(?:/{_END})?")),
)
URL = PATTERNS[1][1]
_FIRST_CODE = 7301
# A number with its group and decimal marks (any convention, spaces included): its digits
# without the marks may be how a translation writes it.
_NUMBER = re.compile(r"\d+(?:[,.'’\s\u00a0\u202f]\d+)*")


def taken(text: str) -> set[str]:
    """Digit strings a placeholder must not be, for ``text``: every run of digits and every
    number with its separators removed (``7,301`` gives ``7``, ``301`` and ``7301``;
    ``1 234,5`` gives ``12345`` too). A placeholder is also never a substring of ``text``
    (checked by the callers), so it never occurs there literally either."""
    found = set(re.findall(r"\d+", text))
    found.update(re.sub(r"\D", "", m.group(0)) for m in _NUMBER.finditer(text))
    return found


def free_codes(first: int, text: str) -> Iterator[str]:
    """Placeholder numbers from ``first`` up, each neither in :func:`taken` of ``text`` nor a
    substring of ``text``, in increasing order (an endless iterator)."""
    avoid = taken(text)
    code = first
    while True:
        if str(code) not in avoid and str(code) not in text:
            yield str(code)
        code += 1


@dataclass(frozen=True)
class Protected:
    """A segment with its verbatim spans and glossary terms behind numeric placeholders.

    ``slots`` pairs each placeholder (a decimal number, from 7301 up, absent from the original
    segment) with the text that replaces it after translation, in the order they occur.
    ``glossary_key`` is 16 hex digits, or "" when no glossary term was applied. ``glossary``
    lists each entry applied as (entry source, text seen in the segment), in order.
    """

    text: str  # what the model sees
    slots: tuple[tuple[str, str], ...]  # (placeholder, final text)
    # Fingerprint of the glossary entries applied here: part of the translation memory key.
    glossary_key: str
    glossary: tuple[tuple[str, str], ...] = ()

    def restore(self, translated: str) -> tuple[str, list[str]]:
        """Put the fixed texts back. Returns (text, originals whose placeholder was lost).

        A placeholder matches only as a whole number (no digit on either side); its first
        occurrence is replaced. A lost placeholder's text is missing from the output, and listed
        so the quality gate can hold it (the ``protected`` check).
        """
        lost: list[str] = []
        for placeholder, final in self.slots:
            pattern = re.compile(r"(?<!\d)" + placeholder + r"(?!\d)")
            match = pattern.search(translated)
            if match:
                translated = translated[: match.start()] + final + translated[match.end() :]
            else:
                lost.append(final)
        return translated, lost

    def repeated(self, translated: str) -> list[str]:
        """The fixed texts whose placeholder occurs more than once (as a whole number) in the
        model's output ``translated``, in slot order: the copies after the first stay numbers,
        which the gate must not take for the source's (the ``protected`` check)."""
        return [
            final
            for placeholder, final in self.slots
            if len(re.findall(r"(?<!\d)" + placeholder + r"(?!\d)", translated)) > 1
        ]


def verbatim_spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) of the spans kept verbatim (module docstring),
    sorted by start; offsets are str indices, end exclusive."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if (
                kind == "url"
                and end < len(text)
                and text[end] == ")"
                and m.group(0).count("(") > m.group(0).count(")")
            ):
                end += 1  # https://en.wikipedia.org/wiki/Tide_(film)
            if not any(s < end and start < e for s, e, _ in spans):
                spans.append((start, end, kind))
    return sorted(spans)


def protect(text: str, lang: str, glossary: Glossary, keep: Sequence[tuple[int, int]] = ()) -> Protected:
    """Hide the verbatim spans of ``text``, the ``keep`` spans (str offsets, end exclusive,
    non-overlapping: kept verbatim before any other kind) and the glossary terms with a fixed
    rendering in ``lang``.

    Verbatim spans keep their text; a term becomes its rendering (a ``keep`` term the text
    seen). A term inside a verbatim span is left to the span. Placeholder numbers count up from
    7301, skipping those of :func:`free_codes`, so a placeholder never collides with a number
    of the segment in any form.
    """
    spans = [(start, end, text[start:end]) for start, end in keep if start < end]
    spans += [
        (start, end, text[start:end])
        for start, end, _ in verbatim_spans(text)
        if not any(s < end and start < e for s, e, _ in spans)
    ]
    applied: list[tuple[str, str]] = []
    seen: list[tuple[str, str]] = []
    for match in glossary.matches(text, lang):
        rendered = match.term.render(lang, match.seen)
        if rendered is None:  # matches() yields only terms rendered in lang
            continue
        if not any(s < match.end and match.start < e for s, e, _ in spans):
            spans.append((match.start, match.end, rendered))
            applied.append((match.entry, rendered))
            seen.append((match.entry, match.seen))
    if not spans:
        return Protected(text, (), "")
    codes = free_codes(_FIRST_CODE, text)
    slots: list[tuple[str, str]] = []
    pieces: list[str] = []
    last = 0
    for start, end, final in sorted(spans):
        placeholder = next(codes)
        pieces.append(text[last:start] + placeholder)
        slots.append((placeholder, final))
        last = end
    pieces.append(text[last:])
    key = hashlib.sha256(repr(sorted(applied)).encode()).hexdigest()[:16] if applied else ""
    return Protected("".join(pieces), tuple(slots), key, tuple(seen))
