"""cases minutes versions: approved minutes are versions, corrections new versions; user locale

Approved (final) minutes of a case conference never change. Until now a correction was an
addendum (``case_conference_addendum``) beside them; from now on it is a new, complete
version in ``case_minutes_version`` that points to the version it supersedes. Triggers
refuse UPDATE and DELETE of a version on both databases; deleting the whole conference
(and so its case) still removes them.

Data: every final conference gets version 1 = its approved minutes, by whoever approved
them. Each addendum, oldest first, becomes the next version: the previous text with
``Addendum (<time> UTC): <text>`` appended, with the addendum's author, time and reason,
so the current version reads as the minutes plus their addenda did. (An addendum of a
draft, which the service never allowed, is appended to the draft.) The downgrade turns
versions 2.. back into addenda (the appended part, or the whole text of a correction
that rewrote the minutes), so nothing written is lost either way.

``user_account.locale`` is the language a person's notifications and e-mails are
written in; empty until they choose one, and then the site's ``KZ_DEFAULT_LOCALE`` applies.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 23:59:00
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UTC = ketenzicht.db.types.UTCDateTime(timezone=True)
_conference = sa.table(
    "case_conference", sa.column("id", sa.Integer), sa.column("minutes", sa.Text),
    sa.column("status", sa.String), sa.column("created_by_user_id", sa.Integer),
    sa.column("finalised_by_user_id", sa.Integer), sa.column("finalised_at", UTC),
    sa.column("updated_at", UTC))
_addendum = sa.table(
    "case_conference_addendum", sa.column("id", sa.Integer),
    sa.column("conference_id", sa.Integer), sa.column("text", sa.Text),
    sa.column("reason", sa.Text), sa.column("author_user_id", sa.Integer),
    sa.column("at", UTC))
_version = sa.table(
    "case_minutes_version", sa.column("id", sa.Integer), sa.column("conference_id", sa.Integer),
    sa.column("number", sa.Integer), sa.column("text", sa.Text), sa.column("reason", sa.Text),
    sa.column("author_user_id", sa.Integer), sa.column("author_org_id", sa.Integer),
    sa.column("at", UTC), sa.column("supersedes_id", sa.Integer))
_user = sa.table("user_account", sa.column("id", sa.Integer),
                 sa.column("organisation_id", sa.Integer))


def _appended(text: str, at: datetime, addendum: str) -> str:
    return f"{text}\n\n{_marker(at)}{addendum}"


def _marker(at: datetime) -> str:
    return f"Addendum ({at:%Y-%m-%d %H:%M} UTC): "


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
    op.create_table(
        "case_minutes_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=False),
        sa.Column("author_org_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_org_id"], ["organisation.id"],
                                name=op.f("fk_case_minutes_version_author_org_id_organisation")),
        sa.ForeignKeyConstraint(["author_user_id"], ["user_account.id"],
                                name=op.f("fk_case_minutes_version_author_user_id_user_account")),
        sa.ForeignKeyConstraint(["conference_id"], ["case_conference.id"],
                                name=op.f("fk_case_minutes_version_conference_id_case_conference"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["case_minutes_version.id"],
            name=op.f("fk_case_minutes_version_supersedes_id_case_minutes_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_minutes_version")),
        sa.UniqueConstraint("conference_id", "number",
                            name=op.f("uq_case_minutes_version_conference_id_number")),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_case_minutes_version_supersedes_id")),
    )
    with op.batch_alter_table("case_minutes_version") as batch_op:
        batch_op.create_index(batch_op.f("ix_case_minutes_version_conference_id"),
                              ["conference_id"], unique=False)
    _addenda_to_versions()
    with op.batch_alter_table("case_conference_addendum") as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_conference_addendum_conference_id"))
    op.drop_table("case_conference_addendum")
    _append_only_versions()


def _addenda_to_versions() -> None:
    bind = op.get_bind()
    orgs = dict(bind.execute(sa.select(_user.c.id, _user.c.organisation_id)).all())
    addenda: dict[int, list[Any]] = {}
    for row in bind.execute(sa.select(_addendum).order_by(_addendum.c.id)):
        addenda.setdefault(row.conference_id, []).append(row)
    next_id = 1
    for conf in bind.execute(sa.select(_conference).order_by(_conference.c.id)).all():
        if conf.status != "final":
            text = conf.minutes
            for a in addenda.get(conf.id, []):
                text = _appended(text, a.at, a.text)
            if text != conf.minutes:
                bind.execute(_conference.update().where(_conference.c.id == conf.id)
                             .values(minutes=text))
            continue
        author = conf.finalised_by_user_id or conf.created_by_user_id
        text, previous = conf.minutes, None
        steps = [(text, "", author, conf.finalised_at or conf.updated_at)]
        for a in addenda.get(conf.id, []):
            text = _appended(text, a.at, a.text)
            steps.append((text, a.reason, a.author_user_id, a.at))
        for number, (body, reason, user_id, at) in enumerate(steps, start=1):
            # Explicit ids: the next version must point to this one, on both databases.
            bind.execute(_version.insert().values(
                id=next_id, conference_id=conf.id, number=number, text=body, reason=reason,
                author_user_id=user_id, author_org_id=orgs[user_id], at=at,
                supersedes_id=previous))
            previous, next_id = next_id, next_id + 1
    if bind.dialect.name == "postgresql" and next_id > 1:
        op.execute("SELECT setval(pg_get_serial_sequence('case_minutes_version', 'id'), "
                   f"{next_id - 1})")


def _append_only_versions() -> None:
    """Refuse UPDATE of a version, and DELETE unless its conference is being deleted."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION case_minutes_version_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND NOT EXISTS (
                        SELECT 1 FROM case_conference WHERE id = OLD.conference_id) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'case_minutes_version is append-only: % refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$;
        """)
        op.execute("""
            CREATE TRIGGER case_minutes_version_no_update_delete
            BEFORE UPDATE OR DELETE ON case_minutes_version
            FOR EACH ROW EXECUTE FUNCTION case_minutes_version_append_only();
        """)
    else:
        op.execute("""
            CREATE TRIGGER case_minutes_version_no_update
            BEFORE UPDATE ON case_minutes_version
            BEGIN SELECT RAISE(ABORT, 'case_minutes_version is append-only: UPDATE refused');
            END;
        """)
        op.execute("""
            CREATE TRIGGER case_minutes_version_no_delete
            BEFORE DELETE ON case_minutes_version
            WHEN EXISTS (SELECT 1 FROM case_conference WHERE id = OLD.conference_id)
            BEGIN SELECT RAISE(ABORT, 'case_minutes_version is append-only: DELETE refused');
            END;
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS case_minutes_version_no_update_delete "
                   "ON case_minutes_version")
        op.execute("DROP FUNCTION IF EXISTS case_minutes_version_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS case_minutes_version_no_update")
        op.execute("DROP TRIGGER IF EXISTS case_minutes_version_no_delete")
    op.create_table(
        "case_conference_addendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"], ["user_account.id"],
            name=op.f("fk_case_conference_addendum_author_user_id_user_account")),
        sa.ForeignKeyConstraint(
            ["conference_id"], ["case_conference.id"],
            name=op.f("fk_case_conference_addendum_conference_id_case_conference"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_conference_addendum")),
    )
    with op.batch_alter_table("case_conference_addendum") as batch_op:
        batch_op.create_index(batch_op.f("ix_case_conference_addendum_conference_id"),
                              ["conference_id"], unique=False)
    _versions_to_addenda()
    with op.batch_alter_table("case_minutes_version") as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_minutes_version_conference_id"))
    op.drop_table("case_minutes_version")
    # Not batch mode: on SQLite that would recreate user_account, which every table
    # refers to; SQLite (3.35+) drops a plain column in place.
    op.drop_column("user_account", "locale")


def _versions_to_addenda() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_version).order_by(_version.c.conference_id,
                                                     _version.c.number)).all()
    text_of = {r.id: r.text for r in rows}
    for row in rows:
        if row.supersedes_id is None:
            continue  # version 1 is the approved minutes, still in case_conference
        before = text_of[row.supersedes_id] + "\n\n"
        text = row.text
        if text.startswith(before):
            text = text[len(before):]
            marker = _marker(row.at)
            text = text[len(marker):] if text.startswith(marker) else text
        bind.execute(_addendum.insert().values(
            conference_id=row.conference_id, text=text, reason=row.reason,
            author_user_id=row.author_user_id, at=row.at))
