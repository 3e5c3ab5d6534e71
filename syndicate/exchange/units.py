"""What the exchange formats carry, independent of any file format: documents of segments.

An exchange document is one article's translation into one language, as translators' tools see
it: one unit per segment (the title, then each sentence, in reading order), each with a stable
id. XLIFF (syndicate/exchange/xliff.py), the aligned plain-text file of `syndicate edit`
(syndicate/exchange/aligned.py) and the store (syndicate/editing.py) all speak these shapes; TMX
(syndicate/exchange/tmx.py) speaks :class:`MemoryUnit`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# XLIFF 1.2 target states (XLIFF 1.2 spec, "state" attribute values) that this service writes
# or reads as an editor's decision.
MACHINE_STATE = "needs-review-translation"
HUMAN_STATES = ("final", "signed-off")


class ExchangeError(ValueError):
    """A file that cannot be read as the format it claims; ``str()`` is one line for the operator."""


@dataclass(frozen=True)
class Unit:
    """One segment: ``id`` is stable across exports and revisions for the same source sentence
    (its occurrence in the article); ``source``/``target`` are plain text; ``source_html`` and
    ``target_html`` the same text with the inline markup subset of syndicate/inline.py, or None
    without markup; ``state`` an XLIFF 1.2 state; ``notes`` the quality gate's reasons;
    ``origin`` "machine" or "human". ``markup`` is True when ``target_html`` is the editor's
    own markup (an XLIFF target's inline elements: none means the editor removed them); False
    when the format carries none (the aligned text) and the exported markup was moved onto the
    target by alignment."""

    id: str
    source: str
    target: str
    state: str = MACHINE_STATE
    notes: tuple[str, ...] = ()
    origin: str = "machine"
    source_html: str | None = None
    target_html: str | None = None
    markup: bool = False


@dataclass(frozen=True)
class Document:
    """One article's translation into ``target_language`` at ``revision``: its units in order."""

    article_id: str
    revision: int
    source_language: str
    target_language: str
    units: tuple[Unit, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class MemoryUnit:
    """One translation memory entry as TMX 1.4 carries it: ``origin`` "human" or "machine";
    ``model`` and ``model_version`` name the model of a machine entry (None for a human one);
    ``created``/``changed`` aware datetimes."""

    source: str
    target: str
    source_language: str
    target_language: str
    origin: str
    created: datetime
    changed: datetime
    model: str | None = None
    model_version: str | None = None
