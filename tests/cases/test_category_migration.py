"""Migration 0030 gives each existing field its author's own category, and goes back."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, Engine, text

from ketenzicht.db.migrate import alembic_config, upgrade_connection
from tests.cases.test_minutes_migration import CASE, CONF, ORG, USER, _table
from tests.cases.test_minutes_migration import empty as empty  # the fixture

T0 = datetime(2026, 11, 2, 10, tzinfo=UTC)
BEFORE = "0028_crawl_run_failed"
DECISION = _table("case_decision", "id", "case_id", "text", "rationale", "decided_by_user_id",
                  "owner_org_id", times=("at",))
NOTE = _table("case_note", "id", "case_id", "category", "text", "author_user_id",
              "author_org_id", times=("at",))


def _seed(conn: Connection) -> None:
    stamp = {"created_at": T0, "updated_at": T0}
    conn.execute(ORG.insert(), [
        {"id": i, "code": t, "name": t, "org_type": t, "is_active": True, "version": 1, **stamp}
        for i, t in ((1, "zorg"), (2, "politie"), (3, "opvang"))])
    conn.execute(USER.insert(), [
        {"id": i, "username": f"u{i}", "display_name": f"U {i}", "organisation_id": i,
         "is_active": True, "is_system": False, "failed_logins": 0, "version": 1, **stamp}
        for i in (1, 2, 3)])
    conn.execute(CASE.insert(), [{
        "id": i, "title": "Casus", "summary": "GGZ: medicatie", "status": "aangemeld",
        "owner_org_id": i, "opened_by_user_id": i, "coordinator_org_id": i,
        "template_key": "standaard", "template_version": "1", "version": 1, **stamp}
        for i in (1, 2)])
    conn.execute(CONF.insert().values(
        id=1, case_id=1, agenda=[], attendee_org_ids=[2], held_at=T0, created_by_user_id=1,
        minutes="Besproken", status="draft", finalised_by_user_id=None, finalised_at=None,
        version=1, **stamp))
    conn.execute(DECISION.insert(), [
        {"id": 1, "case_id": 1, "text": "Opvang", "rationale": "veilig",
         "decided_by_user_id": 3, "owner_org_id": 3, "at": T0},
        {"id": 2, "case_id": 1, "text": "Aangifte", "rationale": "bewijs",
         "decided_by_user_id": 2, "owner_org_id": 2, "at": T0}])


def test_existing_rows_get_their_authors_category_and_return(empty: Engine) -> None:
    with empty.connect() as conn:
        upgrade_connection(conn, BEFORE)
        _seed(conn)
        conn.commit()
        upgrade_connection(conn, "0030_case_field_categories")
        conn.commit()
        assert dict(conn.execute(text("SELECT id, summary_category FROM case_file")).all()) == {
            1: "care", 2: "investigation"}
        assert conn.execute(text("SELECT chair_org_id, minutes_category FROM case_conference")
                            ).one() == (1, "care")
        assert dict(conn.execute(text("SELECT id, category FROM case_decision")).all()) == {
            1: "shelter", 2: "investigation"}
        conn.execute(NOTE.insert().values(id=1, case_id=1, category="shelter", text="adres",
                                          author_user_id=3, author_org_id=3, at=T0))
        conn.commit()

        command.downgrade(alembic_config(connection=conn), BEFORE)
        conn.commit()
        assert "summary_category" not in {
            c["name"] for c in sa.inspect(conn).get_columns("case_file")}
        assert conn.scalar(text("SELECT category FROM case_note")) == "care"
        assert conn.scalar(text("SELECT summary FROM case_file WHERE id = 1")) == "GGZ: medicatie"
        assert conn.scalar(text("SELECT count(*) FROM case_decision")) == 2

        upgrade_connection(conn)
        conn.commit()
        assert conn.scalar(text("SELECT count(*) FROM case_minutes_summary")) == 0
