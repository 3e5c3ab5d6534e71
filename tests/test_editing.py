"""The editing library (syndicate/editing.py): export, apply, memory out and in, on a real store
and the real translation path with demo models (their output is NOT a translation)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from syndicate import editing, inline, lifecycle, pipeline
from syndicate.config import load
from syndicate.exchange.units import MACHINE_STATE, Document, MemoryUnit
from syndicate.exchange.xliff import read_xliff, write_xliff
from syndicate.model import Article, JobState, Kind, Paragraph
from syndicate.store import JobKey, Store
from syndicate.translation.engine import Engine, EngineOptions
from tests.store_helpers import add

LEAD = [
    "The harbour bridge opens on Monday.",
    "It cost 42 million euros.",
    "Details are at https://example.org/bridge today.",
]
SECOND = 'The mayor will <a href="https://example.org/mayor">speak</a> at noon.'


def article(lead: list[str] = LEAD) -> Article:
    return Article(
        "Harbour bridge opens",
        datetime(2020, 1, 1, 12, tzinfo=UTC),
        (
            Paragraph(Kind.LEAD, " ".join(lead)),
            Paragraph(Kind.PARAGRAPH, "The mayor will speak at noon.", html=SECOND),
        ),
    )


@pytest.fixture
def setup(database_url, installed_packages, env):
    store = Store(database_url)
    settings = load({**env, "SYNDICATE_TARGETS": "ru"})
    engine = Engine(EngineOptions(installed_packages))
    yield store, settings, engine
    store.close()


def translate(store, engine, article_: Article, update_of: str | None = None) -> JobKey:
    sub = lifecycle.submit(store, article_, ("en", "ru"), None, update_of=update_of)
    key = JobKey(sub.article_id, sub.revision, "ru")
    assert pipeline.translate_job(store, engine, key).outcome == pipeline.Outcome.TRANSLATED
    return key


def edit(doc: Document, index: int, target: str, **changes) -> Document:
    units = list(doc.units)
    units[index] = dataclasses.replace(units[index], target=target, **changes)
    return dataclasses.replace(doc, units=tuple(units))


def test_export_gives_units_in_reading_order_with_stable_ids(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id[:6], "ru")
    assert (doc.article_id, doc.revision, doc.source_language, doc.target_language) == (
        key.article_id,
        1,
        "en",
        "ru",
    )
    assert [u.source for u in doc.units] == ["Harbour bridge opens", *LEAD, "The mayor will speak at noon."]
    assert all(u.state == MACHINE_STATE and u.origin == "machine" for u in doc.units)
    assert doc.units[0].source_html is None and doc.units[4].source_html == SECOND
    assert doc.units[4].target_html is not None and "https://example.org/mayor" in doc.units[4].target_html
    assert editing.export_document(store, settings, key.article_id, "ru") == doc


def test_apply_changes_one_sentence_only_and_twice_changes_nothing(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    before = store.translations.get(key)
    doc = editing.export_document(store, settings, key.article_id, "ru")
    edited = "Мост откроется в понедельник."
    report = editing.apply_document(store, settings, edit(doc, 1, edited))
    assert report.applied == [doc.units[1].id] and report.stale == [] and report.published
    assert len(report.unchanged) == 4
    after = store.translations.get(key)
    assert after.paragraphs[0].text.startswith(edited + " ")
    assert after.paragraphs[0].text.endswith(before.paragraphs[0].text.split(" ", 4)[-1][-30:])
    assert after.title == before.title and after.paragraphs[1] == before.paragraphs[1]
    assert (after.provenance.kind, after.provenance.human_segments, after.provenance.segments) == (
        "post-edited",
        1,
        5,
    )
    assert store.jobs.get(key).state == JobState.TRANSLATED
    stamp = store.translations.segments(key)
    again = editing.apply_document(store, settings, edit(doc, 1, edited))
    assert again.applied == [] and not again.published and len(again.unchanged) == 5
    assert store.translations.segments(key) == stamp
    exported = editing.export_document(store, settings, key.article_id, "ru")
    assert exported.units[1].state == "final" and exported.units[1].origin == "human"


def test_final_state_approves_a_machine_segment_without_making_it_human(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    report = editing.apply_document(store, settings, edit(doc, 0, doc.units[0].target, state="signed-off"))
    assert report.applied == [doc.units[0].id]
    made = store.translations.get(key).provenance
    assert (made.kind, made.human_segments, made.approved_segments) == ("post-edited", 0, 1)
    record = store.translations.segments(key)[0]
    assert record["origin"] == "human" and record["approved"] is True


@pytest.mark.parametrize("edited", [0, 1, 2])
def test_approving_every_machine_segment_is_never_human_translation(setup, edited):
    """The reviewer's case: every segment marked final, ``edited`` of them rewritten; the rest
    is the demo model's output approved as it is, so the note keeps the model and warning."""
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    units = [
        dataclasses.replace(u, state="final", target=f"Правка номер {i}." if i < edited else u.target)
        for i, u in enumerate(doc.units)
    ]
    editing.apply_document(store, settings, dataclasses.replace(doc, units=tuple(units)))
    made = store.translations.get(key).provenance
    assert (made.kind, made.segments, made.human_segments, made.approved_segments) == (
        "post-edited",
        5,
        edited,
        5 - edited,
    )
    assert "syndicate-demo" in made.describe() and "NOT a translation" in made.describe()


