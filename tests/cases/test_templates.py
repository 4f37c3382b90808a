"""The process templates beside the standard one: MDA++ / ZVH, labour exploitation, minors.

Templates are data, checked at load; choosing one when a case opens makes its tasks, with
deadlines in Dutch working days (``cases.workdays``), and MDA++'s regional level comes
before the national one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import service, workdays
from ketenzicht.cases.enums import TaskStatus
from ketenzicht.cases.models import CaseReminder
from ketenzicht.cases.procedures import plans, regional
from ketenzicht.cases.procedures.schemas import PlanIn
from ketenzicht.cases.process import parse, templates
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor, login

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)
EXPECTED = {
    "mda_zvh": {"triage", "safety_plan", "case_conference", "goals_plan", "b8_offer"},
    "arbeidsuitbuiting": {"inspectorate_contact", "housing_check", "wage_claim", "care_contact",
                          "b8_offer", "case_conference"},
    "minderjarigen": {"guardian_contact", "youth_protection", "protected_shelter", "b8_offer",
                      "case_conference"},
}


def test_the_templates_beside_the_standard_one_load() -> None:
    assert set(templates()) == {"standaard", *EXPECTED}
    assert templates()["mda_zvh"].regional_org_type == "gemeente"
    for tpl in templates().values():
        assert tpl.title["nl"] and tpl.title["en"]
        assert all(t.source for t in tpl.tasks)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_template_makes_its_tasks_in_working_days(db: Session, team: dict[str, Any],
                                                        key: str) -> None:
    with clock.frozen(MONDAY):
        case = open_team_case(db, team, template_key=key, persons=[
            {"role": "presumed_victim", "pseudonym": "Mihai T.", "nationality": "MD"}])
    tasks = {t.task_key: t for t in service.tasks_of(db, case.id)}
    assert set(tasks) == EXPECTED[key]
    assert case.template_key == key and case.template_version == templates()[key].version
    for task in tasks.values():
        spec = templates()[key].task(task.task_key)
        assert spec is not None
        assert task.due_at == workdays.due(MONDAY, **vars(spec.due))


def test_the_triage_deadline_skips_the_weekend() -> None:
    friday = datetime(2026, 11, 27, 9, tzinfo=UTC)
    spec = templates()["mda_zvh"].task("triage")
    assert spec is not None
    assert spec.due.after(friday) == datetime(2026, 12, 2, 9, tzinfo=UTC)


def test_an_unknown_template_is_refused(db: Session, team: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed, match="template"):
        open_team_case(db, team, template_key="bestaat_niet")


@pytest.mark.parametrize(("body", "message"), [
    ({"regional_org_type": "gemeente", "task": {"regional_escalate_after": {"hours": 5}}},
     "before the national"),
    ({"task": {"regional_escalate_after": {"hours": 1}}}, "regional_org_type"),
    ({"regional_org_type": "koning", "task": {}}, "koning"),
])
def test_a_bad_regional_level_is_refused(body: dict[str, Any], message: str) -> None:
    task = {"key": "a", "title": {"nl": "a"}, "owner_role": "regievoerder",
            "trigger": "case_opened", "due": {"hours": 1}, "escalate_after": {"hours": 4},
            **body.pop("task")}
    with pytest.raises(ValueError, match=message):
        parse({"version": "x", "templates": {"t": {"title": {"nl": "t"}, "tasks": [task],
                                                   **body}}})


def test_mda_escalates_to_the_region_before_the_nation(db: Session,
                                                       team: dict[str, Any]) -> None:
    with clock.frozen(MONDAY):
        case = open_team_case(db, team, template_key="mda_zvh")
    o = team["orgs"]
    triage = next(t for t in service.tasks_of(db, case.id) if t.task_key == "triage")
    # Due Thursday 26 November 09:00; regional one working day later, national three.
    assert triage.due_at == datetime(2026, 11, 26, 9, tzinfo=UTC)
    early = regional.escalate(db, now=triage.due_at + timedelta(hours=1))
    assert early["regional"] == 0
    friday = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    assert regional.escalate(db, now=friday)["regional"] >= 1
    assert regional.escalate(db, now=friday)["regional"] == 0  # once
    sent = db.scalars(select(CaseReminder).where(CaseReminder.task_id == triage.id)).all()
    assert [(r.level, r.recipient_org_id) for r in sent] == [
        (regional.REGIONAL_LEVEL, o[OrgType.GEMEENTE].id)]
    assert triage.escalate_at > friday


def test_plans_with_the_persons_own_words(app: FastAPI, db: Session,
                                          team: dict[str, Any]) -> None:
    case = open_team_case(db, team, template_key="mda_zvh", persons=[
        {"role": "presumed_victim", "pseudonym": "Ana M."}])
    care = actor(team["care"])
    with pytest.raises(ValidationFailed, match="goal"):
        plans.add_plan(db, actor=care, case_id=case.id, data=PlanIn(kind="goals"))
    with pytest.raises(Forbidden):  # the police do not write care content
        plans.add_plan(db, actor=actor(team["police"]), case_id=case.id, data=PlanIn(
            kind="goals", goals=["Veilig wonen"]))
    words = "Ik wil mijn paspoort terug en mijn moeder bellen."
    plans.add_plan(db, actor=care, case_id=case.id, data=PlanIn(
        kind="goals", goals=["Eigen identiteitsbewijs", "Contact met familie"], own_words=words,
        person_id=case.persons[0].id))
    plans.add_plan(db, actor=actor(team["coord"]), case_id=case.id, data=PlanIn(
        kind="safety", text="Geen contact met de werkgever; opvang op geheim adres"))
    tasks = {t.task_key: t for t in service.tasks_of(db, case.id)}
    assert tasks["goals_plan"].status is TaskStatus.DONE
    assert tasks["safety_plan"].status is TaskStatus.DONE
    assert tasks["triage"].status is TaskStatus.OPEN
    for who, sees in (("care", True), ("police", False)):
        client = TestClient(app, raise_server_exceptions=False)
        login(client, team[who].username)
        page = client.get(f"/cases/{case.id}").text
        assert (words in page) is sees
        assert "geheim adres" in page
        body = client.get(f"/api/v1/cases/{case.id}/procedures").json()
        assert any(p["own_words"] == words for p in body["plans"]) is sees
