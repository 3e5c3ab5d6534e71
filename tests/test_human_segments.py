"""Human segments win over machine translation (issue 16, item 1), the gate leaves them to the
person (item 6), and every feed format says who translated (item 6). Demo models: their output
is NOT a translation; these tests only look at which text came from whom."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from lxml import etree

from feeds import document, i18n
from feeds.jsonfeed import jsonfeed_bytes
from feeds.xmlfeeds import atom_bytes, rss_bytes
from syndicate import pipeline
from syndicate.model import Article, JobState, Kind, Paragraph, Provenance, StoredArticle, Translation
from syndicate.store import JobKey, Store
from syndicate.translation import quality, segments
from syndicate.translation.engine import Engine, EngineOptions
from syndicate.translation.memory import DictMemory
from syndicate.translation.translator import translate_articles
from tests.store_helpers import add

SENTENCES = [
    "The harbour bridge opens on Monday.",
    'The mayor said "it is finished" at the ceremony.',
    "Details are at https://example.org/bridge?day=mon today.",
]


def article(first: str = SENTENCES[0]) -> Article:
    return Article(
        "Harbour bridge opens",
        datetime(2020, 1, 1, 12, tzinfo=UTC),
        (Paragraph(Kind.LEAD, " ".join([first, *SENTENCES[1:]])), Paragraph(Kind.PARAGRAPH, SENTENCES[0])),
    )


class Counting(Engine):
    """The real engine, counting the segments it sends to the model."""

    def __init__(self, options: EngineOptions):
        super().__init__(options)
        self.sent: list[str] = []

    def translate_hypotheses(self, from_code, to_code, segs):
        self.sent.extend(segs)
        return super().translate_hypotheses(from_code, to_code, segs)


class People:
    """A human memory in a dict (the store's is tested below)."""

    def __init__(self, *found: segments.HumanSegment) -> None:
        self.found = {s.key: s for s in found}

    def lookup_human(self, keys):
        return {k: self.found[k] for k in keys if k in self.found}


def person(source: str, target: str, lang: str = "ru") -> segments.HumanSegment:
    return segments.HumanSegment(segments.human_key(source, "en", lang), source, target, "en", lang)


@pytest.fixture
def engine(installed_packages) -> Counting:
    return Counting(EngineOptions(installed_packages))


def test_segment_ids_are_stable_per_sentence_and_occurrence():
    ids = segments.segment_ids(["Title", "One.", "Two.", "One."])
    assert len(set(ids)) == 4
    assert ids[1].endswith("-1") and ids[3].endswith("-2") and ids[1][:-2] == ids[3][:-2]
    # Another sentence before it, white space changed: the same id.
    assert segments.segment_ids(["Title", "New.", "One.  "])[2] == ids[1]
    # A changed sentence is another segment.
    assert segments.segment_ids(["Title", "One!"])[1] != ids[1]


def test_human_key_ignores_the_model_but_not_the_pair_or_glossary():
    key = segments.human_key("One  sentence.", "en", "ru")
    assert key == segments.human_key("One sentence.", "en", "ru")
    assert key != segments.human_key("One sentence.", "en", "ja")
    assert key != segments.human_key("One sentence.", "en", "ru", "0123456789abcdef")


def test_machine_translation_records_every_segment(engine):
    (result,) = translate_articles(engine, [article()], "ru", memory=DictMemory())
    records = result.records
    assert [r["paragraph"] for r in records] == [-1, 0, 0, 0, 1]
    assert all(r["origin"] == "machine" and r["reviewed"] is False for r in records)
    # The same sentence twice (lead and second paragraph): two occurrences, two ids.
    assert records[1]["id"][:-2] == records[4]["id"][:-2] and records[1]["id"] != records[4]["id"]
    assert records[3]["target"].count("https://example.org/bridge?day=mon") == 1
    assert result.translation.provenance.kind == "machine"
    assert (result.translation.provenance.segments, result.translation.provenance.human_segments) == (5, 0)


def test_a_human_segment_wins_as_written_whatever_the_model(engine):
    # Straight quotes that Russian typography would turn into «ёлочки»: kept as the person wrote them.
    edited = 'Мост "открыт" в понедельник.'
    people = People(person(SENTENCES[0], edited))
    memory = DictMemory()
    (result,) = translate_articles(engine, [article()], "ru", memory=memory, human=people)
    assert SENTENCES[0] not in engine.sent
    assert result.translation.paragraphs[0].text.startswith(edited + " ")
    assert result.translation.paragraphs[1].text == edited
    humans = [r for r in result.records if r["origin"] == "human"]
    assert len(humans) == 2 and all(r["reviewed"] and r["target"] == edited for r in humans)
    assert result.translation.provenance.kind == "post-edited"
    assert result.from_human == 2
    # A new model version misses the machine memory, never the human segment.
    (again,) = translate_articles(
        engine, [article()], "ru", memory=DictMemory(), human=people, use_memory=False
    )
    assert again.translation.paragraphs[1].text == edited


def test_the_gate_leaves_machine_checks_off_human_segments_but_checks_protected_text(engine):
    english = "This stays English on purpose, the editor decided so."
    no_url = "Подробности на сайте сегодня."
    people = People(person(SENTENCES[1], english), person(SENTENCES[2], no_url))
    (result,) = translate_articles(engine, [article()], "ru", memory=DictMemory(), human=people)
    checks = {i.check for i in result.issues}
    assert "untranslated" not in checks and "length" not in checks
    assert "protected" in checks
    by_source = {r["source"]: r for r in result.records}
    assert by_source[SENTENCES[1]]["issues"] == []
    assert any(i.startswith("protected:") for i in by_source[SENTENCES[2]]["issues"])


def test_quality_check_skips_machine_checks_on_human_segments_only():
    source = "The council met on Monday to discuss the bridge for 3 hours."
    machine = quality.Segment(source, source, source, source)
    human = quality.Segment(source, source, source, source, human=True)
    assert {i.check for i in quality.check([machine], "ru")} >= {"untranslated"}
    assert quality.check([human], "ru") == []
    # A person may write the number in words; a protected span lost still counts.
    words = quality.Segment(source, source, "Совет заседал три часа.", "Совет заседал три часа.", human=True)
    assert quality.check([words], "ru") == []
    lost = quality.Segment(source, source, "Совет.", "Совет.", ("https://x.example/",), human=True)
    assert [i.check for i in quality.check([lost], "ru")] == ["protected"]
    each, overall = quality.check_each([machine, human], "ru")
    assert each[1] == [] and each[0] and [i.check for i in overall] == ["script"]


def test_store_keeps_human_segments_and_the_worker_uses_them(database_url, installed_packages):
    store = Store(database_url)
    engine = Engine(EngineOptions(installed_packages))
    sub = add(store, article(), ("en", "ru"))
    store.human.remember([person(SENTENCES[0], "Мост открыт.")])
    key = JobKey(sub.article_id, sub.revision, "ru")
    assert pipeline.translate_job(store, engine, key).outcome == pipeline.Outcome.TRANSLATED
    records = store.translations.segments(key)
    assert [r["origin"] for r in records] == ["machine", "human", "machine", "machine", "human"]
    made = store.translations.get(key).provenance
    assert (made.kind, made.segments, made.human_segments) == ("post-edited", 5, 2)
    assert store.jobs.get(key).state == JobState.TRANSLATED
    assert (
        store.human.forget([records[1]["key"]]) == 1 and store.human.lookup_human([records[1]["key"]]) == {}
    )
    store.close()


def test_provenance_kind_and_text_in_every_catalogue():
    machine = Provenance("m", "1", segments=4)
    edited = Provenance("m", "1", demo=True, segments=4, human_segments=1)
    human = Provenance("m", "1", demo=True, segments=4, human_segments=4)
    assert (machine.kind, edited.kind, human.kind) == ("machine", "post-edited", "human")
    assert Provenance("m", "1").kind == "machine"  # stored before segments were counted
    assert edited.describe().startswith("Machine translation by m (version 1), post-edited by a person.")
    assert "NOT a translation" in edited.describe() and human.describe() == "Human translation."
    for lang in ("en", "ru", "ja"):
        texts = {i18n.provenance_text(p, lang) for p in (machine, edited, human)}
        assert len(texts) == 3
        assert "1" not in i18n.provenance_text(human, lang)  # no model version for a person
    assert i18n.provenance_text(edited, "ru").startswith(
        "Машинный перевод: модель m (версия 1), отредактирован"
    )
    assert i18n.provenance_text(human, "ja") == "人による翻訳。"
    approved = Provenance("m", "1", demo=True, segments=4, human_segments=3, approved_segments=1)
    for lang in ("en", "ru", "ja"):
        # A person's approval of the demo model's output keeps the model and its warning.
        assert i18n.provenance_text(approved, lang) == i18n.provenance_text(edited, lang)


def stored(provenance: Provenance) -> StoredArticle:
    source = article()
    paragraphs = (Paragraph(Kind.LEAD, "Текст."), Paragraph(Kind.PARAGRAPH, "Ещё."))
    return StoredArticle(
        "abc123",
        1,
        source,
        source.published,
        translations={"ru": Translation("ru", "Мост", paragraphs, provenance)},
    )


@pytest.mark.parametrize(
    ("provenance", "kind", "term"),
    [
        (Provenance("demo-ru", "0.2", segments=5), "machine", "machine-translation"),
        (Provenance("demo-ru", "0.2", segments=5, human_segments=2), "post-edited", "post-edited"),
        (Provenance("demo-ru", "0.2", segments=5, human_segments=5), "human", "human-translation"),
        # Machine output approved unchanged: post-edited, never human, whatever the count.
        (Provenance("demo-ru", "0.2", segments=5, approved_segments=5), "post-edited", "post-edited"),
        (
            Provenance("demo-ru", "0.2", segments=5, human_segments=4, approved_segments=1),
            "post-edited",
            "post-edited",
        ),
    ],
)
def test_every_format_says_who_translated(provenance, kind, term):
    feed = document.build(
        [stored(provenance)], "ru", base_url="https://news.example", source_lang="en",
        languages=("en", "ru"), publisher="News",
    )  # fmt: skip
    note = i18n.provenance_text(provenance, "ru")
    item = json.loads(jsonfeed_bytes(feed))["items"][0]
    assert item["_syndicate"]["translation"] == {
        "kind": kind, "model": "demo-ru", "model_version": "0.2", "segments": 5,
        "human_segments": provenance.human_segments, "approved_segments": provenance.approved_segments,
    }  # fmt: skip
    assert ("demo-ru" in note) == (kind != "human")
    assert item["content_html"].endswith(f"<p><em>{note}</em></p>")
    atom = etree.fromstring(atom_bytes(feed))
    (category,) = atom.findall("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}category")
    assert category.get("term") == term and category.get("scheme") == document.TRANSLATION_SCHEME
    assert category.get("label") == i18n.translation_kind_label(kind, "ru")
    rss = etree.fromstring(rss_bytes(feed))
    (category,) = rss.findall("channel/item/category")
    assert category.text == term and category.get("domain") == document.TRANSLATION_SCHEME
    assert rss.findtext("channel/item/description") is not None
