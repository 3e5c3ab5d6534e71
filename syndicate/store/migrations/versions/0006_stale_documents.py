"""stale_marks (feed documents to render again), feed_tops (the highest position ever given in
each language's feed) and feed_state (the archive pages last rendered)

Existing installations get no feed_state rows, so the first publish of each language renders
every archive page once (their next-archive links and related links were missing).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stale_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stale_marks_lang", "stale_marks", ["lang"], unique=False)
    op.create_table(
        "feed_tops",
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("top_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lang"),
    )
    # Positions given before this migration count: the highest one of each language.
    op.execute("INSERT INTO feed_tops (lang, top_seq) SELECT lang, MAX(seq) FROM publications GROUP BY lang")
    op.create_table(
        "feed_state",
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("feed_size", sa.Integer(), nullable=False),
        sa.Column("closed_pages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lang"),
    )


def downgrade() -> None:
    op.drop_table("feed_state")
    op.drop_table("feed_tops")
    op.drop_index("ix_stale_marks_lang", table_name="stale_marks")
    op.drop_table("stale_marks")
