"""OPML subscription lists: one feed per language, for readers that import subscriptions in bulk.

Spec: OPML 2.0 (http://opml.org/spec2.opml), subscription lists: each feed is an outline with
``type="rss"`` (the spec's one type for a feed, whatever its format), ``text``, ``title``,
``xmlUrl``, ``htmlUrl`` and ``language``. A list names each language's feed once: a reader
subscribes to every outline it imports, so listing every format subscribed readers to three
copies of each language. ``feeds.opml`` lists the Atom feeds; the other formats have their own
lists (OPML_FILES). Readers and the W3C validator take ``text`` and ``title`` as HTML, so text
that would read differently as HTML is escaped for it (feeds.xmlfeeds.html_text).
"""

from __future__ import annotations

from lxml import etree

from feeds.document import feed_url, page_url
from feeds.xmlfeeds import html_text

# File under the public directory (beside feeds/) -> the format its outlines subscribe to.
OPML_FILES = {"feeds.opml": "atom", "feeds-rss.opml": "rss", "feeds-json.opml": "json"}
LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


def opml_bytes(base_url: str, languages: tuple[str, ...], publisher: str, fmt: str = "atom") -> bytes:
    """The OPML 2.0 subscription list of each language's main feed in ``fmt`` (a key of
    feeds.document.FORMATS; KeyError otherwise), one flat outline per language in the order of
    ``languages``. UTF-8 XML ending in a newline; equal arguments give equal bytes. ``base_url``
    is absolute, without a trailing slash."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    label = "" if fmt == "atom" else f" ({LABELS[fmt]})"
    etree.SubElement(head, "title").text = html_text(f"{publisher} feeds{label}")
    body = etree.SubElement(root, "body")
    for lang in languages:
        name = html_text(f"{publisher} [{lang}]")
        # text is what readers show; the W3C validator also wants title (MissingTitleAttr).
        etree.SubElement(
            body,
            "outline",
            type="rss",
            text=name,
            title=name,
            xmlUrl=feed_url(base_url, lang, fmt),
            htmlUrl=page_url(base_url, lang),
            language=lang,
        )
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def opml_files(base_url: str, languages: tuple[str, ...], publisher: str) -> dict[str, bytes]:
    """Every subscription list: OPML_FILES' names (relative to the public directory) -> bytes."""
    return {name: opml_bytes(base_url, languages, publisher, fmt) for name, fmt in OPML_FILES.items()}
