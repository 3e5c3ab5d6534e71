"""An article's translation out as exchange units, and an editor's units back in as human
segments (the library under `syndicate export`, `import` and `edit`).

Segments, their ids and the human segments that win over machine translation are described in
syndicate/translation/segments.py; the shapes exchanged are syndicate/exchange/units.py.
Applying an editor's document never calls a model: the translation is re-assembled from its
segment records and handed to publishing as a worker's finished translation is (its job
becomes ``translated``, or ``held`` when the quality gate still finds a machine segment wrong).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from syndicate import inline
from syndicate.config import Settings
from syndicate.exchange.units import HUMAN_STATES, MACHINE_STATE, Document, Unit
from syndicate.model import JobState, Provenance, Translation
from syndicate.sending import Sender
from syndicate.store import JobKey, Store
from syndicate.translation import quality, segments
from syndicate.translation.memory import normalise

# The XLIFF state written for a human segment (XLIFF 1.2: "final" = finalised, no more changes).
HUMAN_STATE = "final"
# Job states whose translation an editor may change: anything translated and not being
# translated again right now (a new translation under way would overwrite the change).
EDITABLE = (JobState.TRANSLATED, JobState.PUBLISHED, JobState.HELD, JobState.REVIEW)


class EditError(ValueError):
    """Why an export or an editor's document cannot be taken, in one line for the operator
    (``str()``); nothing was changed."""


@dataclass(frozen=True)
class ApplyReport:
    """What :func:`apply_document` did: unit ids stored as human segments (``applied``), ids
    whose target was the stored one and not marked final (``unchanged``), ids whose source no
    longer matches the current revision, or whose sentence it no longer has (``stale``:
    reported, not applied), ids that are no segment's of any revision (``unknown``: reported,
    not applied),
    and whether the re-assembled translation was handed to publishing (``published``: its job
    is ``translated`` now; False when nothing was applied or the gate holds it). ``notes``: every
    repair made to the document's text (one line each)."""

    applied: list[str]
    unchanged: list[str]
    stale: list[str]
    published: bool
    notes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Current:
    """The current revision's translation into one language, as an editor changes it."""

    key: JobKey
    source_lang: str
    translation: Translation
    records: list[dict]


def _current(store: Store, settings: Settings, article_id: str, lang: str) -> _Current:
    """The current translation of ``article_id`` (id or unambiguous prefix) into ``lang``;
    raises EditError when there is none to edit."""
    if lang not in settings.targets:
        raise EditError(f"{lang!r} is not a target language ({', '.join(settings.targets)})")
    full = store.articles.resolve_id(article_id)
    revision = store.articles.current_revision(full) if full else None
    if full is None or revision is None:
        raise EditError(f"no article {article_id!r}")
    if store.articles.retracted_at(full) is not None:
        raise EditError(f"{full} is retracted")
    key = JobKey(full, revision, lang)
    job = store.jobs.get(key)
    translation = store.translations.get(key)
    if job is None or translation is None or job.state not in EDITABLE:
        state = job.state if job else "not queued"
        raise EditError(f"{full} has no {lang} translation of revision {revision} to edit ({state})")
    records = store.translations.segments(key) or []
    if not records:
        raise EditError(
            f"{full} {lang} was translated before segments were recorded; "
            f"run `syndicate retranslate {full} --lang {lang}` first"
        )
    source = store.articles.revision(full, revision)
    return _Current(key, source.lang if source else settings.source_lang, translation, records)


def _unit(record: dict) -> Unit:
    human = record["origin"] == segments.HUMAN
    return Unit(
        id=record["id"],
        source=record["source"],
        target=record["target"],
        state=HUMAN_STATE if human else MACHINE_STATE,
        notes=tuple(record.get("issues") or ()),
        origin=record["origin"],
        source_html=record.get("source_html"),
        target_html=record.get("target_html"),
    )


def export_document(store: Store, settings: Settings, article_id: str, lang: str) -> Document:
    """The current revision's ``lang`` translation of ``article_id`` (id or unambiguous
    prefix) as exchange units: the title, then each sentence, with stable ids; machine segments
    in state MACHINE_STATE, human ones "final"; notes are the gate's issues; ``*_html`` only for
    a sentence with inline markup. Raises EditError (unknown article or language, nothing
    translated yet, or a translation stored before segments were recorded)."""
    current = _current(store, settings, article_id, lang)
    return Document(
        article_id=current.key.article_id,
        revision=current.key.revision,
        source_language=current.source_lang,
        target_language=lang,
        units=tuple(_unit(r) for r in current.records),
    )


