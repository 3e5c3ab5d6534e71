"""The machine translation memory: model output per sentence, keyed as
syndicate/translation/memory.py says (human segments, which win over it, live in human.py)."""

from __future__ import annotations

from sqlalchemy import select

from syndicate.store import tables as t
from syndicate.store.db import Repository, now
from syndicate.translation.memory import Entry


class Memory(Repository):
    """The translation memory table (keys: syndicate/translation/memory.py); a tm.Memory."""

    def lookup(self, keys: list[str]) -> dict[str, str]:
        """Target text of each key found, {key: target}; keys not stored are absent."""
        tm = t.translation_memory
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                for row in conn.execute(select(tm.c.key, tm.c.target).where(tm.c.key.in_(chunk))):
                    found[row.key] = row.target
        return found

    def remember(self, entries: list[Entry], replace: bool = False) -> None:
        """Add entries; an existing key keeps its target unless ``replace`` (retranslate)."""
        if not entries:
            return
        stamp = now()
        rows = [
            {
                "key": e.key,
                "from_code": e.from_code,
                "to_code": e.to_code,
                "model_name": e.model.name,
                "model_version": e.model.version,
                "source": e.source,
                "target": e.target,
                "created_at": stamp,
            }
            for e in entries
        ]
        stmt = self._insert(t.translation_memory)
        if replace:
            stmt = stmt.on_conflict_do_update(
                index_elements=["key"],
                set_={"target": stmt.excluded.target, "created_at": stmt.excluded.created_at},
            )
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=["key"])
        with self.engine.begin() as conn:
            conn.execute(stmt, rows)
