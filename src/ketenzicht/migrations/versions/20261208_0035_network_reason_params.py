"""online: a network reason keeps the measured values its fact is worded from (issue 23)

The network page words a reason's fact in the reader's language ("5 namen in 16 dagen")
from these values; the English ``fact`` stays what the CLI and the API return. The column
is nullable: reasons stored before this revision keep their English fact, and the page
marks it as English.

Revision ID: 0035_network_reason_params
Revises: 0034_handover_decline_reason
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0035_network_reason_params"
down_revision = "0034_handover_decline_reason"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("online_network_reason") as batch_op:
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("online_network_reason") as batch_op:
        batch_op.drop_column("params")
