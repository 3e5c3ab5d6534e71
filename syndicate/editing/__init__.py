"""Editors in the loop: a translation out as exchange units, an editor's units back in as human
segments (documents.py), and the translation memory out and in (memory.py): the library under
`syndicate export`, `import`, `edit` and `memory`.

Segments, their ids and the human segments that win over machine translation are described in
syndicate/translation/segments.py; the shapes exchanged are syndicate/exchange/units.py.
"""

from syndicate.editing.documents import (
    EDITABLE,
    HUMAN_STATE,
    ApplyReport,
    EditError,
    apply_document,
    discard_edits,
    export_document,
    markup_changed,
)
from syndicate.editing.memory import memory_units, seed_memory

__all__ = [
    "EDITABLE",
    "HUMAN_STATE",
    "ApplyReport",
    "EditError",
    "apply_document",
    "discard_edits",
    "export_document",
    "markup_changed",
    "memory_units",
    "seed_memory",
]
