"""Stale feed documents: which of a language's feed documents must be rendered again.

Owns the ``stale_marks`` table. A mark names a position (``seq``) in one language's feed; the
document holding that position (an RFC 5005 archive page, or the main feed when the position is
above the last closed page) is rendered by that language's next publish, which then clears the
marks it read (syndicate/store/snapshots.py). Marks are written in the same transaction as the
change that makes a document stale (syndicate/store/publications.py ``sequence_ready``), so no
change is ever left without its mark. Seq -1 marks every archive page.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from syndicate.store import tables as t
from syndicate.store.db import Repository

ALL_PAGES = -1


def mark(conn: Connection, marks: Iterable[tuple[str, int]]) -> None:
    """Mark the documents holding each (lang, seq) stale, inside the caller's transaction."""
    rows = [{"lang": lang, "seq": seq} for lang, seq in marks]
    if rows:
        conn.execute(t.stale_marks.insert(), rows)


class Stale(Repository):
    """Reading the stale marks outside a publish."""

    def languages(self) -> set[str]:
        """Languages with at least one stale document: each needs a publish."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(t.stale_marks.c.lang).distinct()).scalars())

    def marked(self, lang: str) -> list[int]:
        """The positions marked stale in ``lang``'s feed, ascending (duplicates kept)."""
        s = t.stale_marks
        with self.engine.connect() as conn:
            return list(conn.execute(select(s.c.seq).where(s.c.lang == lang).order_by(s.c.seq)).scalars())
