"""Sentence splitting: pysbd, with links protected and English abbreviations judged by our rules.

Used for the lead at ingestion, the dry run's ``sentences`` lists and translation segments.
argostranslate's own splitter downloads a model at first use, which fails offline, so pysbd
proposes the splits; this module then keeps or drops them (issue 11):

1. Links (``https://…``, ``www.…``, bare domains with a common top-level domain, e-mail
   addresses) are hidden from pysbd behind a run of ``x`` of the same length, so a ``?``, ``!``
   or ``.`` inside one never ends a sentence and the offsets stay those of the text.
2. A split is kept only at a space (or, in Japanese and Chinese, where pysbd puts it), and, in
   every language, never between a word that looks like an abbreviation and a lower-case word
   (``$1.2 bn. to build``, ``т. е. денег``; ``iPhone``-style words do open sentences).
3. English: :func:`syndicate.segment_rules.decide` settles each word ending in a period by its
   kind and the next word (``9 a.m. Monday`` goes on, ``9 p.m. The`` ends; ``Corp. Chairman``
   goes on, ``Smith & Co. The`` ends); a ``…`` before a capitalised word ends the sentence, as
   pysbd's ``...`` does. Japanese and Chinese: a split after an English abbreviation before a
   non-Latin word is dropped (``Acme Inc. の株価``). Other languages keep pysbd's answers.

The sentences are cut from the text itself, so no character is lost or changed, even where pysbd
drops one (it does: ``'Co.Co.!!'`` gives ``['Co.Co.']``).

Measured with ``python -m benchmarks.sentences`` on tests/testdata/sentences.toml (108
hand-written cases): pysbd alone 70/108 right (en 63/94, ru 4/9, ja 3/5), this module 105/108
(en 93/94, ru 7/9, ja 5/5; the three left are marked xfail there: two Russian abbreviations, and
"U.S. Officials" read as "U.S. Navy"). It takes 1.06-1.09x pysbd's time in English (about 3,000
sentences/s on one core), 0.99-1.05x in ru and ja: pysbd does the heavy work.

Extending pysbd was chosen over replacing it: its rules for quotes, brackets, ellipses and
numbers, and those of ru and ja, pass the corpus; only abbreviations and links needed ours.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

from syndicate import languages, segment_rules

_SPACES = re.compile(r"\s+")
_LINK_END = r"[^\s<>\"“”«»]*[^\s<>\"“”«».,;:!?)\]'’]"
# Common top-level domains only: "U.S.Co" or "e.g.It" must not look like a domain.
TLDS = "com|org|net|edu|gov|mil|int|info|biz|io|co|uk|us|eu|de|fr|es|it|nl|ru|jp|cn|in|au|ca|ch"
LINK = re.compile(
    rf"(?:\b(?:https?|ftp)://|\bwww\.){_LINK_END}"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|\b[\w-]+(?:\.[\w-]+)*\.(?:{TLDS})\b(?:/{_LINK_END})?"
)
# A word ending in a period or an ellipsis character, and the next words (read by the rules).
_PERIOD = re.compile(r"(\S*[.…]) (?=\S)")
# Languages written without spaces between words (the language registry's): sentences may touch.
_NO_SPACE_LANGS = frozenset(code for code, lang in languages.LANGUAGES.items() if not lang.spaced)


class _Segmenter(Protocol):
    """What we use of ``pysbd.Segmenter`` (pysbd ships no type hints)."""

    def segment(self, text: str) -> list[str]: ...


@functools.cache
def _segmenter(lang: str) -> _Segmenter:
    """One pysbd segmenter per language, built on first use (pysbd loads its rules lazily)."""
    import pysbd

    segmenter: _Segmenter = pysbd.Segmenter(language=lang, clean=False)
    return segmenter


def _mask_links(text: str) -> tuple[str, set[int]]:
    """The text with every link replaced by ``x``s of its length, and the links' start offsets."""
    starts: set[int] = set()
    pieces: list[str] = []
    last = 0
    for match in LINK.finditer(text):
        starts.add(match.start())
        pieces.append(text[last : match.start()] + "x" * (match.end() - match.start()))
        last = match.end()
    if not starts:
        return text, starts
    pieces.append(text[last:])
    return "".join(pieces), starts


