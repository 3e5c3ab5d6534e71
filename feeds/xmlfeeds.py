"""RSS 2.0 and Atom documents rendered with feedgen.

feedgen 1.0 has bugs we work around through its extension mechanism, not string surgery:
entry links lose rel/type/hreflang (we write entry links in an entry extension), entries carry
no xml:lang (added by the same extension), RSS channels get no atom:link but rel=self (a feed
extension adds the language alternates, the WebSub hub and the RFC 5005 archive links), RSS
<author> needs an e-mail (we use dc:creator), and timestamps default to "now" (we always set
them, so unchanged content gives equal bytes). One generator per format: the self links differ.
The one rewrite of serialized bytes, RSS's hexadecimal references (rss_bytes), keeps the XML.

Text is plain text (feeds.document) and never becomes markup. RSS readers treat ``<title>`` and
``<description>`` as HTML (feedparser, browsers, most web readers), so RSS gets text escaped for
HTML wherever it would read differently as HTML (html_text). Atom text constructs say what they
hold (RFC 4287 3.1): ``type="text"`` when the text holds nothing a reader could take for markup,
else ``type="html"`` with the text escaped, so no reader mistakes it and the W3C validator sees
no undeclared HTML. Both formats carry the same string; only the Atom ``type`` says which.
"""

from __future__ import annotations

import html
import re

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feeds.document import TRANSLATION_SCHEME, Entry, Feed
from feeds.i18n import translation_kind_label

ATOM_NS = "http://www.w3.org/2005/Atom"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}

# How RSS writes the three XML escapes (see rss_bytes).
_HEX_REFERENCES = ((b"&amp;", b"&#x26;"), (b"&lt;", b"&#x3C;"), (b"&gt;", b"&#x3E;"))

# "<" opens a tag and "&" may start a character reference; the W3C validator also calls a bare
# "&" before any other character invalid HTML (NotHtml, measured on "議想&短さ"), so any "&"
# is escaped: text holding either reads differently as HTML.
_MARKUP_LIKE = re.compile(r"[<&]")


def html_text(text: str) -> str:
    """Plain ``text`` as text for an element or attribute readers take as HTML (RSS 2.0 title and
    description, OPML text): escaped (``&``, ``<``, ``>``) when it would read differently as HTML
    (reads_as_markup), else unchanged, so readers that take it as plain text show it as written
    too. Quotes stay as they are: they mean nothing in HTML text."""
    return html.escape(text, quote=False) if reads_as_markup(text) else text


def reads_as_markup(text: str) -> bool:
    """Whether plain ``text`` would show other characters if read as HTML, or not be valid HTML:
    it holds ``<`` or ``&``."""
    return _MARKUP_LIKE.search(text) is not None


def atom_type(text: str) -> str:
    """The RFC 4287 3.1 ``type`` of a text construct holding ``html_text(text)``.

    "text" when nothing in ``text`` could be read as markup (html_text left it as written), else
    "html". Both show the same characters; type="text" holding what looks like HTML draws the
    W3C validator's ContainsUndeclaredHTML, and sfeed shows type="html" text still escaped, so
    each construct takes the type that its readers read right.
    """
    return "html" if reads_as_markup(text) else "text"


def _feed_links(feed: Feed, fmt: str) -> list[dict[str, str]]:
    """Feed-level links besides rel=self: home page, other languages, hub, archives.

    Each is a dict of link attributes (rel, href, and type and hreflang where they apply). The
    first is the language's home page (``rel=alternate``, ``text/html``, ``{base}/{lang}/``):
    gofeed, rss-parser, XML::Feed and fastfeedparser take a feed's first alternate as its home,
    so it comes before the other languages' main feeds (``rel=alternate``, main feed only). Then
    the WebSub hub (``rel=hub``, W3C WebSub 4), and RFC 5005 ``current``, ``prev-archive`` and
    ``next-archive``.
    """
    kind = MEDIA_TYPES[fmt]
    links = [{"rel": "alternate", "type": "text/html", "hreflang": feed.lang, "href": feed.home_url}]
    if feed.page is None:
        links += [
            {"rel": "alternate", "type": kind, "hreflang": lang, "href": feed.url(fmt, lang)}
            for lang in feed.other_langs
        ]
    if feed.hub:
        links.append({"rel": "hub", "href": feed.hub})
    if feed.page is not None:
        links.append({"rel": "current", "type": kind, "href": feed.main_url(fmt)})
    if feed.prev_archive:
        links.append({"rel": "prev-archive", "type": kind, "href": feed.archive_url(fmt, feed.prev_archive)})
    if feed.next_archive:
        links.append({"rel": "next-archive", "type": kind, "href": feed.archive_url(fmt, feed.next_archive)})
    return links


