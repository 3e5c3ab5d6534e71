"""Markup where plain text was expected: HTML character references in any text field, and the
leftovers of scraping (script and style blocks, embedded content, event-handler attributes,
javascript: links) in a text scrape (issue 11).

A text scrape is not HTML: it is text a scraper copied from a rendered page, where ``<b>`` in a
title or "the <script> tag" in a sentence is what the page showed. So only complete, executable
leftovers are dropped, and everything else stays text (the feeds escape it on output). The
leftovers are found with regular expressions over the HTML start-tag grammar (WHATWG HTML,
"13.2.5 Tokenization": a name, then attributes, each a name with an optional ``=`` and a quoted or
unquoted value) rather than with an HTML parser: a parser would read the whole scrape as a
document, turning every ``<`` and ``&`` in the text into markup and losing the line structure
that separates title and paragraphs, which must be kept exactly.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from collections.abc import Iterable

from syndicate.ingest.decode import repair
from syndicate.ingest.options import Reading

# A character reference: numeric (decimal or hex, the ";" optional as in HTML), or named with its
# ";". Named references without ";" are not decoded, although HTML decodes some of them in page
# text: in plain text they are words ("AT&Times", "&notion", "R&D&copy2020").
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
_REFERENCE_NOTE = "HTML character references decoded:"

# A script or style element, complete with its end tag (any case, any attributes), or a script
# start tag closed with "/>". The content may not contain another start tag of the same element,
# so "the <script> tag" earlier in the text is not taken for the start of a later real block.
# A start tag holds no "<": each try stops at the next one, which keeps the search linear.
# Embedded content and page furniture (WHATWG HTML, "4.8 Embedded content" and "4.10 Forms": an
# iframe, object, form or noscript fallback) are leftovers of the same kind: a scraper that copied
# their markup copied no article text, and left in, a lone line of one becomes a heading.
_BLOCK_NAMES = ("script", "style", "iframe", "object", "noscript", "form")
_BLOCKS = {
    name: re.compile(
        rf"<{name}(?=[\s/>])[^<>]*?/>|<{name}(?=[\s/>])[^<>]*>(?:(?!<{name}[\s/>]).)*?</{name}\s*>",
        re.IGNORECASE | re.DOTALL,
    )
    for name in _BLOCK_NAMES
}
# <embed> is void: a start tag with at least one attribute ("the <embed> tag" in prose is text).
_EMBED = re.compile(r"<embed(?=[\s/])(?=[^<>]*?[^\s/<>])[^<>]*+>", re.IGNORECASE)
# A quoted attribute value may span lines, but not a blank line (a tag never spans paragraphs), and
# is at most 2,000 characters; names and unquoted values hold no "<". Possessive quantifiers: there
# is one way to read a tag, so no backtracking (quadratic time on "<a/<a/<a/...").
_QUOTED = r"""(?:"(?:[^"\n]|\n(?![ \t]*\n)){0,2000}+"|'(?:[^'\n]|\n(?![ \t]*\n)){0,2000}+')"""
_VALUE = rf"""(?:\s*+=\s*+({_QUOTED}|[^\s<>]++))?+"""
_NAME = r"""[^\s"'<>/=]++"""
_ATTRIBUTE = re.compile(rf"({_NAME}){_VALUE}")
_START_TAG = re.compile(
    rf"<(?P<tag>[A-Za-z][A-Za-z0-9:-]*+)(?P<attributes>(?:[\s/]++{_NAME}{_VALUE})*+)[\s/]*+>"
)
# Elements that have no content or end tag (WHATWG HTML, "void elements").
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})  # fmt: skip
# Browsers drop ASCII tab and newline anywhere in a URL, and leading spaces and controls.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
# Passes over a scrape: each one drops what the last one's removals closed up into a leftover.
MAX_PASSES = 8
# The longest element with a handler or script URL dropped whole: a button, a link, an image caption
# (they are short); beyond it only the start tag goes. Bounds the work on a pathological input.
MAX_ELEMENT_CHARS = 2000
# An element with a handler or script URL keeps its text when that text is article prose: at least
# this many words, ending a sentence. A judgment, not a measurement: control labels are a few words
# ("Share on Facebook", "Subscribe for 1 euro a month"), news sentences average over 20.
PROSE_MIN_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*$")
# What ends the text before an element when the element starts something new, not a sentence's
# next word: sentence ends, a label's colon, separators between page controls.
_NOT_CONTINUED = frozenset(".!?…:;|·•–—-")
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")


