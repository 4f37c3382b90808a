"""Case conferences (casusoverleg / MDO): agenda, attendees, minutes and addenda.

Minutes are edited as a draft; once the coordinator finalises them they never change
(the service refuses, and ``models.guard_final_minutes`` stops any write that slips
past). A correction is an addendum that points to the minutes it corrects.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases.enums import ConferenceStatus, TaskStatus
from ketenzicht.cases.models import (
    Case,
    CaseConference,
    CaseTask,
    ConferenceAddendum,
)
from ketenzicht.cases.schemas import AddendumIn, ConferenceIn, MinutesIn, Versioned
from ketenzicht.cases.service import case_ref, check_version, load, require_coordinator
from ketenzicht.core import clock, events
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_

FINAL = N_("These minutes are final and cannot change; add an addendum instead.")
CONFERENCE_TASK = "case_conference"


def _attendees(case: Case, org_ids: list[int]) -> list[int]:
    allowed = case_ref(case).participant_org_ids
    for org_id in org_ids:
        if org_id not in allowed:
            raise ValidationFailed(N_("Organisation %(id)s does not take part in this case."),
                                   id=org_id)
    return list(dict.fromkeys(org_ids))


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValidationFailed(N_("Give the date and time with a time zone."))
    return at


def plan(session: Session, *, actor: Actor, case_id: int, data: ConferenceIn
         ) -> CaseConference:
    """Plan (or record) a case conference of a case the actor works on."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    row = CaseConference(case_id=case.id, held_at=_aware(data.held_at), agenda=list(data.agenda),
                         attendee_org_ids=_attendees(case, list(data.attendee_org_ids)),
                         minutes=data.minutes, created_by_user_id=actor.user_id,
                         created_at=clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="plan_conference", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id})
    return row


def get(session: Session, *, actor: Actor, case_id: int, conference_id: int,
        action: str = "case.update") -> tuple[Case, CaseConference]:
    """A conference of a case the actor may ``action``; refused alike when missing."""
    case = load(session, actor=actor, case_id=case_id, action=action)
    row = session.get(CaseConference, conference_id)
    if row is None or row.case_id != case.id:
        raise Forbidden(REFUSED)
    return case, row


def edit_minutes(session: Session, *, actor: Actor, case_id: int, conference_id: int,
                 data: MinutesIn) -> CaseConference:
    """Change draft minutes (and agenda or attendees); final minutes are refused."""
    case, row = get(session, actor=actor, case_id=case_id, conference_id=conference_id)
    if row.status is ConferenceStatus.FINAL:
        raise Conflict(FINAL)
    check_version(row, data.version)
    row.minutes = data.minutes
    if data.agenda is not None:
        row.agenda = list(data.agenda)
    if data.attendee_org_ids is not None:
        row.attendee_org_ids = _attendees(case, list(data.attendee_org_ids))
    session.flush()
    audit.record(session, actor=actor, action="edit_minutes", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id})
    return row


def finalise(session: Session, *, actor: Actor, case_id: int, conference_id: int,
             data: Versioned) -> CaseConference:
    """Approve the minutes (coordinator only); from now on they are immutable."""
    case, row = get(session, actor=actor, case_id=case_id, conference_id=conference_id)
    require_coordinator(case, actor)
    if row.status is ConferenceStatus.FINAL:
        raise Conflict(FINAL)
    check_version(row, data.version)
    if not row.minutes.strip():
        raise ValidationFailed(N_("Write the minutes before finalising them."))
    now = clock.now()
    row.status, row.finalised_by_user_id, row.finalised_at = (ConferenceStatus.FINAL,
                                                              actor.user_id, now)
    # Holding the conference fulfils the process agreement's conference task.
    for task in session.scalars(select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.task_key == CONFERENCE_TASK,
            CaseTask.status == TaskStatus.OPEN)):
        task.status, task.done_at = TaskStatus.DONE, now
        task.note = f"conference {row.id}"
    session.flush()
    audit.record(session, actor=actor, action="finalise_minutes", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id})
    events.emit(session, "cases.minutes_finalised", id=case.id, conference=row.id)
    return row


def add_addendum(session: Session, *, actor: Actor, case_id: int, conference_id: int,
                 data: AddendumIn) -> ConferenceAddendum:
    """Append a correction to final minutes (drafts are simply edited)."""
    case, row = get(session, actor=actor, case_id=case_id, conference_id=conference_id)
    if row.status is not ConferenceStatus.FINAL:
        raise ValidationFailed(N_("Draft minutes are edited directly; an addendum is for "
                                  "final minutes."))
    item = ConferenceAddendum(conference_id=row.id, text=data.text, reason=data.reason,
                              author_user_id=actor.user_id, at=clock.now())
    session.add(item)
    session.flush()
    audit.record(session, actor=actor, action="add_addendum", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id, "addendum": item.id})
    return item


def conferences_of(session: Session, case_id: int) -> list[CaseConference]:
    """The conferences of a case, by date."""
    return list(session.scalars(select(CaseConference).where(CaseConference.case_id == case_id)
                                .order_by(CaseConference.held_at, CaseConference.id)))


def addenda_of(session: Session, conference_ids: list[int]) -> list[ConferenceAddendum]:
    """The addenda of some conferences, oldest first."""
    if not conference_ids:
        return []
    return list(session.scalars(select(ConferenceAddendum)
                                .where(ConferenceAddendum.conference_id.in_(conference_ids))
                                .order_by(ConferenceAddendum.id)))
