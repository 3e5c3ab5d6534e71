"""Ingestion: turn what an operator submits into an Article, or reject it with a reason.

One module per input format (scrape_text, html_format, json_format), shared decoding
(decode.py), structure rules (structure.py) and checks (checks.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from enum import StrEnum

from syndicate.ingest import checks, html_format, json_format, scrape_text
from syndicate.ingest.decode import decode
from syndicate.ingest.errors import Rejected
from syndicate.ingest.structure import LeadPolicy
from syndicate.model import Article

__all__ = ["Format", "IngestOptions", "LeadPolicy", "Rejected", "detect_format", "parse", "parse_bytes"]

_HTML = re.compile(r"<(?:!doctype html|html|head|body|article|p)[\s>]", re.IGNORECASE)

# Every format's parser: (text, zone for dates without an offset, language, lead policy) -> Article.
Parser = Callable[[str, tzinfo, str, LeadPolicy], Article]


class Format(StrEnum):
    """An input format (``--format``); AUTO detects it from the content (:func:`detect_format`)."""

    AUTO = "auto"
    TEXT = "text"
    HTML = "html"
    JSON = "json"


@dataclass(frozen=True)
class IngestOptions:
    """How one submission is read and checked.

    ``zone``: the zone of dates that carry no offset. ``max_bytes``: the largest input accepted,
    in bytes. ``lang``: the ISO 639-1 source language the article must be in. ``min_words``: the
    fewest whitespace-separated words the body may have. ``now``: the reference time for "a date
    in the future" (aware; default the current time, UTC).
    """

    zone: tzinfo = UTC
    max_bytes: int = 2_000_000
    lang: str = "en"
    format: Format = Format.AUTO
    lead_policy: LeadPolicy = LeadPolicy.TRIM
    min_words: int = 25
    # False when the operator declared the language: the detector is not asked.
    check_language: bool = True
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


def detect_format(text: str) -> Format:
    """JSON if the text opens with ``{``; HTML if it opens with ``<`` and one of the first 2,000
    characters starts an html, head, body, article or p element (or a doctype); else TEXT.
    Never AUTO."""
    head = text.lstrip()[:2000]
    if head.startswith("{"):
        return Format.JSON
    if head.startswith("<") and _HTML.search(head):
        return Format.HTML
    return Format.TEXT


def parse(text: str, options: IngestOptions) -> Article:
    """Parse decoded text in ``options.format`` and run the checks every article must pass.

    Returns an Article with an aware ``published``, exactly one LEAD paragraph and no empty
    paragraph. Raises a :class:`Rejected` subclass with a one-line reason: NoBody, NoTitle,
    BadDate (none, unparseable, or more than ``checks.FUTURE_SLACK`` ahead of ``options.now``),
    BadJson, CutLead (``LeadPolicy.REJECT``), TooShort or WrongLanguage.
    """
    fmt = detect_format(text) if options.format == Format.AUTO else options.format
    parsers: dict[Format, Parser] = {
        Format.TEXT: scrape_text.parse,
        Format.HTML: html_format.parse,
        Format.JSON: json_format.parse,
    }
    parser = parsers[fmt]
    article = parser(text, options.zone, options.lang, options.lead_policy)
    checks.check(article, min_words=options.min_words, now=options.now, check_language=options.check_language)
    return article


def parse_bytes(data: bytes, *, zone: tzinfo = UTC, max_bytes: int = 2_000_000, lang: str = "en",
                options: IngestOptions | None = None) -> Article:  # fmt: skip
    """Parse one submitted file's bytes: :func:`decode.decode`, then :func:`parse`.

    ``options`` wins over ``zone``, ``max_bytes`` (bytes) and ``lang`` when given. Raises a
    :class:`Rejected` subclass with a one-line reason: TooLarge, Empty, Binary or Undecodable
    from decoding, then whatever :func:`parse` raises.
    """
    options = options or IngestOptions(zone=zone, max_bytes=max_bytes, lang=lang)
    return parse(decode(data, options.max_bytes), options)
