"""Ingestion: turn what an operator submits into an Article, or reject it with a reason."""

from __future__ import annotations

from datetime import tzinfo

from syndicate.ingest import scrape_text
from syndicate.ingest.decode import decode
from syndicate.ingest.errors import Rejected
from syndicate.model import Article

__all__ = ["Rejected", "parse_bytes"]


def parse_bytes(data: bytes, *, zone: tzinfo, max_bytes: int, lang: str = "en") -> Article:
    """Parse one submitted file. Raises Rejected with a one-line reason."""
    return scrape_text.parse(decode(data, max_bytes), zone=zone, lang=lang)
