"""The coordinator role (hand-over needs the new coordinator's acceptance) and decisions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access, notices
from ketenzicht.cases.enums import ConferenceStatus, HandoverStatus, TaskStatus
from ketenzicht.cases.models import (
    Case,
    CaseConference,
    CaseDecision,
    CaseHandover,
    CaseParticipant,
    CaseTask,
)
from ketenzicht.cases.schemas import DecisionIn, HandoverIn, ParticipantChange, ParticipantRemove
from ketenzicht.cases.service import case_ref, load, require_coordinator
from ketenzicht.cases.tasks import follows_coordinator
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.notify.schemas import Msg

NO_DECLINE_REASON = N_("Say why you decline the coordinator role.")


def handovers_of(session: Session, case_id: int) -> list[CaseHandover]:
    """Every hand-over proposal of a case, oldest first."""
    return list(session.scalars(select(CaseHandover).where(CaseHandover.case_id == case_id)
                                .order_by(CaseHandover.id)))


def pending_handover(session: Session, case_id: int) -> CaseHandover | None:
    """The proposal waiting for an answer, if any."""
    return session.scalar(select(CaseHandover).where(
        CaseHandover.case_id == case_id, CaseHandover.status == HandoverStatus.PENDING))


def propose_handover(session: Session, *, actor: Actor, case_id: int, data: HandoverIn
                     ) -> CaseHandover:
    """Propose a participating organisation as the next coordinator; it stays ours until then."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    require_coordinator(case, actor)
    if data.to_org_id == case.coordinator_org_id:
        raise ValidationFailed(N_("That organisation already coordinates this case."))
    if data.to_org_id not in {p.org_id for p in case.participants}:
        raise ValidationFailed(N_("Organisation %(id)s does not take part in this case."),
                               id=data.to_org_id)
    if pending_handover(session, case.id) is not None:
        raise Conflict(N_("A hand-over is already waiting for an answer."))
    row = CaseHandover(case_id=case.id, from_org_id=case.coordinator_org_id,
                       to_org_id=data.to_org_id, proposed_by_user_id=actor.user_id,
                       reason=data.reason, created_at=clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="propose_handover", resource_type="case",
                 resource_id=case.id, detail={"to_org": data.to_org_id, "reason": data.reason})
    notices.tell(session, notices.org_people(session, data.to_org_id), actor=actor,
                 kind="case.handover_proposed", case_id=case.id,
                 subject=notices.case_subject(case.id, Msg(N_("you are asked to take over the "
                                                              "coordinator role"))))
    return row


def _answerable(session: Session, actor: Actor, case_id: int, handover_id: int
                ) -> tuple[Case, CaseHandover]:
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    row = session.get(CaseHandover, handover_id)
    if row is None or row.case_id != case.id:
        raise Forbidden(REFUSED)
    if row.status is not HandoverStatus.PENDING:
        raise Conflict(N_("This hand-over has already been answered."))
    return case, row


def accept_handover(session: Session, *, actor: Actor, case_id: int, handover_id: int
                    ) -> Case:
    """The proposed organisation accepts: from now on it is the one accountable coordinator."""
    case, row = _answerable(session, actor, case_id, handover_id)
    if actor.organisation_id != row.to_org_id:
        raise Forbidden(N_("Only the proposed organisation can accept the coordinator role."))
    row.status, row.decided_by_user_id, row.decided_at = (HandoverStatus.ACCEPTED,
                                                          actor.user_id, clock.now())
    case.coordinator_org_id, case.coordinator_user_id = actor.organisation_id, actor.user_id
    moved = _move_coordinator_tasks(session, case, from_org_id=row.from_org_id)
    session.flush()
    audit.record(session, actor=actor, action="accept_handover", resource_type="case",
                 resource_id=case.id, detail={"from_org": row.from_org_id, "tasks_moved": moved})
    # The proposer and the old coordinator organisation: the role and its open tasks left.
    told = [row.proposed_by_user_id, *notices.org_people(session, row.from_org_id)]
    notices.tell(session, told, actor=actor, kind="case.handover_accepted", case_id=case.id,
                 subject=notices.case_subject(
                     case.id, Msg(N_("the coordinator role was accepted"))),
                 body=Msg.ngettext("%(n)s open task of the coordinator moved to the new "
                                   "coordinator.", "%(n)s open tasks of the coordinator moved "
                                   "to the new coordinator.", len(moved), n=len(moved)))
    return case


def _move_coordinator_tasks(session: Session, case: Case, *, from_org_id: int) -> list[int]:
    """Give the old coordinator's open tasks to the new one; returns the tasks' ids.

    The coordinator's tasks are those of the regievoerder and those that fell to the
    coordinator because no organisation is responsible in their phase. A task the old
    coordinator's organisation holds as a responsible party stays with it. The assignee
    is cleared: that person works at the old organisation.
    """
    moved = []
    for task in session.scalars(select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.status == TaskStatus.OPEN,
            CaseTask.owner_org_id == from_org_id).order_by(CaseTask.id)):
        if follows_coordinator(case, task):
            task.owner_org_id, task.assignee_user_id = case.coordinator_org_id, None
            moved.append(task.id)
    return moved