# feedgen builds Atom from un-namespaced elements under a literal xmlns attribute, so a link
# added to an Atom document must be a plain "link"; a namespaced one is written "ns0:link",
# which sfeed does not take for a link. In RSS it is a real atom:link.
IN_ATOM, IN_RSS = "link", f"{{{ATOM_NS}}}link"


def _atom_link(parent: etree._Element, tag: str, attrs: dict[str, str], position: int | None = None) -> None:
    """Add a link element ``tag`` (IN_ATOM or IN_RSS) with href, rel, type and hreflang from
    ``attrs``, in that attribute order, appended or inserted at child index ``position``."""
    link = etree.SubElement(parent, tag)
    for key in ("href", "rel", "type", "hreflang"):
        if key in attrs:
            link.set(key, attrs[key])
    if position is not None:
        parent.insert(position, link)


class _FeedExtension(BaseExtension):
    """RSS channels: atom:link for everything feedgen keeps only in Atom; archives: fh:archive.

    ``feed`` is set right after feedgen creates the extension, before anything is rendered.
    """

    def __init__(self) -> None:
        self.feed: Feed | None = None

    def _feed(self) -> Feed:
        if self.feed is None:
            raise RuntimeError("feed extension rendered before its feed was set")
        return self.feed

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY_NS} if self.feed is not None and self.feed.page is not None else {}

    def extend_atom(self, root: etree._Element) -> etree._Element:
        feed = self._feed()
        for tag, text in (("title", feed.title), ("subtitle", feed.description)):
            element = root.find(tag)
            if element is not None:
                element.set("type", atom_type(text))
        if feed.page is not None:
            etree.SubElement(root, f"{{{HISTORY_NS}}}archive")
        return root

    def extend_rss(self, root: etree._Element) -> etree._Element:
        feed = self._feed()
        channel = root.find("channel")
        if channel is None:
            raise RuntimeError("feedgen wrote an RSS document without a channel")
        after = channel.find(f"{{{ATOM_NS}}}link")
        position = list(channel).index(after) + 1 if after is not None else len(channel)
        for offset, attrs in enumerate(_feed_links(feed, "rss")):
            _atom_link(channel, IN_RSS, attrs, position + offset)
        if feed.page is not None:
            etree.SubElement(channel, f"{{{HISTORY_NS}}}archive")
        return root


class _EntryExtension(BaseEntryExtension):
    """Writes what feedgen's entries lose: typed, language-tagged links and xml:lang.

    ``entry`` is set right after feedgen creates the entry, before anything is rendered.
    """

    def __init__(self) -> None:
        self.entry: Entry | None = None

    def _entry(self) -> Entry:
        if self.entry is None:
            raise RuntimeError("entry extension rendered before its entry was set")
        return self.entry

    def extend_atom(self, element: etree._Element) -> etree._Element:
        entry = self._entry()
        element.set(XML_LANG, entry.lang)
        for tag, text in (("title", entry.title), ("summary", entry.summary)):
            construct = element.find(tag)
            if construct is not None:
                construct.set("type", atom_type(text))
        content = element.find("content")
        position = list(element).index(content) + 1 if content is not None else len(element)
        # Exactly one alternate (the entry's own page, in its own language): readers take the
        # first or the last alternate, so more than one sends some to the wrong language.
        links = [{"rel": "alternate", "type": "text/html", "hreflang": entry.lang, "href": entry.url}]
        links += [
            {"rel": "related", "type": "text/html", "hreflang": r.lang, "href": r.href} for r in entry.related
        ]
        for offset, attrs in enumerate(links):
            _atom_link(element, IN_ATOM, attrs, position + offset)
        return element

    def extend_rss(self, element: etree._Element) -> etree._Element:
        for related in self._entry().related:
            _atom_link(
                element,
                IN_RSS,
                {"rel": "related", "type": "text/html", "hreflang": related.lang, "href": related.href},
            )
        return element


