"""Identity in the database: a revision's content hash is unique, and so is the canonical URL
of a live article (articles.canonical_url, partial unique index), so concurrent submits cannot
store one article twice.

Duplicates stored before (concurrent submits of the same files) are merged: of the articles
holding one content, the oldest is kept and the others are retracted (the next publish of each
language removes them from every feed and archive page); their revisions keep a distinct hash.
Live articles that share a canonical URL with different content are not guessed at: the oldest
keeps the URL (new revisions of it go there) and the others are named in a warning.

Revision ID: 0004
Revises: 0003
"""

import hashlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("syndicate.store.migrate")


def _merge_duplicate_content(conn: sa.Connection) -> list[str]:
    rows = conn.execute(
        sa.text(
            "SELECT r.content_hash, r.article_id, r.number, a.current_revision, a.created_at "
            "FROM revisions r JOIN articles a ON a.id = r.article_id WHERE r.content_hash IN "
            "(SELECT content_hash FROM revisions GROUP BY content_hash HAVING COUNT(*) > 1) "
            "ORDER BY r.content_hash, a.created_at, r.article_id, r.number"
        )
    ).all()
    retracted: list[str] = []
    kept: dict[str, str] = {}
    now = datetime.now(UTC).replace(tzinfo=None) if conn.dialect.name == "sqlite" else datetime.now(UTC)
    for content_hash, article_id, number, current, _created in rows:
        if content_hash not in kept:
            kept[content_hash] = article_id
            continue
        distinct = hashlib.sha256(f"{content_hash}:{article_id}:{number}".encode()).hexdigest()
        conn.execute(
            sa.text("UPDATE revisions SET content_hash = :h WHERE article_id = :a AND number = :n"),
            {"h": distinct, "a": article_id, "n": number},
        )
        if article_id != kept[content_hash] and number == current:
            conn.execute(
                sa.text("UPDATE articles SET retracted_at = :t WHERE id = :a AND retracted_at IS NULL"),
                {"t": now, "a": article_id},
            )
            retracted.append(f"{article_id} (a copy of {kept[content_hash]})")
    return retracted


def _set_canonical_urls(conn: sa.Connection) -> list[str]:
    rows = conn.execute(
        sa.text(
            "SELECT a.id, r.url FROM articles a JOIN revisions r "
            "ON r.article_id = a.id AND r.number = a.current_revision "
            "WHERE a.retracted_at IS NULL AND r.url IS NOT NULL ORDER BY a.created_at, a.id"
        )
    ).all()
    holder: dict[str, str] = {}
    shared: list[str] = []
    for article_id, url in rows:
        if url in holder:
            shared.append(f"{article_id} shares {url} with {holder[url]}")
            continue
        holder[url] = article_id
        conn.execute(
            sa.text("UPDATE articles SET canonical_url = :u WHERE id = :a"), {"u": url, "a": article_id}
        )
    return shared


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch_op:
        batch_op.add_column(sa.Column("canonical_url", sa.Text(), nullable=True))
    conn = op.get_bind()
    retracted = _merge_duplicate_content(conn)
    shared = _set_canonical_urls(conn)
    if retracted:
        log.warning(
            "merged %d article(s) stored twice by concurrent submits: retracted %s; "
            "`syndicate publish` removes them from the feeds now",
            len(retracted),
            ", ".join(retracted),
        )
    if shared:
        log.warning(
            "articles with the canonical URL of an older one (new revisions go to the older; "
            "retract these if they are the same story): %s",
            "; ".join(shared),
        )
    with op.batch_alter_table("revisions") as batch_op:
        batch_op.drop_index("ix_revisions_content_hash")
        batch_op.create_index("uq_revisions_content_hash", ["content_hash"], unique=True)
    op.create_index(
        "uq_articles_live_url",
        "articles",
        ["canonical_url"],
        unique=True,
        sqlite_where=sa.text("retracted_at IS NULL"),
        postgresql_where=sa.text("retracted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_articles_live_url", table_name="articles")
    with op.batch_alter_table("revisions") as batch_op:
        batch_op.drop_index("uq_revisions_content_hash")
        batch_op.create_index("ix_revisions_content_hash", ["content_hash"], unique=False)
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_column("canonical_url")
