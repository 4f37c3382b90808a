"""evidence signing keys and charges: published Ed25519 public keys; charged sub-clauses

``evidence_signing_key`` holds each organisation's published dossier-signing public key
(the private key is a file outside the database, see ``evidence/signing.py``); rows are
never deleted, so a dossier signed with a replaced key stays verifiable.

``evidence_setting.charged`` is the prosecutor's choice of sub-clauses of art. 273f per
suspect (``{"<suspect id>": ["1", "4"]}``); existing cases start with none chosen.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_TS = ketenzicht.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "evidence_signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_evidence_signing_key_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_signing_key")),
        sa.UniqueConstraint("key_id", name=op.f("uq_evidence_signing_key_key_id")),
    )
    op.create_index(op.f("ix_evidence_signing_key_organisation_id"), "evidence_signing_key",
                    ["organisation_id"], unique=False)
    with op.batch_alter_table("evidence_setting") as batch:
        batch.add_column(sa.Column("charged", sa.JSON(), nullable=False,
                                   server_default=sa.text("'{}'")))
    with op.batch_alter_table("evidence_setting") as batch:
        batch.alter_column("charged", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("evidence_setting") as batch:
        batch.drop_column("charged")
    op.drop_index(op.f("ix_evidence_signing_key_organisation_id"),
                  table_name="evidence_signing_key")
    op.drop_table("evidence_signing_key")
