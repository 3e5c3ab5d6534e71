"""Markup where plain text was expected: HTML character references, and the leftovers of
scraping (script and style blocks, event-handler attributes, javascript: links) in a text scrape.

STUB: the interface the format parsers use; the rules are being built here.
"""

from __future__ import annotations

import html

from syndicate.ingest.options import Reading


def unescape_text(text: str) -> str:
    """``text`` with HTML character references decoded (``&#39;`` ``&quot;`` ``&amp;``
    ``&mdash;``), no-break spaces as spaces and invisible format characters removed."""
    return html.unescape(text).replace("\u00a0", " ")


def clean_scrape(text: str, reading: Reading) -> str:
    """A whole text scrape with the leftovers of scraping dropped (each kind noted on
    ``reading``) and character references decoded; line structure kept."""
    return text
