"""The meldcode's five steps, recorded in order with their dates, by a care organisation;
the afwegingskader's advice and the legal ground for breaking confidentiality are shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import access
from ketenzicht.cases.procedures import meldcode, reads
from ketenzicht.cases.procedures.schemas import MeldcodeStart, MeldcodeStepIn
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor, csrf_headers, login

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)
REPORT = {"suspicion": True, "unsafe": True}


def _start(db: Session, team: dict[str, Any], who: str = "care", **kw: Any) -> Any:
    case = open_team_case(db, team, persons=[
        {"role": "presumed_victim", "pseudonym": "Ana M.", "nationality": "RO"}])
    row = meldcode.start(db, actor=actor(team[who]), case_id=case.id,
                         data=MeldcodeStart(person_id=case.persons[0].id, **kw))
    return case, row


def _record(db: Session, team: dict[str, Any], row: Any, step: str, who: str = "care",
            **kw: Any) -> Any:
    data = MeldcodeStepIn.model_validate({"version": row.version, "step": step, **kw})
    return meldcode.record_step(db, actor=actor(team[who]), case_id=row.case_id,
                                procedure_id=row.id, data=data)


def test_the_five_steps_in_order_with_dates(db: Session, team: dict[str, Any]) -> None:
    with clock.frozen(MONDAY + timedelta(days=5)):
        _case, row = _start(db, team)
        for day, (step, kw) in enumerate((
                ("signs", {"note": "Blauwe plekken, paspoort bij de werkgever"}),
                ("consult", {"consulted": ["aandachtsfunctionaris", "veilig_thuis"]}),
                ("talk", {"note": "Gesprek op de SEH met tolk"}),
                ("weigh", {"answers": REPORT}),
                ("decide", {"outcome": "report_and_help"}))):
            _record(db, team, row, step, at=(MONDAY + timedelta(days=day)).isoformat(), **kw)
    assert (row.state, row.outcome) == ("closed", "report_and_help")
    view = reads.procedures_read(db, access=access.open_case(
        db, actor=actor(team["care"]), case_id=row.case_id), names={})
    (read,) = view.meldcode
    assert [s.step for s in read.steps] == ["signs", "consult", "talk", "weigh", "decide"]
    assert read.steps[0].happened_at == MONDAY and read.steps[4].happened_at == MONDAY + \
        timedelta(days=4)
    assert read.steps[4].detail["reported_at"] == (MONDAY + timedelta(days=4)).isoformat()
    assert all(s.actor_user_id == team["care"].id for s in read.steps)
    assert any("5.2.6 Wet maatschappelijke ondersteuning" in b for b in read.basis)
    assert any("7:457" in b for b in read.basis)


def test_steps_cannot_be_skipped(db: Session, team: dict[str, Any]) -> None:
    _case, row = _start(db, team)
    with pytest.raises(ValidationFailed, match="Step 1 comes next"):
        _record(db, team, row, "talk")


@pytest.mark.parametrize(("answers", "advice"), [
    ({"suspicion": False}, "close"),
    ({"suspicion": True, "unsafe": True}, "report"),
    ({"suspicion": True, "unsafe": False, "can_help": False}, "report"),
    ({"suspicion": True, "unsafe": False, "can_help": True, "accepted": True,
      "lasting": True}, "help"),
])
def test_the_afwegingskader_advises_and_says_why(answers: dict[str, bool], advice: str) -> None:
    outcome = meldcode.advice(answers)
    assert outcome is not None and outcome[0] == advice


def test_the_weighing_needs_enough_answers_and_a_decision_against_advice_a_note(
        db: Session, team: dict[str, Any]) -> None:
    _case, row = _start(db, team)
    for step in ("signs", "talk"):
        if step == "talk":
            _record(db, team, row, "consult", consulted=["colleague"])
        _record(db, team, row, step)
    with pytest.raises(ValidationFailed, match="afwegingskader"):
        _record(db, team, row, "weigh", answers={"suspicion": True})
    _record(db, team, row, "weigh", answers=REPORT)
    with pytest.raises(ValidationFailed, match="differs"):
        _record(db, team, row, "decide", outcome="help")
    _record(db, team, row, "decide", outcome="help",
            note="Veilig Thuis gebeld: zij adviseren eerst hulp via de huisarts")
    with pytest.raises(ValidationFailed, match="closed"):
        _record(db, team, row, "decide", outcome="report")


def test_only_care_professionals_and_only_the_starting_organisation(
        db: Session, team: dict[str, Any]) -> None:
    with pytest.raises(Forbidden, match="care professionals"):
        _start(db, team, who="police")
    _case, row = _start(db, team)
    with pytest.raises(Forbidden):
        _record(db, team, row, "signs", who="coord")  # the gemeente did not start it


def test_a_signal_must_belong_to_the_case(db: Session, team: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed, match="signal"):
        _start(db, team, signal_id=99)


def test_the_police_do_not_see_a_meldcode(app: FastAPI, db: Session,
                                          team: dict[str, Any]) -> None:
    case, row = _start(db, team)
    _record(db, team, row, "signs", note="Medisch: fracturen van verschillende ouderdom")
    for who, sees in (("police", False), ("care", True)):
        client = TestClient(app, raise_server_exceptions=False)
        login(client, team[who].username)
        body = client.get(f"/api/v1/cases/{case.id}/procedures").json()
        assert bool(body["meldcode"]) is sees and body["meldcode_hidden"] is not sees
        page = client.get(f"/cases/{case.id}").text
        assert ("fracturen" in page) is sees


def test_the_api_records_a_step(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    client = TestClient(app, raise_server_exceptions=False)
    login(client, team["care"].username)
    made = client.post(f"/api/v1/cases/{case.id}/meldcode", headers=csrf_headers(client),
                       json={})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["allowed"] == ["signs"] and body["org_id"] == team["orgs"][OrgType.ZORG].id
    url = f"/api/v1/cases/{case.id}/meldcode/{body['id']}/steps"
    wrong = client.post(url, headers=csrf_headers(client),
                        json={"version": body["version"], "step": "decide"})
    assert wrong.status_code == 422
    done = client.post(url, headers=csrf_headers(client),
                       json={"version": body["version"], "step": "signs", "note": "Signalen"})
    assert done.status_code == 200 and done.json()["allowed"] == ["consult"]
