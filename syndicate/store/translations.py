"""Translations (the text of each language version) and the sentence-level translation memory.

A translation row holds text and provenance only. Whether it may be published is the job's
state (syndicate/lifecycle.py): one fact, one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.engine import Row

from syndicate.model import JobState, Paragraph, Provenance, Translation
from syndicate.store import tables as t
from syndicate.store.db import Repository, now
from syndicate.store.jobs import Job, JobKey, _where_key
from syndicate.translation.memory import Entry


def paragraphs_from(data: list[dict[str, Any]]) -> tuple[Paragraph, ...]:
    """Stored paragraphs ([{"kind", "text", "speaker"?}, ...]) as Paragraphs; raises KeyError,
    ValueError or TypeError on a row that does not have that shape."""
    return tuple(Paragraph.from_dict(p) for p in data)


def translation_from(row: Row[Any]) -> Translation:
    """A Translation from a translations table row; raises as :func:`paragraphs_from` does."""
    return Translation(
        lang=row.lang,
        title=row.title,
        paragraphs=paragraphs_from(row.paragraphs),
        provenance=Provenance(row.model_name, row.model_version, row.demo),
        unreviewed=row.review_skipped_at is not None,
    )


class Translations(Repository):
    """One row per (article, revision, language) that a model translated."""

    def get(self, key: JobKey) -> Translation | None:
        """The translation stored for ``key`` (whatever its job's state), or None."""
        tr = t.translations
        with self.engine.connect() as conn:
            row = conn.execute(
                select(tr).where(
                    tr.c.article_id == key.article_id, tr.c.revision == key.revision, tr.c.lang == key.lang
                )
            ).first()
        return translation_from(row) if row else None

    def glossary(self, key: JobKey) -> list[dict[str, Any]]:
        """The glossary entries applied in ``key``'s translation, as stored by :meth:`save`
        (``[{"entry", "seen", "segment", "paragraph"}]``); empty when none or not translated."""
        tr = t.translations
        with self.engine.connect() as conn:
            found = conn.execute(
                select(tr.c.glossary).where(
                    tr.c.article_id == key.article_id, tr.c.revision == key.revision, tr.c.lang == key.lang
                )
            ).scalar()
        return list(found or [])

    def save(
        self,
        key: JobKey,
        translation: Translation,
        issues: list[str],
        state: JobState,
        holder: str | None,
        glossary: list[dict[str, Any]] | None = None,
    ) -> bool:
        """Store ``translation`` and move its job from translating to ``state``, in one
        transaction, if the job is still translating (by ``holder``, when given). ``glossary``
        lists the entries applied (:meth:`glossary`).

        Returns False, writing nothing, when the job moved on meanwhile (another worker took it
        over after this one's lease ran out and finished first). Idempotent: the same text again
        keeps ``updated_at``, which moves only when the text itself changed.
        """
        stamp = now()
        tr, j = t.translations, t.jobs
        paragraphs = [p.to_dict() for p in translation.paragraphs]
        values: dict[str, Any] = {
            "article_id": key.article_id,
            "revision": key.revision,
            "lang": key.lang,
            "title": translation.title,
            "paragraphs": paragraphs,
            "model_name": translation.provenance.model_name,
            "model_version": translation.provenance.model_version,
            "demo": translation.provenance.demo,
            "issues": issues or None,
            "glossary": glossary or None,
            "review_skipped_at": None,  # a new text waits for its own review
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.engine.begin() as conn:
            held = [j.c.holder == holder] if holder is not None else []
            moved = conn.execute(
                update(j)
                .where(_where_key(key), j.c.state == JobState.TRANSLATING, *held)
                .values(
                    state=state,
                    error="; ".join(issues) if issues else None,
                    holder=None,
                    lease_expires=None,
                    updated_at=stamp,
                )
            )
            if moved.rowcount != 1:
                return False
            old = conn.execute(
                select(tr.c.title, tr.c.paragraphs, tr.c.updated_at).where(
                    tr.c.article_id == key.article_id, tr.c.revision == key.revision, tr.c.lang == key.lang
                )
            ).first()
            if old is not None and (old.title, old.paragraphs) == (translation.title, paragraphs):
                values["updated_at"] = old.updated_at
            stmt = self._insert(tr).values(**values)
            changed = (
                "title",
                "paragraphs",
                "model_name",
                "model_version",
                "demo",
                "issues",
                "glossary",
                "review_skipped_at",
                "updated_at",
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=["article_id", "revision", "lang"], set_={k: stmt.excluded[k] for k in changed}
            )
            conn.execute(stmt)
        return True

    def skip_review(self, job: Job, at: datetime) -> bool:
        """Publish ``job`` (as read, in review) without review: its job moves to translated and
        its translation records ``at`` (aware UTC) as when review was skipped, in one
        transaction. A compare-and-set on the job's state and ``updated_at``: False, writing
        nothing, when an editor approved it or a retranslation replaced it meanwhile."""
        tr, j = t.translations, t.jobs
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(j)
                .where(_where_key(job.key), j.c.state == JobState.REVIEW, j.c.updated_at == job.updated_at)
                .values(state=JobState.TRANSLATED, error=None, updated_at=at)
            )
            if moved.rowcount != 1:
                return False
            conn.execute(
                update(tr)
                .where(
                    and_(
                        tr.c.article_id == job.article_id,
                        tr.c.revision == job.revision,
                        tr.c.lang == job.lang,
                    )
                )
                .values(review_skipped_at=at)
            )
        return True

    def review_skipped(self, key: JobKey) -> datetime | None:
        """When the grace period published ``key``'s translation without review, or None."""
        tr = t.translations
        with self.engine.connect() as conn:
            found: datetime | None = conn.execute(
                select(tr.c.review_skipped_at).where(
                    tr.c.article_id == key.article_id, tr.c.revision == key.revision, tr.c.lang == key.lang
                )
            ).scalar()
        return found


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
