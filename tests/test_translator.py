"""The service's translation path on real (demo) Argos packages: structure, memory, models, glossary."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

import pytest

from syndicate import ingest, segment
from syndicate.config import load
from syndicate.model import Article, Kind, Paragraph
from syndicate.store import Store
from syndicate.translation import demo, packages
from syndicate.translation.engine import Engine, EngineOptions
from syndicate.translation.glossary import Glossary, Term
from syndicate.translation.memory import DictMemory
from syndicate.translation.translator import translate_articles
from tests.conftest import ARTICLES

CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class CountingEngine(Engine):
    """The real engine, counting the segments it sends to the model."""

    def __init__(self, options: EngineOptions):
        super().__init__(options)
        self.sent: list[str] = []

    def translate_hypotheses(self, from_code, to_code, segments):
        self.sent.extend(segments)
        return super().translate_hypotheses(from_code, to_code, segments)


@pytest.fixture
def engine(installed_packages) -> CountingEngine:
    return CountingEngine(EngineOptions(installed_packages))


def library() -> Article:
    return ingest.parse_bytes(
        (ARTICLES / "library-reopens-2017.txt").read_bytes(), zone=load({}).zone, max_bytes=10**6
    )


def twenty_sentences(changed: int | None = None) -> Article:
    sentences = [f"The council met on day {i} to discuss the harbour bridge plan." for i in range(1, 21)]
    if changed is not None:
        sentences[changed] = "The council cancelled the meeting because of the storm."
    paragraphs = tuple(Paragraph(Kind.PARAGRAPH, " ".join(sentences[i : i + 4])) for i in range(0, 20, 4))
    return Article("Council meetings", datetime(2020, 1, 1, tzinfo=UTC), paragraphs)


def test_structure_kinds_order_and_numbers(engine):
    article = library()
    for lang in ("ru", "ja"):
        (result,) = translate_articles(engine, [article], lang)
        translation = result.translation
        assert result.ok, result.issues
        assert [p.kind for p in translation.paragraphs] == [p.kind for p in article.paragraphs]
        assert all(p.text for p in translation.paragraphs)
        assert translation.title and translation.provenance.demo
        assert "1,200" in translation.paragraphs[1].text and "6" in translation.paragraphs[2].text
    # The title and each sentence are their own segments.
    sentences = sum(len(segment.sentences(p.text)) for p in article.paragraphs)
    assert len(engine.sent) == 2 * (1 + sentences)


def test_japanese_joins_sentences_without_space_and_uses_corner_quotes(engine):
    article = Article(
        "T",
        datetime(2020, 1, 1, tzinfo=UTC),
        (Paragraph(Kind.QUOTE, "“The bridge opens,” she said. “Ships pass.”"),),
    )
    (result,) = translate_articles(engine, [article], "ja")
    text = result.translation.paragraphs[0].text
    assert text.count("「") == 2 and text.count("」") == 2
    assert " 「" not in text and "“" not in text
    (ru,) = translate_articles(engine, [article], "ru")
    assert ru.translation.paragraphs[0].text.count("«") == 2


def test_memory_hits_and_one_changed_sentence(engine):
    memory = DictMemory()
    (first,) = translate_articles(engine, [twenty_sentences()], "ru", memory=memory)
    assert first.from_memory == 0 and len(engine.sent) == 21
    engine.sent.clear()
    (again,) = translate_articles(engine, [twenty_sentences()], "ru", memory=memory)
    assert again.from_memory == 21 and engine.sent == []
    assert again.translation == first.translation
    (edited,) = translate_articles(engine, [twenty_sentences(changed=7)], "ru", memory=memory)
    assert engine.sent == ["The council cancelled the meeting because of the storm."]
    assert edited.from_memory == 20


def test_repeated_sentences_in_one_batch_are_translated_once(engine):
    a, b = twenty_sentences(), dataclasses.replace(twenty_sentences(changed=3), title="Other title")
    translate_articles(engine, [a, b], "ja")
    assert len(engine.sent) == len(set(engine.sent)) == 23  # 20 + 1 changed + 2 titles


def test_memory_in_the_store(engine, data_dir):
    store = Store(f"sqlite:///{data_dir / 'db.sqlite'}")
    translate_articles(engine, [twenty_sentences()], "ja", memory=store.memory)
    engine.sent.clear()
    (again,) = translate_articles(engine, [twenty_sentences(changed=0)], "ja", memory=store.memory)
    assert len(engine.sent) == 1 and again.from_memory == 20
    store.close()


def test_new_model_version_misses_memory_and_keeps_old_entries(engine, data_dir, tmp_path):
    memory = DictMemory()
    translate_articles(engine, [twenty_sentences()], "ru", memory=memory)
    assert len(memory.entries) == 21
    archive = demo.build_package("ru", tmp_path, version="0.2.0", seed=11)
    packages.remove(packages.find(data_dir / "argos-packages", "en", "ru"))
    packages.install_file(archive, data_dir / "argos-packages")
    upgraded = CountingEngine(engine.options)  # a restarted worker loads the new version
    (result,) = translate_articles(upgraded, [twenty_sentences()], "ru", memory=memory)
    assert result.from_memory == 0 and len(upgraded.sent) == 21
    assert result.translation.provenance.model_version == "0.2.0"
    assert len(memory.entries) == 42  # nothing was invalidated silently: old entries remain


def test_fresh_ignores_and_overwrites_memory(engine):
    memory = DictMemory()
    translate_articles(engine, [twenty_sentences()], "ru", memory=memory)
    engine.sent.clear()
    (result,) = translate_articles(engine, [twenty_sentences()], "ru", memory=memory, use_memory=False)
    assert result.from_memory == 0 and len(engine.sent) == 21
    assert len(memory.entries) == 21


def test_glossary_renders_terms_and_keeps_names(engine):
    glossary = Glossary(
        (Term("Kuril Islands", {"ru": "Курильские острова", "ja": "千島列島"}), Term("NASA", keep=True))
    )
    article = Article(
        "Talks on the Kuril Islands",
        datetime(2020, 1, 1, tzinfo=UTC),
        (
            Paragraph(
                Kind.LEAD, "NASA photographed the Kuril Islands in 2019. See https://example.org/photos."
            ),
        ),
    )
    (ru,) = translate_articles(engine, [article], "ru", glossary=glossary)
    (ja,) = translate_articles(engine, [article], "ja", glossary=glossary)
    assert "Курильские острова" in ru.translation.title
    assert "Курильские острова" in ru.translation.paragraphs[0].text
    assert "千島列島" in ja.translation.paragraphs[0].text
    for result in (ru, ja):
        text = result.translation.paragraphs[0].text
        assert "NASA" in text and "https://example.org/photos" in text and "2019" in text
        assert result.ok, result.issues


def test_glossary_change_misses_memory_only_where_a_term_applies(engine):
    memory = DictMemory()
    article = Article(
        "Title",
        datetime(2020, 1, 1, tzinfo=UTC),
        (Paragraph(Kind.LEAD, "Ships reached the Kuril Islands. The weather was calm."),),
    )
    old = Glossary((Term("Kuril Islands", {"ru": "Курилы"}),))
    new = Glossary((Term("Kuril Islands", {"ru": "Курильские острова"}),))
    translate_articles(engine, [article], "ru", memory=memory, glossary=old)
    engine.sent.clear()
    (result,) = translate_articles(engine, [article], "ru", memory=memory, glossary=new)
    assert len(engine.sent) == 1 and "7301" in engine.sent[0]  # only the sentence with the term
    assert "Курильские острова" in result.translation.paragraphs[0].text
    assert old.version != new.version


def test_protected_spans_come_out_byte_identical(engine):
    """Demo models (their output is not a translation) with every kind of verbatim span."""
    kept = [
        "https://example.org/timetable?line=N4&day=fri#x",
        "news.desk@example.org",
        "@harbour_ops",
        "#N4Line",
        "example.org/market",
    ]
    text = (
        f"Check {kept[0]} or write to {kept[1]}, ask {kept[2]} with {kept[3]} and buy at {kept[4]}. "
        "The night bus runs at 14:30."
    )
    article = Article("Night buses", datetime(2020, 1, 1, tzinfo=UTC), (Paragraph(Kind.LEAD, text),))
    for lang in ("ru", "ja"):
        engine.sent.clear()
        (result,) = translate_articles(engine, [article], lang)
        out = result.translation.paragraphs[0].text
        for span in kept:
            assert out.count(span) == 1, (lang, span, out)
            assert not any(span in sent for sent in engine.sent)  # the model never saw it
        assert result.ok, result.issues


def test_glossary_entries_applied_are_reported_with_their_place(engine):
    glossary = Glossary(
        (Term("Harbour Authority", {"ru": "Управление порта"}), Term("e-scooter", {"ru": "электросамокат"}))
    )
    article = Article(
        "The harbour authority bans e-scooters",
        datetime(2020, 1, 1, tzinfo=UTC),
        (Paragraph(Kind.LEAD, "Ships sailed. The Harbour Authorities' rules changed."),),
    )
    (result,) = translate_articles(engine, [article], "ru", glossary=glossary)
    assert [a.to_dict() for a in result.glossary] == [
        {"entry": "Harbour Authority", "seen": "harbour authority", "segment": 0, "paragraph": -1},
        {"entry": "e-scooter", "seen": "e-scooters", "segment": 0, "paragraph": -1},
        {"entry": "Harbour Authority", "seen": "Harbour Authorities'", "segment": 2, "paragraph": 0},
    ]
    assert "Управление порта" in result.translation.title and "электросамокат" in result.translation.title
    (ja,) = translate_articles(engine, [article], "ja", glossary=glossary)
    assert ja.glossary == []  # no ja renderings: nothing applied, and that is no error
