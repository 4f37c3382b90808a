"""signals: the linkage key version on each stored encoding (issue 22)

``signal_key.key_version`` holds the year of the linkage key an organisation encoded with
(``ketenzicht linkage``); the server stores the version, never the key. NULL marks an
encoding made on the server with the platform-derived key (the path issue 22 retires);
existing rows keep NULL, so nothing stored is lost.

Revision ID: 0020_signal_key_version
Revises: 0019_operations_campaigns
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020_signal_key_version'
down_revision = '0019_operations_campaigns'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signal_key") as batch:
        batch.add_column(sa.Column("key_version", sa.String(length=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signal_key") as batch:
        batch.drop_column("key_version")
