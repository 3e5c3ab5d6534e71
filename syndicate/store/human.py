"""Human segments: people's translations of sentences, which win over machine translation.

Keys and rules: syndicate/translation/segments.py. Rows are written by an editor's change (in
the same transaction as the translation it changes: Translations.save_edited) or seeded from a
translation memory file (``HumanSegments.remember``); the translator reads them
(``lookup_human``) before its machine memory and the model. The segment records of stored
translations are read here too for the translation memory's export (``current_records``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, delete, select
from sqlalchemy.engine import Connection

from syndicate.store import tables as t
from syndicate.store.db import Repository, now
from syndicate.translation.segments import HumanSegment


def remember_human(
    conn: Connection, insert: Callable[[Table], Any], segments: list[HumanSegment], stamp: datetime
) -> None:
    """Store ``segments`` on ``conn`` (``insert``: the dialect's Repository._insert); a key
    already stored takes the new target, its ``approved`` marker and ``changed_at``, keeping
    its ``created_at``."""
    if not segments:
        return
    rows = {
        s.key: {
            "key": s.key,
            "from_code": s.from_code,
            "to_code": s.to_code,
            "glossary_key": s.glossary_key,
            "source": s.source,
            "target": s.target,
            "target_html": s.target_html,
            "approved": s.approved,
            "created_at": stamp,
            "changed_at": stamp,
        }
        for s in segments
    }
    stmt = insert(t.human_segments)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={k: stmt.excluded[k] for k in ("target", "target_html", "approved", "changed_at")},
    )
    conn.execute(stmt, list(rows.values()))


@dataclass(frozen=True)
class CurrentSegments:
    """One stored translation's segment records, for the translation memory's export."""

    segments: list[dict[str, Any]]
    source_lang: str
    lang: str
    model_name: str
    model_version: str
    created_at: datetime
    updated_at: datetime


class HumanSegments(Repository):
    """The human_segments table; a translation/segments.HumanMemory."""

    def lookup_human(self, keys: list[str]) -> dict[str, HumanSegment]:
        """``{key: segment}`` for each of ``keys`` stored; keys not stored are absent."""
        h = t.human_segments
        found: dict[str, HumanSegment] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(keys), 500):
                for row in conn.execute(select(h).where(h.c.key.in_(keys[start : start + 500]))):
                    found[row.key] = _segment(row)
        return found

    def remember(self, segments: list[HumanSegment]) -> None:
        """Store ``segments`` (see :func:`remember_human`)."""
        with self.engine.begin() as conn:
            remember_human(conn, self._insert, segments, now())

    def forget(self, keys: list[str]) -> int:
        """Delete the human segments of ``keys``; returns how many there were."""
        h = t.human_segments
        gone = 0
        with self.engine.begin() as conn:
            for start in range(0, len(keys), 500):
                gone += conn.execute(delete(h).where(h.c.key.in_(keys[start : start + 500]))).rowcount
        return gone

    def all(self) -> list[tuple[HumanSegment, datetime, datetime]]:
        """Every human segment with when it was created and last changed, oldest first."""
        h = t.human_segments
        with self.engine.connect() as conn:
            rows = conn.execute(select(h).order_by(h.c.created_at, h.c.key)).all()
        return [(_segment(row), row.created_at, row.changed_at) for row in rows]

    def current_records(self) -> list[CurrentSegments]:
        """The segment records of every translation of a current revision that has them, oldest
        translation first, with its languages, model and times."""
        tr, a, r = t.translations, t.articles, t.revisions
        query = (
            select(tr.c.segments, tr.c.lang, tr.c.model_name, tr.c.model_version, tr.c.created_at)
            .add_columns(tr.c.updated_at, r.c.lang.label("source_lang"))
            .join(a, and_(a.c.id == tr.c.article_id, a.c.current_revision == tr.c.revision))
            .join(r, and_(r.c.article_id == tr.c.article_id, r.c.number == tr.c.revision))
            .where(tr.c.segments.is_not(None))
            .order_by(tr.c.created_at, tr.c.article_id, tr.c.lang)
        )
        with self.engine.connect() as conn:
            return [
                CurrentSegments(
                    list(row.segments or []),
                    row.source_lang,
                    row.lang,
                    row.model_name,
                    row.model_version,
                    row.created_at,
                    row.updated_at,
                )  # fmt: skip
                for row in conn.execute(query)
            ]


def _segment(row: Any) -> HumanSegment:
    return HumanSegment(
        row.key,
        row.source,
        row.target,
        row.from_code,
        row.to_code,
        row.glossary_key,
        row.target_html,
        bool(row.approved),
    )
