"""Migration 0014 turns addenda into minutes versions and back, keeping every word."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import alembic_config, upgrade_connection
from ketenzicht.db.types import UTCDateTime

PG_ENV = "KZ_TEST_DATABASE_URL"
T0 = datetime(2026, 11, 2, 10, tzinfo=UTC)
AT = UTCDateTime(timezone=True)


@pytest.fixture
def empty(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the backend under test (not migrated)."""
    if engine.dialect.name == "sqlite":
        fresh = make_engine(f"sqlite:///{tmp_path / 'mig.sqlite3'}")
        yield fresh
        fresh.dispose()
        return
    base = os.environ[PG_ENV]
    schema = f"kz_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    fresh = make_engine(url.render_as_string(hide_password=False))
    try:
        yield fresh
    finally:
        fresh.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _table(name: str, *columns: str, times: tuple[str, ...] = (),
           lists: tuple[str, ...] = ()) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns),
                    *(sa.column(c, AT) for c in times), *(sa.column(c, sa.JSON) for c in lists))


ORG = _table("organisation", "id", "code", "name", "org_type", "is_active", "version",
             times=("created_at", "updated_at"))
USER = _table("user_account", "id", "username", "display_name", "organisation_id",
              "is_active", "is_system", "failed_logins", "version",
              times=("created_at", "updated_at"))
CASE = _table("case_file", "id", "title", "summary", "status", "owner_org_id",
              "opened_by_user_id", "coordinator_org_id", "template_key", "template_version",
              "version", times=("created_at", "updated_at"))
CONF = _table("case_conference", "id", "case_id", "minutes", "status", "created_by_user_id",
              "finalised_by_user_id", "version", lists=("agenda", "attendee_org_ids"),
              times=("held_at", "finalised_at", "created_at", "updated_at"))
ADDENDUM = _table("case_conference_addendum", "id", "conference_id", "text", "reason",
                  "author_user_id", times=("at",))


def _seed(conn: Connection) -> None:
    stamp = {"created_at": T0, "updated_at": T0}
    conn.execute(ORG.insert(), [
        {"id": 1, "code": "gem", "name": "Gemeente", "org_type": "gemeente", "is_active": True,
         "version": 1, **stamp},
        {"id": 2, "code": "zorg", "name": "Zorg", "org_type": "zorg", "is_active": True,
         "version": 1, **stamp}])
    conn.execute(USER.insert(), [
        {"id": i, "username": f"u{i}", "display_name": f"U {i}", "organisation_id": i,
         "is_active": True, "is_system": False, "failed_logins": 0, "version": 1, **stamp}
        for i in (1, 2)])
    conn.execute(CASE.insert().values(
        id=1, title="Casus", summary="", status="aangemeld", owner_org_id=1,
        opened_by_user_id=1, coordinator_org_id=1, template_key="standaard",
        template_version="1", version=1, **stamp))
    conf = {"case_id": 1, "agenda": [], "attendee_org_ids": [], "held_at": T0,
            "created_by_user_id": 1, "version": 2, **stamp}
    conn.execute(CONF.insert(), [
        {**conf, "id": 1, "minutes": "Opvang regelen.", "status": "final",
         "finalised_by_user_id": 1, "finalised_at": T0},
        {**conf, "id": 2, "minutes": "Niets bijzonders.", "status": "final",
         "finalised_by_user_id": 1, "finalised_at": T0},
        {**conf, "id": 3, "minutes": "Concept.", "status": "draft",
         "finalised_by_user_id": None, "finalised_at": None}])
    conn.execute(ADDENDUM.insert(), [
        {"id": 1, "conference_id": 1, "text": "Regio Oost.", "reason": "regio vergeten",
         "author_user_id": 2, "at": datetime(2026, 11, 3, 9, tzinfo=UTC)},
        {"id": 2, "conference_id": 1, "text": "Met tolk.", "reason": "tolk vergeten",
         "author_user_id": 1, "at": datetime(2026, 11, 4, 9, tzinfo=UTC)}])


def test_addenda_become_versions_and_return(empty: Engine) -> None:
    with empty.connect() as conn:
        upgrade_connection(conn, "0013")
        _seed(conn)
        conn.commit()

        upgrade_connection(conn, "0014")
        conn.commit()
        rows = conn.execute(text(
            "SELECT conference_id, number, text, reason, author_user_id, author_org_id, "
            "supersedes_id, id FROM case_minutes_version ORDER BY id")).all()
        assert [tuple(r[:7]) for r in rows] == [
            (1, 1, "Opvang regelen.", "", 1, 1, None),
            (1, 2, "Opvang regelen.\n\nAddendum (2026-11-03 09:00 UTC): Regio Oost.",
             "regio vergeten", 2, 2, rows[0].id),
            (1, 3, "Opvang regelen.\n\nAddendum (2026-11-03 09:00 UTC): Regio Oost."
                   "\n\nAddendum (2026-11-04 09:00 UTC): Met tolk.",
             "tolk vergeten", 1, 1, rows[1].id),
            (2, 1, "Niets bijzonders.", "", 1, 1, None)]
        assert conn.scalar(text("SELECT minutes FROM case_conference WHERE id = 3")) == "Concept."
        # existing accounts have not chosen a language: they follow KZ_DEFAULT_LOCALE
        assert list(conn.scalars(text("SELECT locale FROM user_account"))) == [None, None]
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("UPDATE case_minutes_version SET text = 'x' WHERE id = 1"))
        conn.rollback()
        # A correction made after the upgrade rewrites the whole text (ids go on after
        # the migrated ones on PostgreSQL too).
        conn.execute(text(
            "INSERT INTO case_minutes_version (conference_id, number, text, reason, "
            "author_user_id, author_org_id, at, supersedes_id) VALUES (2, 2, "
            "'Toch iets bijzonders.', 'herschreven', 2, 2, :at, :prev)").bindparams(
                sa.bindparam("at", datetime(2026, 11, 5, 9, tzinfo=UTC), type_=AT),
                prev=rows[3].id))
        conn.commit()

        command.downgrade(alembic_config(connection=conn), "0013")
        conn.commit()
        addenda = conn.execute(text(
            "SELECT conference_id, text, reason, author_user_id FROM case_conference_addendum "
            "ORDER BY conference_id, at")).all()
        assert [tuple(a) for a in addenda] == [
            (1, "Regio Oost.", "regio vergeten", 2), (1, "Met tolk.", "tolk vergeten", 1),
            (2, "Toch iets bijzonders.", "herschreven", 2)]
        assert "locale" not in {c["name"] for c in sa.inspect(conn).get_columns("user_account")}
        assert list(conn.scalars(text("SELECT minutes FROM case_conference ORDER BY id"))) == [
            "Opvang regelen.", "Niets bijzonders.", "Concept."]

        upgrade_connection(conn)  # and up again, to the head
        conn.commit()
        assert conn.scalar(text("SELECT count(*) FROM case_minutes_version")) == 5
