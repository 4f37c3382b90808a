"""shelter: a note and the account with the end of a request or placement (uitstroom)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 21:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shelter_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("end_note", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("ended_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shelter_request", schema=None) as batch_op:
        batch_op.drop_column("ended_by")
        batch_op.drop_column("end_note")
