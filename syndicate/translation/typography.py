"""Per-language typography applied to model output, and joining sentences back into paragraphs.

The rules per language (quotation marks, dash, full stop and comma, spacing) come from the
language registry (:mod:`syndicate.languages`, which names their sources). Quotation marks are
read the way English text and model output write them (“ ” ‘ ’, straight ``"`` and ``'``,
and the other languages' « » „ “ ‚ ‘ » « 「」『』), matched by nesting, and rewritten in the target
language's style: the outer pair at the top level, the inner pair at every deeper level. The
cases the rules were built from, with the expected output per language, are the table
``tests/testdata/typography/quotes.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syndicate.languages import NBSP, Language, get

__all__ = ["NBSP", "compose", "join_sentences", "polish", "requote"]

# Kinds of quotation: a double mark is closed only by a double one, a single by a single.
_DOUBLE, _SINGLE = "double", "single"
# Characters after which a straight quote opens (with a non-space after it).
_OPEN_CONTEXT = "([{\u2014\u2013-/«„‚“‘「『‹"
# Characters before which a straight quote closes (with a non-space before it).
_CLOSE_CONTEXT = ".,;:!?)]}…»”’'\"\u2014\u2013-"
# Characters of scripts written without spaces (kana, CJK ideographs, half-width katakana).
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_CJK_CLOSERS = "」』）)”’"
_DASH = re.compile(r"[ \t\u00a0]+[—–-][ \t]+")
# "and" cut to 'n' or 'n between spaces ("rock 'n' roll", "fish 'n chips"): apostrophes, not a
# quotation of the letter n.
_ELIDED_AND = re.compile(r"(?<!\S)['’‘][nN]['’]?(?!\S)")


def _in_elision(text: str, i: int) -> bool:
    """Whether the mark at ``i`` is one of the marks of an elided "and" (:data:`_ELIDED_AND`)."""
    return any(m.start() <= i < m.end() for m in _ELIDED_AND.finditer(text))


@dataclass
class _Open:
    """A quotation opened and not yet closed: its kind and the mark that opened it."""

    kind: str
    mark: str


def _is_word(char: str) -> bool:
    """A letter or digit of a script written with spaces: CJK characters and kana are not, as
    a mark between two of them is a quotation mark, never an apostrophe."""
    return char.isalnum() and not _UNSPACED.match(char)


def _between_words(text: str, i: int) -> bool:
    """``text[i]`` has a letter or digit on both sides (an apostrophe: don't, O’Brien)."""
    return 0 < i < len(text) - 1 and _is_word(text[i - 1]) and _is_word(text[i + 1])


def _may_open(text: str, i: int) -> bool:
    """At the start, or after a space or an opening bracket, dash or quotation mark."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in _OPEN_CONTEXT


def _may_close(text: str, i: int) -> bool:
    """At the end, or before a space or punctuation that follows a word."""
    return i + 1 == len(text) or text[i + 1].isspace() or text[i + 1] in _CLOSE_CONTEXT


def _closes_single_here(text: str, i: int) -> bool:
    """A right single mark (’ or ') at ``i`` could close a single quotation: it follows a
    non-space and no letter or digit follows it."""
    return i > 0 and not text[i - 1].isspace() and (i + 1 == len(text) or not _is_word(text[i + 1]))


def _later_single_close(text: str, i: int) -> bool:
    """Whether another mark after ``i`` could close the single quotation that is open, before
    a double mark or the end: then ``text[i]`` after an ``s`` is a plural possessive
    (‘the drivers’ union’), not the close."""
    for j in range(i + 1, len(text)):
        char = text[j]
        if char in '"“”«»„「」':
            return False
        if char in "』›" or (char in "’'‘" and _closes_single_here(text, j) and not _between_words(text, j)):
            return True
    return False


def _straight_double(text: str, i: int, stack: list[_Open]) -> tuple[str, str] | None:
    """A straight ``"``: opens where only opening fits (after a space, before a word), closes
    where only closing fits (after a word, before a space or punctuation), and where the
    context says neither or both (between CJK characters, spaces on both sides) closes an
    open double quotation or opens one. None: a lone closing mark (an inch mark), kept."""
    is_open = any(o.kind == _DOUBLE for o in stack)
    may_open, may_close = _may_open(text, i), _may_close(text, i)
    if may_open and not may_close:
        return ("open", _DOUBLE)
    if may_close and not may_open:
        return ("close", _DOUBLE) if is_open else None
    if is_open:
        return ("close", _DOUBLE)
    return ("open", _DOUBLE) if i + 1 < len(text) and not text[i + 1].isspace() else None


def _single(text: str, i: int, stack: list[_Open]) -> tuple[str, str] | None:
    """A ’ or straight ``'``: an apostrophe between letters or digits (don't, O’Brien, 1990's),
    an opening mark where a straight one may open (’90s and '90s stay apostrophes), else a
    closing mark when a single quotation is open, unless it is a plural possessive (after
    ``s`` with another closing mark to come), else an apostrophe (the drivers' union)."""
    char = text[i]
    top = stack[-1] if stack else None
    if _between_words(text, i):
        return ("apostrophe", "")
    if _may_open(text, i) and i + 1 < len(text) and not text[i + 1].isspace():
        if text[i + 1].isdigit() or char == "’":
            return ("apostrophe", "")
        return ("open", _SINGLE)
    if _closes_single_here(text, i) or any(o.kind == _SINGLE for o in stack):
        if top is not None and top.kind == _SINGLE:
            if text[i - 1] in "sS" and _later_single_close(text, i):
                return ("apostrophe", "")
            return ("close", _SINGLE)
        if i > 0 and _is_word(text[i - 1]):
            return ("apostrophe", "")
        # Between CJK characters: no space tells which way it goes, so it opens.
        if i + 1 < len(text) and not text[i + 1].isspace() and text[i + 1] not in _CLOSE_CONTEXT:
            return ("open", _SINGLE)
        return None
    return ("apostrophe", "") if char == "’" else None


def _classify(text: str, i: int, stack: list[_Open]) -> tuple[str, str] | None:
    """What the quotation mark at ``i`` does: ("open", kind), ("close", kind), ("apostrophe",
    "") or None (keep it as it is)."""
    char = text[i]
    top = stack[-1] if stack else None
    if char == '"':
        return _straight_double(text, i, stack)
    if char in "’'‘" and _in_elision(text, i):
        return ("apostrophe", "")
    if char in "’'":
        return _single(text, i, stack)
    if char in "「„":
        return ("open", _DOUBLE)
    if char in "『‚‹":
        return ("open", _SINGLE)
    if char in "」”":
        return ("close", _DOUBLE)
    if char in "』›":
        return ("close", _SINGLE)
    if char == "«":  # closes »…« (German, Danish), opens «…»
        return ("close", _DOUBLE) if any(o.mark == "»" for o in stack) else ("open", _DOUBLE)
    if char == "»":
        if not any(o.mark == "«" for o in stack) and _may_open(text, i) and not _may_close(text, i):
            return ("open", _DOUBLE)
        return ("close", _DOUBLE)
    if char == "“":  # closes „…“ and »…“, opens English “…”
        return ("close", _DOUBLE) if top is not None and top.mark in "„»" else ("open", _DOUBLE)
    if char == "‘":  # closes ‚…‘, opens English ‘…’; ‘90s is an apostrophe
        if top is not None and top.mark == "‚":
            return ("close", _SINGLE)
        if i + 1 < len(text) and text[i + 1].isdigit():
            return ("apostrophe", "")
        return ("open", _SINGLE)
    return None


def requote(text: str, lang: str) -> str:
    """``text`` with its quotation marks in the style of ``lang`` (a registry code).

    Each mark opens or closes a quotation by its shape and context: a straight ``"`` or ``'``
    opens at the start or after a space, opening bracket, dash or opening mark, and closes after
    anything else (so after ``)``, ``%``, ``'`` or ``]``); “ closes a quotation opened with „
    and opens otherwise; a ’ or ' between letters or digits is an apostrophe (written ’); a
    closing single mark with no single quotation open is an apostrophe too (a plural possessive,
    ``drivers’``), and so is one after ``s`` when another closing single mark follows before
    the quotation ends. Between two CJK characters, where no space tells the way, a straight
    mark closes an open quotation of its kind or else opens one. A close matches the innermost
    open quotation of its kind (double or single), closing those opened inside it. Depth 0
    takes the language's outer marks, deeper levels the inner ones. A closing mark with nothing
    of its kind open is kept as it is. Raises UnknownLanguage for a code not in the registry.
    """
    quotes = get(lang).quotes
    out: list[str] = []
    stack: list[_Open] = []
    for i, char in enumerate(text):
        action = _classify(text, i, stack) if char in "\"'“”‘’«»„‚‹›「」『』" else None
        if action is None:
            out.append(char)
        elif action[0] == "apostrophe":
            out.append("’")
        elif action[0] == "open":
            out.append(quotes.open if not stack else quotes.inner_open)
            stack.append(_Open(action[1], char))
        else:
            match = [n for n, o in enumerate(stack) if o.kind == action[1]]
            if not match:
                out.append(char)
                continue
            del stack[match[-1] :]
            out.append(quotes.close if not stack else quotes.inner_close)
    return "".join(out)


def _script_marks(text: str, lang: Language) -> str:
    """An ASCII ``.`` or ``,`` right after a letter of ``lang``'s script, or after a closing
    mark or bracket, becomes the language's full stop or comma (a ``.`` after a digit too, at
    the end of a sentence: not in ``3.5``), and the spaces after it go. ``U.S.`` and
    ``1,000`` are kept."""
    if lang.full_stop is None or lang.comma is None:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        prev = out[-1] if out else ""
        after_mark = bool(prev) and (lang.in_script(prev) or prev in _CJK_CLOSERS)
        if char == "." and (after_mark or prev.isdigit()) and not text[i + 1 : i + 2].isdigit():
            out.append(lang.full_stop)
        elif char in ",，" and after_mark:
            out.append(lang.comma)
        else:
            out.append(char)
            i += 1
            continue
        i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
    return "".join(out)


def polish(text: str, lang: str) -> str:
    """``text`` in the typography of ``lang`` (a registry code): :func:`requote`; a spaced
    dash written as the language writes it (Russian: a no-break space, an em dash, a space;
    German: a spaced en dash; Spanish: a spaced em dash, and two of them around a remark
    against it, ``texto —inciso— texto``); in languages without spaces (ja, zh) the full stop and comma
    of the script, and no spaces around quotation marks. Raises UnknownLanguage."""
    entry = get(lang)
    text = requote(text, lang)
    if entry.paired_dash is not None:
        # Two spaced dashes around a remark: the dashes against it (RAE 3.4.7, languages.py).
        dash = entry.paired_dash
        text = re.sub(
            r"[ \t\u00a0]+[—–-][ \t]+([^—–\n]*?\S)[ \t\u00a0]+[—–-](?=[ \t])", rf" {dash}\1{dash}", text
        )
    if entry.spaced_dash is not None:
        text = _DASH.sub(entry.spaced_dash, text)
    if not entry.spaced:
        q = entry.quotes
        text = re.sub(rf"\s*([{re.escape(q.open + q.inner_open)}])\s*", r"\1", text)
        text = re.sub(rf"\s*([{re.escape(q.close + q.inner_close)}])\s*", r"\1", text)
        text = _script_marks(text, entry)
    return text


def join_sentences(lang: str, sentences: list[str]) -> str:
    """Translated sentences as one paragraph: stripped, empty ones dropped, joined with a space,
    or with nothing in languages written without spaces (the registry's ``spaced``)."""
    parts = [s.strip() for s in sentences if s.strip()]
    return get(lang).sentence_separator.join(parts)


def compose(lang: str, sentences: list[str]) -> str:
    """A paragraph from its translated sentences: joined (:func:`join_sentences`), then
    polished as a whole (:func:`polish`), so a quotation over several sentences is matched."""
    return polish(join_sentences(lang, sentences), lang)