def decline_handover(session: Session, *, actor: Actor, case_id: int, handover_id: int,
                     reason: str | None = None) -> CaseHandover:
    """The proposed organisation declines (with its reason), or the coordinator withdraws
    the proposal."""
    case, row = _answerable(session, actor, case_id, handover_id)
    if actor.organisation_id == row.to_org_id:
        if not (reason or "").strip():
            # The coordinator who asked must learn why, to find another coordinator.
            raise ValidationFailed(NO_DECLINE_REASON)
        row.status, row.decline_reason = HandoverStatus.DECLINED, reason
    elif actor.organisation_id == case.coordinator_org_id:
        row.status = HandoverStatus.WITHDRAWN
    else:
        raise Forbidden(N_("Only the proposed organisation or the coordinator can answer."))
    row.decided_by_user_id, row.decided_at = actor.user_id, clock.now()
    session.flush()
    audit.record(session, actor=actor, action=f"handover_{row.status}", resource_type="case",
                 resource_id=case.id, detail={"handover": row.id, "reason": reason})
    if row.status is HandoverStatus.DECLINED:
        notices.tell(session, [row.proposed_by_user_id], actor=actor,
                     kind="case.handover_declined",
                     case_id=case.id, subject=notices.case_subject(
                         case.id, Msg(N_("the coordinator role was declined"))),
                     body=Msg(N_("Reason: %(reason)s"), reason=reason) if reason else "")
    return row


def add_decision(session: Session, *, actor: Actor, case_id: int, data: DecisionIn
                 ) -> CaseDecision:
    """Record a decision with its rationale, owner and due date (not in the past)."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    now = clock.now()
    if data.due_at is not None:
        if data.due_at.tzinfo is None:
            raise ValidationFailed(N_("Give the due date with a time zone."))
        if data.due_at < now:
            raise ValidationFailed(N_("The due date lies in the past."))
    if data.owner_org_id not in case_ref(case).participant_org_ids:
        raise ValidationFailed(N_("Organisation %(id)s does not take part in this case."),
                               id=data.owner_org_id)
    if data.conference_id is not None:
        conference = session.get(CaseConference, data.conference_id)
        if conference is None or conference.case_id != case.id:
            raise ValidationFailed(N_("That case conference does not belong to this case."))
        if conference.status is ConferenceStatus.FINAL:
            raise Conflict(N_("These minutes are approved and cannot change; correct them "
                              "with a new version instead."))
    category = access.category_or_default(session, actor=actor, case=case,
                                          category=data.category)
    row = CaseDecision(case_id=case.id, text=data.text, rationale=data.rationale,
                       category=category,
                       decided_by_user_id=actor.user_id, owner_org_id=data.owner_org_id,
                       due_at=data.due_at, at=now, conference_id=data.conference_id)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="decide", resource_type="case",
                 resource_id=case.id, detail={"decision": row.id, "category": str(category)})
    return row


def decisions_of(session: Session, case_id: int) -> list[CaseDecision]:
    """The decisions of a case, oldest first."""
    return list(session.scalars(select(CaseDecision).where(CaseDecision.case_id == case_id)
                                .order_by(CaseDecision.id)))


# -- participants: change or end an organisation's part, always with a reason ---------------


def _participation(session: Session, actor: Actor, case_id: int, participant_id: int
                   ) -> tuple[Case, CaseParticipant]:
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    require_coordinator(case, actor)
    row = session.get(CaseParticipant, participant_id)
    if row is None or row.case_id != case.id:
        raise Forbidden(REFUSED)
    return case, row


def change_participant(session: Session, *, actor: Actor, case_id: int, participant_id: int,
                       data: ParticipantChange) -> CaseParticipant:
    """Move an organisation to another phase or RACI letter (coordinator only, audited)."""
    case, row = _participation(session, actor, case_id, participant_id)
    phase, raci = data.phase or row.phase, data.raci or row.raci
    if (phase, raci) == (row.phase, row.raci):
        raise ValidationFailed(N_("Nothing changes: choose another phase or role."))
    if phase is not row.phase and any(p.org_id == row.org_id and p.phase is phase
                                      for p in case.participants):
        raise Conflict(N_("This organisation already takes part in this phase."))
    before = {"phase": str(row.phase), "raci": str(row.raci)}
    row.phase, row.raci = phase, raci
    session.flush()
    audit.record(session, actor=actor, action="change_participant", resource_type="case",
                 resource_id=case.id,
                 detail={"org": row.org_id, "before": before, "phase": str(phase),
                         "raci": str(raci), "reason": data.reason})
    return row


def remove_participant(session: Session, *, actor: Actor, case_id: int, participant_id: int,
                       data: ParticipantRemove) -> None:
    """End an organisation's part in one phase (coordinator only, audited).

    The coordinator's own organisation stays; an organisation's last part cannot end while
    it still owns open tasks or is asked to take over the coordinator role, because those
    would then point at an organisation outside the case.
    """
    case, row = _participation(session, actor, case_id, participant_id)
    last = not any(p.org_id == row.org_id and p.id != row.id for p in case.participants)
    if last and row.org_id == case.coordinator_org_id:
        raise ValidationFailed(N_("The coordinator's organisation cannot leave its own case; "
                                  "hand the coordinator role over first."))
    if last:
        open_tasks = session.scalar(select(CaseTask.id).where(
            CaseTask.case_id == case.id, CaseTask.owner_org_id == row.org_id,
            CaseTask.status == TaskStatus.OPEN).limit(1))
        if open_tasks is not None:
            raise Conflict(N_("This organisation still owns open tasks in this case; assign "
                              "them to another organisation first."))
        pending = pending_handover(session, case.id)
        if pending is not None and pending.to_org_id == row.org_id:
            raise Conflict(N_("This organisation is asked to take over the coordinator role; "
                              "withdraw that proposal first."))
    detail = {"org": row.org_id, "phase": str(row.phase), "raci": str(row.raci),
              "reason": data.reason}
    case.participants.remove(row)
    session.delete(row)
    session.flush()
    audit.record(session, actor=actor, action="remove_participant", resource_type="case",
                 resource_id=case.id, detail=detail)
