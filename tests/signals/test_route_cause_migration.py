"""Migration 0032: routings get their cause and the escalation mark; nothing is lost."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import alembic_config, upgrade_connection
from ketenzicht.db.types import UTCDateTime

PG_ENV = "KZ_TEST_DATABASE_URL"
T0 = datetime(2026, 11, 2, 10, tzinfo=UTC)
AT = UTCDateTime(timezone=True)
BEFORE = "0028_crawl_run_failed"


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


STAMP = {"created_at": T0, "updated_at": T0}
ORG = _table("organisation", "id", "code", "name", "org_type", "is_active", "version",
             times=("created_at", "updated_at"))
USER = _table("user_account", "id", "username", "display_name", "organisation_id",
              "is_active", "is_system", "failed_logins", "version",
              times=("created_at", "updated_at"))
SIGNAL = _table("signal", "id", "reporter_user_id", "owner_org_id", "status", "form", "seen",
                "place", "acute_danger", "share_identities", "age_band", "gender",
                "indicators_present", "profile_met", "routing_version", "routing_rule",
                times=("created_at", "updated_at"),
                lists=("indicators", "checklist_items", "control_methods", "screening"))
ROUTE = _table("signal_route", "id", "signal_id", "org_id", "purpose", "status", "version",
               "previous_route_id", times=("deadline_at", "created_at", "updated_at"))


def test_existing_routings_get_their_cause_and_keep_everything(empty: Engine) -> None:
    with empty.connect() as conn:
        upgrade_connection(conn, BEFORE)
        conn.execute(ORG.insert(), [
            {"id": i, "code": t, "name": t, "org_type": t, "is_active": True, "version": 1,
             **STAMP} for i, t in ((1, "zorg"), (2, "politie"), (3, "comensha"))])
        conn.execute(USER.insert().values(id=1, username="u1", display_name="U", is_active=True,
                                          organisation_id=1, is_system=False, failed_logins=0,
                                          version=1, **STAMP))
        conn.execute(SIGNAL.insert().values(
            id=1, reporter_user_id=1, owner_org_id=1, status="open", form="sexual", seen="",
            place="", acute_danger=False, share_identities=True, age_band="unknown",
            gender="unknown", indicators_present=False, profile_met=False, routing_version="1",
            routing_rule="sexual", indicators=[], checklist_items=[], control_methods=[],
            screening={}, **STAMP))
        route = {"signal_id": 1, "purpose": "investigate", "version": 1, "deadline_at": T0,
                 **STAMP}
        conn.execute(ROUTE.insert(), [
            {**route, "id": 1, "org_id": 2, "status": "escalated", "previous_route_id": None},
            {**route, "id": 2, "org_id": 3, "status": "forwarded", "previous_route_id": 1},
            {**route, "id": 3, "org_id": 2, "status": "open", "previous_route_id": 2}])
        conn.commit()

        upgrade_connection(conn, "0032_route_escalation_adds")
        conn.commit()
        rows = conn.execute(text("SELECT id, status, cause, escalated_at FROM signal_route "
                                 "ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "escalated", "routed", None),
                                            (2, "forwarded", "escalated", None),
                                            (3, "open", "forwarded", None)]

        command.downgrade(alembic_config(connection=conn), BEFORE)
        conn.commit()
        assert conn.execute(text("SELECT id, status, previous_route_id FROM signal_route "
                                 "ORDER BY id")).all() == [(1, "escalated", None),
                                                          (2, "forwarded", 1), (3, "open", 2)]
