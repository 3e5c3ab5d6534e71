"""Reading what a language's feed shows: the articles with publishable text and their entries.

A language version has publishable text when a translation of the current revision exists
(the source language: the current revision itself), the article is not retracted, and its job
is not waiting for approval (held by the quality gate, or in review). Used by
syndicate/store/publications.py (positions) and syndicate/store/snapshots.py (what a publish
renders); nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, and_, select

from syndicate.model import JobState, StoredArticle, Translation
from syndicate.store import tables as t
from syndicate.store.articles import article_from
from syndicate.store.jobs import JobKey
from syndicate.store.translations import translation_from

# Text in these states waits for a person: it stays out of every feed.
UNAPPROVED = (JobState.HELD, JobState.REVIEW)


@dataclass(frozen=True)
class Unreadable:
    """A stored revision that could not be read back (its job should fail, visibly)."""

    key: JobKey
    reason: str


def _approved(article_col: Any, revision_col: Any, lang_col: Any) -> Any:
    """SQL: the job of this language version is not waiting for approval."""
    j = t.jobs.alias("approval")  # the outer query may join jobs too: never correlate with it
    return (
        select(j.c.state)
        .where(
            j.c.article_id == article_col,
            j.c.revision == revision_col,
            j.c.lang == lang_col,
            j.c.state.in_([str(s) for s in UNAPPROVED]),
        )
        .exists()
        .__invert__()
    )


def publishable(lang: str, source_lang: str) -> Select[Any]:
    """Articles (current revision, not retracted) that have publishable text in ``lang``."""
    a, r = t.articles, t.revisions
    query: Select[Any] = select(a.c.id.label("article_key"), a.c.created_at.label("article_created"), r)
    return _with_text(query, lang, source_lang)


def _with_text(query: Select[Any], lang: str, source_lang: str) -> Select[Any]:
    """``query`` over the articles joined to their current revision, not retracted, and for
    another language than the source to their approved translation of that revision."""
    a, r, tr = t.articles, t.revisions, t.translations
    query = query.join(r, and_(r.c.article_id == a.c.id, r.c.number == a.c.current_revision)).where(
        a.c.retracted_at.is_(None)
    )
    if lang != source_lang:
        query = query.join(
            tr,
            and_(tr.c.article_id == a.c.id, tr.c.revision == a.c.current_revision, tr.c.lang == lang),
        ).where(_approved(a.c.id, a.c.current_revision, lang))
    return query


class IndexEntry(NamedTuple):
    """One article as a language's index page lists it: id, title in that language (as stored)
    and publication time (aware UTC)."""

    id: str
    title: str
    published: datetime


def read_index(conn: Connection, lang: str, source_lang: str) -> list[IndexEntry]:
    """Every article with a position in ``lang``'s feed and publishable text there, newest
    publication time first (ties: by id), as three columns only: the index pages need no
    paragraphs, so this stays one light query however many articles there are."""
    a, r, tr, p = t.articles, t.revisions, t.translations, t.publications
    title = r.c.title if lang == source_lang else tr.c.title
    query: Select[Any] = select(a.c.id, title.label("title"), r.c.published).select_from(a)
    query = _with_text(query, lang, source_lang)
    query = query.join(p, and_(p.c.article_id == a.c.id, p.c.lang == lang))
    query = query.order_by(r.c.published.desc(), a.c.id)
    return [IndexEntry(row.id, row.title, row.published) for row in conn.execute(query)]


def read_entries(
    conn: Connection,
    lang: str,
    source_lang: str,
    limit: int | None = None,
    *,
    seq_range: tuple[int, int] | None = None,
    ids: list[str] | None = None,
    unreadable: list[Unreadable] | None = None,
) -> list[StoredArticle]:
    """Published articles of one language's feed, newest position first, each with all its
    publishable translations: the newest ``limit``, those with a position in ``seq_range``
    (inclusive), or those in ``ids``.

    A row that cannot be read back is skipped (one bad row must not stop a feed) and, given
    the ``unreadable`` list, reported in it; this method never writes.
    """
    a, tr, p = t.articles, t.translations, t.publications
    query = (
        publishable(lang, source_lang)
        .join(p, and_(p.c.article_id == a.c.id, p.c.lang == lang))
        .add_columns(p.c.seq)
    )
    if seq_range is not None:
        query = query.where(p.c.seq.between(*seq_range))
    if ids is not None:
        query = query.where(a.c.id.in_(ids))
    query = query.order_by(p.c.seq.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    keys = [row.article_key for row in rows]
    found: dict[str, dict[str, Translation]] = {i: {} for i in keys}
    changed: dict[str, dict[str, datetime]] = {i: {} for i in keys}
    if keys:
        for trow in conn.execute(
            select(tr)
            .join(a, and_(a.c.id == tr.c.article_id, a.c.current_revision == tr.c.revision))
            .where(tr.c.article_id.in_(keys), _approved(tr.c.article_id, tr.c.revision, tr.c.lang))
        ):
            found[trow.article_id][trow.lang] = translation_from(trow)
            changed[trow.article_id][trow.lang] = trow.updated_at
    result = []
    for row in rows:
        try:
            article = article_from(row)
        except (ValueError, KeyError, TypeError) as exc:
            if unreadable is not None:
                key = JobKey(row.article_key, row.number, lang)
                unreadable.append(Unreadable(key, f"stored revision is unreadable: {exc}"))
            continue
        result.append(
            StoredArticle(
                id=row.article_key,
                revision=row.number,
                article=article,
                created_at=row.article_created,
                translations=found[row.article_key],
                # The revision's own timestamp is when the source text last changed.
                updated={source_lang: row.created_at, **changed[row.article_key]},
                seq=row.seq,
            )
        )
    return result