def _pysbd_starts(masked: str, lang: str) -> set[int]:
    """Offsets in ``masked`` where pysbd starts a sentence (0 excluded).

    Each piece is looked up from the end of the previous one; a piece pysbd altered is not
    found and skipped, so its split is lost but no text is.
    """
    starts: set[int] = set()
    cursor = 0
    for piece in _segmenter(lang).segment(masked):
        piece = piece.strip()
        if not piece:
            continue
        found = masked.find(piece, cursor)
        if found < 0:
            continue
        if found > 0:
            starts.add(found)
        cursor = found + len(piece)
    return starts


def _english_rules(masked: str, starts: set[int]) -> None:
    """Add or drop the sentence starts after a word ending in a period or ``…`` (in place)."""
    for match in _PERIOD.finditer(masked):
        token, after = match.group(1), match.end()
        if token.endswith("…"):
            ends: bool | None = masked[after:].lstrip(segment_rules.OPENING)[:1].isupper() or None
        else:
            ends = segment_rules.decide(token, masked[after : after + 80].split(" ", 4)[:4])
        if ends:
            starts.add(after)
        elif ends is False:
            starts.discard(after)


def _latin_abbreviations(masked: str, starts: set[int]) -> None:
    """Drop the starts after an English abbreviation before a non-Latin word (``Acme Inc. の``),
    as Japanese and Chinese news write company names in English (in place)."""
    for start in [s for s in starts if masked[s - 1] == " " and not masked[s].isascii()]:
        token = masked[masked.rfind(" ", 0, start - 1) + 1 : start - 1]
        if segment_rules.kind(token) is not None:
            starts.discard(start)


def _goes_on_lower(masked: str, start: int) -> bool:
    """Whether a split at ``start`` (after a space) falls between an abbreviation and a
    lower-case word, where no sentence starts: the word before ends in a period and is a known
    abbreviation, has a period inside (``Ph.D.``) or at most four letters (``руб.``, ``т. е.``);
    the word after has no capital inside (``iPhone`` and ``eBay`` do open sentences)."""
    if not masked[start].islower():
        return False
    end = masked.find(" ", start)
    word = masked[start : end if end >= 0 else len(masked)]
    if any(c.isupper() for c in word[1:]):
        return False
    before = masked[masked.rfind(" ", 0, start - 1) + 1 : start - 1].lstrip(segment_rules.OPENING)
    if not before.endswith("."):
        return False
    letters = before[:-1]
    return "." in letters or len(letters) <= 4 or segment_rules.kind(before) is not None


def sentences(text: str, lang: str = "en") -> list[str]:
    """Split a paragraph into sentences; never returns empty strings.

    ``lang`` is an ISO 639-1 code pysbd has rules for (en, ru, ja and about 20 others); the
    abbreviation rules apply to "en" only. Whitespace runs, newlines included, become single
    spaces first; the sentences are cut from that text, so ``" ".join(result)`` gives it back
    exactly (in ja and zh, where sentences may touch, joining with "" where no space was).
    Raises ValueError (from pysbd) for a language it has no rules for.
    """
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return []
    masked, links = _mask_links(text)
    starts = _pysbd_starts(masked, lang)
    if lang not in _NO_SPACE_LANGS:
        starts = {s for s in starts if masked[s - 1] == " "}
    if lang == "en":
        _english_rules(masked, starts)
    elif lang in _NO_SPACE_LANGS:
        _latin_abbreviations(masked, starts)
    starts = {s for s in starts if s in links or masked[s - 1] != " " or not _goes_on_lower(masked, s)}
    result: list[str] = []
    begin = 0
    for start in sorted(starts):
        result.append(text[begin:start].rstrip(" "))
        begin = start
    result.append(text[begin:])
    return [s for s in result if s]
