"""Inline markup between the HTML subset of syndicate/inline.py and XLIFF 1.2 inline elements.

A paired element (``a``, ``em``, ``strong``, ``i``, ``b``, ``code``, ``sup``, ``sub``) becomes a
``<g>`` whose ``ctype`` is ``x-html-`` and the tag name (XLIFF 1.2 allows ``x-`` values for
ctype); a link keeps its target in an ``xhtml:href`` attribute (XLIFF 1.2 lets inline elements
carry attributes of other namespaces). A ``<br>`` becomes ``<x ctype="lb"/>`` (the spec's
predefined "line break"). The elements are translate-toolkit's placeables
(translate.storage.placeables.xliff), which it writes and reads itself.

Reading accepts what CAT tools leave: ``<g>`` in a target without attributes (they are taken
from the source's ``<g>`` with the same id), the predefined ctypes ``bold``/``italic``/``link``,
``<mrk>`` (segmentation or protection markers: unwrapped, their text kept), and reports, never
silently, what it cannot keep: other ``<x>``/``<bx>``/``<ex>``, native codes in
``<ph>``/``<bpt>``/``<ept>``/``<it>`` (dropped: they hold the original's markup, not text) and
``<g>`` of unknown kinds (unwrapped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from translate.storage.placeables import StringElem
from translate.storage.placeables import xliff as placeables

from syndicate import inline

XHTML_NS = "http://www.w3.org/1999/xhtml"
HREF = f"{{{XHTML_NS}}}href"
CTYPE_PREFIX = "x-html-"
LINE_BREAK = "lb"
# XLIFF 1.2 predefined ctype values for <g> that name an element of the subset.
PREDEFINED = {"bold": "strong", "italic": "em", "link": "a"}
NATIVE_CODE = frozenset({"ph", "bpt", "ept", "it", "sub"})


def to_placeables(text: str, fragment: str | None, ids: list[tuple[str, str | None, str]]) -> StringElem:
    """``text`` with the markup of ``fragment`` (an HTML fragment of the subset whose text is
    ``text``; None for none) as one StringElem tree of G and X placeables.

    ``ids`` pairs (tag, href) with the id of a source element, in order: an element with the
    same tag and target takes the first unused id of its kind (so a target's ``<g>`` carries
    its source's id, as CAT tools expect); others, and all when ``ids`` is empty, take new
    ids, appended to ``ids``. A fragment whose text is not ``text`` is ignored (plain text)."""
    if fragment is None:
        return StringElem([text] if text else [])
    plain, marks = inline.parse(fragment)
    if plain != text:
        return StringElem([text] if text else [])
    builder = _Builder(list(ids), ids)
    builder.feed(inline.render(text, marks))
    builder.close()
    return StringElem(builder.stack[0][1])


class _Builder(HTMLParser):
    """Builds placeables from a fragment rendered by :func:`syndicate.inline.render`."""

    def __init__(self, free: list[tuple[str, str | None, str]], ids: list[tuple[str, str | None, str]]):
        super().__init__(convert_charrefs=True)
        self.free = free
        self.ids = ids
        # Open elements: (tag, href, id) and the children read so far; the root has no element.
        self.stack: list[tuple[tuple[str, str | None, str] | None, list[StringElem | str]]] = [(None, [])]

    def _id(self, tag: str, href: str | None) -> str:
        for index, (t, h, ident) in enumerate(self.free):
            if (t, h) == (tag, href):
                del self.free[index]
                return ident
        taken = {int(i) for _t, _h, i in self.ids if i.isdigit()}
        ident = str(max(taken, default=0) + 1)
        self.ids.append((tag, href, ident))
        return ident

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == inline.BR:
            self.stack[-1][1].append(placeables.X(id=self._id(tag, None), xml_attrib={"ctype": LINE_BREAK}))
        else:
            href = dict(attrs).get("href") if tag == "a" else None
            self.stack.append(((tag, href, self._id(tag, href)), []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) < 2:
            return
        opened, children = self.stack.pop()
        assert opened is not None
        name, href, ident = opened
        attrib = {"ctype": CTYPE_PREFIX + name}
        if href:
            attrib[HREF] = href
        self.stack[-1][1].append(placeables.G(id=ident, sub=children, xml_attrib=attrib))

    def handle_data(self, data: str) -> None:
        self.stack[-1][1].append(StringElem(data))


@dataclass
class Reading:
    """What :func:`from_placeables` found: the plain ``text``, its ``marks``, the source's
    elements by id (``elements``: id -> (tag, href), to complete a target's bare ``<g>``) and
    one line per thing it could not keep (``dropped``)."""

    text: str = ""
    marks: list[inline.Mark] = field(default_factory=list)
    elements: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)

    @property
    def html(self) -> str | None:
        """The text with its marks as an HTML fragment of the subset, or None without marks."""
        if not self.marks:
            return None
        return inline.render(self.text, self.marks)


def from_placeables(tree: StringElem, known: dict[str, tuple[str, str | None]]) -> Reading:
    """The text and marks of a StringElem tree read by translate-toolkit from a ``<source>`` or
    ``<target>``; ``known`` maps ids of the source's elements to (tag, href). Never raises."""
    reading = Reading(elements=dict(known))
    _walk(tree, reading)
    # The plain text writes sup/sub digits as Unicode forms, as ingestion does (inline.parse).
    reading.text = inline.scripted(reading.text, reading.marks)
    return reading


def _kind(elem: StringElem, reading: Reading) -> tuple[str, str | None] | None:
    attrib = getattr(elem, "xml_attrib", None) or {}
    ctype = attrib.get("ctype", "")
    href = next((v for k, v in attrib.items() if k == "href" or k.endswith("}href")), None)
    tag = ctype[len(CTYPE_PREFIX) :] if ctype.startswith(CTYPE_PREFIX) else PREDEFINED.get(ctype)
    if tag is None and not ctype and elem.id in reading.elements:
        return reading.elements[elem.id]
    if tag is None or tag not in inline.ALLOWED_TAGS or tag == inline.BR:
        return None
    if tag == "a" and href is None and elem.id in reading.elements:
        href = reading.elements[elem.id][1]
    return tag, href if tag == "a" else None


def _walk(elem: StringElem | str, reading: Reading) -> None:
    if isinstance(elem, str):
        reading.text += elem
        return
    if type(elem) is StringElem and elem.isleaf():
        reading.text += "".join(str(s) for s in elem.sub)
        return
    if isinstance(elem, placeables.G):
        kind = _kind(elem, reading)
        start = len(reading.text)
        for sub in elem.sub:
            _walk(sub, reading)
        if kind is None:
            reading.dropped.append(f"<g id={elem.id!r}> of an unknown kind kept as its text")
        else:
            reading.elements.setdefault(str(elem.id), kind)
            if start < len(reading.text):
                reading.marks.append(inline.Mark(start, len(reading.text), kind[0], kind[1]))
        return
    if isinstance(elem, placeables.X | placeables.Bx | placeables.Ex):
        attrib = getattr(elem, "xml_attrib", None) or {}
        ctype = attrib.get("ctype") or reading.elements.get(str(elem.id), ("", None))[0]
        if isinstance(elem, placeables.X) and ctype in (LINE_BREAK, CTYPE_PREFIX + inline.BR, inline.BR):
            reading.elements.setdefault(str(elem.id), (LINE_BREAK, None))
            position = len(reading.text)
            reading.marks.append(inline.Mark(position, position, inline.BR))
        else:
            reading.dropped.append(f"<{_name(elem)} id={elem.id!r}> dropped")
        return
    if isinstance(elem, placeables.UnknownXML):
        name = _name(elem)
        if name in NATIVE_CODE:
            reading.dropped.append(f"<{name}> (native code) dropped")
            return
        if name != "mrk":
            reading.dropped.append(f"<{name}> unwrapped")
    for sub in elem.sub:
        _walk(sub, reading)


def _name(elem: StringElem) -> str:
    node = getattr(elem, "xml_node", None)
    if node is not None and isinstance(node.tag, str):
        return str(node.tag).rsplit("}", 1)[-1]
    return type(elem).__name__.lower()
