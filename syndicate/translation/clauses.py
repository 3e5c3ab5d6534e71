"""Split a segment too long for the model at clause boundaries, and join the translated pieces.

A translation model sees a sentence of a few dozen tokens at a time; a 430-word list sentence is
ten times what it was trained on, and CTranslate2 cuts the input (``max_input_length``) and the
output (``max_decoding_length``) silently. Such a segment is cut into pieces, each within a
token budget, at the strongest boundary that exists, in this order (issue 14):

1. ``;`` followed by a space;
2. ``:`` followed by a space (``10:30`` is not a boundary);
3. a dash: ``—``, ``–`` or ``-`` with spaces (not between two numbers, where it is a range:
   ``10 - 20``), or an unspaced ``—`` between letters;
4. a comma followed by a space, as between list items (``1,200`` is not a boundary);
5. a space before a coordinating conjunction: and, but, or, nor, yet, so;
6. by length: at spaces, as many words as fit; a run without spaces that alone exceeds the
   budget is cut between characters.

No boundary is taken inside a link (``segment.LINK``: URLs, e-mail addresses, bare domains), a
number (``1,200.50``, ``10:30``, a placeholder) or a range of numbers (``10 - 20``), so those
reach the model whole. Pieces keep
their punctuation (the ``;`` ends the left piece, the conjunction starts the right one), and
``"".join(pieces) == text`` always: nothing is dropped or changed. Consecutive clauses are packed
greedily into one piece while it stays within the budget, so a segment is cut no more than it
must be. Pure functions; the token count is the caller's (the model's tokenizer).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from syndicate.segment import LINK
from syndicate.translation.typography import join_sentences

TokenCount = Callable[[str], int]

# Each pattern's match END is where the next piece starts.
_BOUNDARIES = (
    re.compile(r";\s+"),
    re.compile(r":\s+"),
    # Spaced dashes, except between two numbers (a range); an unspaced em dash between letters.
    re.compile(r"(?<!\d)\s+[—–-]\s+|\s+[—–-]\s+(?!\d)|(?<=[^\W\d])—(?=[^\W\d])"),
    re.compile(r",\s+"),
    re.compile(r"\s+(?=(?:and|but|or|nor|yet|so)\s)"),
)
# A number (1,200.50, 10:30, 1/2) or a range of two (10 - 20, 1990–2000).
_NUMBER = re.compile(r"\d(?:[\d.,:/]*\d)?(?:\s*[-–—]\s*\d(?:[\d.,:/]*\d)?)?")
_SPACE = re.compile(r"\s+")


def _protected(text: str) -> list[tuple[int, int]]:
    """(start, end) of every link and number of ``text``: no piece boundary falls inside."""
    spans = [m.span() for m in LINK.finditer(text)]
    spans.extend(m.span() for m in _NUMBER.finditer(text))
    return spans


def _cuts(text: str, pattern: re.Pattern[str], spans: list[tuple[int, int]]) -> list[int]:
    """Offsets where a piece may start, from ``pattern``'s match ends: strictly inside the text
    and not inside (or at the inner edge of) a protected span."""
    cuts = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if 0 < end < len(text) and not any(s < end < e or s < start < e for s, e in spans):
            cuts.append(end)
    return cuts


def _cut(text: str, offsets: list[int]) -> list[str]:
    """``text`` cut at the sorted ``offsets``."""
    bounds = [0, *offsets, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _pack(clauses: list[str], count: TokenCount, budget: int) -> list[str]:
    """Consecutive clauses joined greedily while the joined text stays within ``budget``."""
    pieces: list[str] = []
    current = ""
    for clause in clauses:
        if current and count(current + clause) > budget:
            pieces.append(current)
            current = clause
        else:
            current += clause
    if current:
        pieces.append(current)
    return pieces


def _by_characters(text: str, count: TokenCount, budget: int, spans: list[tuple[int, int]]) -> list[str]:
    """A text without usable spaces, cut into the longest prefixes within ``budget`` (found by
    bisection on characters), never inside a protected span; a span that alone exceeds the
    budget stays whole."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        if count(text[start:]) <= budget:
            pieces.append(text[start:])
            break
        low, high = start + 1, len(text)  # the longest end with count(text[start:end]) <= budget
        while low < high:
            middle = (low + high + 1) // 2
            if count(text[start:middle]) <= budget:
                low = middle
            else:
                high = middle - 1
        end = low
        for s, e in spans:
            if s < end < e:
                end = s if s > start else e
        pieces.append(text[start:end])
        start = end
    return pieces


def split(text: str, count: TokenCount, budget: int) -> list[str]:
    """``text`` as pieces of at most ``budget`` tokens each, cut at the strongest boundaries
    first (see the module docstring for the order and what is never cut).

    ``count`` gives a text's length in the model's tokens; ``budget`` must be at least 1
    (ValueError otherwise). Returns ``[text]`` when it fits; the pieces always concatenate to
    ``text``. A piece may exceed the budget only when it is one protected span (a link or
    number) too long by itself.
    """
    if budget < 1:
        raise ValueError(f"token budget must be at least 1, not {budget}")
    if count(text) <= budget:
        return [text]
    return _split(text, count, budget, 0)


def _split(text: str, count: TokenCount, budget: int, level: int) -> list[str]:
    """:func:`split` from boundary level ``level`` on (``len(_BOUNDARIES)`` is by length)."""
    spans = _protected(text)
    for index in range(level, len(_BOUNDARIES)):
        offsets = _cuts(text, _BOUNDARIES[index], spans)
        if not offsets:
            continue
        pieces: list[str] = []
        for piece in _pack(_cut(text, offsets), count, budget):
            fits = count(piece) <= budget
            pieces.extend([piece] if fits else _split(piece, count, budget, index + 1))
        return pieces
    words = _cut(text, _cuts(text, _SPACE, spans))
    if len(words) > 1:
        pieces = []
        for piece in _pack(words, count, budget):
            fits = count(piece) <= budget
            pieces.extend([piece] if fits else _by_characters(piece, count, budget, _protected(piece)))
        return pieces
    return _by_characters(text, count, budget, spans)


def join(lang: str, pieces: list[str]) -> str:
    """Translated pieces of one segment as one text, the way ``lang`` joins sentences (with a
    space, or with nothing in Japanese and Chinese): the one place the joining rule is read."""
    return join_sentences(lang, pieces)
