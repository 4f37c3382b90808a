"""login throttle per address; the audit chain's keyed part starts after the legacy prefix

``auth_login_throttle`` counts failed logins per network address, atomically
(an upsert that returns the new count). ``audit_head.legacy_last_id`` records
where the unkeyed (SHA-256) part of the audit chain ends: every entry after it
is hashed with HMAC-SHA-256 under a key kept outside the database.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_login_throttle",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_auth_login_throttle")),
    )
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("legacy_last_id", sa.BigInteger().with_variant(
            sa.Integer(), "sqlite"), nullable=False, server_default="0"))
    # Everything written so far was hashed without a key: it stays verifiable as a prefix.
    op.execute("UPDATE audit_head SET legacy_last_id = last_id")


def downgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("legacy_last_id")
    op.drop_table("auth_login_throttle")
