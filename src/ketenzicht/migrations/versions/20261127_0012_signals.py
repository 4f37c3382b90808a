"""signals: evidence per field of each link (why two signals are taken to match)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 21:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Links made before this revision have no stored evidence: an empty list, shown as such.
    with op.batch_alter_table("signal_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence", sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("signal_link", schema=None) as batch_op:
        batch_op.drop_column("evidence")
