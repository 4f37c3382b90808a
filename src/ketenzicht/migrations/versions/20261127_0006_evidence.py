"""evidence: items with chain of custody, links to elements, per-case evaluation setting

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TS = ketenzicht.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "evidence_setting",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(length=64), nullable=False),
        sa.Column("victim_minor", sa.Boolean(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"],
                                name=op.f("fk_evidence_setting_case_id_case_file"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_evidence_setting")),
    )
    op.create_table(
        "evidence_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("statement_victim", "statement_witness", "statement_suspect",
                                  "observation", "financial", "telecom", "online_capture",
                                  "document", "inspection", "wage_check",
                                  name="evidence_item_kind", native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("obtained_on", sa.Date(), nullable=False),
        sa.Column("added_by_user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_org_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("restricted_to", sa.JSON(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.Column("warc_record_id", sa.String(length=100), nullable=True),
        sa.Column("capture_sha256", sa.String(length=64), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["added_by_org_id"], ["organisation.id"],
                                name=op.f("fk_evidence_item_added_by_org_id_organisation")),
        sa.ForeignKeyConstraint(["added_by_user_id"], ["user_account.id"],
                                name=op.f("fk_evidence_item_added_by_user_id_user_account")),
        sa.ForeignKeyConstraint(["capture_id"], ["online_capture.id"],
                                name=op.f("fk_evidence_item_capture_id_online_capture")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"],
                                name=op.f("fk_evidence_item_case_id_case_file"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_item")),
    )
    op.create_index(op.f("ix_evidence_item_case_id"), "evidence_item", ["case_id"])
    op.create_index(op.f("ix_evidence_item_sha256"), "evidence_item", ["sha256"])
    op.create_table(
        "evidence_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(length=64), nullable=False),
        sa.Column("suspect_id", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Enum("zwak", "redelijk", "sterk", name="evidence_strength",
                                      native_enum=False, create_constraint=True, length=32),
                  nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_by_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["added_by_user_id"], ["user_account.id"],
                                name=op.f("fk_evidence_link_added_by_user_id_user_account")),
        sa.ForeignKeyConstraint(["item_id"], ["evidence_item.id"],
                                name=op.f("fk_evidence_link_item_id_evidence_item"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["suspect_id"], ["case_person.id"],
                                name=op.f("fk_evidence_link_suspect_id_case_person"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_link")),
        sa.UniqueConstraint("item_id", "element", "suspect_id",
                            name=op.f("uq_evidence_link_item_id_element_suspect_id")),
    )
    op.create_index(op.f("ix_evidence_link_item_id"), "evidence_link", ["item_id"])
    op.create_index(op.f("ix_evidence_link_suspect_id"), "evidence_link", ["suspect_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_link_suspect_id"), table_name="evidence_link")
    op.drop_index(op.f("ix_evidence_link_item_id"), table_name="evidence_link")
    op.drop_table("evidence_link")
    op.drop_index(op.f("ix_evidence_item_sha256"), table_name="evidence_item")
    op.drop_index(op.f("ix_evidence_item_case_id"), table_name="evidence_item")
    op.drop_table("evidence_item")
    op.drop_table("evidence_setting")
