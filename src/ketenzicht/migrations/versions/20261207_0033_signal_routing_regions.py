"""signals: routing by region, additive rules and the CoMensha registration consent (issue 18)

``signal.registration_consent`` (yes/no/unknown) records whether the person agreed to be
registered by name with CoMensha; stored signals get ``unknown`` (so CoMensha reads them
anonymised, the safe side). ``signal_route.party``, ``.rules`` and ``.via`` name the
routing-table party, the rules that named it and how the region's organisation was found;
stored routings get empty strings, which read as "routed before issue 18". Nothing stored
is changed or lost.

Revision ID: 0033_signal_routing_regions
Revises: 0032_route_escalation_adds
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033_signal_routing_regions"
down_revision = "0032_route_escalation_adds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signal") as batch:
        batch.add_column(sa.Column(
            "registration_consent",
            sa.Enum("yes", "no", "unknown", name="registration_consent", native_enum=False,
                    create_constraint=True, length=32),
            nullable=False, server_default="unknown"))
    with op.batch_alter_table("signal_route") as batch:
        batch.add_column(sa.Column("party", sa.String(length=32), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("rules", sa.String(length=200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("via", sa.String(length=32), nullable=False,
                                   server_default=""))
    # The model sets the values; the server defaults only filled the stored rows.
    with op.batch_alter_table("signal") as batch:
        batch.alter_column("registration_consent", server_default=None)
    with op.batch_alter_table("signal_route") as batch:
        for column in ("party", "rules", "via"):
            batch.alter_column(column, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("signal_route") as batch:
        for column in ("via", "rules", "party"):
            batch.drop_column(column)
    with op.batch_alter_table("signal") as batch:
        # The CHECK first: SQLite's table copy would otherwise keep it on a missing column.
        batch.drop_constraint(op.f("ck_signal_registration_consent"), type_="check")
        batch.drop_column("registration_consent")