def test_every_segment_written_by_a_person_is_human_translation(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    units = [
        dataclasses.replace(u, target=f"Текст {i} https://example.org/bridge." if i == 3 else f"Текст {i}.")
        for i, u in enumerate(doc.units)
    ]
    editing.apply_document(store, settings, dataclasses.replace(doc, units=tuple(units)))
    made = store.translations.get(key).provenance
    assert (made.kind, made.human_segments, made.approved_segments) == ("human", 5, 0)
    assert made.describe() == "Human translation."


def test_an_approved_segment_reused_by_another_article_counts_as_post_edited(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    editing.apply_document(store, settings, edit(doc, 1, doc.units[1].target, state="final"))
    other = Article(
        "A different title",
        datetime(2020, 1, 2, 12, tzinfo=UTC),
        (Paragraph(Kind.LEAD, LEAD[0] + " Nothing else."),),
    )
    second = translate(store, engine, other)
    made = store.translations.get(second).provenance
    assert (made.kind, made.human_segments, made.approved_segments) == ("post-edited", 0, 1)
    assert [r.get("approved") for r in store.translations.segments(second)] == [False, True, False]


def test_memory_import_of_the_model_output_is_stored_as_approved(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    stamp = datetime(2020, 1, 1, tzinfo=UTC)
    units = [
        MemoryUnit(doc.units[1].source, doc.units[1].target, "en", "ru", "human", stamp, stamp),
        MemoryUnit(doc.units[2].source, "Он стоил 42 миллиона евро.", "en", "ru", "human", stamp, stamp),
    ]
    assert editing.seed_memory(store, units) == 2
    approved = {s.target: s.approved for s, _, _ in store.human.all()}
    assert approved == {doc.units[1].target: True, "Он стоил 42 миллиона евро.": False}


def test_a_number_written_otherwise_by_the_editor_is_kept_and_reported(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    report = editing.apply_document(store, settings, edit(doc, 2, "Он стоил миллионы евро."))
    assert report.applied == [doc.units[2].id]
    assert any(doc.units[2].id in n and "42" in n for n in report.notes), report.notes
    assert store.jobs.get(key).state == JobState.TRANSLATED  # the gate does not hold a person


@pytest.mark.parametrize(
    ("index", "target", "reason"),
    [
        (3, "Подробности на сайте сегодня.", "https://example.org/bridge"),
        (3, "Подробности на https://example.org/bridg сегодня.", "https://example.org/bridge"),
        (1, "   ", "empty"),
    ],
)
def test_a_target_that_breaks_protected_text_is_refused_with_nothing_changed(setup, index, target, reason):
    store, settings, engine = setup
    key = translate(store, engine, article())
    before = (store.translations.get(key), store.translations.segments(key), store.jobs.get(key).state)
    doc = editing.export_document(store, settings, key.article_id, "ru")
    good = edit(doc, 0, "Мост через гавань открывается")
    with pytest.raises(editing.EditError, match=reason) as caught:
        editing.apply_document(store, settings, edit(good, index, target))
    assert doc.units[index].id in str(caught.value) and "\n" not in str(caught.value)
    assert (
        store.translations.get(key),
        store.translations.segments(key),
        store.jobs.get(key).state,
    ) == before
    assert store.human.all() == []


def test_unknown_article_language_and_duplicate_units_are_refused(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    with pytest.raises(editing.EditError, match="no article"):
        editing.apply_document(store, settings, dataclasses.replace(doc, article_id="zzzzzzzz"))
    with pytest.raises(editing.EditError, match="target language"):
        editing.export_document(store, settings, key.article_id, "de")
    with pytest.raises(editing.EditError, match="twice"):
        editing.apply_document(store, settings, dataclasses.replace(doc, units=doc.units + doc.units[:1]))


def test_a_document_of_an_older_revision_applies_where_the_source_still_matches(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    old = editing.export_document(store, settings, key.article_id, "ru")
    changed = ["The harbour bridge opens on Tuesday.", *LEAD[1:]]
    new_key = translate(store, engine, article(changed), update_of=key.article_id)
    assert new_key.revision == 2
    doc = edit(edit(old, 1, "Мост откроется в понедельник."), 2, "Он стоил 42 миллиона евро.")
    report = editing.apply_document(store, settings, doc)
    assert report.stale == [old.units[1].id] and report.applied == [old.units[2].id]
    assert "42 миллиона евро" in store.translations.get(new_key).paragraphs[0].text


def test_edited_markup_and_markup_moved_onto_an_edited_target(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    marked = 'Мэр <a href="https://example.org/mayor">выступит</a> в полдень.'
    report = editing.apply_document(
        store, settings, edit(doc, 4, "Мэр выступит в полдень.", target_html=marked)
    )
    assert report.applied == [doc.units[4].id]
    assert store.translations.get(key).paragraphs[1].html == marked
    with pytest.raises(editing.EditError, match="marked-up"):
        editing.apply_document(
            store, settings, edit(doc, 4, "Мэр выступит.", target_html="<em>Мэр</em> ушёл.")
        )
    fresh = editing.export_document(store, settings, key.article_id, "ru")
    plain = editing.apply_document(store, settings, edit(fresh, 4, "Мэр выступит в полдень!"))
    assert any("markup moved" in n for n in plain.notes)
    assert "https://example.org/mayor" in (store.translations.get(key).paragraphs[1].html or "")


def test_memory_out_and_in(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    editing.apply_document(store, settings, edit(doc, 1, "Мост откроется в понедельник."))
    human = editing.memory_units(store, "human")
    assert [(u.source, u.target, u.origin, u.model) for u in human] == [
        (LEAD[0], "Мост откроется в понедельник.", "human", None)
    ]
    machine = editing.memory_units(store, "machine")
    assert len(machine) == 4 and all(u.origin == "machine" and u.model for u in machine)
    assert all(u.created.tzinfo is not None for u in machine + human)
    assert len(editing.memory_units(store)) == 5
    with pytest.raises(ValueError):
        editing.memory_units(store, "robots")
    now = datetime(2024, 5, 1, tzinfo=UTC)
    seeded = editing.seed_memory(
        store,
        [
            MemoryUnit(
                "It cost 42 million euros.", "Он стоил 42 миллиона евро.", "en-US", "ru-RU", "human", now, now
            ),
            MemoryUnit("Ignored machine unit.", "Машина.", "en", "ru", "machine", now, now, "m", "1"),
            MemoryUnit(
                "See https://example.org/x now.", "Смотрите сейчас.", "en", "ru", "human", now, now
            ),  # the URL is lost: not seeded
        ],
    )
    assert seeded == 1
    # The next translation of the sentence takes the seeded human segment.
    other = translate(store, engine, article(["Fresh sentence here.", LEAD[1]]))
    records = store.translations.segments(other)
    assert [(r["origin"], r["target"]) for r in records if r["source"] == LEAD[1]] == [
        ("human", "Он стоил 42 миллиона евро.")
    ]
    assert editing.discard_edits(store, key.article_id, ["ru"]) == 1
    assert [u.source for u in editing.memory_units(store, "human")] == [LEAD[1]]


def test_an_untranslated_article_cannot_be_exported(setup):
    store, settings, _ = setup
    sub = add(store, article(), ("en", "ru"))
    with pytest.raises(editing.EditError, match="no ru translation"):
        editing.export_document(store, settings, sub.article_id, "ru")


def test_a_language_under_review_is_published_when_every_segment_is_final(
    database_url, installed_packages, env
):
    store = Store(database_url)
    settings = load({**env, "SYNDICATE_TARGETS": "ru", "SYNDICATE_REVIEW": "ru"})
    engine = Engine(EngineOptions(installed_packages))
    try:
        sub = lifecycle.submit(store, article(), ("en", "ru"), None)
        key = JobKey(sub.article_id, sub.revision, "ru")
        pipeline.translate_job(store, engine, key, review=True)
        assert store.jobs.get(key).state == JobState.REVIEW
        doc = editing.export_document(store, settings, key.article_id, "ru")
        before = store.translations.segments(key)
        checked = editing.apply_document(store, settings, edit(doc, 0, "Мост открыт"), check_only=True)
        assert checked.applied == [doc.units[0].id] and not checked.published
        assert store.human.all() == [] and store.translations.segments(key) == before  # nothing written
        one = editing.apply_document(store, settings, edit(doc, 0, "Мост открыт"))
        assert not one.published and store.jobs.get(key).state == JobState.REVIEW  # others unreviewed
        doc = editing.export_document(store, settings, key.article_id, "ru")
        final = dataclasses.replace(
            doc, units=tuple(dataclasses.replace(u, state="final") for u in doc.units)
        )
        everything = editing.apply_document(store, settings, final)
        assert everything.published and store.jobs.get(key).state == JobState.TRANSLATED
    finally:
        store.close()


def test_a_link_the_editor_removed_in_xliff_is_refused_and_nothing_changes(setup):
    """The reviewer's case: the <g xhtml:href> element deleted in a CAT tool, its text kept."""
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    data = write_xliff([doc]).decode()
    unit = doc.units[4]
    start = data.index("<target", data.index(f'id="{unit.id}"'))
    end = data.index("</target>", start)
    plain = data[:start] + '<target state="final">Согласно бюджету мэр выступит в полдень.' + data[end:]
    (read,) = read_xliff(plain.encode())
    before = store.translations.segments(key)
    with pytest.raises(editing.EditError, match="link to https://example.org/mayor"):
        editing.apply_document(store, settings, read)
    assert store.translations.segments(key) == before
    # The same with the text untouched: still a markup change, still refused.
    with pytest.raises(editing.EditError, match="link to https://example.org/mayor"):
        editing.apply_document(store, settings, edit(doc, 4, unit.target, target_html=None, markup=True))


@pytest.mark.parametrize(
    "marked",
    [
        'Мэр выступит <a href="https://example.org/mayor">в полдень</a>.',  # the link moved
        '<em>Мэр</em> <a href="https://example.org/mayor">выступит</a> в полдень.',  # a mark added
        '<a href="https://example.org/mayor">Мэр выступит в полдень.</a>',  # widened
    ],
)
def test_a_markup_only_change_is_a_change(setup, marked):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    text = "Мэр выступит в полдень."
    base = 'Мэр <a href="https://example.org/mayor">выступит</a> в полдень.'
    editing.apply_document(store, settings, edit(doc, 4, text, target_html=base, markup=True))
    fresh = editing.export_document(store, settings, key.article_id, "ru")
    report = editing.apply_document(store, settings, edit(fresh, 4, text, target_html=marked, markup=True))
    assert report.applied == [doc.units[4].id], report
    assert store.translations.get(key).paragraphs[1].html == marked
    again = editing.apply_document(store, settings, edit(fresh, 4, text, target_html=marked, markup=True))
    assert again.applied == [] and doc.units[4].id in again.unchanged


def test_markup_moved_by_alignment_lands_on_whole_words_or_is_dropped_with_a_note(setup):
    store, settings, engine = setup
    key = translate(store, engine, article())
    doc = editing.export_document(store, settings, key.article_id, "ru")
    base = 'Мэр <a href="https://example.org/mayor">выступит</a> в полдень.'
    editing.apply_document(
        store, settings, edit(doc, 4, "Мэр выступит в полдень.", target_html=base, markup=True)
    )
    for target in ("Мэр выступил согласно бюджету.", "Глава выступит в полдень.", "Мэр выст. в полдень."):
        fresh = editing.export_document(store, settings, key.article_id, "ru")
        report = editing.apply_document(store, settings, edit(fresh, 4, target))
        html = store.translations.get(key).paragraphs[1].html or ""
        text, marks = inline.parse(html)
        for mark in marks:
            for edge in (mark.start, mark.end):
                assert not (0 < edge < len(text) and text[edge - 1].isalnum() and text[edge].isalnum()), html
        assert "https://example.org/mayor" in html, (target, html, report.notes)
    fresh = editing.export_document(store, settings, key.article_id, "ru")
    editing.apply_document(
        store, settings, edit(fresh, 4, "Мэр выступит в полдень.", target_html=base, markup=True)
    )
    fresh = editing.export_document(store, settings, key.article_id, "ru")
    # No character of the linked word is left: the link is dropped, and the operator told.
    report = editing.apply_document(store, settings, edit(fresh, 4, "Нам."))
    assert any("link to https://example.org/mayor dropped" in n for n in report.notes), report.notes
