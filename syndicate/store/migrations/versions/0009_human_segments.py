"""translations.segments: each translation's segment records (id, source, target, origin,
reviewed, the gate's issues; syndicate/translation/segments.py), and human_segments: the
human translations of sentences (editors' post-edits, seeded TMX), keyed by the normalised
sentence, the language pair and the glossary fingerprint, whatever the model; ``approved``
marks machine output a person approved unchanged (post-edited, not a human translation)

Existing translations get no records: they read as machine translations with 0 segments until
their next translation (`syndicate retranslate` makes them editable at once).

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from syndicate.store.types import UTCDateTime

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("translations") as batch_op:
        batch_op.add_column(sa.Column("segments", sa.JSON(), nullable=True))
    op.create_table(
        "human_segments",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("from_code", sa.String(16), nullable=False),
        sa.Column("to_code", sa.String(16), nullable=False),
        sa.Column("glossary_key", sa.String(16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("target_html", sa.Text(), nullable=True),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("human_segments")
    with op.batch_alter_table("translations") as batch_op:
        batch_op.drop_column("segments")
