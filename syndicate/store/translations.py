"""Translations: the text of each language version, with its segment records.

A translation row holds text and provenance only. Whether it may be published is the job's
state (syndicate/lifecycle.py): one fact, one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.engine import Connection, Row

from syndicate.model import JobState, Paragraph, Provenance, Translation
from syndicate.store import tables as t
from syndicate.store.db import Repository, now
from syndicate.store.human import remember_human
from syndicate.store.jobs import Job, JobKey, _where_key
from syndicate.translation.segments import HumanSegment, counts


def paragraphs_from(data: list[dict[str, Any]]) -> tuple[Paragraph, ...]:
    """Stored paragraphs ([{"kind", "text", "speaker"?}, ...]) as Paragraphs; raises KeyError,
    ValueError or TypeError on a row that does not have that shape."""
    return tuple(Paragraph.from_dict(p) for p in data)


def translation_from(row: Row[Any]) -> Translation:
    """A Translation from a translations table row; raises as :func:`paragraphs_from` does.
    Its provenance counts the row's segment records (0 and 0 for a row without)."""
    total, humans, approved = counts(row.segments or [])
    return Translation(
        lang=row.lang,
        title=row.title,
        paragraphs=paragraphs_from(row.paragraphs),
        provenance=Provenance(row.model_name, row.model_version, row.demo, total, humans, approved),
        unreviewed=row.review_skipped_at is not None,
    )


def _row(key: JobKey) -> Any:
    """SQL: the translations row of ``key`` (article, revision, language)."""
    tr = t.translations
    return and_(tr.c.article_id == key.article_id, tr.c.revision == key.revision, tr.c.lang == key.lang)


def _humans(records: list[dict[str, Any]] | None) -> tuple[int, int, int]:
    return counts(records or [])


class Translations(Repository):
    """One row per (article, revision, language) that a model translated."""

    def get(self, key: JobKey) -> Translation | None:
        """The translation stored for ``key`` (whatever its job's state), or None."""
        tr = t.translations
        with self.engine.connect() as conn:
            row = conn.execute(select(tr).where(_row(key))).first()
        return translation_from(row) if row else None

    def glossary(self, key: JobKey) -> list[dict[str, Any]]:
        """The glossary entries applied in ``key``'s translation, as stored by :meth:`save`
        (``[{"entry", "seen", "segment", "paragraph"}]``); empty when none or not translated."""
        tr = t.translations
        with self.engine.connect() as conn:
            found = conn.execute(select(tr.c.glossary).where(_row(key))).scalar()
        return list(found or [])

    def segments(self, key: JobKey) -> list[dict[str, Any]] | None:
        """The segment records of ``key``'s translation (translation/segments.py), in reading
        order; [] for a translation stored before records were kept; None when not translated."""
        tr = t.translations
        with self.engine.connect() as conn:
            row = conn.execute(select(tr.c.segments).where(_row(key))).first()
        return None if row is None else list(row.segments or [])

    def save(
        self,
        key: JobKey,
        translation: Translation,
        issues: list[str],
        state: JobState,
        holder: str | None,
        glossary: list[dict[str, Any]] | None = None,
        segments: list[dict[str, Any]] | None = None,
    ) -> bool:
        """Store ``translation`` and move its job from translating to ``state``, in one
        transaction, if the job is still translating (by ``holder``, when given). ``glossary``
        lists the entries applied (:meth:`glossary`), ``segments`` its segment records.

        Returns False, writing nothing, when the job moved on meanwhile (another worker took it
        over after this one's lease ran out and finished first). Idempotent: the same text again
        keeps ``updated_at``, which moves only when the text itself, or the number of human
        segments (the provenance note readers see), changed.
        """
        stamp = now()
        j = t.jobs
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
            "segments": segments,
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
            self._upsert(conn, key, values)
        return True

    def _upsert(self, conn: Connection, key: JobKey, values: dict[str, Any]) -> None:
        """Insert or replace the translation row of ``key``, keeping ``updated_at`` when the
        title, paragraphs and number of human segments are those stored."""
        tr = t.translations
        old = conn.execute(
            select(tr.c.title, tr.c.paragraphs, tr.c.segments, tr.c.updated_at).where(_row(key))
        ).first()
        if old is not None and (old.title, old.paragraphs, _humans(old.segments)) == (
            values["title"],
            values["paragraphs"],
            _humans(values["segments"]),
        ):
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
            "segments",
            "review_skipped_at",
            "updated_at",
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["article_id", "revision", "lang"], set_={k: stmt.excluded[k] for k in changed}
        )
        conn.execute(stmt)

    def save_edited(
        self,
        key: JobKey,
        translation: Translation,
        issues: list[str],
        segments: list[dict[str, Any]],
        state: JobState,
        when: tuple[JobState, ...],
        human: list[HumanSegment],
    ) -> bool:
        """An editor's change, in one transaction: store ``human`` segments (replacing any of the
        same key), store ``translation`` with its ``segments`` records (glossary kept) and move
        its job to ``state``, if the job is in one of ``when``. False, writing nothing, when it
        is not (a new translation started meanwhile)."""
        stamp = now()
        tr, j = t.translations, t.jobs
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(j)
                .where(_where_key(key), j.c.state.in_([str(s) for s in when]))
                .values(state=state, error="; ".join(issues) if issues else None, updated_at=stamp)
            )
            if moved.rowcount != 1:
                return False
            remember_human(conn, self._insert, human, stamp)
            old = conn.execute(select(tr.c.glossary, tr.c.created_at).where(_row(key))).first()
            self._upsert(
                conn,
                key,
                {
                    "article_id": key.article_id,
                    "revision": key.revision,
                    "lang": key.lang,
                    "title": translation.title,
                    "paragraphs": [p.to_dict() for p in translation.paragraphs],
                    "model_name": translation.provenance.model_name,
                    "model_version": translation.provenance.model_version,
                    "demo": translation.provenance.demo,
                    "issues": issues or None,
                    "glossary": old.glossary if old is not None else None,
                    "segments": segments,
                    "review_skipped_at": None,  # an editor's text is not unreviewed
                    "created_at": old.created_at if old is not None else stamp,
                    "updated_at": stamp,
                },
            )
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
            conn.execute(update(tr).where(_row(job.key)).values(review_skipped_at=at))
        return True

    def review_skipped(self, key: JobKey) -> datetime | None:
        """When the grace period published ``key``'s translation without review, or None."""
        tr = t.translations
        with self.engine.connect() as conn:
            found: datetime | None = conn.execute(select(tr.c.review_skipped_at).where(_row(key))).scalar()
        return found
