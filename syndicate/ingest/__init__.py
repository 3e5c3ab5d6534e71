"""Ingestion: turn what an operator submits into an Article, or reject it with a reason.

One module per input format (scrape_text, html_format, json_format), shared decoding
(decode.py), structure rules (structure.py) and checks (checks.py).
"""

from __future__ import annotations

import re
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


class Format(StrEnum):
    AUTO = "auto"
    TEXT = "text"
    HTML = "html"
    JSON = "json"


@dataclass(frozen=True)
class IngestOptions:
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
    head = text.lstrip()[:2000]
    if head.startswith("{"):
        return Format.JSON
    if head.startswith("<") and _HTML.search(head):
        return Format.HTML
    return Format.TEXT


def parse(text: str, options: IngestOptions) -> Article:
    fmt = detect_format(text) if options.format == Format.AUTO else options.format
    parser = {Format.TEXT: scrape_text.parse, Format.HTML: html_format.parse, Format.JSON: json_format.parse}[
        fmt
    ]
    article = parser(text, options.zone, options.lang, options.lead_policy)
    checks.check(article, min_words=options.min_words, now=options.now, check_language=options.check_language)
    return article


def parse_bytes(data: bytes, *, zone: tzinfo = UTC, max_bytes: int = 2_000_000, lang: str = "en",
                options: IngestOptions | None = None) -> Article:  # fmt: skip
    """Parse one submitted file. Raises Rejected with a one-line reason."""
    options = options or IngestOptions(zone=zone, max_bytes=max_bytes, lang=lang)
    return parse(decode(data, options.max_bytes), options)
