"""Sentence splitting.

The project's own splitter (pysbd), because argostranslate's default splitter downloads a
model at first use, which fails offline.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

_SPACES = re.compile(r"\s+")


class _Segmenter(Protocol):
    """What we use of ``pysbd.Segmenter`` (pysbd ships no type hints)."""

    def segment(self, text: str) -> list[str]: ...


@functools.cache
def _segmenter(lang: str) -> _Segmenter:
    """One pysbd segmenter per language, built on first use (pysbd loads its rules lazily)."""
    import pysbd

    segmenter: _Segmenter = pysbd.Segmenter(language=lang, clean=False)
    return segmenter


def sentences(text: str, lang: str = "en") -> list[str]:
    """Split a paragraph into sentences; never returns empty strings.

    ``lang`` is an ISO 639-1 code pysbd has rules for (en, ru, ja and about 20 others);
    whitespace runs, newlines included, become single spaces first, and pysbd runs with
    ``clean=False`` so the text is not rewritten. Raises ValueError (from pysbd) for a language
    it has no rules for.
    """
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return []
    return [s.strip() for s in _segmenter(lang).segment(text) if s.strip()]
