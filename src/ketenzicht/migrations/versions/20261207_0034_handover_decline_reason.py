"""cases: a declined hand-over keeps the reason it was declined with (issue 18)

The proposed organisation declines the coordinator role on the case page now, and says
why: the coordinator who proposed it reads the reason on the case's timeline. The column
is nullable: hand-overs declined or withdrawn before this revision had no reason, and a
withdrawal by the coordinator needs none.

Revision ID: 0034_handover_decline_reason
Revises: 0033_signal_routing_regions
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034_handover_decline_reason"
down_revision = "0033_signal_routing_regions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_handover") as batch_op:
        batch_op.add_column(sa.Column("decline_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_handover") as batch_op:
        batch_op.drop_column("decline_reason")
