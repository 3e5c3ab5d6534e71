"""The aligned plain-text file that `syndicate edit` opens in the editor: one block per segment.

::

    @@ s3
    # en: The source sentence, as a comment.
    # machine translation (needs-review-translation); gate: <reason>
    The translation, which the editor changes.

A block starts with ``@@`` and the segment's id; lines starting with ``#`` are comments
anywhere (as in git's commit messages); the other lines of a block, joined by newlines and
stripped of surrounding blank space, are its translation. A translation line that itself starts
with ``#``, ``@@`` or a backslash is written with a backslash before it, which reading removes.
The markup of a changed translation (links, emphasis) is moved onto the new text by character
alignment onto whole words (:func:`syndicate.inline.moved`, :func:`syndicate.inline.whole_words`),
since the file shows plain text only.
"""

from __future__ import annotations

import dataclasses

from syndicate import inline
from syndicate.exchange.units import HUMAN_STATES, Document, ExchangeError

BLOCK = "@@"
COMMENT = "#"
ESCAPE = "\\"
# The state of a target the editor changed: translated by a person, not yet reviewed by another.
EDITED = "translated"
DEMO_NOTE = (
    "The machine translations below come from DEMO models: they are NOT a translation, only "
    "text in the target script."
)


def write_aligned(doc: Document, demo: bool = False) -> str:
    """The aligned text of ``doc``: a header of ``#`` lines explaining the format (and, with
    ``demo``, that the machine targets are not a translation), then one block per unit."""
    lines = [
        f"# syndicate edit: article {doc.article_id}, revision {doc.revision}, "
        f"{doc.source_language} -> {doc.target_language}.",
        f"# One block per segment: '{BLOCK} ID', the {doc.source_language} source on '#' lines, "
        "then its translation.",
        "# Change only the translation lines. Lines starting with # are comments; a translation",
        "# line that starts with #, @@ or a backslash is written with a backslash before it.",
        "# An empty translation or a deleted block leaves that segment as it is.",
        "# Save and quit to apply what changed; an unchanged file changes nothing.",
    ]
    if demo:
        lines.append(f"# {DEMO_NOTE}")
    for unit in doc.units:
        lines.append("")
        lines.append(f"{BLOCK} {unit.id}")
        source = unit.source.split("\n")
        lines.append(f"# {doc.source_language}: {source[0]}")
        lines.extend(f"#     {line}" for line in source[1:])
        kind = "human" if unit.origin == "human" or unit.state in HUMAN_STATES else "machine"
        status = f"# {kind} translation ({unit.state})"
        if unit.notes:
            status += "; gate: " + "; ".join(unit.notes)
        lines.append(status)
        lines.extend(_escaped(line) for line in unit.target.split("\n"))
    return "\n".join(lines) + "\n"


def _escaped(line: str) -> str:
    if line.startswith((COMMENT, BLOCK, ESCAPE)):
        return ESCAPE + line
    return line


def _moved(fragment: str | None, text: str) -> str | None:
    """The exported markup moved onto an edited ``text`` by alignment, onto whole words only
    (inline.whole_words); None when no mark is left."""
    if fragment is None:
        return None
    old, marks = inline.parse(fragment)
    marks = inline.whole_words(inline.moved(marks, old, text), text)
    return inline.render(text, marks) if marks else None


def read_aligned(text: str, doc: Document, notices: list[str] | None = None) -> Document:
    """``doc`` with the targets edited in ``text`` (an aligned file written for ``doc``).

    A changed target becomes a human one in state ``translated`` without the gate's notes, its
    markup moved onto the new text; an unchanged, empty or missing block leaves its unit as it
    was (empty and missing ones are appended to ``notices``). Raises ExchangeError naming the
    line for: text outside a block, a block without id, an unknown id, an id given twice."""
    notices = notices if notices is not None else []
    by_id = {unit.id: unit for unit in doc.units}
    edited: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if line.startswith(BLOCK):
            ident = line[len(BLOCK) :].strip()
            if not ident:
                raise ExchangeError(f"line {number}: a block without a segment id after {BLOCK}")
            if ident not in by_id:
                raise ExchangeError(f"line {number}: no segment {ident!r} in this translation")
            if ident in edited:
                raise ExchangeError(f"line {number}: segment {ident!r} appears twice")
            current = edited[ident] = []
        elif line.startswith(COMMENT):
            continue
        elif current is None:
            if line.strip():
                raise ExchangeError(
                    f"line {number}: text outside a segment block (a block starts with '{BLOCK} ID')"
                )
        else:
            current.append(line[1:] if line.startswith(ESCAPE) else line)
    units = []
    for unit in doc.units:
        if unit.id not in edited:
            notices.append(f"segment {unit.id!r}: block missing, left as it is")
            units.append(unit)
            continue
        target = "\n".join(edited[unit.id]).strip()
        if not target:
            notices.append(f"segment {unit.id!r}: empty translation, left as it is")
            units.append(unit)
        elif target == unit.target.strip():
            units.append(unit)
        else:
            units.append(
                dataclasses.replace(
                    unit,
                    target=target,
                    target_html=_moved(unit.target_html, target),
                    markup=False,
                    state=EDITED,
                    origin="human",
                    notes=(),
                )
            )
    return dataclasses.replace(doc, units=tuple(units))
