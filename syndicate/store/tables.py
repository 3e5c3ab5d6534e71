"""Table definitions. The database is the source of truth; Redis only carries work."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

from syndicate.store.types import UTCDateTime

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("current_revision", Integer, nullable=False),
    Column("retracted_at", UTCDateTime()),
    # The current revision's canonical URL: what identifies an article across revisions. At
    # most one live article holds a URL (the partial unique index below), so two processes
    # submitting revisions of one URL at once cannot both create an article.
    Column("canonical_url", Text),
    Index(
        "uq_articles_live_url",
        "canonical_url",
        unique=True,
        sqlite_where=text("retracted_at IS NULL"),
        postgresql_where=text("retracted_at IS NULL"),
    ),
)

revisions = Table(
    "revisions",
    metadata,
    Column("article_id", String(16), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("lang", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("published", UTCDateTime(), nullable=False),
    Column("author", Text),
    Column("url", Text),
    # [{"kind": ..., "text": ...}, ...] in document order.
    Column("paragraphs", JSON, nullable=False),
    Column("lead_trimmed", Boolean, nullable=False, default=False),
    # The source's own "Updated:" date, when it gives one.
    Column("updated", UTCDateTime()),
    # What ingestion repaired or assumed (Article.notes): a list of one-line strings.
    Column("notes", JSON),
    Column("source_name", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
    # What identifies a revision: the same content is never stored twice.
    Index("uq_revisions_content_hash", "content_hash", unique=True),
)

translations = Table(
    "translations",
    metadata,
    Column("article_id", String(16), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("title", Text, nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("model_name", Text, nullable=False),
    Column("model_version", Text, nullable=False),
    Column("demo", Boolean, nullable=False, default=False),
    # What the quality gate found; whether the text may be published is its job's state.
    Column("issues", JSON),
    # The glossary entries applied: [{"entry", "seen", "segment", "paragraph"}] (status shows them).
    Column("glossary", JSON),
    # When the review grace period published this text without an editor's approval (None:
    # approved, or no review asked); a new text of the same row clears it.
    Column("review_skipped_at", UTCDateTime()),
    # One record per segment (title, then each sentence): syndicate/translation/segments.py.
    Column("segments", JSON),
    Column("created_at", UTCDateTime(), nullable=False),
    # When this text last changed; a retranslation that gives the same text keeps it.
    Column("updated_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(
        ["article_id", "revision"], ["revisions.article_id", "revisions.number"], ondelete="CASCADE"
    ),
)

# One row per (article, revision, language): the unit of work and of idempotency.
jobs = Table(
    "jobs",
    metadata,
    Column("article_id", String(16), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("state", String(32), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    # The lease of the task translating it (Celery task id, and until when): renewed while it
    # works; once expired the holder is taken for dead and the job is sent again. A task that
    # the broker redelivers takes its own jobs back at once.
    Column("holder", String(64)),
    Column("lease_expires", UTCDateTime()),
    Column("updated_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(
        ["article_id", "revision"], ["revisions.article_id", "revisions.number"], ondelete="CASCADE"
    ),
)

# Sentence-level translation memory (see syndicate/translation/memory.py for the key).
translation_memory = Table(
    "translation_memory",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("from_code", String(16), nullable=False),
    Column("to_code", String(16), nullable=False),
    Column("model_name", Text, nullable=False),
    Column("model_version", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# Human translations of sentences (an editor's post-edits, seeded TMX): used before any machine
# translation, whatever the model (key: syndicate/translation/segments.py human_key).
human_segments = Table(
    "human_segments",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("from_code", String(16), nullable=False),
    Column("to_code", String(16), nullable=False),
    Column("glossary_key", String(16), nullable=False),
    Column("source", Text, nullable=False),  # normalised (memory.normalise)
    Column("target", Text, nullable=False),  # the final text, as the person wrote it
    Column("target_html", Text),  # the same with inline markup, or NULL
    # True: machine output a person approved unchanged (post-edited, not a human translation).
    Column("approved", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
)

# The order in which each language version entered its feed: fixes RFC 5005 archive pages.
publications = Table(
    "publications",
    metadata,
    Column("lang", String(16), primary_key=True),
    Column("article_id", String(16), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("published_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
    Index("ix_publications_lang_seq", "lang", "seq", unique=True),
)

# Feed documents that must be rendered again (syndicate/store/stale.py): one row per mark, so a
# publish clears exactly the marks it read and a mark set while it rendered stays. ``seq`` is a
# position in ``lang``'s feed whose document (archive page or main feed) changed; -1 marks
# every archive page. Positions, not page numbers, so the store needs no feed size.
stale_marks = Table(
    "stale_marks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lang", String(16), nullable=False),
    Column("seq", Integer, nullable=False),
    Index("ix_stale_marks_lang", "lang"),
)

# What each language's archive pages were last rendered with: the page size and how many pages
# were closed. A page that closed since (and the page before it, which gains its next-archive
# link) is rendered on the next publish; a new page size renders every page.
# The highest position ever given in a language's feed. Positions only go up: retracting the
# newest article must not reopen a closed archive page (its files would repeat main-feed entries).
feed_tops = Table(
    "feed_tops",
    metadata,
    Column("lang", String(16), primary_key=True),
    Column("top_seq", Integer, nullable=False),
)

feed_state = Table(
    "feed_state",
    metadata,
    Column("lang", String(16), primary_key=True),
    Column("feed_size", Integer, nullable=False),
    Column("closed_pages", Integer, nullable=False),
)
