"""HTML blocks as paragraphs: the rules shared by saved pages (walked after trafilatura has
picked the article) and HTML fragments in JSON bodies (as CMS APIs return them).

A block element (``<p>``, ``<div>``, ...) is a paragraph; ``<h1>``-``<h6>`` a heading;
``<blockquote>`` a quote, its ``<cite>`` or ``<footer>`` the speaker, not text (the HTML
standard's and WordPress's quote attribution); each ``<li>`` a list item, nested lists
flattened in order. A run of two or more ``<br>`` separates blocks; a single ``<br>`` is a
space, never glue (issue 11: ``November.<br>Boats`` was read as one word). Text is plain:
inline markup gives its text.
"""

from __future__ import annotations

import re
from dataclasses import replace

import lxml.etree
import lxml.html

from syndicate.ingest import inline_html, structure
from syndicate.ingest.markup import unescape_text
from syndicate.ingest.options import Reading
from syndicate.model import Kind, Paragraph

# Where a run of <br>s stood: a printable character (trafilatura drops unprintable ones, such
# as the private-use area) that news text does not use; split on after extraction.
BREAK = "\u2e3f"
# Put before a quote's attribution (its <cite> or <footer>, which trafilatura turns into loose
# text or drops), so that the walker can tell the speaker from the words; printable for the same
# reason as BREAK.
CITED = "\u2e3e"
# A dash or tilde before an attribution: "— Anna Berg".
_ATTRIBUTION_DASH = re.compile(r"^[\s\u2014\u2013\u2015~-]+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
# trafilatura's XML names for the HTML elements it keeps.
_TRAFILATURA = {"head": "h2", "list": "ul", "item": "li", "quote": "blockquote", "lb": "br", "hi": "span",
                "ref": "a", "graphic": "img"}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LISTS = {"ul", "ol", "dl", "menu"}
_ITEMS = {"li", "dt", "dd"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "pre", "address", "center", "table",
    "tbody", "thead", "tr", "td", "th", "caption", "hr", "details", "summary", "body", "html", "fieldset",
}  # fmt: skip
# Not article text: media, embeds, forms, scripts; figure captions and asides (fact boxes, pull
# quotes that repeat the text) too. A pull quote (WordPress's ``<figure
# class="wp-block-pullquote">``, or a ``<blockquote class="pullquote">``) is left out and named:
# by definition it repeats a sentence of the article for emphasis (WordPress block docs: "give
# special visual emphasis to a quote from your text"), so keeping it would say it twice.
DROPPED = {
    "script", "style", "noscript", "template", "iframe", "svg", "math", "object", "embed", "video", "audio",
    "img", "picture", "canvas", "button", "form", "input", "select", "textarea", "figure", "aside", "nav",
}  # fmt: skip
# Page chrome no article text is in: menus, site header and footer, asides, forms, cookie
# banners (a <footer> inside a <blockquote> is the quote's attribution, not the site's footer).
# Removed before trafilatura reads the page (its recall settings keep menu text when a
# page has no article) and before htmldate looks for a date.
CHROME_XPATH = (
    "//nav | //footer[not(ancestor::blockquote)] | //aside | //form | //header[not(ancestor::article)] | "
    "//script | //style | "
    "//*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='complementary'] | "
    "//*[contains(@id, 'cookie') or contains(@class, 'cookie') or contains(@id, 'consent') "
    "or contains(@class, 'consent')]"
)


def drop_chrome(root: lxml.html.HtmlElement) -> None:
    """In place: remove the elements of CHROME_XPATH (their tails kept)."""
    for element in root.xpath(CHROME_XPATH):
        if element.getparent() is not None:
            element.drop_tree()


# A real tag of the elements above (or an inline one), not a lone "<" in text: "children <12".
_TAG = re.compile(
    r"</?(?:p|br|div|span|ul|ol|li|h[1-6]|blockquote|strong|em|b|i|u|a|section|figure|table|img|hr|"
    r"sup|sub|small|mark|q|cite|abbr|code|pre|dl|dt|dd)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


def decoded(text: str, reading: Reading) -> str:
    """``text`` with character references decoded and characters repaired
    (:func:`markup.unescape_text`, which notes what it did on ``reading``: one note for the
    references of every field) and whitespace collapsed."""
    return structure.collapse(unescape_text(text, reading))


def has_markup(text: str) -> bool:
    """Whether ``text`` holds at least one real HTML tag (block or inline, see ``_TAG``)."""
    return _TAG.search(text) is not None


def tag_of(element: lxml.etree._Element) -> str:
    """The element's HTML tag name, lower case, trafilatura's XML names mapped to HTML; "" for
    comments and processing instructions."""
    if not isinstance(element.tag, str):
        return ""
    tag = element.tag.lower()
    return _TRAFILATURA.get(tag, tag)


# Containers whose loose text (beside block children) is a paragraph of its own.
_CONTAINERS = ("div", "article", "section", "main", "body", "td")


def wrap_loose_text(root: lxml.etree._Element) -> None:
    """In place: in a container that holds block elements, each run of loose text (the
    container's own text, or a block's tail, with the inline elements that follow it up to the
    next block) is wrapped in a ``<p>``. trafilatura drops such runs (issue 11 review: the text
    after a ``</p>`` inside ``<article>`` was lost without a word)."""
    for container in list(root.iter(*_CONTAINERS)):
        children = list(container)
        if not any(_is_block(child) for child in children):
            continue
        runs: list[tuple[lxml.etree._Element | None, str | None, list[lxml.etree._Element]]] = []
        anchor: lxml.etree._Element | None = None
        text: str | None = container.text
        inline: list[lxml.etree._Element] = []
        for child in children:
            if _is_block(child):
                runs.append((anchor, text, inline))
                anchor, text, inline = child, child.tail, []
            else:
                inline.append(child)
        runs.append((anchor, text, inline))
        for anchor, text, inline in runs:
            if not _text(text) and not any(_text(plain(e)) or _text(e.tail) for e in inline):
                continue
            wrapper = lxml.html.Element("p")
            wrapper.text = text
            if anchor is None:
                container.text, index = None, 0
            else:
                anchor.tail, index = None, container.index(anchor) + 1
            for element in inline:
                wrapper.append(element)  # moves it, with its tail
            container.insert(index, wrapper)


def _is_block(element: lxml.etree._Element) -> bool:
    """Whether ``element`` starts a block of its own (a paragraph, heading, list, quote, ...)."""
    return tag_of(element) in _BLOCKS | HEADINGS | _LISTS | {"blockquote", "figure", "aside", "nav", "dl"}


def mark_breaks(root: lxml.etree._Element) -> None:
    """In place: mark what trafilatura would lose with printable characters that survive it.

    After each run of two or more ``<br>`` (only whitespace between them), keep the first
    ``<br>`` and put BREAK in its tail; drop the rest of the run. Each quote's attribution
    (:func:`mark_citations`) becomes a ``<p>`` opening with CITED. Each is skipped when the page
    already holds its character (it would split where the page did not)."""
    mark_citations(root)
    if BREAK in "".join(str(t) for t in root.itertext()):
        return
    for br in list(root.iter("br")):
        parent = br.getparent()
        if parent is None:
            continue  # dropped as part of an earlier run
        run = [br]
        while (nxt := run[-1].getnext()) is not None and tag_of(nxt) == "br" and not _text(run[-1].tail):
            run.append(nxt)
        if len(run) < 2:
            continue
        br.tail = BREAK + (run[-1].tail or "")
        for extra in run[1:]:
            extra.tail = None
            parent.remove(extra)


def mark_citations(root: lxml.etree._Element) -> None:
    """In place: in each ``<blockquote>``, its last child that is an attribution -- a ``<cite>``,
    a ``<footer>``, or a ``<p>`` holding only a ``<cite>`` and dashes -- is replaced by ``<p>``
    CITED + the name: the ``<cite>``'s text when it holds one ("— <cite>Anna Berg</cite>,
    mayor" gives "Anna Berg"), else its whole text, leading dashes removed. A ``<cite>`` inside
    the quote's sentences (a book's title) is text and stays. Nothing when the page holds CITED."""
    if CITED in "".join(str(t) for t in root.itertext()):
        return
    for quote in list(root.iter("blockquote")):
        children = [c for c in quote if tag_of(c)]
        if not children or (who := _attribution(children[-1])) is None:
            continue
        marked = lxml.html.Element("p")
        marked.text = CITED + who
        marked.tail = children[-1].tail
        quote.replace(children[-1], marked)


def _attribution(element: lxml.etree._Element) -> str | None:
    """The name an attribution element gives (see :func:`mark_citations`), else None."""
    tag = tag_of(element)
    cites = [c for c in element.iter() if tag_of(c) == "cite"]
    if tag == "p" and not (len(cites) == 1 and not _ATTRIBUTION_DASH.sub("", _outside(element, cites[0]))):
        return None
    if tag not in ("cite", "footer", "p"):
        return None
    source = cites[0] if cites and tag != "cite" else element
    return _ATTRIBUTION_DASH.sub("", plain(source)) or None


def _outside(element: lxml.etree._Element, inner: lxml.etree._Element) -> str:
    """The text of ``element`` without that of its descendant ``inner`` (tail kept)."""
    return plain(element).replace(plain(inner), "", 1).strip()


def _text(value: str | None) -> str:
    """``value`` without whitespace (no-break spaces included); "" for None."""
    return "".join((value or "").split())


def plain(element: lxml.etree._Element, skip: set[str] | None = None) -> str:
    """The element's text content, whitespace collapsed: ``<br>`` and block boundaries are
    spaces, BREAK a space; DROPPED elements and descendants tagged in ``skip`` left out (their
    tails kept)."""
    parts: list[str] = []
    _plain_into(element, parts, skip or set())
    return structure.collapse("".join(parts).replace(BREAK, " "))


def _plain_into(element: lxml.etree._Element, parts: list[str], skip: set[str]) -> None:
    """Append the text of ``element`` (see :func:`plain`) to ``parts``, without its tail."""
    tag = tag_of(element)
    if tag in DROPPED or not tag:
        return
    spaced = tag == "br" or tag in _BLOCKS or tag in HEADINGS or tag in _LISTS or tag in _ITEMS
    parts.append(" " if spaced else "")
    parts.append(element.text or "")
    for child in element:
        if tag_of(child) not in skip:
            _plain_into(child, parts, skip)
        parts.append(child.tail or "")
    parts.append(" " if spaced else "")


class _Walker:
    """Walks a tree in document order, collecting paragraphs (see the module docstring)."""

    def __init__(self, marking: inline_html.Marking) -> None:
        self.marking = marking  # the inline markup, carried in the text as characters
        self.paragraphs: list[Paragraph] = []
        self.pending: list[str] = []  # inline text not yet closed by a block boundary
        self.dropped: set[str] = set()  # DROPPED tags that held text

    def flush(self) -> None:
        """Close the pending inline text: one paragraph per BREAK-separated piece."""
        for piece in "".join(self.pending).split(BREAK):
            text, markup = self.marking.split(structure.collapse(piece.replace(CITED, " ")))
            if text:
                self.paragraphs.append(replace(structure.paragraph(text, single_line=False), html=markup))
        self.pending = []

    def add(self, kind: Kind, element: lxml.etree._Element) -> None:
        """Close pending text, then add ``element``'s whole text as one paragraph of ``kind``."""
        self.flush()
        text = plain(element)
        who: str | None = None
        if kind == Kind.QUOTE and CITED in text:
            text, _, cited = text.partition(CITED)
            text, who = text.strip(), structure.collapse(inline_html.strip(cited).replace(CITED, " ")) or None
        text, markup = self.marking.split(structure.collapse(text.replace(CITED, " ")))
        if text:
            who = who or (structure.speaker(text) if kind == Kind.QUOTE else None)
            self.paragraphs.append(Paragraph(kind, text, who, markup))

    def visit(self, element: lxml.etree._Element) -> None:
        """Walk ``element`` and its children (not its tail)."""
        tag = tag_of(element)
        if not tag:
            return
        if tag in DROPPED or (tag == "blockquote" and _is_pull_quote(element)):
            if plain_text_of(element):
                self.dropped.add("pull quote" if _is_pull_quote(element) else tag)
        elif tag in HEADINGS:
            self.add(Kind.HEADING, element)
        elif tag == "blockquote":
            self.add(Kind.QUOTE, element)
        elif tag in _LISTS:
            self.flush()
            self.items(element)
        elif tag == "br":
            self.pending.append(" ")
        else:
            block = tag in _BLOCKS or tag in _ITEMS
            if block:
                self.flush()
            self.pending.append(element.text or "")
            for child in element:
                self.visit(child)
                self.pending.append(child.tail or "")
            if block:
                self.flush()

    def items(self, element: lxml.etree._Element) -> None:
        """Each item of a list as an ITEM, in order; a nested list's items follow its parent's."""
        for child in element:
            tag = tag_of(child)
            if tag in _ITEMS:
                self.flush()
                text, markup = self.marking.split(
                    structure.collapse(plain(child, skip=_LISTS).replace(CITED, " "))
                )
                if text:
                    self.paragraphs.append(Paragraph(Kind.ITEM, text, html=markup))
                for sub in child.iter():
                    if tag_of(sub) in _LISTS and _nearest_item(sub) is child:
                        self.items(sub)
            elif tag in _LISTS:
                self.items(child)
            elif tag:
                self.visit(child)
            self.pending.append(child.tail or "")
        self.flush()


def _is_pull_quote(element: lxml.etree._Element) -> bool:
    """Whether ``element`` is a pull quote: a figure or blockquote whose class names one."""
    return tag_of(element) in ("figure", "blockquote") and "pullquote" in (element.get("class") or "")


def _nearest_item(element: lxml.etree._Element) -> lxml.etree._Element | None:
    """The closest list-item ancestor of ``element``."""
    return next((a for a in element.iterancestors() if tag_of(a) in _ITEMS), None)


def plain_text_of(element: lxml.etree._Element) -> str:
    """All text inside ``element``, dropped elements included, whitespace collapsed."""
    return structure.collapse("".join(str(t) for t in element.itertext()))


def paragraphs(
    root: lxml.etree._Element, base: str | None = None, notes: list[str] | None = None
) -> tuple[list[Paragraph], set[str]]:
    """The paragraphs of a tree (an HTML element, or trafilatura's XML body), in order, and the
    DROPPED tags that held text ("pull quote" for a pull quote). Kinds: HEADING, QUOTE (speaker
    its attribution, marked by :func:`mark_citations`, else found by :func:`structure.speaker`),
    ITEM, else PARAGRAPH, or QUOTE when it opens with a quotation mark
    (:func:`structure.paragraph`). Never LEAD, never an empty text. Inline markup becomes each
    paragraph's ``html`` (:mod:`inline_html`; the tree is marked in place), links resolved
    against ``base``; links kept as text are said on ``notes``."""
    marking = inline_html.mark_tree(root, base)
    if notes is not None:
        notes += marking.notes()
    walker = _Walker(marking)
    walker.visit(root)
    walker.flush()
    return walker.paragraphs, walker.dropped


def fragment_paragraphs(
    fragment: str, base: str | None = None, notes: list[str] | None = None
) -> tuple[list[Paragraph], set[str]]:
    """The paragraphs of an HTML fragment (``<p>...</p><ul>...</ul>``, or inline text with
    ``<br>``s or blank lines between paragraphs), as :func:`paragraphs` gives them;
    ``([], set())`` for a fragment with no text. Character references are decoded by the HTML
    parser. ``base`` and ``notes``: as for :func:`paragraphs`."""
    if not fragment.strip():
        return [], set()
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    mark_breaks(root)
    # Outside any block element, a blank line separates paragraphs, as in a CMS's raw post
    # content ("One <em>x</em>.\n\nTwo."), where no <p> is written.
    root.text = _BLANK_LINE.sub(BREAK, root.text or "")
    for child in root:
        child.tail = _BLANK_LINE.sub(BREAK, child.tail or "")
    return paragraphs(root, base, notes)
