"""Property-based: any text that passes the checks gives a well-formed article whose feeds parse."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import feedparser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds import document
from feeds.jsonfeed import jsonfeed_bytes
from feeds.xmlfeeds import atom_bytes, rss_bytes
from syndicate.ingest import IngestOptions, Rejected, parse_bytes
from syndicate.model import StoredArticle

WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
LINE = st.lists(WORDS, min_size=1, max_size=14).map(" ".join)
OPTIONS = IngestOptions(min_words=3, check_language=False, now=datetime(2030, 1, 1, tzinfo=UTC))
ENGLISH = (
    "The council met on Monday to discuss the ferry route across the strait, and officials said the "
    "journey would be shorter."
)


def _well_formed(article) -> None:
    assert article.title.strip() and article.published.tzinfo is not None
    assert article.paragraphs
    for text in (article.title, *(p.text for p in article.paragraphs)):
        assert text.strip() == text and text
        assert unicodedata.is_normalized("NFC", text)
        assert not any(unicodedata.category(c) == "Cc" for c in text)
        assert not any(c in text for c in "\u200b\u200d\ufeff")


def _feeds_parse(article) -> None:
    stored = StoredArticle(
        "abc0123456", 1, article, datetime(2030, 1, 1, tzinfo=UTC), updated={"en": article.published}
    )
    feed = document.build([stored], "en", base_url="https://n.example", source_lang="en", languages=("en",),
                          publisher="p")  # fmt: skip
    for data in (rss_bytes(feed), atom_bytes(feed)):
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.bozo_exception
        assert len(parsed.entries) == 1
    assert b'"items"' in jsonfeed_bytes(feed)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=LINE,
    paragraphs=st.lists(LINE, min_size=1, max_size=6),
    noise=st.sampled_from(["", "\r", "\u200b", "\x07"]),
)
def test_text_that_passes_gives_a_well_formed_article(title, paragraphs, noise):
    text = f"14 Mar, 2011 09:05\n\n{title}{noise}\n\n" + "\n\n".join([ENGLISH, *paragraphs]) + "\n"
    try:
        article = parse_bytes(text.encode("utf-8"), options=OPTIONS)
    except Rejected:
        return  # refused with a reason: allowed, and nothing would be stored
    _well_formed(article)
    _feeds_parse(article)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_are_parsed_or_refused_never_crash(data):
    try:
        article = parse_bytes(data, options=OPTIONS)
    except Rejected as exc:
        assert exc.message and "\n" not in exc.message
        return
    _well_formed(article)
