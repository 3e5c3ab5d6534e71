"""Inline markup inside one paragraph: links, emphasis, code, superscripts, subscripts, line breaks.

A paragraph keeps its plain text (``Paragraph.text``: what segmentation, translation memory and
the quality gate read) and, when the source had inline markup, ``Paragraph.html``: the same text
with a small safe subset of HTML around it (ALLOWED_TAGS; ``href`` on ``<a>`` only, absolute
http(s) only). Its text content is exactly ``Paragraph.text`` (a ``<br>`` adds no character:
the space of the plain text stays beside it), so the markup can be read as :class:`Mark` spans
over the plain text, moved to a changed text by alignment, and written again.

One exception to "exactly": digits and ``+ - = ( )`` inside ``<sup>`` or ``<sub>`` are their
Unicode superscript or subscript characters in the plain text (``10<sup>3</sup>`` reads
``10³``, ``CO<sub>2</sub>`` reads ``CO₂``, a footnote ``2023<sup>2</sup>`` reads ``2023²``),
when every character of the element has one; the fragment keeps plain digits. So the plain text
never glues an exponent or a footnote number to the number before it ("103"), and since those
characters are not decimal digits (Unicode category No), the number check of the quality gate
reads ``10³`` as the number 10 (:func:`scripted`, :func:`unscripted`).

Every fragment is sanitised with nh3 (the Rust ammonia sanitiser) when it is made and again
when it is rendered into a feed or page, so no markup outside the subset reaches a reader.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

# The subset kept: links, emphasis (trafilatura reads <i>/<em> as one and <b>/<strong> as one;
# a JSON body keeps the tag it gives), code, superscripts, subscripts and line breaks.
ALLOWED_TAGS = frozenset({"a", "em", "strong", "i", "b", "code", "sup", "sub", "br"})
URL_SCHEMES = frozenset({"http", "https"})
BR = "br"
# Unicode superscript and subscript forms (block Superscripts and Subscripts, and Latin-1's
# ¹ ² ³) of the characters that have both; the minus sign and the hyphen-minus both become ⁻.
_PLAIN = "0123456789+-\u2212=()"
_FORMS = {
    "sup": str.maketrans(_PLAIN, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾"),
    "sub": str.maketrans(_PLAIN, "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎"),
}
_BACK = {
    "sup": str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾", "0123456789+-=()"),
    "sub": str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", "0123456789+-=()"),
}


@dataclass(frozen=True)
class Mark:
    """One element of inline markup over a paragraph's plain text: characters ``start`` to
    ``end`` (str offsets, end exclusive) are inside ``tag``; a ``br`` has ``start == end`` (the
    break comes before that character). ``href`` is the absolute http(s) target of an ``a``."""

    start: int
    end: int
    tag: str
    href: str | None = None


def sanitise(fragment: str) -> str:
    """``fragment`` with every element outside ALLOWED_TAGS removed (its text kept), every
    attribute but ``a``'s ``href`` removed, and any ``href`` that is not an absolute http(s) URL
    removed (nh3: ``url_schemes`` and ``url_relative="deny"``); comments dropped. No ``rel`` is
    added. Never raises on any text."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={"a": {"href"}},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=None,
        strip_comments=True,
    )


class _Reader(HTMLParser):
    """Collects the text and the marks of a sanitised fragment (see :func:`parse`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.open: list[tuple[str, str | None, int, int]] = []
        # (mark, opening order): of two marks over the same text the one opened first is outer.
        self.marks: list[tuple[Mark, int]] = []
        self.opened = 0  # elements opened so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == BR:
            self.marks.append((Mark(self.length, self.length, BR), self.opened))
        elif tag in ALLOWED_TAGS:
            href = dict(attrs).get("href") if tag == "a" else None
            self.open.append((tag, href, self.length, self.opened))
            self.opened += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                self._close(*self.open.pop(index))
                return

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += len(data)

    def _close(self, tag: str, href: str | None, start: int, order: int) -> None:
        # An <a> without a usable target is text, not a link.
        if start < self.length and (tag != "a" or href):
            self.marks.append((Mark(start, self.length, tag, href), order))

    def finish(self) -> tuple[str, list[Mark]]:
        self.close()
        while self.open:
            self._close(*self.open.pop())
        ordered = sorted(self.marks, key=lambda pair: (pair[0].start, -pair[0].end, pair[1]))
        marks = [mark for mark, _ in ordered]
        return scripted("".join(self.parts), marks), marks


def parse(fragment: str) -> tuple[str, list[Mark]]:
    """The plain text of a fragment (character references decoded; digits in ``sup``/``sub`` as
    :func:`scripted` writes them) and its marks, sorted by start (longest first). Elements
    outside ALLOWED_TAGS count as text; an element left open closes at the end; an ``a`` without
    ``href`` is not a mark. Never raises."""
    reader = _Reader()
    reader.feed(fragment)
    return reader.finish()


def scripted(text: str, marks: list[Mark]) -> str:
    """``text`` with the characters under each ``sup``/``sub`` mark as their Unicode superscript
    or subscript forms, when every non-space character of the mark has one (``10³``, ``CO₂``;
    ``1<sup>st</sup>`` is left as it is). Same length as ``text``, so marks keep their offsets."""
    chars = list(text)
    for mark in marks:
        if mark.tag in _FORMS and 0 <= mark.start < mark.end <= len(text):
            inside = text[mark.start : mark.end]
            converted = inside.translate(_FORMS[mark.tag])
            known = _PLAIN + "".join(chr(c) for c in _BACK[mark.tag])
            if inside.strip() and all(c.isspace() or c in known for c in inside):
                chars[mark.start : mark.end] = converted
    return "".join(chars)


def unscripted(text: str) -> str:
    """``text`` with every superscript and subscript form of :func:`scripted` as the plain
    character (``10³`` -> ``103``): a fragment's text as HTML writes it."""
    return text.translate(_BACK["sup"]).translate(_BACK["sub"])


