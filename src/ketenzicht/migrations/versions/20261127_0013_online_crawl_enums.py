"""online crawl enums: run and ad statuses stored as their values, with CHECK constraints

Revision 0004 stored ``online_crawl_run.status`` and ``online_ad.status`` as enum member
names (``RUNNING``, ``GONE``) without a constraint. The models now use ``db.types.str_enum``
like every other domain: lower-case values and a CHECK constraint. Existing rows are
rewritten to the values first, so no run or ad loses its status.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 21:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# (table, constraint name as in the models' naming convention, values)
_ENUMS = (
    ("online_crawl_run", "ck_online_crawl_run_crawl_run_status",
     ("running", "finished", "interrupted")),
    ("online_ad", "ck_online_ad_online_ad_status", ("active", "gone")),
)


def _in(values: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _recase(table: str, func: str) -> None:
    status = sa.column("status", sa.String)
    op.execute(sa.table(table, status).update().values(status=getattr(sa.func, func)(status)))


def upgrade() -> None:
    for table, check, values in _ENUMS:
        _recase(table, "lower")
        # Batch mode: SQLite recreates the table (copying the rows); PostgreSQL alters it.
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                "status", existing_type=sa.String(length=16), existing_nullable=False,
                type_=sa.Enum(*values, name=check[len(f"ck_{table}_"):], native_enum=False,
                              create_constraint=False, length=32))
            batch_op.create_check_constraint(op.f(check), _in(values))


def downgrade() -> None:
    for table, check, values in _ENUMS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(check), type_="check")
            batch_op.alter_column(
                "status", existing_type=sa.String(length=32), existing_nullable=False,
                type_=sa.Enum(*(v.upper() for v in values), name=check[len(f"ck_{table}_"):],
                              native_enum=False, create_constraint=False, length=16))
        _recase(table, "upper")
