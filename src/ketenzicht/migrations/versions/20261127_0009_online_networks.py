"""online networks: link runs, networks, members, reasons, templates, trajectories, identifiers

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 20:56:24.524448
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "online_link_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("ads", sa.Integer(), nullable=False),
        sa.Column("networks", sa.Integer(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["started_by"],
            ["user_account.id"],
            name=op.f("fk_online_link_run_started_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_link_run")),
    )
    op.create_table(
        "online_network",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("first_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("cities", sa.JSON(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("created_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["online_link_run.id"],
            name=op.f("fk_online_network_run_id_online_link_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_network")),
        sa.UniqueConstraint("run_id", "key", name=op.f("uq_online_network_run_id_key")),
    )
    with op.batch_alter_table("online_network", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_online_network_run_id"), ["run_id"], unique=False)
        batch_op.create_index("ix_online_network_run_score", ["run_id", "score"], unique=False)

    op.create_table(
        "online_network_ad",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("ad_key", sa.String(length=200), nullable=False),
        sa.Column("ad_id", sa.Integer(), nullable=True),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.Column("persona", sa.String(length=100), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("site", sa.String(length=64), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("posted_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ad_id"], ["online_ad.id"], name=op.f("fk_online_network_ad_ad_id_online_ad")
        ),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["online_capture.id"],
            name=op.f("fk_online_network_ad_capture_id_online_capture"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["online_network.id"],
            name=op.f("fk_online_network_ad_network_id_online_network"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_network_ad")),
        sa.UniqueConstraint(
            "network_id", "ad_key", name=op.f("uq_online_network_ad_network_id_ad_key")
        ),
    )
    with op.batch_alter_table("online_network_ad", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_online_network_ad_ad_id"), ["ad_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_online_network_ad_ad_key"), ["ad_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_online_network_ad_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "online_network_identifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "phone",
                "email",
                "handle",
                "image",
                name="online_identifier_kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("ads", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["online_network.id"],
            name=op.f("fk_online_network_identifier_network_id_online_network"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_network_identifier")),
        sa.UniqueConstraint(
            "network_id",
            "kind",
            "value",
            name=op.f("uq_online_network_identifier_network_id_kind_value"),
        ),
    )
    with op.batch_alter_table("online_network_identifier", schema=None) as batch_op:
        batch_op.create_index(
            "ix_online_network_identifier_kind_value", ["kind", "value"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_online_network_identifier_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "online_network_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("fact", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["online_network.id"],
            name=op.f("fk_online_network_reason_network_id_online_network"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_network_reason")),
        sa.UniqueConstraint(
            "network_id", "rank", name=op.f("uq_online_network_reason_network_id_rank")
        ),
    )
    with op.batch_alter_table("online_network_reason", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_online_network_reason_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "online_network_stop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("persona", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("first_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ads", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["online_network.id"],
            name=op.f("fk_online_network_stop_network_id_online_network"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_network_stop")),
    )
    with op.batch_alter_table("online_network_stop", schema=None) as batch_op:
        batch_op.create_index(
            "ix_online_network_stop_network_persona", ["network_id", "persona"], unique=False
        )

    op.create_table(
        "online_network_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("support", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["online_network.id"],
            name=op.f("fk_online_network_template_network_id_online_network"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_network_template")),
        sa.UniqueConstraint("network_id", name=op.f("uq_online_network_template_network_id")),
    )


def downgrade() -> None:
    op.drop_table("online_network_template")
    with op.batch_alter_table("online_network_stop", schema=None) as batch_op:
        batch_op.drop_index("ix_online_network_stop_network_persona")

    op.drop_table("online_network_stop")
    with op.batch_alter_table("online_network_reason", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_online_network_reason_network_id"))

    op.drop_table("online_network_reason")
    with op.batch_alter_table("online_network_identifier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_online_network_identifier_network_id"))
        batch_op.drop_index("ix_online_network_identifier_kind_value")

    op.drop_table("online_network_identifier")
    with op.batch_alter_table("online_network_ad", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_online_network_ad_network_id"))
        batch_op.drop_index(batch_op.f("ix_online_network_ad_ad_key"))
        batch_op.drop_index(batch_op.f("ix_online_network_ad_ad_id"))

    op.drop_table("online_network_ad")
    with op.batch_alter_table("online_network", schema=None) as batch_op:
        batch_op.drop_index("ix_online_network_run_score")
        batch_op.drop_index(batch_op.f("ix_online_network_run_id"))

    op.drop_table("online_network")
    op.drop_table("online_link_run")
