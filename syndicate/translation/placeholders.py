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
    text: str  # what the model sees
    slots: tuple[tuple[str, str], ...]  # (placeholder, final text)
    # Fingerprint of the glossary entries applied here: part of the translation memory key.
    glossary_key: str

    def restore(self, translated: str) -> tuple[str, list[str]]:
        """Put the fixed texts back. Returns (text, originals whose placeholder was lost)."""
        lost = []
        for placeholder, final in self.slots:
            pattern = re.compile(r"(?<!\d)" + placeholder + r"(?!\d)")
            if pattern.search(translated):
                translated = pattern.sub(lambda _m, final=final: final, translated, count=1)
            else:
                lost.append(final)
        return translated, lost


def protect(text: str, lang: str, glossary: Glossary) -> Protected:
    spans = [(m.start(), m.end(), m.group(0)) for m in URL.finditer(text)]
    applied = []
    for start, end, term in glossary.matches(text, lang):
        if not any(s < end and start < e for s, e, _ in spans):
            spans.append((start, end, term.render(lang)))
            applied.append((term.source, term.render(lang)))
    if not spans:
        return Protected(text, (), "")
    code = _FIRST_CODE
    slots, pieces, last = [], [], 0
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
