"""revisions.updated (the source's own "Updated:" date) and revisions.notes (what ingestion
repaired or assumed reading the input, one line each: shown by `syndicate status`)

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import syndicate.store.types

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("revisions") as batch_op:
        batch_op.add_column(sa.Column("updated", syndicate.store.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("notes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch_op:
        batch_op.drop_column("notes")
        batch_op.drop_column("updated")
