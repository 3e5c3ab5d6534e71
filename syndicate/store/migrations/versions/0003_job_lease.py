"""jobs.lease_expires; job states up to 32 characters (waiting-for-model); translations.status
dropped: whether a translation is published is its job's state alone

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import syndicate.store.types

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Bring the job states in step with the column that goes away (release() kept them so, but a
    # crash between two writes of the old code could have left them apart).
    op.execute(
        "UPDATE jobs SET state = 'held' WHERE state IN ('translated', 'published') AND EXISTS ("
        "SELECT 1 FROM translations t WHERE t.article_id = jobs.article_id "
        "AND t.revision = jobs.revision AND t.lang = jobs.lang AND t.status = 'held')"
    )
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.add_column(sa.Column("lease_expires", syndicate.store.types.UTCDateTime(), nullable=True))
        batch_op.alter_column("state", type_=sa.String(length=32), existing_type=sa.String(length=16))
    with op.batch_alter_table("translations") as batch_op:
        batch_op.drop_column("status")


def downgrade() -> None:
    with op.batch_alter_table("translations") as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="ok"))
    op.execute(
        "UPDATE translations SET status = 'held' WHERE EXISTS (SELECT 1 FROM jobs j WHERE "
        "j.article_id = translations.article_id AND j.revision = translations.revision "
        "AND j.lang = translations.lang AND j.state = 'held')"
    )
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.drop_column("lease_expires")
        batch_op.alter_column("state", type_=sa.String(length=16), existing_type=sa.String(length=32))
