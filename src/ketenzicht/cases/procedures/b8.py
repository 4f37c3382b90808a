"""The B8 reflection period (bedenktijd) as a procedure with states.

offered -> accepted | declined; accepted -> running -> decision -> ended (a running
period may also end without a decision). The police or the Royal Marechaussee offer it
(``data/b8.yaml``); the offering organisation or the case's coordinator records each
later step. The period's end counts from ACCEPTANCE: the ``b8_accepted`` trigger makes
the end task then, with the variant's period (three months, thirty days for Dublin).
Every step is validated (422 with the allowed steps), stored with who and when, and
audited.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import tasks as task_rules
from ketenzicht.cases.enums import PersonRole, TaskStatus, Trigger
from ketenzicht.cases.models import Case, CaseTask
from ketenzicht.cases.procedures import common, legal
from ketenzicht.cases.procedures.enums import B8_MACHINE, AgeGroup, B8State, ProcedureKind
from ketenzicht.cases.procedures.models import CaseProcedure
from ketenzicht.cases.procedures.schemas import B8Offer, B8Step
from ketenzicht.cases.process import template
from ketenzicht.cases.service import load
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed, check_version
from ketenzicht.core.i18n import N_

OFFER_TASK = "b8_offer"
NOT_OFFERER = N_("Only the police or the Royal Marechaussee offer the B8 reflection period.")
NOT_YOURS = N_("Only the organisation that offered the reflection period, or the case's "
               "coordinator, records its steps.")
NOT_VICTIM = N_("The B8 reflection period is for a presumed victim.")
NO_NATIONALITY = N_("Record the person's nationality first: B8 depends on it.")
DUTCH = N_("A Dutch national has no need of the B8 reflection period.")
EU_NOTE = N_("For an EU/EEA or Swiss national, B8 applies only insofar as Union law gives no "
             "right of residence: say why it is offered anyway.")
RUNNING = N_("This person already has a B8 reflection period that has not ended.")
GUARDIAN = N_("For a minor, or a person whose age is unknown, name the guardian or parent "
              "with authority who took part.")
DECISION = N_("Choose the decision: report (aangifte), other cooperation, or neither.")
END_REASON = N_("Choose why the reflection period ends.")
NOT_EXPIRED = N_("The reflection period has not expired yet: it runs until %(until)s.")
NO_DECISION = N_("No decision was recorded: choose another reason to end the period.")
OPEN_STATES = frozenset({B8State.OFFERED, B8State.ACCEPTED, B8State.RUNNING, B8State.DECISION})


def _ref(row: CaseProcedure) -> str:
    return f"b8-{row.id}"


def offer(session: Session, *, actor: Actor, case_id: int, data: B8Offer) -> CaseProcedure:
    """Record that the police (or KMar) offered the reflection period to a presumed victim."""
    frame = legal.b8()
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    if str(actor.org_type) not in frame.offered_by:
        raise Forbidden(NOT_OFFERER)
    person = common.person_of(case, data.person_id)
    if person.role is not PersonRole.PRESUMED_VICTIM:
        raise ValidationFailed(NOT_VICTIM)
    if not person.nationality:
        raise ValidationFailed(NO_NATIONALITY)
    if person.nationality == "NL":
        raise ValidationFailed(DUTCH)
    variant = frame.variant_for(person.nationality, dublin=data.dublin)
    if not variant.applies and len(data.note) < 3:
        raise ValidationFailed(EU_NOTE)
    if session.scalar(select(CaseProcedure.id).where(
            CaseProcedure.case_id == case.id, CaseProcedure.person_id == person.id,
            CaseProcedure.kind == ProcedureKind.B8,
            CaseProcedure.state.in_(sorted(OPEN_STATES)))) is not None:
        raise Conflict(RUNNING)
    at = common.when(data.at)
    row = CaseProcedure(case_id=case.id, kind=ProcedureKind.B8, person_id=person.id,
                        state=B8State.OFFERED, variant=variant.key,
                        age_group=data.age_group, org_id=actor.organisation_id,
                        opened_by_user_id=actor.user_id, legal_version=frame.version)
    session.add(row)
    session.flush()
    common.add_step(session, row, actor=actor, step=B8State.OFFERED, from_state=None, at=at,
                    note=data.note, detail={"offered_by_org_id": actor.organisation_id,
                                            "variant": variant.key,
                                            "age_group": str(data.age_group)})
    # The template's "offer B8" task for this person is done by the offer itself.
    _close_tasks(session, case, [OFFER_TASK], ref=f"p{person.id}", status=TaskStatus.DONE,
                 note="B8 aangeboden")  # stored text: Dutch, as a professional writes it
    audit.record(session, actor=actor, action="b8_offer", resource_type="case",
                 resource_id=case.id, detail={"procedure": row.id, "person": person.id,
                                              "variant": variant.key})
    return row


def _close_tasks(session: Session, case: Case, keys: list[str], *, ref: str,
                 status: TaskStatus, note: str) -> None:
    for task in session.scalars(select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.task_key.in_(keys),
            CaseTask.trigger_ref == ref, CaseTask.status == TaskStatus.OPEN)):
        task.status, task.done_at, task.note = status, clock.now(), note


def _minor_safeguard(row: CaseProcedure, data: B8Step) -> None:
    frame = legal.b8()
    if (frame.requires_guardian and row.age_group != AgeGroup.ADULT
            and not (data.guardian or "").strip()):
        raise ValidationFailed(GUARDIAN)


def step(session: Session, *, actor: Actor, case_id: int, procedure_id: int,
         data: B8Step) -> CaseProcedure:
    """Take one step of the B8 machine (422 naming the allowed steps when it is not one)."""
    frame = legal.b8()
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    row = common.procedure_of(session, case, procedure_id, ProcedureKind.B8)
    if actor.organisation_id not in (row.org_id, case.coordinator_org_id):
        raise Forbidden(NOT_YOURS)
    check_version(row.version, data.version)
    before, target = B8State(row.state), B8State(data.to_state)
    B8_MACHINE.check(before, target)
    previous = common.last_step(session, row)
    at = common.when(data.at, after=previous.happened_at if previous else None)
    detail: dict[str, object] = {}
    if data.guardian:
        detail["guardian"] = data.guardian
    if target is B8State.ACCEPTED:
        _minor_safeguard(row, data)
        row.started_at = at
        row.ends_at = frame.variants[row.variant].period.after(at)
        detail["ends_at"] = row.ends_at.isoformat()
    elif target is B8State.DECISION:
        if data.decision not in frame.decisions:
            raise ValidationFailed(DECISION)
        _minor_safeguard(row, data)
        row.outcome = data.decision
        detail["decision"] = data.decision
    elif target is B8State.ENDED:
        reason = data.end_reason
        if reason not in frame.end_reasons:
            raise ValidationFailed(END_REASON)
        if reason == "period_expired" and row.ends_at and at < row.ends_at:
            raise ValidationFailed(NOT_EXPIRED, until=f"{row.ends_at:%Y-%m-%d %H:%M} UTC")
        if reason == "decision_made" and before is not B8State.DECISION:
            raise ValidationFailed(NO_DECISION)
        detail["end_reason"] = reason
    row.state = target
    session.flush()
    common.add_step(session, row, actor=actor, step=target, from_state=before, at=at,
                    note=data.note, detail=detail)
    if target is B8State.ACCEPTED:
        _anchor_on_acceptance(session, case, row)
    elif target is B8State.DECISION:
        _close_tasks(session, case, _end_tasks(case), ref=_ref(row), status=TaskStatus.DONE,
                     note=f"B8 decision: {data.decision}")
    elif target is B8State.ENDED:
        _close_tasks(session, case, _end_tasks(case), ref=_ref(row),
                     status=TaskStatus.CANCELLED, note=f"B8 ended: {data.end_reason}")
    audit.record(session, actor=actor, action="b8_step", resource_type="case",
                 resource_id=case.id, detail={"procedure": row.id, "from": str(before),
                                              "to": str(target), **detail})
    return row


def _end_tasks(case: Case) -> list[str]:
    return [t.key for t in template(case.template_key).for_trigger(Trigger.B8_ACCEPTED)]


def _anchor_on_acceptance(session: Session, case: Case, row: CaseProcedure) -> None:
    """Make the template's end-of-period tasks, due at the end of THIS period."""
    assert row.started_at is not None
    assert row.ends_at is not None
    made = task_rules.fire(session, case, Trigger.B8_ACCEPTED, at=row.started_at,
                           ref=_ref(row))
    tpl = template(case.template_key)
    for task in made:
        # The period comes from the B8 frame (30 days for Dublin), the escalation from the
        # template; both count from the acceptance.
        spec = tpl.task(task.task_key)
        task.due_at = row.ends_at
        if spec is not None:
            task.escalate_at = spec.escalate_after.after(row.ends_at)
    session.flush()


def of_case(session: Session, case_id: int) -> list[CaseProcedure]:
    """The B8 procedures of a case, oldest first."""
    return list(session.scalars(select(CaseProcedure).where(
        CaseProcedure.case_id == case_id, CaseProcedure.kind == ProcedureKind.B8)
        .order_by(CaseProcedure.id)))
