"""Inline markup of HTML input carried through the paragraph walker (html_blocks) as characters.

The walker reads text, not elements, so each kept inline element (syndicate/inline.py's subset)
is marked in the tree with private-use characters that survive every text step: an opening
character at its start, a closing one at its end (a ``<br>``: one character after it). Each
character's code point names its entry in a table (tag and resolved link target). When the
walker closes a paragraph, :meth:`Marking.split` takes the characters out again, giving the
plain text exactly as without them and the paragraph's sanitised HTML fragment.

The characters are code points of Unicode's Supplementary Private Use Areas (planes 15 and 16),
which no news page writes; a tree that holds one already is not marked (its markup is lost,
never its text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.etree

from syndicate import inline

_OPEN = 0xF0000  # plane 15: opening character of table entry i is _OPEN + i
_CLOSE = 0x100000  # plane 16: closing character of entry i
_LIMIT = 0xFFFD  # entries per tree (plane size less the two noncharacters)
# trafilatura's rendition names of <hi> (its XML for formatting) as HTML; "#u" is not kept.
_RENDITIONS = {"#i": "em", "#b": "strong", "#t": "code", "#sup": "sup", "#sub": "sub"}
_HTML = {"em", "strong", "i", "b", "code", "sup", "sub"}


def _is_marker(char: str) -> bool:
    return ord(char) >= _OPEN


def _tag(element: lxml.etree._Element) -> str | None:
    """The kept tag ``element`` stands for (HTML or trafilatura's XML), or None."""
    if not isinstance(element.tag, str):
        return None
    tag = element.tag.lower()
    if tag == "hi":
        return _RENDITIONS.get(element.get("rend") or "")
    if tag in ("ref", "a"):
        return "a"
    if tag in ("br", "lb"):
        return inline.BR
    return tag if tag in _HTML else None


@dataclass
class Marking:
    """The table of one marked tree, and what was left out of it (for the reading's notes)."""

    entries: list[tuple[str, str | None]] = field(default_factory=list)
    # Links kept as text, by reason: "not an http(s) target", "relative, no page URL".
    unlinked: dict[str, int] = field(default_factory=dict)

    def target(self, raw: str | None, base: str | None) -> str | None:
        """A link's absolute http(s) target: ``raw`` as given, or resolved against ``base``
        when relative (RFC 3986 5.2, via urljoin); None (counted) otherwise."""
        value = (raw or "").strip()
        if not value:
            return None
        resolved = urljoin(base, value) if base else value
        parts = urlsplit(resolved)
        if parts.scheme in inline.URL_SCHEMES and parts.netloc:
            return resolved
        reason = "not an http(s) target" if urlsplit(value).scheme or base else "relative, no page URL known"
        self.unlinked[reason] = self.unlinked.get(reason, 0) + 1
        return None

    def notes(self) -> list[str]:
        """One line per reason links were kept as text, for the reading's notes."""
        return [f"{n} link(s) kept as text ({why})" for why, n in sorted(self.unlinked.items())]

    def split(self, raw: str) -> tuple[str, str | None]:
        """``raw`` (a paragraph's text from the walker, whitespace collapsed) without the marking
        characters, whitespace collapsed again (runs as one space, none at either end), digits
        in ``<sup>``/``<sub>`` as Unicode superscripts or subscripts (:func:`inline.scripted`), and its
        HTML fragment (None without markup). A mark whose opening character lies in an earlier
        paragraph opens at the start; one whose closing one lies in a later paragraph closes at
        the end; a ``<br>`` at either end, and an empty span, are dropped."""
        out: list[str] = []
        opened: dict[int, int] = {}
        marks: list[inline.Mark] = []
        for char in raw:
            if not _is_marker(char):
                if char.isspace():
                    if out and out[-1] != " ":
                        out.append(" ")
                else:
                    out.append(char)
                continue
            code = ord(char)
            index = code - (_CLOSE if code >= _CLOSE else _OPEN)
            if index >= len(self.entries):
                continue
            tag, href = self.entries[index]
            if tag == inline.BR:
                marks.append(inline.Mark(len(out), len(out), tag))
            elif code < _CLOSE:
                opened[index] = len(out)
            else:
                marks.append(inline.Mark(opened.pop(index, 0), len(out), tag, href))
        marks += [inline.Mark(start, len(out), *self.entries[i]) for i, start in opened.items()]
        if out and out[-1] == " ":
            out.pop()
        text = "".join(out)
        marks = [
            inline.Mark(min(m.start, len(text)), min(m.end, len(text)), m.tag, m.href)
            for m in marks
            if (m.tag == inline.BR and 0 < m.start < len(text)) or min(m.end, len(text)) > m.start
        ]
        # Digits in <sup>/<sub> as superscript or subscript characters (syndicate/inline.py).
        text = inline.scripted(text, marks)
        return text, (inline.render(text, marks) if marks else None)


def strip(text: str) -> str:
    """``text`` without marking characters (a speaker's name cut from a marked quote)."""
    return "".join(c for c in text if not _is_marker(c))


def mark_tree(root: lxml.etree._Element, base: str | None) -> Marking:
    """In place: mark every kept inline element of ``root`` (see the module docstring); link
    targets resolved against ``base`` (the page's URL), kept only when absolute http(s).
    Returns the table; an empty one, tree untouched, when the tree already holds a marking
    character or has more than _LIMIT kept elements."""
    marking = Marking()
    elements = [(e, t) for e in root.iter() if (t := _tag(e)) is not None]
    if len(elements) > _LIMIT or any(_is_marker(c) for t in root.itertext() for c in str(t)):
        return marking
    for element, tag in elements:
        if tag == "a":
            href = marking.target(element.get("href") or element.get("target"), base)
            if href is None:
                continue
        else:
            href = None
        index = len(marking.entries)
        marking.entries.append((tag, href))
        if tag == inline.BR:
            element.tail = chr(_OPEN + index) + (element.tail or "")
            continue
        element.text = chr(_OPEN + index) + (element.text or "")
        if len(element):
            last = element[-1]
            last.tail = (last.tail or "") + chr(_CLOSE + index)
        else:
            element.text += chr(_CLOSE + index)
    return marking
