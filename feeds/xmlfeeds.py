"""RSS 2.0 and Atom documents rendered with feedgen.

feedgen 1.0 has bugs we work around through its extension mechanism, not string surgery:
entry links lose rel/type/hreflang (we write entry links in an entry extension), entries carry
no xml:lang (added by the same extension), RSS <author> needs an e-mail (we use dc:creator),
and timestamps default to "now" (we always set them, so unchanged content gives equal bytes).
One generator per format, because the self links differ.
"""

from __future__ import annotations

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feeds.document import Entry, Feed

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


class _FeedExtension(BaseExtension):
    """Nothing at feed level: feedgen's own feed links keep their attributes."""


class _EntryExtension(BaseEntryExtension):
    """Writes what feedgen's entries lose: typed, language-tagged links and xml:lang."""

    def __init__(self):
        self.entry: Entry | None = None

    def set(self, entry: Entry) -> None:
        self.entry = entry

    def extend_atom(self, element):
        entry = self.entry
        element.set(XML_LANG, entry.lang)
        content = element.find(f"{{{ATOM_NS}}}content")
        position = list(element).index(content) + 1 if content is not None else len(element)
        links = [{"rel": "alternate", "type": "text/html", "hreflang": entry.lang, "href": entry.url}]
        links += [
            {"rel": "related", "type": "text/html", "hreflang": r.lang, "href": r.href} for r in entry.related
        ]
        for offset, attrs in enumerate(links):
            link = etree.Element(f"{{{ATOM_NS}}}link")
            for key in ("href", "rel", "type", "hreflang"):
                link.set(key, attrs[key])
            element.insert(position + offset, link)
        return element

    def extend_rss(self, element):
        return element


def _generator(feed: Feed, fmt: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("syndicate", _FeedExtension, _EntryExtension, atom=True, rss=True)
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(feed.id)
    fg.title(feed.title)
    fg.description(feed.description)
    fg.language(feed.lang)
    fg.author({"name": feed.author})
    fg.generator("syndicate")
    fg.updated(feed.updated)
    fg.lastBuildDate(feed.updated)
    fg.link(href=feed.url(fmt), rel="self", type=MEDIA_TYPES[fmt])
    if fmt == "atom":
        for lang in feed.other_langs:
            fg.link(href=feed.url(fmt, lang), rel="alternate", type=MEDIA_TYPES[fmt], hreflang=lang)
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
        fe.syndicate.set(entry)
    return fg


def rss_bytes(feed: Feed) -> bytes:
    return _generator(feed, "rss").rss_str(pretty=True)


def atom_bytes(feed: Feed) -> bytes:
    return _generator(feed, "atom").atom_str(pretty=True)
