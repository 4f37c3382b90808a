"""cases: a need-to-know category on every field that can hold personal detail (issue 18)

Until now only case notes had a category; the summary, persons' details, minutes,
decisions, referral purposes, task notes and status reasons were read by every
organisation taking part. This adds a ``FieldCategory`` column to each of them, two new
categories (``identity``, ``shelter``) to the notes' CHECK constraint, the chair's
organisation of a conference (which counts as present) and ``case_minutes_summary``: the
version of minutes approved for organisations that were not present.

The safe default for existing rows. Every row existed while all participants read it, so
no single value is right for all: "general" would keep the leak this fixes, and one
restrictive value ("care") would hide a police summary from the police. Each row gets
the most restrictive category its author's organisation still reads: the organisation
type's own kind of information (zorg, gemeente, CoMensha: care; police, KMar,
Arbeidsinspectie, OM: investigation; a shelter: shelter; others: general). The author
is the case's owner for the summary and persons, the user who took the step for a
status reason or decision, the task's organisation for a task note, the sender for a
referral purpose and the chair for minutes. Whoever needs more asks the author to
re-share (or breaks the glass); nothing is lost and nothing new is shown. A column
needs a server default to be added as NOT NULL on SQLite: it is ``general`` only for the
instant of adding it, every existing row is rewritten at once, and the application
always writes the category itself. PostgreSQL also gets each column's CHECK constraint;
SQLite cannot add one to an existing table without recreating it (and recreating
``case_file`` with foreign keys on would delete every row that points to it), so there
the service is the only guard, as for the development database it is.

Revision ID: 0030_case_field_categories
Revises: 0029_drop_server_encodings
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0030_case_field_categories"
down_revision = "0029_drop_server_encodings"
branch_labels = None
depends_on = None

_BEFORE = ("general", "care", "investigation")
_AFTER = (*_BEFORE, "identity", "shelter")
_NOTE_CHECK = "ck_case_note_case_field_category"

# (table, column, constraint name, SQL for the author's organisation of a row)
_OWNER_OF_CASE = "(SELECT owner_org_id FROM case_file c WHERE c.id = {t}.case_id)"
_ORG_OF_USER = "(SELECT organisation_id FROM user_account u WHERE u.id = {t}.{col})"
COLUMNS = (
    ("case_file", "summary_category", "case_summary_category", "case_file.owner_org_id"),
    ("case_person", "category", "case_person_category", _OWNER_OF_CASE),
    ("case_status_change", "category", "case_status_reason_category",
     f"COALESCE({_ORG_OF_USER.format(t='{t}', col='actor_user_id')}, {_OWNER_OF_CASE})"),
    ("case_task", "note_category", "case_task_note_category", "case_task.owner_org_id"),
    ("case_decision", "category", "case_decision_category",
     _ORG_OF_USER.format(t="{t}", col="decided_by_user_id")),
    ("case_conference", "minutes_category", "case_minutes_category",
     "case_conference.chair_org_id"),
    ("case_referral", "purpose_category", "case_referral_purpose_category",
     "case_referral.from_org_id"),
)

# Each organisation type's own kind of information (cases.visibility, as of this revision).
_OWN = ("CASE (SELECT org_type FROM organisation o WHERE o.id = {org}) "
        "WHEN 'zorg' THEN 'care' WHEN 'gemeente' THEN 'care' WHEN 'comensha' THEN 'care' "
        "WHEN 'politie' THEN 'investigation' WHEN 'kmar' THEN 'investigation' "
        "WHEN 'arbeidsinspectie' THEN 'investigation' WHEN 'om' THEN 'investigation' "
        "WHEN 'opvang' THEN 'shelter' ELSE 'general' END")


def _category(name: str) -> sa.Enum:
    return sa.Enum(*_AFTER, name=name, native_enum=False, create_constraint=True, length=32)


def _note_check(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("case_note") as batch_op:
        batch_op.drop_constraint(op.f(_NOTE_CHECK), type_="check")
        batch_op.create_check_constraint(
            op.f(_NOTE_CHECK), "category IN (" + ", ".join(f"'{v}'" for v in values) + ")")


def upgrade() -> None:
    _note_check(_AFTER)
    op.add_column("case_conference", sa.Column("chair_org_id", sa.Integer(), nullable=True))
    op.execute("UPDATE case_conference SET chair_org_id = (SELECT organisation_id FROM "
               "user_account u WHERE u.id = case_conference.created_by_user_id)")
    for table, column, name, author in COLUMNS:
        op.add_column(table, sa.Column(column, _category(name), nullable=False,
                                       server_default="general"))
        org = author.format(t=table)
        # Built from the constants above only: no input reaches this statement.
        op.execute(f"UPDATE {table} SET {column} = {_OWN.format(org=org)}")  # noqa: S608
    op.create_table(
        "case_minutes_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", _category("case_minutes_summary_category"), nullable=False),
        sa.Column("approved_by_user_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_org_id", sa.Integer(), nullable=False),
        sa.Column("at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["approved_by_org_id"], ["organisation.id"],
                                name=op.f("fk_case_minutes_summary_approved_by_org_id_organisation")),
        sa.ForeignKeyConstraint(["approved_by_user_id"], ["user_account.id"],
                                name=op.f("fk_case_minutes_summary_approved_by_user_id_user_account")),
        sa.ForeignKeyConstraint(["conference_id"], ["case_conference.id"], ondelete="CASCADE",
                                name=op.f("fk_case_minutes_summary_conference_id_case_conference")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_minutes_summary")),
    )
    op.create_index(op.f("ix_case_minutes_summary_conference_id"), "case_minutes_summary",
                    ["conference_id"], unique=False)


def downgrade() -> None:
    # Dropping the columns loses no text (the categories only narrowed who reads it);
    # the approved summaries for the absent go. Notes of the two new categories become
    # care, the old category the shelter and care parties read: restrictive, not lost.
    # No batch mode: on SQLite it would recreate case_file, and dropping that table
    # with foreign keys on deletes every row that points to it.
    op.drop_index(op.f("ix_case_minutes_summary_conference_id"),
                  table_name="case_minutes_summary")
    op.drop_table("case_minutes_summary")
    for table, column, name, _author in reversed(COLUMNS):
        if op.get_bind().dialect.name == "postgresql":
            op.drop_constraint(op.f(f"ck_{table}_{name}"), table, type_="check")
        op.drop_column(table, column)
    op.drop_column("case_conference", "chair_org_id")
    op.execute("UPDATE case_note SET category = 'care' "
               "WHERE category IN ('identity', 'shelter')")
    _note_check(_BEFORE)
