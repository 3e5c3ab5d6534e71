"""Per-language rules for putting translated sentences back together."""

from __future__ import annotations

# Scripts written without spaces between sentences.
_NO_SPACE_LANGS = {"ja", "zh", "th"}


def join_sentences(lang: str, sentences: list[str]) -> str:
    parts = [s.strip() for s in sentences if s.strip()]
    separator = "" if lang.split("-")[0] in _NO_SPACE_LANGS else " "
    return separator.join(parts)
