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
After translation each placeholder is replaced by its fixed text; a placeholder the model lost
is reported so the quality gate can hold the translation.
"""

from __future__ import annotations

import hashlib
import re
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


def protect(text: str, lang: str, glossary: Glossary) -> Protected:
    """Hide the verbatim spans of ``text`` and the glossary terms with a fixed rendering in
    ``lang``.

    Verbatim spans keep their text; a term becomes its rendering (a ``keep`` term the text
    seen). A term inside a verbatim span is left to the span. Placeholder numbers count up from
    7301, skipping any that occur in ``text``, so a placeholder never collides with a number
    of the segment.
    """
    spans = [(start, end, text[start:end]) for start, end, _ in verbatim_spans(text)]
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
    code = _FIRST_CODE
    slots: list[tuple[str, str]] = []
    pieces: list[str] = []
    last = 0
    for start, end, final in sorted(spans):
        while str(code) in text:
            code += 1
        placeholder = str(code)
        code += 1
        pieces.append(text[last:start] + placeholder)
        slots.append((placeholder, final))
        last = end
    pieces.append(text[last:])
    key = hashlib.sha256(repr(sorted(applied)).encode()).hexdigest()[:16] if applied else ""
    return Protected("".join(pieces), tuple(slots), key, tuple(seen))
