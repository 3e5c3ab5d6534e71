"""The store: articles, revisions, translations and jobs (SQLAlchemy Core; SQLite or PostgreSQL)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import and_, create_engine, event, func, select, update
from sqlalchemy.engine import Engine

from syndicate.model import (
    Article,
    JobState,
    Paragraph,
    Provenance,
    StoredArticle,
    Translation,
)
from syndicate.store import tables as t

_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32: no i, l, o, u


PUBLISHABLE = ("ok", "released")


def new_article_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Job:
    article_id: str
    revision: int
    lang: str
    state: JobState
    attempts: int
    error: str | None
    updated_at: datetime
    holder: str | None = None

    @classmethod
    def from_row(cls, r) -> Job:
        return cls(
            r.article_id, r.revision, r.lang, JobState(r.state), r.attempts, r.error, r.updated_at, r.holder
        )


@dataclass(frozen=True)
class Submitted:
    article_id: str
    revision: int
    duplicate: bool
    revised: bool = False  # a new revision of an article already stored


@dataclass(frozen=True)
class ArticleSummary:
    id: str
    revision: int
    title: str
    published: datetime
    created_at: datetime
    states: dict[str, JobState]


def _sqlite_pragmas(busy_timeout_s: float):
    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the server and CLI read while a worker writes; busy_timeout waits out short
        # locks (a longer one becomes an OperationalError: "database is locked").
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def make_engine(url: str, busy_timeout_s: float = 30) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            # Zero configuration: the first command run on a machine creates the data folder.
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_s))
    return engine


def _paragraphs(data: list[dict]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph.from_dict(p) for p in data)


class Store:
    def __init__(self, url: str, migrate: bool = True, busy_timeout_s: float = 30):
        self.engine = make_engine(url, busy_timeout_s)
        if migrate:
            from syndicate.store import migrate as migrations

            migrations.upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def _insert(self, table):
        """INSERT that can say ON CONFLICT, in this database's dialect."""
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    # -- submitting ---------------------------------------------------------------------------

    def find_by_hash(self, content_hash: str) -> tuple[str, int] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.revisions.c.article_id, t.revisions.c.number)
                .where(t.revisions.c.content_hash == content_hash)
                .limit(1)
            ).first()
        return (row.article_id, row.number) if row else None

    def find_by_url(self, url: str) -> str | None:
        """The article whose current revision has this canonical URL."""
        a, r = t.articles, t.revisions
        with self.engine.connect() as conn:
            return conn.execute(
                select(a.c.id)
                .join(r, and_(r.c.article_id == a.c.id, r.c.number == a.c.current_revision))
                .where(r.c.url == url, a.c.retracted_at.is_(None))
                .limit(1)
            ).scalar()

    def add_article(
        self,
        article: Article,
        languages: Iterable[str],
        source_name: str | None,
        update_of: str | None = None,
    ) -> Submitted:
        """Store an article with one job per language, in one transaction.

        Identical content already stored is a duplicate (nothing changes). Changed content with
        the canonical URL of a stored article, or ``update_of`` its id, is a new revision of it,
        translated again. The source language's job starts as translated; the others queued.
        """
        content_hash = article.content_hash()
        existing = self.find_by_hash(content_hash)
        if existing:
            return Submitted(existing[0], existing[1], duplicate=True)
        target = update_of or (self.find_by_url(article.url) if article.url else None)
        stamp = now()
        with self.engine.begin() as conn:
            if target:
                current = conn.execute(
                    select(t.articles.c.current_revision).where(t.articles.c.id == target)
                ).scalar()
                if current is None:
                    raise KeyError(target)
                article_id, number = target, current + 1
                conn.execute(
                    update(t.articles).where(t.articles.c.id == target).values(current_revision=number)
                )
            else:
                article_id, number = new_article_id(), 1
                conn.execute(t.articles.insert().values(id=article_id, created_at=stamp, current_revision=1))
            conn.execute(
                t.revisions.insert().values(
                    article_id=article_id,
                    number=number,
                    content_hash=content_hash,
                    lang=article.lang,
                    title=article.title,
                    published=article.published,
                    author=article.author,
                    url=article.url,
                    paragraphs=[p.to_dict() for p in article.paragraphs],
                    lead_trimmed=article.lead_trimmed,
                    source_name=source_name,
                    created_at=stamp,
                )
            )
            for lang in languages:
                state = JobState.TRANSLATED if lang == article.lang else JobState.QUEUED
                conn.execute(
                    t.jobs.insert().values(
                        article_id=article_id,
                        revision=number,
                        lang=lang,
                        state=state,
                        attempts=0,
                        updated_at=stamp,
                    )
                )
        return Submitted(article_id, number, duplicate=False, revised=bool(target))

    def retract(self, article_id: str) -> bool:
        """Take an article out of every feed (publishing removes it). False if already retracted."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(t.articles)
                .where(t.articles.c.id == article_id, t.articles.c.retracted_at.is_(None))
                .values(retracted_at=now())
            )
        return result.rowcount == 1

    def retracted_in_feed(self, lang: str) -> list[tuple[str, int]]:
        """Retracted articles that still hold a position in ``lang``'s feed, with it."""
        a, p = t.articles, t.publications
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(p.c.article_id, p.c.seq)
                .join(a, a.c.id == p.c.article_id)
                .where(p.c.lang == lang, a.c.retracted_at.is_not(None))
            ).all()
        return [(row.article_id, row.seq) for row in rows]

    def forget_positions(self, lang: str, article_ids: list[str]) -> None:
        """Drop feed positions once the documents without them are written, so a failed write
        leaves the retraction to be done again by the next publish."""
        if article_ids:
            p = t.publications
            with self.engine.begin() as conn:
                conn.execute(p.delete().where(p.c.lang == lang, p.c.article_id.in_(article_ids)))

    def job_counts(self) -> dict[tuple[str, str], int]:
        """How many language versions are in each state, per language (for /metrics)."""
        j = t.jobs
        with self.engine.connect() as conn:
            rows = conn.execute(select(j.c.lang, j.c.state, func.count()).group_by(j.c.lang, j.c.state)).all()
        return {(lang, str(JobState(state))): n for lang, state, n in rows}

    def article_counts(self) -> dict[str, int]:
        a = t.articles
        retracted = a.c.retracted_at.is_not(None)
        with self.engine.connect() as conn:
            rows = conn.execute(select(retracted.label("gone"), func.count()).group_by(retracted)).all()
        counts = {"active": 0, "retracted": 0}
        for gone, n in rows:
            counts["retracted" if gone else "active"] = n
        return counts

    # -- reading ------------------------------------------------------------------------------

    def revision(self, article_id: str, number: int) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.revisions).where(
                    t.revisions.c.article_id == article_id, t.revisions.c.number == number
                )
            ).first()
        return self._article(row) if row else None

    @staticmethod
    def _article(row) -> Article:
        return Article(
            title=row.title,
            published=row.published,
            paragraphs=_paragraphs(row.paragraphs),
            lang=row.lang,
            author=row.author,
            url=row.url,
            lead_trimmed=row.lead_trimmed,
        )

    def resolve_id(self, prefix: str) -> str | None:
        """Full article id from an id or an unambiguous prefix of one (as git does)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.articles.c.id).where(t.articles.c.id.startswith(prefix, autoescape=True)).limit(2)
            ).all()
        return rows[0].id if len(rows) == 1 else None

    def job(self, article_id: str, revision: int, lang: str) -> Job | None:
        j = t.jobs
        with self.engine.connect() as conn:
            r = conn.execute(
                select(j).where(j.c.article_id == article_id, j.c.revision == revision, j.c.lang == lang)
            ).first()
        if r is None:
            return None
        return Job.from_row(r)

    def jobs(self, article_id: str) -> list[Job]:
        with self.engine.connect() as conn:
            current = conn.execute(
                select(t.articles.c.current_revision).where(t.articles.c.id == article_id)
            ).scalar()
            if current is None:
                return []
            rows = conn.execute(
                select(t.jobs)
                .where(t.jobs.c.article_id == article_id, t.jobs.c.revision == current)
                .order_by(t.jobs.c.lang)
            ).all()
        return [Job.from_row(r) for r in rows]

    def list_articles(self, limit: int = 100) -> list[ArticleSummary]:
        a, r, j = t.articles, t.revisions, t.jobs
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.c.id, a.c.current_revision, a.c.created_at, r.c.title, r.c.published)
                .join(r, and_(r.c.article_id == a.c.id, r.c.number == a.c.current_revision))
                .where(a.c.retracted_at.is_(None))
                .order_by(a.c.created_at.desc(), a.c.id)
                .limit(limit)
            ).all()
            ids = [row.id for row in rows]
            states: dict[str, dict[str, JobState]] = {i: {} for i in ids}
            if ids:
                for job in conn.execute(
                    select(j.c.article_id, j.c.revision, j.c.lang, j.c.state).where(j.c.article_id.in_(ids))
                ):
                    states[job.article_id][job.lang] = JobState(job.state)
        return [
            ArticleSummary(
                row.id, row.current_revision, row.title, row.published, row.created_at, states[row.id]
            )
            for row in rows
        ]

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t.articles)).scalar_one()

    def translation(self, article_id: str, revision: int, lang: str) -> Translation | None:
        tr = t.translations
        with self.engine.connect() as conn:
            row = conn.execute(
                select(tr).where(tr.c.article_id == article_id, tr.c.revision == revision, tr.c.lang == lang)
            ).first()
        return self._translation(row) if row else None

    @staticmethod
    def _translation(row) -> Translation:
        return Translation(
            lang=row.lang,
            title=row.title,
            paragraphs=_paragraphs(row.paragraphs),
            provenance=Provenance(row.model_name, row.model_version, row.demo),
        )

    def _publishable(self, lang: str, source_lang: str):
        """Articles (current revision, not retracted) that have publishable text in ``lang``."""
        a, r, tr = t.articles, t.revisions, t.translations
        query = (
            select(a.c.id.label("article_key"), a.c.created_at.label("article_created"), r)
            .join(r, and_(r.c.article_id == a.c.id, r.c.number == a.c.current_revision))
            .where(a.c.retracted_at.is_(None))
        )
        if lang != source_lang:
            query = query.join(
                tr,
                and_(
                    tr.c.article_id == a.c.id,
                    tr.c.revision == a.c.current_revision,
                    tr.c.lang == lang,
                    tr.c.status.in_(PUBLISHABLE),
                ),
            )
        return query

    def sequence_ready(self, lang: str, source_lang: str) -> list[str]:
        """Give a feed position to every article whose ``lang`` text awaits publication.

        Returns the ids of all articles awaiting publication in ``lang`` (newly positioned or
        not, e.g. a released translation), oldest first.
        """
        a, r, j, p = t.articles, t.revisions, t.jobs, t.publications
        query = (
            self._publishable(lang, source_lang)
            .join(
                j,
                and_(
                    j.c.article_id == a.c.id,
                    j.c.revision == a.c.current_revision,
                    j.c.lang == lang,
                    j.c.state == JobState.TRANSLATED,
                ),
            )
            .outerjoin(p, and_(p.c.article_id == a.c.id, p.c.lang == lang))
            .add_columns(p.c.seq)
            .order_by(r.c.published, a.c.id)
        )
        stamp = now()
        with self.engine.begin() as conn:
            rows = conn.execute(query).all()
            last = conn.execute(select(func.max(p.c.seq)).where(p.c.lang == lang)).scalar() or 0
            for row in rows:
                if row.seq is None:
                    last += 1
                    conn.execute(
                        p.insert().values(lang=lang, article_id=row.article_key, seq=last, published_at=stamp)
                    )
        return [row.article_key for row in rows]

    def last_seq(self, lang: str) -> int:
        p = t.publications
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(p.c.seq)).where(p.c.lang == lang)).scalar() or 0

    def feed_articles(
        self,
        lang: str,
        source_lang: str,
        limit: int | None = None,
        *,
        seq_range: tuple[int, int] | None = None,
        ids: list[str] | None = None,
    ) -> list[StoredArticle]:
        """Published articles of one language's feed, newest position first, with all their
        translations: the newest ``limit``, those with a position in ``seq_range`` (inclusive),
        or those in ``ids``.
        """
        a, tr, p = t.articles, t.translations, t.publications
        query = (
            self._publishable(lang, source_lang)
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
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            keys = [row.article_key for row in rows]
            found: dict[str, dict[str, Translation]] = {i: {} for i in keys}
            changed: dict[str, dict[str, datetime]] = {i: {} for i in keys}
            if keys:
                for trow in conn.execute(
                    select(tr)
                    .join(a, and_(a.c.id == tr.c.article_id, a.c.current_revision == tr.c.revision))
                    .where(tr.c.article_id.in_(keys), tr.c.status.in_(PUBLISHABLE))
                ):
                    found[trow.article_id][trow.lang] = self._translation(trow)
                    changed[trow.article_id][trow.lang] = trow.updated_at
        result = []
        for row in rows:
            try:
                article = self._article(row)
            except (ValueError, KeyError, TypeError) as exc:
                # One unreadable row must not stop a language's feed: fail its job, visibly.
                self.set_job_state(
                    row.article_key,
                    row.number,
                    lang,
                    JobState.FAILED,
                    error=f"stored revision is unreadable: {exc}",
                )
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

    # -- working ------------------------------------------------------------------------------

    def set_job_state(
        self,
        article_id: str,
        revision: int,
        lang: str,
        state: JobState,
        error: str | None = None,
        count_attempt: bool = False,
        holder: str | None = None,
    ) -> None:
        values: dict = {"state": state, "error": error, "updated_at": now(), "holder": holder}
        if count_attempt:
            values["attempts"] = t.jobs.c.attempts + 1
        with self.engine.begin() as conn:
            conn.execute(
                update(t.jobs)
                .where(
                    t.jobs.c.article_id == article_id, t.jobs.c.revision == revision, t.jobs.c.lang == lang
                )
                .values(**values)
            )

    def save_translation(
        self, article_id: str, revision: int, translation: Translation, issues: list[str] | None = None
    ) -> None:
        """Store a translation; with ``issues`` it is held back from the feeds.

        Idempotent: a redelivered task overwrites the same row instead of adding one, and
        ``updated_at`` moves only when the text itself changed.
        """
        stamp = now()
        tr = t.translations
        paragraphs = [p.to_dict() for p in translation.paragraphs]
        values = {
            "article_id": article_id,
            "revision": revision,
            "lang": translation.lang,
            "title": translation.title,
            "paragraphs": paragraphs,
            "model_name": translation.provenance.model_name,
            "model_version": translation.provenance.model_version,
            "demo": translation.provenance.demo,
            "status": "held" if issues else "ok",
            "issues": issues or None,
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.engine.begin() as conn:
            old = conn.execute(
                select(tr.c.title, tr.c.paragraphs, tr.c.updated_at).where(
                    tr.c.article_id == article_id, tr.c.revision == revision, tr.c.lang == translation.lang
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
                "status",
                "issues",
                "updated_at",
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=["article_id", "revision", "lang"], set_={k: stmt.excluded[k] for k in changed}
            )
            conn.execute(stmt)
            conn.execute(
                update(t.jobs)
                .where(
                    t.jobs.c.article_id == article_id,
                    t.jobs.c.revision == revision,
                    t.jobs.c.lang == translation.lang,
                    t.jobs.c.state != JobState.PUBLISHED,
                )
                .values(
                    state=JobState.HELD if issues else JobState.TRANSLATED,
                    error="; ".join(issues) if issues else None,
                    updated_at=stamp,
                )
            )

    def claim_job(self, seen: Job, holder: str | None) -> bool:
        """Mark a job translating by ``holder`` if nobody changed it since it was read as ``seen``.

        A compare-and-set on state, holder and updated_at: of two workers that read the same
        job at once, exactly one claims it; the other is told it lost.
        """
        j = t.jobs
        with self.engine.begin() as conn:
            result = conn.execute(
                update(j)
                .where(
                    j.c.article_id == seen.article_id,
                    j.c.revision == seen.revision,
                    j.c.lang == seen.lang,
                    j.c.state == seen.state,
                    j.c.updated_at == seen.updated_at,
                    j.c.holder.is_(None) if seen.holder is None else j.c.holder == seen.holder,
                )
                .values(
                    state=JobState.TRANSLATING,
                    error=None,
                    attempts=j.c.attempts + 1,
                    updated_at=now(),
                    holder=holder,
                )
            )
        return result.rowcount == 1

    def claim_queued(
        self, lang: str, limit: int, exclude: set[tuple[str, int]], holder: str | None = None
    ) -> list[tuple[str, int]]:
        """Take up to ``limit`` queued jobs of one language for this worker's batch.

        Each claim is a conditional UPDATE, so two workers never both claim a job. The claimed
        jobs' own task messages find the work done (or still running) when they arrive.
        """
        j = t.jobs
        with self.engine.connect() as conn:
            candidates = conn.execute(
                select(j.c.article_id, j.c.revision)
                # A job that has failed before is retried by its own message, alone.
                .where(j.c.lang == lang, j.c.state == JobState.QUEUED, j.c.attempts == 0)
                .order_by(j.c.updated_at)
                .limit(limit + len(exclude))
            ).all()
        claimed = []
        for row in candidates:
            if len(claimed) >= limit or (row.article_id, row.revision) in exclude:
                continue
            with self.engine.begin() as conn:
                result = conn.execute(
                    update(j)
                    .where(
                        j.c.article_id == row.article_id,
                        j.c.revision == row.revision,
                        j.c.lang == lang,
                        j.c.state == JobState.QUEUED,
                    )
                    .values(
                        state=JobState.TRANSLATING, attempts=j.c.attempts + 1, updated_at=now(), holder=holder
                    )
                )
            if result.rowcount == 1:
                claimed.append((row.article_id, row.revision))
        return claimed

    def held_by(self, holder: str, lang: str) -> list[tuple[str, int]]:
        """Jobs still marked translating by ``holder`` (a task that died with them)."""
        j = t.jobs
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(j.c.article_id, j.c.revision).where(
                    j.c.holder == holder, j.c.lang == lang, j.c.state == JobState.TRANSLATING
                )
            ).all()
        return [(r.article_id, r.revision) for r in rows]

    def release(self, article_id: str, lang: str) -> bool:
        """Publish a held translation anyway. False if there is none held."""
        tr, a = t.translations, t.articles
        with self.engine.begin() as conn:
            revision = conn.execute(select(a.c.current_revision).where(a.c.id == article_id)).scalar()
            result = conn.execute(
                update(tr)
                .where(
                    tr.c.article_id == article_id,
                    tr.c.revision == revision,
                    tr.c.lang == lang,
                    tr.c.status == "held",
                )
                .values(status="released")
            )
            if result.rowcount != 1:
                return False
            conn.execute(
                update(t.jobs)
                .where(
                    t.jobs.c.article_id == article_id, t.jobs.c.revision == revision, t.jobs.c.lang == lang
                )
                .values(state=JobState.TRANSLATED, updated_at=now())
            )
        return True

    def requeue(self, article_id: str, langs: Iterable[str]) -> int:
        """Queue the current revision again in ``langs`` (for retranslate). Returns the revision.

        The old text stays in the feeds until the new one replaces it.
        """
        with self.engine.begin() as conn:
            revision = conn.execute(
                select(t.articles.c.current_revision).where(t.articles.c.id == article_id)
            ).scalar_one()
            conn.execute(
                update(t.jobs)
                .where(
                    t.jobs.c.article_id == article_id,
                    t.jobs.c.revision == revision,
                    t.jobs.c.lang.in_(list(langs)),
                )
                .values(state=JobState.QUEUED, error=None, updated_at=now())
            )
        return revision

    # -- translation memory -----------------------------------------------------------------------

    def lookup(self, keys: list[str]) -> dict[str, str]:
        tm = t.translation_memory
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                for row in conn.execute(select(tm.c.key, tm.c.target).where(tm.c.key.in_(chunk))):
                    found[row.key] = row.target
        return found

    def remember(self, entries: list, replace: bool = False) -> None:
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

    def mark_published(self, lang: str, article_ids: Iterable[str]) -> int:
        """Jobs whose text is now in the feeds become published. Returns how many changed."""
        ids = list(article_ids)
        if not ids:
            return 0
        j, a = t.jobs, t.articles
        current = select(a.c.current_revision).where(a.c.id == j.c.article_id).scalar_subquery()
        with self.engine.begin() as conn:
            result = conn.execute(
                update(j)
                .where(
                    j.c.lang == lang,
                    j.c.article_id.in_(ids),
                    j.c.revision == current,
                    j.c.state == JobState.TRANSLATED,
                )
                .values(state=JobState.PUBLISHED, error=None, updated_at=now())
            )
            return result.rowcount or 0

    def jobs_in_state(self, states: Iterable[JobState], lang: str | None = None) -> list[Job]:
        j = t.jobs
        query = select(j).where(j.c.state.in_([str(s) for s in states]))
        if lang:
            query = query.where(j.c.lang == lang)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(j.c.updated_at)).all()
        return [Job.from_row(r) for r in rows]
