"""RSS 2.0 and Atom documents rendered with feedgen.

feedgen 1.0 has bugs we work around through its extension mechanism, not string surgery:
entry links lose rel/type/hreflang (we write entry links in an entry extension), entries carry
no xml:lang (added by the same extension), RSS channels get no atom:link but rel=self (a feed
extension adds the language alternates, the WebSub hub and the RFC 5005 archive links), RSS
<author> needs an e-mail (we use dc:creator), and timestamps default to "now" (we always set
them, so unchanged content gives equal bytes). One generator per format: the self links differ.
"""

from __future__ import annotations

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feeds.document import Entry, Feed

ATOM_NS = "http://www.w3.org/2005/Atom"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


def _feed_links(feed: Feed, fmt: str) -> list[dict[str, str]]:
    """Feed-level links besides rel=self and the home page: other languages, hub, archives.

    Each is a dict of link attributes (rel, href, and type and hreflang where they apply): the
    other languages' main feeds (``rel=alternate``, main feed only), the WebSub hub
    (``rel=hub``, W3C WebSub 4), and RFC 5005 ``current``, ``prev-archive`` and
    ``next-archive``.
    """
    kind = MEDIA_TYPES[fmt]
    links: list[dict[str, str]] = []
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
        if self._feed().page is not None:
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
    fg.id(feed.id)  # archive pages are parts of the same logical feed
    fg.title(feed.title)
    fg.description(feed.description)
    fg.language(feed.lang)
    fg.author({"name": feed.author})
    fg.generator("syndicate")
    fg.updated(feed.updated)
    fg.lastBuildDate(feed.updated)
    fg.link(href=feed.url(fmt), rel="self", type=MEDIA_TYPES[fmt])
    if fmt == "atom":
        for attrs in _feed_links(feed, fmt):
            fg.link(**attrs)
    # RSS takes its channel <link> from the last link added, whatever its rel: the home page last.
    fg.link(href=feed.home_url, rel="alternate", type="text/html", hreflang=feed.lang)

    for entry in feed.entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=False)
        fe.title(entry.title)
        fe.content(entry.content_html, type="html")
        fe.summary(entry.summary)
        fe.published(entry.published)
        fe.updated(entry.updated)
        if fmt == "rss":
            fe.link(href=entry.url)
            fe.dc.dc_creator(entry.author)
        else:
            fe.author({"name": entry.author})
        fe.syndicate.entry = entry
    return fg


def rss_bytes(feed: Feed) -> bytes:
    """The feed as an RSS 2.0 document: UTF-8 XML, pretty-printed; equal feeds give equal bytes.

    Entries carry ``guid isPermaLink="false"`` (the entry id), ``dc:creator`` for the author
    (RSS ``<author>`` must be an e-mail address) and ``atom:link rel=related`` per other
    language.
    """
    return _generator(feed, "rss").rss_str(pretty=True)


def atom_bytes(feed: Feed) -> bytes:
    """The feed as an Atom (RFC 4287) document: UTF-8 XML, pretty-printed; equal feeds give
    equal bytes. Each entry has ``xml:lang`` and exactly one ``rel=alternate`` link."""
    return _generator(feed, "atom").atom_str(pretty=True)
