"""signals: escalation adds a party, the original keeps the signal (issue 18)

``signal_route.cause`` says how a routing came about: ``routed`` at intake, ``forwarded``
by the organisation before it, ``escalated`` when that organisation's deadline passed.
``signal_route.escalated_at`` marks a routing whose deadline passed and whose signal was
therefore also given to the escalation party; it stays open in its organisation's inbox
(escalation used to close it, which took the signal away without a word). Existing rows
become ``routed``, or ``escalated``/``forwarded`` where they have a predecessor whose
status says so; nothing stored is lost.

Revision ID: 0032_route_escalation_adds
Revises: 0031_case_procedures
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0032_route_escalation_adds"
down_revision = "0031_case_procedures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signal_route") as batch:
        batch.add_column(
            sa.Column("cause", sa.String(length=16), nullable=False, server_default="routed")
        )
        batch.add_column(
            sa.Column("escalated_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=True)
        )
    for status in ("escalated", "forwarded"):
        op.execute(
            sa.text(
                "UPDATE signal_route SET cause = :cause WHERE previous_route_id IN "
                "(SELECT id FROM signal_route WHERE status = :cause)"
            ).bindparams(cause=status)
        )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of signal_route would drop
    # the table its own rows refer to (previous_route_id), which foreign keys refuse.
    op.execute("ALTER TABLE signal_route DROP COLUMN escalated_at")
    op.execute("ALTER TABLE signal_route DROP COLUMN cause")
