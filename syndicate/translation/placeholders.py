"""Protect what the model must not touch (URLs, glossary terms) behind placeholders.

A placeholder is a number absent from the segment (e.g. ``7301``): translation models copy
numbers through reliably, our demo models too, and SentencePiece vocabularies always hold digits.
After translation each placeholder is replaced by its fixed text; a placeholder the model lost
is reported so the quality gate can hold the translation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from syndicate.translation.glossary import Glossary

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"“”«»]+[^\s<>\"“”«».,;:!?)\]]")
_FIRST_CODE = 7301


@dataclass(frozen=True)
class Protected:
    """A segment with its URLs and glossary terms behind numeric placeholders.

    ``slots`` pairs each placeholder (a decimal number, from 7301 up, absent from the original
    segment) with the text that replaces it after translation, in the order they occur.
    ``glossary_key`` is 16 hex digits, or "" when no glossary term was applied.
    """

    text: str  # what the model sees
    slots: tuple[tuple[str, str], ...]  # (placeholder, final text)
    # Fingerprint of the glossary entries applied here: part of the translation memory key.
    glossary_key: str

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


def protect(text: str, lang: str, glossary: Glossary) -> Protected:
    """Hide the URLs of ``text`` and the glossary terms with a fixed rendering in ``lang``.

    URLs keep their text; a term becomes its rendering (or stays itself with ``keep``). A term
    inside a URL is left to the URL. Placeholder numbers count up from 7301, skipping any that
    occur in ``text``, so a placeholder never collides with a number of the segment.
    """
    spans = [(m.start(), m.end(), m.group(0)) for m in URL.finditer(text)]
    applied: list[tuple[str, str]] = []
    for start, end, term in glossary.matches(text, lang):
        rendered = term.render(lang)
        if rendered is None:  # matches() yields only terms rendered in lang
            continue
        if not any(s < end and start < e for s, e, _ in spans):
            spans.append((start, end, rendered))
            applied.append((term.source, rendered))
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
    return Protected("".join(pieces), tuple(slots), key)