def _links(marks: list[inline.Mark]) -> set[str]:
    return {m.href for m in marks if m.tag == "a" and m.href}


def _marks_read(text: str, marks: list[inline.Mark]) -> list[tuple[str, str | None, str]]:
    """Marks as (tag, href, the normalised text they cover), in order: what two markups of
    texts equal but for white space are compared by."""
    return sorted((m.tag, m.href, normalise(text[m.start : m.end])) for m in marks)


def markup_changed(record: dict, unit: Unit) -> bool:
    """Whether ``unit`` carries markup (its own, or any target_html) other than the stored
    record's target: a mark added, removed, moved or re-targeted. False for a unit with no
    markup information (a plain target of a format without markup)."""
    if not unit.markup and unit.target_html is None:
        return False
    text, marks = inline.parse(inline.sanitise(unit.target_html)) if unit.target_html else (unit.target, [])
    return _marks_read(text, marks) != _marks_read(record["target"], segments.marks_of(record))


def _edited(record: dict, unit: Unit, lang: str, notes: list[str]) -> dict:
    """``record`` with ``unit``'s target as a human segment; raises EditError for a target that
    is empty, loses a protected span of the source, is not in ``lang`` (segments.language_problem:
    a file claiming the wrong target language) or whose new markup says another text; a number
    of the source missing from it is noted in ``notes``, not refused.

    Markup: the editor's own (``unit.markup``, an XLIFF target) is taken as it is, and a link
    of the source (an href of its marks) missing from it is refused like a lost URL. Otherwise
    a target_html other than the stored one is taken; else the stored markup is moved onto a
    changed target by alignment, onto whole words only (inline.whole_words), noted in
    ``notes``, and a link the alignment loses is dropped and noted. A target equal to the
    machine output it replaces is marked ``approved`` (segments.py: post-edited, not human)."""
    target = unit.target.strip()
    if target != unit.target:
        notes.append(f"{unit.id}: white space around the target removed")
    if not target:
        raise EditError(f"unit {unit.id}: the target is empty")
    problems = segments.protected_problems(record["source"], target, lang)
    if problems:
        raise EditError(f"unit {unit.id}: {problems[0]} (source {record['source']!r})")
    wrong = segments.language_problem(target, lang) if target != record["target"] else None
    if wrong:
        raise EditError(f"unit {unit.id}: {wrong}")
    notes += [
        f"{unit.id}: {n}, kept as written" for n in segments.number_notes(record["source"], target, lang)
    ]
    if unit.markup or (unit.target_html and unit.target_html != record.get("target_html")):
        text, marks = inline.parse(inline.sanitise(unit.target_html)) if unit.target_html else (target, [])
        if text.strip() != target:
            raise EditError(f"unit {unit.id}: the marked-up target's text differs from its plain target")
        marks = inline.moved(marks, text, target)
    else:
        marks = inline.whole_words(inline.moved(segments.marks_of(record), record["target"], target), target)
        if target != record["target"] and record.get("target_html"):
            notes.append(f"{unit.id}: inline markup moved onto the edited target by alignment")
    source_marks = inline.parse(record["source_html"])[1] if record.get("source_html") else []
    lost = sorted(_links(source_marks) - _links(marks))
    if lost and unit.markup:
        raise EditError(
            f"unit {unit.id}: the link to {lost[0]} of the source is missing from the target's markup "
            "(keep its inline element around the words it belongs to)"
        )
    notes += [
        f"{unit.id}: the link to {href} dropped: no word of the edited target is left under it"
        for href in lost
        if href in _links(segments.marks_of(record))
    ]
    # The model's output approved as it is stays machine translation (post-edited, not human).
    approved = record["origin"] == segments.MACHINE and normalise(target) == normalise(record["target"])
    return record | {
        "target": target,
        "target_html": inline.render(target, marks) if marks else None,
        "origin": segments.HUMAN,
        "reviewed": True,
        "approved": approved,
        # Its protected spans and numbers were checked above; no machine check applies.
        "issues": [],
    }