def unescape_text(text: str, reading: Reading | None = None) -> str:
    """``text`` (one text field, or a whole scrape) with HTML character references decoded once,
    then :func:`decode.repair`: no-break spaces as spaces, invisible characters removed (so
    ``&shy;`` or ``&#8203;`` leave nothing), mojibake repaired (``&Atilde;&copy;`` is "é").

    Decoded: ``&#39;`` ``&#x27;`` (the ``;`` optional in numeric ones), and named references
    with their ``;`` (``&quot;`` ``&amp;`` ``&mdash;`` ``&nbsp;``; HTML5's list, via
    :func:`html.unescape`, which also maps ``&#150;`` to Windows-1252's en dash as browsers do).
    Once only: ``&amp;quot;`` is ``&quot;`` as the page showed it (a scraper that escaped twice
    cannot be told from an article that writes about entities). Unknown names stay as written.
    The first examples of decoded references are noted on ``reading`` in one note.
    """
    found: list[str] = []

    def decoded(match: re.Match[str]) -> str:
        value = html.unescape(match.group())
        if value != match.group() and match.group() not in found:
            found.append(match.group())
        return value

    text = _REFERENCE.sub(decoded, text)
    if found and reading is not None:
        _merge_reference_note(reading, found)
    return repair(text, reading)


def _merge_reference_note(reading: Reading, found: list[str], limit: int = 6) -> None:
    """Add the references in ``found`` to the one note of decoded references (at most ``limit``)."""
    examples: list[str] = []
    for index, note in enumerate(reading.notes):
        if note.startswith(_REFERENCE_NOTE):
            examples = note.removeprefix(_REFERENCE_NOTE).split()
            del reading.notes[index]
            break
    examples += [ref for ref in found if ref not in examples]
    reading.note(f"{_REFERENCE_NOTE} {' '.join(examples[:limit])}")


def clean_scrape(text: str, reading: Reading) -> str:
    """A whole text scrape (LF line ends) with the leftovers of scraping dropped, then character
    references decoded (:func:`unescape_text`); everything else unchanged, line by line.

    Dropped: complete ``<script>``/``<style>`` elements and embedded content (``<iframe>``,
    ``<object>``, ``<form>``, ``<noscript>`` with their end tags, ``<embed>`` with an attribute),
    any case and attributes, one line or many (one spanning a blank line only when it starts and
    ends its lines, as scraped blocks do, so that prose mentioning both tags paragraphs apart is
    kept); elements with an event-handler attribute (``on...=``); elements with a ``javascript:``
    or ``vbscript:`` attribute value (entities, case, spaces, tabs and newlines as browsers read
    them: ``jav&#x61;script:``). Such an element goes with its content and end tag when the end
    tag follows in the same paragraph (a link whose target is a script is a page control, "Buy
    tickets", not article text), unless its text is article text: then only its start and end
    tags go. Its text is article text when it continues a sentence (the text before it in its
    paragraph, hard-wrapped lines included, does not end with . ! ? … : ; | or a dash:
    "which has been <a onclick=...>closed</a> since") or reads as prose (PROSE_MIN_WORDS words
    or more ending with . ! ? or …: a paragraph in a handler ``<div>``). Without an end tag only
    the start tag goes. A leftover that filled whole lines takes those lines with it, so the
    lines around it keep their paragraph. Kept as text: a lone "<script>" or "<iframe>", ``<b>``
    in a title, any other tag. One note on ``reading`` counts what was dropped, kept texts
    counted apart (issue 11; the review of the text scrape, defects 1 and 2).
    """
    dropped: Counter[str] = Counter()
    shown: dict[str, str] = {}  # kind -> the text of the first element of that kind dropped
    # Again on what is left, as long as something goes: "<scr<script></script>ipt>" closes up
    # into a new leftover once the inner one is gone.
    for _ in range(MAX_PASSES):
        remaining = _drop_once(text, dropped, shown)
        if remaining == text:
            break
        text = remaining
    if dropped:
        parts = ", ".join(_counted(what, n) + (f" ({shown[what][:40]!r})" if what in shown else "")
                          for what, n in dropped.items())  # fmt: skip
        reading.note(f"dropped scraped markup (not article text): {parts}")
    return unescape_text(text, reading)


def _drop_once(text: str, dropped: Counter[str], shown: dict[str, str]) -> str:
    """``text`` without the leftovers found in one pass (see :func:`clean_scrape`), each counted
    by kind in ``dropped``, the first content of each kind in ``shown``."""
    spans: list[tuple[int, int]] = []
    for name, pattern in [*_BLOCKS.items(), ("embed", _EMBED)]:
        for match in pattern.finditer(text):
            if "\n\n" in _blank_lines_squeezed(match.group()) and not _whole_lines(text, *match.span()):
                continue
            spans.append(match.span())
            dropped[f"<{name}> block" if name in ("script", "style") else f"<{name}> element"] += 1
    blocks = _merged(spans)
    starts = [start for start, _ in blocks]
    gone: list[tuple[int, int]] = []  # elements dropped whole, in order: not text before a later one
    covered = 0  # the end of the last element dropped: elements inside it went with it
    for match in _START_TAG.finditer(text):
        inside = bisect.bisect_right(starts, match.start()) - 1
        if match.start() < covered or (inside >= 0 and match.start() < blocks[inside][1]):
            continue
        kind = _executable(match.group("attributes"))
        if kind is None:
            continue
        content_end, end = _element_end(text, match)
        content = " ".join(_ANY_TAG.sub(" ", text[match.end() : content_end]).split())
        if content and (_looks_like_prose(content) or _mid_sentence(text, match.start(), blocks, gone)):
            spans += [(match.start(), match.end()), (content_end, end)]
            kind += " (its text kept)"
            covered = match.end()
        else:
            spans.append((match.start(), end))
            gone.append((match.start(), end))
            covered = end
        dropped[kind] += 1
        if content and kind not in shown:
            shown[kind] = content
    kept, position = [], 0
    # Spans only blanks apart are taken together, so that a line of several leftovers goes whole;
    # within a line, the blanks between them stay ("prices<script>x</script> <a ...>doubled").
    spans = _merged(spans)
    lines = [line for line in (_whole_lines(text, *group) for group in _merged(spans, text)) if line]
    for start, end in _merged([*spans, *lines]):
        kept.append(text[position:start])
        position = end
    kept.append(text[position:])
    return "".join(kept)


