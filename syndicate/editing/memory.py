"""The translation memory out and in as exchange units (the library under `syndicate memory`):
human segments and the machine segments of stored translations, as TMX carries them."""

from __future__ import annotations

from syndicate.exchange.units import MemoryUnit
from syndicate.store import Store
from syndicate.translation import segments
from syndicate.translation.memory import normalise


def memory_units(store: Store, origin: str = "all") -> list[MemoryUnit]:
    """The translation memory as exchange units, ``origin`` "human", "machine" or "all".

    Human units are the human segments (no model; created and last changed). Machine units are
    the machine segments of the stored translations of current revisions, with their final text
    (URLs and terms restored, typography applied: what a CAT tool can reuse, unlike the
    machine memory's model input with placeholders), their model, and the translation's
    creation and change times; each (source, languages, target) once. Raises ValueError for
    another ``origin``."""
    if origin not in ("human", "machine", "all"):
        raise ValueError(f"origin must be human, machine or all, not {origin!r}")
    units: list[MemoryUnit] = []
    if origin in ("human", "all"):
        units += [
            MemoryUnit(s.source, s.target, s.from_code, s.to_code, "human", created, changed)
            for s, created, changed in store.human.all()
        ]
    if origin in ("machine", "all"):
        units += _machine_units(store)
    return units


def _machine_units(store: Store) -> list[MemoryUnit]:
    seen: set[tuple[str, str, str, str]] = set()
    units: list[MemoryUnit] = []
    for row in store.human.current_records():
        for record in row.segments:
            if record.get("origin") != segments.MACHINE:
                continue
            source = normalise(record["source"])
            mark = (source, row.source_lang, row.lang, record["target"])
            if mark in seen:
                continue
            seen.add(mark)
            units.append(
                MemoryUnit(
                    source,
                    record["target"],
                    row.source_lang,
                    row.lang,
                    "machine",
                    row.created_at,
                    row.updated_at,
                    row.model_name,
                    row.model_version,
                )  # fmt: skip
            )
    return units


def _model_made(store: Store) -> set[tuple[str, str, str, str]]:
    """(normalised source, source language, target language, normalised target) of every text
    this store knows to be the model's: machine segments of stored translations, and human
    segments marked approved."""
    made = {
        (normalise(r["source"]), row.source_lang, row.lang, normalise(r["target"]))
        for row in store.human.current_records()
        for r in row.segments
        if r.get("origin") == segments.MACHINE or r.get("approved")
    }
    made |= {
        (s.source, s.from_code, s.to_code, normalise(s.target)) for s, _, _ in store.human.all() if s.approved
    }
    return made


def _base(code: str) -> str:
    """A TMX language (``en-US``, ``ru_RU``, ``JA``) as a registry code: its lower-case base."""
    return code.replace("_", "-").split("-")[0].strip().lower()


def seed_memory(store: Store, units: list[MemoryUnit], skipped: list[str] | None = None) -> int:
    """Store the human ``units`` (origin "human") as human segments, keyed without a glossary
    fingerprint (a sentence a glossary term applies to will not find them); language codes
    are read by their base (``en-US`` is ``en``). Machine units are not stored, nor human ones
    with an empty side, a target lacking a protected span of the source or not written in its
    language (segments.language_problem); given ``skipped``, one line per unit left out says
    which (its source's first 60 characters) and why. Returns how many were stored; a later
    unit of the same source and pair wins over an earlier one.

    A unit whose target is this store's machine output for that source and pair (a machine
    segment of a stored translation, or a human segment already marked approved) is stored as
    approved: the model's text, counted as post-edited, never as a person's translation."""
    chosen: dict[str, segments.HumanSegment] = {}
    model_made = _model_made(store)
    for unit in units:
        source, target = normalise(unit.source), unit.target.strip()
        from_code, to_code = _base(unit.source_language), _base(unit.target_language)
        if unit.origin != "human":
            why: str | None = "a machine entry (only human entries are seeded)"
        elif not source or not target:
            why = "an empty source or target"
        else:
            found = segments.protected_problems(source, target, to_code)
            why = found[0] if found else segments.language_problem(target, to_code)
        if why:
            if skipped is not None:
                skipped.append(f"{source[:60]!r} ({from_code}->{to_code}): {why}")
            continue
        key = segments.human_key(source, from_code, to_code)
        approved = (source, from_code, to_code, normalise(target)) in model_made
        chosen[key] = segments.HumanSegment(key, source, target, from_code, to_code, approved=approved)
    store.human.remember(list(chosen.values()))
    return len(chosen)
