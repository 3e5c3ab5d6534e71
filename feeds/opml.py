"""OPML: one document listing every feed, for readers that import subscriptions in bulk.

Spec: OPML 2.0 (http://opml.org/spec2.opml), subscription lists: ``type``, ``text``,
``xmlUrl``, ``htmlUrl`` and ``language`` on each feed's outline.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from feeds.document import FORMATS, feed_url

LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
KINDS = {"rss": "rss", "atom": "atom", "json": "json"}


def opml_bytes(base_url: str, languages: tuple[str, ...], publisher: str) -> bytes:
    """The OPML 2.0 document of every feed: one outline per language holding one outline per
    format (RSS, Atom, JSON Feed). UTF-8 XML ending in a newline; attribute values escaped.
    ``base_url`` is absolute, without a trailing slash."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(publisher)} feeds</title></head>",
        "  <body>",
    ]
    for lang in languages:
        lines.append(f"    <outline text={quoteattr(f'{publisher} [{lang}]')}>")
        for fmt in FORMATS:
            attrs = {
                "type": KINDS[fmt],
                "text": f"{publisher} [{lang}] {LABELS[fmt]}",
                "xmlUrl": feed_url(base_url, lang, fmt),
                "htmlUrl": f"{base_url}/{lang}/",
                "language": lang,
            }
            lines.append("      <outline " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>")
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


def _text(value: str) -> str:
    """``value`` escaped for XML character data."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