def _generator(feed: Feed, fmt: str) -> FeedGenerator:
    """A feedgen generator for ``feed`` in ``fmt`` ("rss" or "atom"), every timestamp from the
    feed (none from the clock)."""
    fg = FeedGenerator()
    fg.register_extension("syndicate", _FeedExtension, _EntryExtension, atom=True, rss=True)
    fg.syndicate.feed = feed
    fg.load_extension("dc", atom=False, rss=True)
    # Titles and descriptions are escaped where HTML would misread them, in both formats; the
    # extensions give Atom's the matching type (atom_type).
    fg.id(feed.id)  # archive pages are parts of the same logical feed
    fg.title(html_text(feed.title))
    fg.description(html_text(feed.description))
    fg.language(feed.lang)
    fg.author({"name": feed.author})
    fg.generator("syndicate")
    fg.updated(feed.updated)
    fg.lastBuildDate(feed.updated)
    fg.link(href=feed.url(fmt), rel="self", type=MEDIA_TYPES[fmt])
    if fmt == "atom":
        for attrs in _feed_links(feed, fmt):
            fg.link(**attrs)
    else:
        # RSS takes its channel <link> from the last link added, whatever its rel; feedgen writes
        # no other link into RSS (the extension writes the atom:links, home page first).
        fg.link(href=feed.home_url, rel="alternate", type="text/html", hreflang=feed.lang)

    for entry in feed.entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=False)
        fe.title(html_text(entry.title))
        fe.content(entry.content_html, type="html")
        fe.summary(html_text(entry.summary))  # in RSS, the item's <description>
        fe.published(entry.published)
        fe.updated(entry.updated)
        if fmt == "rss":
            fe.link(href=entry.url)
            fe.dc.dc_creator(entry.author)
        else:
            fe.author({"name": entry.author})
        if entry.translation is not None:
            # Who translated, as a category of our scheme (term machine-translation, post-edited
            # or human-translation); RSS takes the term (feedgen would write a label instead).
            kind = translation_kind_label(entry.translation.kind, entry.lang)
            label = {"label": kind} if fmt == "atom" else {}
            fe.category(term=entry.translation.term, scheme=TRANSLATION_SCHEME, **label)
        fe.syndicate.entry = entry
    return fg


def rss_bytes(feed: Feed) -> bytes:
    """The feed as an RSS 2.0 document: UTF-8 XML, pretty-printed; equal feeds give equal bytes.

    Titles and descriptions are text escaped for HTML where HTML would misread it (html_text);
    ``<channel><link>`` and the first
    ``atom:link rel=alternate`` are the language's home page ``{base}/{lang}/``.

    Entries carry ``guid isPermaLink="false"`` (the entry id), ``dc:creator`` for the author
    (RSS ``<author>`` must be an e-mail address) and ``atom:link rel=related`` per other
    language.

    XML escapes are hexadecimal character references (``&#x26;`` ``&#x3C;`` ``&#x3E;``), as the
    RSS Advisory Board's Best Practices Profile (Character Data) recommends: the same XML as
    ``&amp;``, but the W3C validator takes an escaped ``&amp;`` without them for HTML
    (ContainsHTML, CharacterData).
    """
    document: bytes = _generator(feed, "rss").rss_str(pretty=True)
    # Every "&" lxml writes starts an escape (a literal "&" is written "&amp;"), so each of these
    # strings is an escape of its character and its replacement leaves the parsed XML unchanged.
    for entity, reference in _HEX_REFERENCES:
        document = document.replace(entity, reference)
    return document


def atom_bytes(feed: Feed) -> bytes:
    """The feed as an Atom (RFC 4287) document: UTF-8 XML, pretty-printed; equal feeds give
    equal bytes. Each entry has ``xml:lang`` and exactly one ``rel=alternate`` link; the feed's
    first ``rel=alternate`` link is the language's home page; text constructs per atom_type."""
    return _generator(feed, "atom").atom_str(pretty=True)
