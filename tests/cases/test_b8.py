"""B8 as a procedure: offered -> accepted / declined -> running -> decision -> ended.

Dates count from ACCEPTANCE, the police (or KMar) offer it, EU nationals, Dublin
claimants and minors are told apart, and every step is validated, stored and audited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.audit.service import flush_pending
from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import service
from ketenzicht.cases.enums import TaskStatus
from ketenzicht.cases.procedures import b8
from ketenzicht.cases.procedures.schemas import B8Step
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor, csrf_headers, login
from tests.factories.procedures import offer_b8

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _case(db: Session, team: dict[str, Any], nationality: str = "UA") -> Any:
    return open_team_case(db, team, persons=[
        {"role": "presumed_victim", "pseudonym": "Olena K.", "nationality": nationality}])


def _step(db: Session, team: dict[str, Any], row: Any, to: str, who: str = "police",
          **kw: Any) -> Any:
    data = B8Step.model_validate({"version": row.version, "to_state": to, **kw})
    return b8.step(db, actor=actor(team[who]), case_id=row.case_id, procedure_id=row.id,
                   data=data)


def _tasks(db: Session, case_id: int) -> dict[str, Any]:
    return {t.task_key: t for t in service.tasks_of(db, case_id)}


def test_the_police_offer_and_the_offer_task_is_done(db: Session, team: dict[str, Any]) -> None:
    with clock.frozen(MONDAY):
        case = _case(db, team)
        assert _tasks(db, case.id)["b8_offer"].status is TaskStatus.OPEN
        row = offer_b8(db, team["police"], case)
    assert (row.state, row.variant, row.org_id) == (
        "offered", "third_country", team["orgs"][OrgType.POLITIE].id)
    assert row.started_at is None and row.ends_at is None
    tasks = _tasks(db, case.id)
    assert tasks["b8_offer"].status is TaskStatus.DONE
    assert "b8_end" not in tasks  # nothing counts until the person accepts


def test_only_the_police_or_kmar_offer(db: Session, team: dict[str, Any]) -> None:
    case = _case(db, team)
    with pytest.raises(Forbidden, match="Marechaussee"):
        offer_b8(db, team["coord"], case)


def test_dates_count_from_acceptance_not_from_adding_the_person(
        db: Session, team: dict[str, Any]) -> None:
    with clock.frozen(MONDAY):
        case = _case(db, team)
        row = offer_b8(db, team["police"], case)
    accepted = MONDAY + timedelta(days=10)
    with clock.frozen(accepted + timedelta(hours=2)):
        _step(db, team, row, "accepted", at=accepted.isoformat())
    assert row.started_at == accepted
    assert row.ends_at == datetime(2027, 3, 3, 9, tzinfo=UTC)  # 3 months after acceptance
    end = _tasks(db, case.id)["b8_end"]
    assert end.due_at == row.ends_at and end.trigger == "b8_accepted"
    assert end.due_at != MONDAY.replace(year=2027, month=2, day=23)


def test_dublin_claimants_get_thirty_days(db: Session, team: dict[str, Any]) -> None:
    with clock.frozen(MONDAY):
        row = offer_b8(db, team["police"], _case(db, team), dublin=True)
        _step(db, team, row, "accepted")
    assert row.variant == "dublin" and row.ends_at == MONDAY + timedelta(days=30)


def test_an_eu_national_is_told_apart_and_needs_a_reason(db: Session,
                                                         team: dict[str, Any]) -> None:
    case = _case(db, team, nationality="RO")
    with pytest.raises(ValidationFailed, match="Union law"):
        offer_b8(db, team["police"], case)
    row = offer_b8(db, team["police"], case, note="Geen verblijfsrecht: niet economisch actief")
    assert row.variant == "eu_eea_ch"


@pytest.mark.parametrize(("nationality", "message"), [("NL", "Dutch"), (None, "nationality")])
def test_no_b8_for_dutch_nationals_or_an_unknown_nationality(
        db: Session, team: dict[str, Any], nationality: str | None, message: str) -> None:
    case = open_team_case(db, team, persons=[
        {"role": "presumed_victim", "pseudonym": "A.", "nationality": nationality}])
    with pytest.raises(ValidationFailed, match=message):
        offer_b8(db, team["police"], case)


@pytest.mark.parametrize("age_group", ["minor", "unknown"])
def test_a_minor_accepts_with_a_guardian(db: Session, team: dict[str, Any],
                                         age_group: str) -> None:
    row = offer_b8(db, team["police"], _case(db, team), age_group=age_group)
    with pytest.raises(ValidationFailed, match="guardian"):
        _step(db, team, row, "accepted")
    _step(db, team, row, "accepted", guardian="Voogd Nidos, mw. T.")
    assert row.state == "accepted"


def test_an_illegal_step_is_refused_with_the_allowed_ones(db: Session,
                                                          team: dict[str, Any]) -> None:
    row = offer_b8(db, team["police"], _case(db, team))
    with pytest.raises(ValidationFailed) as caught:
        _step(db, team, row, "running")
    assert "accepted, declined" in caught.value.localized()
    assert row.state == "offered"


def test_the_whole_way_to_a_report(db: Session, team: dict[str, Any]) -> None:
    case = _case(db, team)
    row = offer_b8(db, team["police"], case)
    for to, kw in (("accepted", {}), ("running", {}), ("decision", {"decision": "aangifte"}),
                   ("ended", {"end_reason": "decision_made"})):
        _step(db, team, row, to, who="coord" if to == "running" else "police", **kw)
    flush_pending(db)
    assert (row.state, row.outcome) == ("ended", "aangifte")
    assert _tasks(db, case.id)["b8_end"].status is TaskStatus.DONE
    actions = list(db.scalars(select(AuditEntry.action).where(
        AuditEntry.action.in_(["b8_offer", "b8_step"]),
        AuditEntry.resource_id == str(case.id))))
    assert actions == ["b8_offer", "b8_step", "b8_step", "b8_step", "b8_step"]


def test_a_decline_is_final_and_makes_no_end_task(db: Session, team: dict[str, Any]) -> None:
    case = _case(db, team)
    row = offer_b8(db, team["police"], case)
    _step(db, team, row, "declined", note="Wil eerst met familie praten")
    assert "b8_end" not in _tasks(db, case.id)
    with pytest.raises(ValidationFailed, match="none"):
        _step(db, team, row, "accepted")
    # A new offer may follow a decline.
    assert offer_b8(db, team["police"], case).state == "offered"


def test_ending_early_cancels_the_end_task(db: Session, team: dict[str, Any]) -> None:
    case = _case(db, team)
    row = offer_b8(db, team["police"], case)
    _step(db, team, row, "accepted")
    _step(db, team, row, "running")
    with pytest.raises(ValidationFailed, match="not expired"):
        _step(db, team, row, "ended", end_reason="period_expired")
    with pytest.raises(ValidationFailed, match="No decision"):
        _step(db, team, row, "ended", end_reason="decision_made")
    _step(db, team, row, "ended", end_reason="left_unknown")
    assert _tasks(db, case.id)["b8_end"].status is TaskStatus.CANCELLED


def test_steps_are_dated_in_order_and_never_in_the_future(db: Session,
                                                          team: dict[str, Any]) -> None:
    with clock.frozen(MONDAY):
        row = offer_b8(db, team["police"], _case(db, team))
        with pytest.raises(ValidationFailed, match="future"):
            _step(db, team, row, "accepted", at=(MONDAY + timedelta(days=1)).isoformat())
        with pytest.raises(ValidationFailed, match="before"):
            _step(db, team, row, "accepted", at=(MONDAY - timedelta(days=1)).isoformat())


def test_who_may_record_and_stale_forms(db: Session, team: dict[str, Any]) -> None:
    case = _case(db, team)
    row = offer_b8(db, team["police"], case)
    with pytest.raises(Forbidden):
        _step(db, team, row, "accepted", who="care")
    stale = B8Step(version=row.version, to_state="accepted")
    _step(db, team, row, "accepted")
    with pytest.raises(Conflict):
        b8.step(db, actor=actor(team["police"]), case_id=case.id, procedure_id=row.id,
                data=stale)
    with pytest.raises(Conflict, match="not ended"):
        offer_b8(db, team["police"], case)


def test_the_api_walks_b8_and_answers_422_with_a_message(app: FastAPI, db: Session,
                                                          team: dict[str, Any]) -> None:
    case = _case(db, team)
    client = TestClient(app, raise_server_exceptions=False)
    login(client, team["police"].username)
    client.headers["Accept-Language"] = "en"
    made = client.post(f"/api/v1/cases/{case.id}/b8", headers=csrf_headers(client),
                       json={"person_id": case.persons[0].id, "age_group": "adult"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["state"] == "offered" and body["allowed"] == ["accepted", "declined"]
    assert any("B8/3" in b for b in body["basis"])
    url = f"/api/v1/cases/{case.id}/b8/{body['id']}/steps"
    bad = client.post(url, headers=csrf_headers(client),
                      json={"version": body["version"], "to_state": "ended"})
    assert bad.status_code == 422 and "not allowed" in bad.text
    good = client.post(url, headers=csrf_headers(client),
                       json={"version": body["version"], "to_state": "accepted"})
    assert good.status_code == 200, good.text
    read = client.get(f"/api/v1/cases/{case.id}/procedures").json()
    (period,) = read["b8"]
    assert period["state"] == "accepted" and period["deadlines"][0]["due_at"]
    assert [s["step"] for s in period["steps"]] == ["offered", "accepted"]
