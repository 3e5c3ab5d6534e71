"""Per-language typography applied to model output, and joining sentences back into paragraphs.

Russian: «quotes» with „nested“ ones, a non-breaking space before a dash (the usual Russian
book rules, e.g. Milchin and Cheltsova, *Spravochnik izdatelya i avtora*). Japanese: 「quotes」
with 『nested』 ones, and no spaces between sentences or around brackets (W3C, *Requirements
for Japanese Text Layout*).
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
    """``text[i]`` is a right single quotation mark between two letters (don’t, O’Brien)."""
    return text[i] == "’" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()


def requote(text: str, lang: str) -> str:
    """Rewrite quotation marks in the language's style, tracking nesting depth.

    Languages without a style here (only ru and ja have one) get ``text`` back unchanged.
    “ „ « ‘ ‹ open and ” » ’ › close; a straight ``"`` opens at the start or after a character
    that is neither alphanumeric nor ``. , ! ? …``, and closes otherwise. Apostrophes, a ‘
    opening at the top level, and closing marks with nothing open are kept as they are. Depth 0
    gets the outer marks, every deeper level the inner ones.
    """
    style = _QUOTES.get(lang.split("-")[0])
    if style is None:
        return text
    outer_open, outer_close, inner_open, inner_close = style
    out: list[str] = []
    depth = 0
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
    """Model output in the typography of ``lang`` (a language code; its base before ``-``):
    :func:`requote`, then for Russian a no-break space before a spaced dash, which becomes an
    em dash, and for Japanese no spaces around 「」『』."""
    base = lang.split("-")[0]
    text = requote(text, base)
    if base == "ru":
        text = _DASH.sub(f"{NBSP}— ", text)
    elif base == "ja":
        text = re.sub(r"\s*([「『])\s*", r"\1", text)
        text = re.sub(r"\s*([」』])\s*", r"\1", text)
    return text


def join_sentences(lang: str, sentences: list[str]) -> str:
    """Translated sentences as one paragraph: stripped, empty ones dropped, joined with a space,
    or with nothing in languages written without spaces (ja, zh, th)."""
    parts = [s.strip() for s in sentences if s.strip()]
    separator = "" if lang.split("-")[0] in _NO_SPACE_LANGS else " "
    return separator.join(parts)
