"""Issue 18, tasks: a closed case stops chasing, an owner hears of its task, and the
coordinator's open tasks move with the coordinator role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.models import User
from ketenzicht.cases import coordination, service
from ketenzicht.cases.enums import CaseStatus, PersonRole
from ketenzicht.cases.models import Case, CaseTask
from ketenzicht.cases.schemas import HandoverIn, PersonCreate, TransitionIn
from ketenzicht.core import clock
from ketenzicht.notify.models import Notification
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _notes(db: Session, user: User, kind: str) -> list[Notification]:
    return list(db.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind).order_by(Notification.id)))


def _task(db: Session, case: Case, key: str) -> CaseTask:
    return next(t for t in service.tasks_of(db, case.id) if t.task_key == key)


def _close(db: Session, team: dict[str, Any], case: Case) -> None:
    service.transition(db, actor=actor(team["coord"]), case_id=case.id, data=TransitionIn(
        version=case.version, to_status=CaseStatus.AFGESLOTEN, reason="geen verdere actie"))


def test_a_closed_case_stops_reminding_and_escalating(db: Session,
                                                      team: dict[str, Any]) -> None:
    with clock.frozen(MONDAY):
        case = open_team_case(db, team, acute_danger=True)
        _close(db, team, case)
    later = MONDAY + timedelta(days=60)
    assert service.remind(db, now=later) == {"reminded": 0, "escalated": 0}
    # Reopened, its open tasks are chased again.
    service.transition(db, actor=actor(team["coord"]), case_id=case.id, data=TransitionIn(
        version=case.version, to_status=CaseStatus.HEROPEND, reason="nieuwe informatie"))
    counts = service.remind(db, now=later)
    assert counts["reminded"] >= 1 and counts["escalated"] >= 1


def test_the_police_hear_of_the_b8_offer_they_own(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    service.add_person(db, actor=actor(team["coord"]), case_id=case.id, data=PersonCreate(
        role=PersonRole.PRESUMED_VICTIM, pseudonym="Slachtoffer A", nationality="UA"))
    offer = _task(db, case, "b8_offer")
    assert offer.owner_org_id == team["orgs"][OrgType.POLITIE].id
    (note,) = _notes(db, team["police"], "case.task_for_organisation")
    assert note.subject == f"Casus {case.id}: een taak voor uw organisatie: B8-bedenktijd aanbieden"
    assert note.link == f"/cases/{case.id}"
    assert "Slachtoffer A" not in note.subject + note.body
    # The coordinator's own tasks are on its case page: no notification for those.
    assert _notes(db, team["coord"], "case.task_for_organisation") == []


def test_the_coordinators_open_tasks_move_to_the_new_coordinator(
        db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team, acute_danger=True)
    service.add_person(db, actor=actor(team["coord"]), case_id=case.id, data=PersonCreate(
        role=PersonRole.PRESUMED_VICTIM, pseudonym="Slachtoffer B", nationality="UA"))
    gemeente, zorg = team["orgs"][OrgType.GEMEENTE].id, team["orgs"][OrgType.ZORG].id
    # (b8_end is made only when B8 is accepted: cases/procedures, issue 18.)
    conference = _task(db, case, "case_conference")
    safety = _task(db, case, "safety_assessment")  # the police's, as the responsible party
    assert conference.owner_org_id == gemeente
    row = coordination.propose_handover(db, actor=actor(team["coord"]), case_id=case.id,
                                        data=HandoverIn(to_org_id=zorg, reason="zorg leidt"))
    coordination.accept_handover(db, actor=actor(team["care"]), case_id=case.id,
                                 handover_id=row.id)
    assert conference.owner_org_id == zorg
    assert safety.owner_org_id == team["orgs"][OrgType.POLITIE].id
    (told,) = _notes(db, team["coord"], "case.handover_accepted")
    assert told.body == ("1 open taak van de regievoerder is overgegaan naar de nieuwe "
                         "regievoerder.")