def _looks_like_prose(content: str) -> bool:
    """Whether an element's text reads as article prose: PROSE_MIN_WORDS words or more, ending a
    sentence. Page controls are short labels ("Buy tickets", "Show 14 comments")."""
    return len(content.split()) >= PROSE_MIN_WORDS and bool(_SENTENCE_END.search(content))


def _mid_sentence(text: str, at: int, *removed: list[tuple[int, int]]) -> bool:
    """Whether the element starting at ``at`` continues a sentence: the text before it in its
    paragraph (within MAX_ELEMENT_CHARS; tags and the sorted, disjoint ``removed`` spans left
    out) ends with something other than the end of a sentence or a label's colon."""
    window = max(0, at - MAX_ELEMENT_CHARS)
    cuts = sorted(
        span
        for spans in removed
        for span in spans[max(0, bisect.bisect_right(spans, (window, len(text))) - 1) :]
        if span[1] > window and span[0] < at
    )
    before, position = "", window
    for start, end in cuts:
        before += text[position : max(position, start)]
        position = max(position, end)
    before += text[position:at]
    paragraph = list(_PARAGRAPH_END.finditer(before))
    before = _ANY_TAG.sub("", before[paragraph[-1].end() :] if paragraph else before)
    before = before.rstrip().rstrip("\"'”’»)]").rstrip()
    return bool(before) and before[-1] not in _NOT_CONTINUED


def _counted(what: str, n: int) -> str:
    """``n`` and ``what`` in the plural when n > 1: "2 <script> blocks", "2 elements with onclick=",
    "2 javascript: links (its text kept)"."""
    if n == 1:
        return f"1 {what}"
    what, kept, suffix = what.partition(" (")
    plural = what.replace("element ", "elements ", 1) if what.startswith("element ") else f"{what}s"
    return f"{n} {plural}{kept}{suffix}"


def _executable(attributes: str) -> str | None:
    """What makes a start tag with these ``attributes`` executable: "element with onX=", "javascript:
    link" (any attribute whose value is a script URL), or None."""
    for attribute in _ATTRIBUTE.finditer(attributes):
        name, value = attribute.group(1).lower(), attribute.group(2)
        if name.startswith("on") and len(name) > 2 and value is not None:
            return f"element with {name}="
        url = _URL_IGNORED.sub("", html.unescape((value or "").strip("\"'"))).lstrip("\x00- ").lower()
        if url.startswith(_SCRIPT_SCHEMES):
            return f"{url.split(':')[0]}: link"
    return None


def _element_end(text: str, start_tag: re.Match[str]) -> tuple[int, int]:
    """Where the content of the element opened by ``start_tag`` ends and where the element ends:
    before and after its matching end tag when that follows in the same paragraph and within
    MAX_ELEMENT_CHARS (same-name elements nested inside counted), else both after the start tag
    (a void element, ``<x/>``, or no end tag)."""
    tag, end = start_tag.group("tag").lower(), start_tag.end()
    if tag in _VOID or start_tag.group().endswith("/>"):
        return end, end
    paragraph = _PARAGRAPH_END.search(text, end, end + MAX_ELEMENT_CHARS)
    limit = paragraph.start() if paragraph else min(len(text), end + MAX_ELEMENT_CHARS)
    depth = 1
    for match in re.compile(rf"<(/?){re.escape(tag)}(?=[\s/>])[^<>]*>", re.IGNORECASE).finditer(
        text, end, limit
    ):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.start(), match.end()
    return end, end


def _blank_lines_squeezed(text: str) -> str:
    """``text`` with blank lines that hold only spaces or tabs made empty."""
    return re.sub(r"\n[ \t]+\n", "\n\n", text)


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span widened to whole lines with their final newline, when nothing but spaces shares
    its first and last lines; else None."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return None
    return line_start, min(line_end + 1, len(text))


def _merged(spans: Iterable[tuple[int, int]], text: str | None = None) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined; with ``text``, also those with only spaces or
    tabs between them."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (
            start <= merged[-1][1] or (text is not None and not text[merged[-1][1] : start].strip(" \t"))
        ):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