def _open_tag(mark: Mark) -> str:
    if mark.tag == "a":
        return f'<a href="{html.escape(mark.href or "")}">'
    return f"<{mark.tag}>"


def render(text: str, marks: list[Mark]) -> str:
    """``text`` escaped, with ``marks`` as elements around it, properly nested: where two marks
    cross, the inner one is closed and opened again. Empty spans and marks outside the text are
    left out; a ``br`` comes at its offset; superscript and subscript forms inside ``sup`` and
    ``sub`` are written as plain characters (:func:`scripted` in reverse). The result is
    sanitised (:func:`sanitise`)."""
    spans = sorted(
        (m for m in marks if m.tag != BR and 0 <= m.start < m.end <= len(text)),
        key=lambda m: (m.start, -m.end),
    )
    breaks = sorted(m.start for m in marks if m.tag == BR and 0 < m.start < len(text))
    bounds = sorted({0, len(text), *(m.start for m in spans), *(m.end for m in spans), *breaks})
    out: list[str] = []
    stack: list[Mark] = []
    position = 0
    for bound in bounds:
        piece = text[position:bound]
        script = next((m.tag for m in reversed(stack) if m.tag in _BACK), None)
        out.append(html.escape(piece.translate(_BACK[script]) if script else piece, quote=False))
        position = bound
        reopen: list[Mark] = []
        while any(m.end <= bound for m in stack):
            mark = stack.pop()
            out.append(f"</{mark.tag}>")
            if mark.end > bound:
                reopen.append(mark)
        for mark in reversed(reopen):
            out.append(_open_tag(mark))
            stack.append(mark)
        out.extend("<br>" for b in breaks if b == bound)
        for mark in spans:
            if mark.start == bound:
                out.append(_open_tag(mark))
                stack.append(mark)
    out.extend(f"</{m.tag}>" for m in reversed(stack))
    return sanitise("".join(out))


def merged(text: str, marks: list[Mark]) -> list[Mark]:
    """``marks`` with two marks of the same element and target joined when only whitespace
    lies between them (one element split at a sentence boundary becomes one again)."""
    result: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        twin = next(
            (
                i
                for i in range(len(result) - 1, -1, -1)
                if mark.tag != BR
                and (result[i].tag, result[i].href) == (mark.tag, mark.href)
                and result[i].end <= mark.start
                and not text[result[i].end : mark.start].strip()
            ),
            None,
        )
        if twin is None:
            result.append(mark)
        else:
            result[twin] = Mark(result[twin].start, max(mark.end, result[twin].end), mark.tag, mark.href)
    return result


def moved(marks: list[Mark], old: str, new: str) -> list[Mark]:
    """``marks`` over ``old`` moved onto ``new`` by a character alignment (difflib): a span
    keeps the characters both texts share; a span whose characters are all gone is dropped."""
    if old == new:
        return list(marks)
    blocks = [
        b for b in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks() if b.size
    ]

    def forward(offset: int) -> int:
        for b in blocks:
            if b.a + b.size > offset:
                return b.b + max(0, offset - b.a)
        return len(new)

    def backward(offset: int) -> int:
        for b in reversed(blocks):
            if b.a < offset:
                return b.b + min(b.size, offset - b.a)
        return 0

    result: list[Mark] = []
    for mark in marks:
        if mark.tag == BR:
            result.append(Mark(forward(mark.start), forward(mark.start), BR))
        elif (start := forward(mark.start)) < (end := backward(mark.end)):
            result.append(Mark(start, end, mark.tag, mark.href))
    return result


def whole_words(marks: list[Mark], text: str) -> list[Mark]:
    """``marks`` over ``text`` widened so that none starts or ends inside a word (a letter or
    digit on both sides of its edge): what an alignment (:func:`moved`) of an edited sentence
    may leave mid-word (``согл<a>асно бюд</a>жету`` becomes ``<a>согласно бюджету</a>``).
    Line breaks stay where they are."""

    def inside(at: int) -> bool:
        return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()

    result = []
    for mark in marks:
        start, end = mark.start, mark.end
        if mark.tag != BR:
            while inside(start):
                start -= 1
            while inside(end):
                end += 1
        result.append(Mark(start, end, mark.tag, mark.href))
    return result


def retext(fragment: str | None, text: str) -> str | None:
    """The fragment's markup over ``text`` instead of its own text (see :func:`moved`): used when
    ingestion changes a paragraph's text after reading its markup (references decoded, a lead
    trimmed). None when ``fragment`` is None or no mark is left."""
    if fragment is None:
        return None
    old, marks = parse(fragment)
    marks = moved(marks, old, text)
    if not any(m.tag != BR or 0 < m.start < len(text) for m in marks):
        return None
    return render(text, marks)


def content(text: str, fragment: str | None) -> str:
    """A paragraph's HTML content for a feed or page: its fragment sanitised again, when it has
    one whose text is ``text`` (or, for one stored before superscripts had their own plain form,
    whose text with them as plain digits is ``text``); else ``text`` escaped."""
    if fragment:
        safe = sanitise(fragment)
        own = parse(safe)[0]
        if own == text or unscripted(own) == text:
            return safe
    return html.escape(text, quote=False)
