"""online crawl: a run can end as ``failed`` (issue 23: crawling tells the truth)

A crawl that could not see its site (unreachable, a run of server errors, robots.txt
unreadable) is closed as ``failed`` instead of ``finished``, so that it is never read as
"the site is empty" and never marks ads gone. Only the CHECK constraint of
``online_crawl_run.status`` changes; every stored run keeps its status.

Revision ID: 0028_crawl_run_failed
Revises: 0020_signal_key_version
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_crawl_run_failed"
down_revision = "0020_signal_key_version"
branch_labels = None
depends_on = None

_CHECK = "ck_online_crawl_run_crawl_run_status"
_BEFORE = ("running", "finished", "interrupted")
_AFTER = (*_BEFORE, "failed")


def _replace(values: tuple[str, ...]) -> None:
    # Batch mode: SQLite recreates the table (copying the rows); PostgreSQL alters it.
    with op.batch_alter_table("online_crawl_run") as batch_op:
        batch_op.drop_constraint(op.f(_CHECK), type_="check")
        batch_op.create_check_constraint(
            op.f(_CHECK), "status IN (" + ", ".join(f"'{v}'" for v in values) + ")")


def upgrade() -> None:
    _replace(_AFTER)


def downgrade() -> None:
    # A failed run was a run that did not finish: it goes back as interrupted, not lost.
    status = sa.column("status", sa.String)
    op.execute(sa.table("online_crawl_run", status).update()
               .where(status == "failed").values(status="interrupted"))
    _replace(_BEFORE)
