"""Checks on an editor's text before it becomes a human segment (issue 16 review): the target
must be in the target language, ids must be segments', skipped memory entries are named."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from syndicate import editing
from syndicate.exchange.units import MemoryUnit
from syndicate.translation import segments
from tests.test_editing import article, edit, setup, translate  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    ("target", "lang"),
    [
        ("Городской совет утвердил новое расписание парома.", "ja"),  # Russian in a ja file
        ("市議会は新しいフェリーの時刻表を承認した。", "ru"),  # Japanese in a ru file
        ("The harbour council approved the new ferry timetable.", "de"),  # English left in de
        ("The harbour council approved the new ferry timetable.", "ru"),
        ("El consejo del puerto aprobó el nuevo horario del transbordador.", "de"),
    ],
)
def test_a_target_in_another_language_is_refused(target, lang):
    assert segments.language_problem(target, lang)


@pytest.mark.parametrize(
    ("target", "lang"),
    [
        ("Apple представила новый iPhone в Купертино.", "ru"),  # Latin brand names
        ("Подробности на https://example.org/timetable?line=N4&day=fri сегодня.", "ru"),
        ("Der Hafenrat hat den neuen Fährfahrplan genehmigt.", "de"),
        ("El consejo del puerto aprobó el nuevo horario.", "es"),
        ("市議会はiPhoneの新しい時刻表を承認した。", "ja"),
        ("OK", "ru"),  # too short to judge
    ],
)
def test_a_target_in_its_language_passes(target, lang):
    assert segments.language_problem(target, lang) is None


def test_a_document_claiming_another_language_is_refused_with_nothing_changed(setup):  # noqa: F811
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    before = store.translations.segments(key)
    with pytest.raises(editing.EditError, match="not written in Russian"):
        editing.apply_document(store, settings, edit(doc, 0, "市議会は新しい時刻表を承認した"))
    assert store.translations.segments(key) == before and store.human.all() == []


def test_an_id_that_is_no_segments_is_unknown_not_stale(setup):  # noqa: F811
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    made_up = dataclasses.replace(doc.units[1], id="nonexistent-1", target="Новый текст.")
    report = editing.apply_document(store, settings, dataclasses.replace(doc, units=(made_up,)))
    assert report.unknown == ["nonexistent-1"] and report.stale == [] and report.applied == []
    assert segments.id_fits(doc.units[1].id, doc.units[1].source)
    assert not segments.id_fits(doc.units[1].id, "Another sentence.")


def test_memory_import_names_each_skipped_entry_and_why(setup):  # noqa: F811
    store, _, _ = setup
    now = datetime(2024, 5, 1, tzinfo=UTC)
    skipped: list[str] = []
    seeded = editing.seed_memory(
        store,
        [
            MemoryUnit(
                "The ferry leaves at noon.", "Паром отходит в полдень.", "en", "ru", "human", now, now
            ),
            MemoryUnit("See https://example.org/x now.", "Смотрите сейчас.", "en", "ru", "human", now, now),
            MemoryUnit("The bridge opens.", "Die Brücke öffnet.", "en", "ru", "human", now, now),
            MemoryUnit("A machine line.", "Машина.", "en", "ru", "machine", now, now, "m", "1"),
        ],
        skipped,
    )
    assert seeded == 1 and len(skipped) == 3
    assert "'See https://example.org/x now.'" in skipped[0] and "https://example.org/x" in skipped[0]
    assert "'The bridge opens.'" in skipped[1] and "Russian" in skipped[1]
    assert "machine entry" in skipped[2]
