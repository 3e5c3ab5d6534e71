"""translations.glossary: the glossary entries applied in each translation, with the form seen
and where ([{"entry", "seen", "segment", "paragraph"}]), shown by `syndicate status`

Existing translations get none: they show their matches after their next translation.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("translations") as batch_op:
        batch_op.add_column(sa.Column("glossary", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("translations") as batch_op:
        batch_op.drop_column("glossary")
