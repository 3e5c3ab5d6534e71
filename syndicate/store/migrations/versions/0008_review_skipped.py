"""translations.review_skipped_at: when the review grace period (SYNDICATE_REVIEW_GRACE)
published a translation that no editor approved, so its provenance can say so.

Existing translations get none: nothing was published without review before review existed.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from syndicate.store.types import UTCDateTime

revision: str = "0008"
# The editors' branch adds 0008; the merge renumbers this to follow it.
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("translations") as batch_op:
        batch_op.add_column(sa.Column("review_skipped_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("translations") as batch_op:
        batch_op.drop_column("review_skipped_at")
