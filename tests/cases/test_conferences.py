"""Case conferences: minutes immutable once final, addenda, decisions with who and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import conferences, coordination, reads, service
from ketenzicht.cases.enums import ConferenceStatus, TaskStatus
from ketenzicht.cases.schemas import AddendumIn, ConferenceIn, DecisionIn, MinutesIn, Versioned
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor

LATER = datetime(2030, 1, 7, 10, tzinfo=UTC)


def _plan(db: Session, team: dict[str, Any]) -> tuple[int, int]:
    case = open_team_case(db, team)
    o = team["orgs"]
    row = conferences.plan(db, actor=actor(team["coord"]), case_id=case.id, data=ConferenceIn(
        held_at=LATER, agenda=["Veiligheid", "Opvang"],
        attendee_org_ids=[o[OrgType.POLITIE].id, o[OrgType.ZORG].id]))
    return case.id, row.id


def test_minutes_are_immutable_once_final(db: Session, team: dict[str, Any]) -> None:
    case_id, conf_id = _plan(db, team)
    coord, police = actor(team["coord"]), actor(team["police"])
    row = conferences.edit_minutes(db, actor=police, case_id=case_id, conference_id=conf_id,
                                   data=MinutesIn(version=1, minutes="Besproken: veiligheid."))
    with pytest.raises(Conflict):  # stale version
        conferences.edit_minutes(db, actor=police, case_id=case_id, conference_id=conf_id,
                                 data=MinutesIn(version=1, minutes="oud"))
    with pytest.raises(Forbidden):  # only the coordinator approves
        conferences.finalise(db, actor=police, case_id=case_id, conference_id=conf_id,
                             data=Versioned(version=row.version))
    conferences.finalise(db, actor=coord, case_id=case_id, conference_id=conf_id,
                         data=Versioned(version=row.version))
    assert row.status is ConferenceStatus.FINAL and row.finalised_by_user_id == team["coord"].id
    with pytest.raises(Conflict):
        conferences.edit_minutes(db, actor=coord, case_id=case_id, conference_id=conf_id,
                                 data=MinutesIn(version=row.version, minutes="herschreven"))
    # The model refuses too, should a write ever go around the service.
    row.minutes = "stiekem"
    with pytest.raises(ValueError, match="final"):
        db.flush()
    db.rollback()


def test_addendum_is_appended_not_rewritten(db: Session, team: dict[str, Any]) -> None:
    case_id, conf_id = _plan(db, team)
    coord = actor(team["coord"])
    with pytest.raises(ValidationFailed):  # a draft is edited, not amended
        conferences.add_addendum(db, actor=coord, case_id=case_id, conference_id=conf_id,
                                 data=AddendumIn(text="x" * 5, reason="te vroeg"))
    conferences.edit_minutes(db, actor=coord, case_id=case_id, conference_id=conf_id,
                             data=MinutesIn(version=1, minutes="Afspraak: opvang regelen."))
    conferences.finalise(db, actor=coord, case_id=case_id, conference_id=conf_id,
                         data=Versioned(version=2))
    conferences.add_addendum(db, actor=actor(team["care"]), case_id=case_id,
                             conference_id=conf_id,
                             data=AddendumIn(text="Lees: opvang in regio Oost.",
                                             reason="regio stond verkeerd"))
    case = service.load(db, actor=coord, case_id=case_id)
    view = reads.read_model(db, actor=coord, case=case).conferences[0]
    assert view.minutes == "Afspraak: opvang regelen."
    assert [a.reason for a in view.addenda] == ["regio stond verkeerd"]
    assert view.attendees == [team["orgs"][OrgType.POLITIE].name,
                              team["orgs"][OrgType.ZORG].name]


def test_finalising_completes_the_conference_task(db: Session, team: dict[str, Any]) -> None:
    case_id, conf_id = _plan(db, team)
    conferences.edit_minutes(db, actor=actor(team["coord"]), case_id=case_id,
                             conference_id=conf_id, data=MinutesIn(version=1, minutes="ok"))
    conferences.finalise(db, actor=actor(team["coord"]), case_id=case_id,
                         conference_id=conf_id, data=Versioned(version=2))
    task = next(t for t in service.tasks_of(db, case_id) if t.task_key == "case_conference")
    assert task.status is TaskStatus.DONE


def test_decisions_in_a_conference_record_who_and_why(db: Session,
                                                      team: dict[str, Any]) -> None:
    case_id, conf_id = _plan(db, team)
    coord = actor(team["coord"])
    care_org = team["orgs"][OrgType.ZORG].id
    row = coordination.add_decision(db, actor=coord, case_id=case_id, data=DecisionIn(
        text="Opvang regelen", rationale="acuut gevaar op de huidige plek",
        owner_org_id=care_org, due_at=clock.now() + timedelta(days=2), conference_id=conf_id))
    assert (row.decided_by_user_id, row.rationale, row.conference_id) == (
        team["coord"].id, "acuut gevaar op de huidige plek", conf_id)
    conferences.edit_minutes(db, actor=coord, case_id=case_id, conference_id=conf_id,
                             data=MinutesIn(version=1, minutes="Besluit genomen."))
    conferences.finalise(db, actor=coord, case_id=case_id, conference_id=conf_id,
                         data=Versioned(version=2))
    with pytest.raises(Conflict):  # no decisions are added to final minutes
        coordination.add_decision(db, actor=coord, case_id=case_id, data=DecisionIn(
            text="Nog iets", rationale="vergeten", owner_org_id=care_org,
            conference_id=conf_id))
    other = open_team_case(db, team)
    with pytest.raises(ValidationFailed):  # a conference of another case
        coordination.add_decision(db, actor=coord, case_id=other.id, data=DecisionIn(
            text="Nog iets", rationale="vergeten", owner_org_id=care_org,
            conference_id=conf_id))
    view = reads.read_model(db, actor=coord, case=service.load(db, actor=coord,
                                                               case_id=case_id))
    assert [d.text for d in view.conferences[0].decisions] == ["Opvang regelen"]


def test_attendees_must_take_part_and_times_need_a_zone(db: Session,
                                                        team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    coord = actor(team["coord"])
    with pytest.raises(ValidationFailed):
        conferences.plan(db, actor=coord, case_id=case.id, data=ConferenceIn(
            held_at=LATER, attendee_org_ids=[team["outside"].id]))
    with pytest.raises(ValidationFailed):
        conferences.plan(db, actor=coord, case_id=case.id, data=ConferenceIn(
            held_at=LATER.replace(tzinfo=None)))
    with pytest.raises(Forbidden):
        conferences.plan(db, actor=actor(team["outsider"]), case_id=case.id,
                         data=ConferenceIn(held_at=LATER))