def apply_document(
    store: Store, settings: Settings, doc: Document, sender: Sender | None = None, *, check_only: bool = False
) -> ApplyReport:
    """Apply an editor's ``doc`` to the current revision's translation, as human segments.

    A unit is human when its target differs from the stored one (white space aside) or its
    state is in HUMAN_STATES; a unit that is neither, or already the stored human segment, is
    unchanged. A unit whose id the current revision lacks, or whose source differs from the
    one stored under that id, is stale (a document of an older revision applies to the
    sentences that did not change). Everything is checked before anything is written: an
    unknown article or language, a unit id given twice, an empty target, a target that drops or
    alters a protected span (URL, address, handle, code) or a number of its source raise
    EditError naming the unit, with nothing changed.

    Then, in one transaction: the human segments are stored (they win over machine translation
    from now on, for every article with the same sentence), the translation is re-assembled
    from its segment records (no model call) and saved, and its job moves to ``translated``
    (``held`` when the gate's issues on its machine segments remain). Given a ``sender``, a
    publish of the language is sent; else the caller publishes (``published`` says whether
    there is anything to publish). The same document applied twice changes nothing the second
    time. Raises EditError also when a new translation started meanwhile.

    A language under review (``settings.review``, SYNDICATE_REVIEW) goes to ``review`` instead
    of ``translated`` until every segment is a person's (edited, or marked final or signed-off):
    an import that marks them all final approves it. ``check_only`` runs every check and returns
    the report of what would be applied, writing nothing (``published`` False): `syndicate
    import` checks every document of every file so before it applies the first."""
    lang = doc.target_language
    current = _current(store, settings, doc.article_id, lang)
    by_id = {r["id"]: r for r in current.records}
    applied: list[str] = []
    unchanged: list[str] = []
    stale: list[str] = []
    unknown: list[str] = []
    notes: list[str] = []
    changes: dict[str, dict] = {}
    seen: set[str] = set()
    for unit in doc.units:
        if unit.id in seen:
            raise EditError(f"unit {unit.id} appears twice")
        seen.add(unit.id)
        record = by_id.get(unit.id)
        if record is None:
            # A unit of an older revision whose sentence changed has an id that fits its source.
            (stale if segments.id_fits(unit.id, unit.source) else unknown).append(unit.id)
            continue
        if normalise(record["source"]) != normalise(unit.source):
            stale.append(unit.id)
            continue
        differs = normalise(unit.target) != normalise(record["target"]) or markup_changed(record, unit)
        human = record["origin"] == segments.HUMAN
        if not differs and (human or unit.state not in HUMAN_STATES):
            unchanged.append(unit.id)
            continue
        changes[unit.id] = _edited(record, unit, lang, notes)
        applied.append(unit.id)
    if not changes or check_only:
        return ApplyReport(applied, unchanged, stale, False, notes, unknown)
    records = [changes.get(r["id"], r) for r in current.records]
    article = store.articles.revision(current.key.article_id, current.key.revision)
    if article is None:
        raise EditError(f"{current.key.article_id} revision {current.key.revision} is gone")
    title, paragraphs = segments.assemble(article, records, lang)
    made = current.translation.provenance
    provenance = Provenance(made.model_name, made.model_version, made.demo, *segments.counts(records))
    machine = [r for r in records if r["origin"] == segments.MACHINE]
    issues = [i for r in records for i in r.get("issues") or ()]
    issues += [str(i) for i in quality.script_issues([r["target"] for r in machine], lang)]
    reviewing = lang in settings.review and any(r["origin"] != segments.HUMAN for r in records)
    state = JobState.HELD if issues else JobState.REVIEW if reviewing else JobState.TRANSLATED
    human_segments = [
        segments.HumanSegment(
            key=r["key"],
            source=normalise(r["source"]),
            target=r["target"],
            from_code=current.source_lang,
            to_code=lang,
            glossary_key=r.get("glossary_key", ""),
            target_html=r.get("target_html"),
            approved=bool(r.get("approved")),
        )
        for r in changes.values()
    ]
    translation = Translation(lang, title, paragraphs, provenance)
    if not store.translations.save_edited(
        current.key, translation, issues, records, state, EDITABLE, human_segments
    ):
        raise EditError(f"{current.key.article_id} {lang} is being translated again; try when it is done")
    published = state == JobState.TRANSLATED
    if published and sender is not None:
        sender.send_publish([lang])
    return ApplyReport(applied, unchanged, stale, published, notes, unknown)


def discard_edits(store: Store, article_id: str, langs: list[str]) -> int:
    """Forget the human segments of the current revision's translations of ``article_id`` into
    ``langs`` (`syndicate retranslate --discard-edits`), so its next translation is machine
    translation throughout. They are gone for every article with the same sentence. Returns
    how many were forgotten. Raises KeyError for an unknown article."""
    revision = store.articles.current_revision(article_id)
    if revision is None:
        raise KeyError(article_id)
    keys = [
        r["key"]
        for lang in langs
        for r in store.translations.segments(JobKey(article_id, revision, lang)) or []
        if r.get("origin") == segments.HUMAN
    ]
    return store.human.forget(sorted(set(keys)))
