"""The engine keeps article structure: one segment per title and sentence, paragraphs in order."""

from __future__ import annotations

from syndicate import ingest
from syndicate.config import load
from syndicate.model import Kind
from syndicate.translation.engine import Engine, EngineOptions
from tests.conftest import ARTICLES


def test_translation_keeps_paragraph_kinds_and_order(installed_packages):
    article = ingest.parse_bytes(
        (ARTICLES / "library-reopens-2017.txt").read_bytes(), zone=load({}).zone, max_bytes=10**6
    )
    engine = Engine(EngineOptions(installed_packages))
    for lang in ("ru", "ja"):
        translation = engine.translate_article(article, lang)
        assert [p.kind for p in translation.paragraphs] == [p.kind for p in article.paragraphs]
        assert all(p.text for p in translation.paragraphs)
        assert translation.title and translation.title != article.title
        assert translation.provenance.demo
        assert "1,200" in translation.paragraphs[1].text
    ja = engine.translate_article(article, "ja")
    heading = next(p for p in ja.paragraphs if p.kind == Kind.HEADING)
    assert heading.text


def test_japanese_sentences_joined_without_space(installed_packages):
    engine = Engine(EngineOptions(installed_packages))
    one, two = engine.translate_segments("en", "ja", ["The bridge opens.", "Ships pass."])
    from datetime import UTC, datetime

    from syndicate.model import Article, Paragraph

    article = Article(
        "T", datetime(2020, 1, 1, tzinfo=UTC), (Paragraph(Kind.LEAD, "The bridge opens. Ships pass."),)
    )
    assert engine.translate_article(article, "ja").paragraphs[0].text == one + two
