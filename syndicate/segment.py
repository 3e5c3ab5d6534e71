"""Sentence splitting.

The project's own splitter (pysbd), because argostranslate's default splitter downloads a
model at first use, which fails offline.
"""

from __future__ import annotations

import functools
import re

_SPACES = re.compile(r"\s+")


@functools.cache
def _segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang, clean=False)


def sentences(text: str, lang: str = "en") -> list[str]:
    """Split a paragraph into sentences; never returns empty strings."""
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return []
    return [s.strip() for s in _segmenter(lang).segment(text) if s.strip()]
