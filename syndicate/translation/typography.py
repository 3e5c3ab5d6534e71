"""Per-language typography applied to model output, and joining sentences back into paragraphs.

Russian: «quotes» with „nested“ ones, a non-breaking space before a dash. Japanese: 「quotes」
with 『nested』 ones, and no spaces between sentences.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
_NO_SPACE_LANGS = {"ja", "zh", "th"}
# (outer open, outer close, inner open, inner close)
_QUOTES = {"ru": ("«", "»", "„", "“"), "ja": ("「", "」", "『", "』")}
_OPENING = "“„«‘‹"
_CLOSING = "”»’›"
_DASH = re.compile(r"\s+[—–-]\s+")


def _is_apostrophe(text: str, i: int) -> bool:
    return text[i] == "’" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()


def requote(text: str, lang: str) -> str:
    """Rewrite quotation marks in the language's style, tracking nesting depth."""
    style = _QUOTES.get(lang.split("-")[0])
    if style is None:
        return text
    outer_open, outer_close, inner_open, inner_close = style
    out, depth = [], 0
    for i, char in enumerate(text):
        straight = char == '"'
        if char in _OPENING or (
            straight and (i == 0 or not text[i - 1].isalnum() and text[i - 1] not in ".,!?…")
        ):
            if char == "‘" and depth == 0:  # a lone single quote opening at top level stays
                out.append(char)
                continue
            out.append(outer_open if depth == 0 else inner_open)
            depth += 1
        elif (char in _CLOSING and not _is_apostrophe(text, i)) or straight:
            if depth == 0:
                out.append(char)
                continue
            depth -= 1
            out.append(outer_close if depth == 0 else inner_close)
        else:
            out.append(char)
    return "".join(out)


def polish(text: str, lang: str) -> str:
    base = lang.split("-")[0]
    text = requote(text, base)
    if base == "ru":
        text = _DASH.sub(f"{NBSP}— ", text)
    elif base == "ja":
        text = re.sub(r"\s*([「『])\s*", r"\1", text)
        text = re.sub(r"\s*([」』])\s*", r"\1", text)
    return text


def join_sentences(lang: str, sentences: list[str]) -> str:
    parts = [s.strip() for s in sentences if s.strip()]
    separator = "" if lang.split("-")[0] in _NO_SPACE_LANGS else " "
    return separator.join(parts)
