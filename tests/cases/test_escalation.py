"""Deadline notifications, the escalation CLI and the scheduler inside ``serve``."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ketenzicht import scheduler
from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import coordination, escalation, service
from ketenzicht.cases.schemas import HandoverIn, TaskAssign
from ketenzicht.cli import app as cli_app
from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from ketenzicht.notify.models import Notification
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _kinds(db: Session, user_id: int) -> list[str]:
    return list(db.scalars(select(Notification.kind).where(Notification.user_id == user_id)
                           .order_by(Notification.id)))


def test_overdue_task_notifies_coordinator_then_national_level(db: Session,
                                                               team: dict[str, Any]) -> None:
    with clock.frozen(MONDAY):
        case = open_team_case(db, team, acute_danger=True)
    escalation.run(db, now=MONDAY + timedelta(hours=25))
    assert _kinds(db, team["coord"].id) == ["case.task_overdue"]
    note = db.scalar(select(Notification).where(Notification.user_id == team["coord"].id))
    assert note is not None and note.link == f"/cases/{case.id}"
    assert case.title not in note.subject + note.body  # numbers and links only
    escalation.run(db, now=MONDAY + timedelta(hours=26))
    assert _kinds(db, team["coord"].id) == ["case.task_overdue"]  # once
    escalation.run(db, now=MONDAY + timedelta(hours=37))
    assert _kinds(db, team["national"].id) == ["case.task_escalated"]


def test_handover_and_assignment_notify(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    police_org = team["orgs"][OrgType.POLITIE].id
    row = coordination.propose_handover(db, actor=actor(team["coord"]), case_id=case.id,
                                        data=HandoverIn(to_org_id=police_org,
                                                        reason="opsporing leidt"))
    assert _kinds(db, team["police"].id) == ["case.handover_proposed"]
    coordination.accept_handover(db, actor=actor(team["police"]), case_id=case.id,
                                 handover_id=row.id)
    assert _kinds(db, team["coord"].id) == ["case.handover_accepted"]
    task = service.tasks_of(db, case.id)[0]
    service.assign_task(db, actor=actor(team["police"]), case_id=case.id, task_id=task.id,
                        data=TaskAssign(version=task.version,
                                        owner_org_id=team["orgs"][OrgType.ZORG].id,
                                        assignee_user_id=team["care"].id))
    assert _kinds(db, team["care"].id) == ["case.task_assigned"]


def test_scheduler_is_off_at_zero_and_ticks(scratch_url: str) -> None:
    assert scheduler.start(Settings(cases_escalate_minutes=0)) is None
    settings = Settings(database_url=scratch_url)
    counts = scheduler.tick(make_session_factory(make_engine(scratch_url)), settings)
    assert counts == {"reminded": 0, "escalated": 0, "referrals_reminded": 0,
                      "referrals_escalated": 0, "regional": 0, "regional_missing": 0,
                      "signals_escalated": 0,
                      "operation_warnings": 0, "operations_expired": 0,
                      "accounts_deleted": 0, "posts_deleted": 0}


def test_scheduler_thread_runs_and_stops(scratch_url: str, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    ran: list[int] = []

    def fake_tick(factory: Any, settings: Settings) -> dict[str, int]:
        ran.append(1)
        raise RuntimeError("database away")  # a failed run must not end the loop

    monkeypatch.setattr(scheduler, "tick", fake_tick)
    assert scheduler.start(Settings(database_url=scratch_url, cases_escalate_minutes=0)) is None
    settings = Settings(database_url=scratch_url)
    job = scheduler.Scheduler(make_session_factory(make_engine(scratch_url)), settings, 0.01)
    job.start()
    deadline = time.monotonic() + 30
    while len(ran) < 2 and time.monotonic() < deadline:  # the loop outlives a failed run
        time.sleep(0.01)
    job.stop()
    job.join(timeout=30)
    assert not job.is_alive() and len(ran) >= 2


def test_cli_escalate(scratch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZ_DATABASE_URL", scratch_url)
    result = CliRunner().invoke(cli_app, ["cases", "escalate"])
    assert result.exit_code == 0, result.output
    assert '"referrals_escalated": 0' in result.output
