"""The meldcode's five steps for care professionals, each recorded with its date and who.

A care organisation taking part in a case starts a meldcode about a person (and, if it
began there, one of the case's signals) and records the steps in order: map the signs,
consult, talk with the person, weigh with the afwegingskader, decide. Only that
organisation writes it, and it is care content: organisations that do not see care
details do not see it (``cases.visibility``). The afwegingskader's advice is computed
from the answers and shown with its reason; a decision against the advice needs a note.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases.procedures import common, legal
from ketenzicht.cases.procedures.enums import MeldcodeState, ProcedureKind
from ketenzicht.cases.procedures.models import CaseProcedure
from ketenzicht.cases.procedures.schemas import MeldcodeStart, MeldcodeStepIn
from ketenzicht.cases.service import load
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed, check_version
from ketenzicht.core.i18n import N_

# Organisations whose professionals work under the meldcode in this chain.
CARE_PROFESSIONS = frozenset({OrgType.ZORG, OrgType.OPVANG, OrgType.GEMEENTE})
NOT_CARE = N_("The meldcode is for care professionals (care, shelter, municipal social teams).")
NOT_YOURS = N_("Only the organisation that started this meldcode records its steps.")
NOT_SIGNAL = N_("That signal is not linked to this case.")
CLOSED = N_("This meldcode is closed.")
ORDER = N_("Step %(expected)s comes next: the meldcode's steps are taken in order.")
CONSULTED = N_("Say whom you consulted.")
ANSWERS = N_("Answer the questions of the afwegingskader until it gives an outcome.")
OUTCOME = N_("Choose the decision: report, help, report and help, or close.")
AGAINST = N_("Your decision differs from the afwegingskader's advice (%(advice)s): explain why "
             "in the note.")


def start(session: Session, *, actor: Actor, case_id: int, data: MeldcodeStart
          ) -> CaseProcedure:
    """Start a meldcode in a case (a care organisation taking part)."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    if actor.org_type not in CARE_PROFESSIONS:
        raise Forbidden(NOT_CARE)
    if data.person_id is not None:
        common.person_of(case, data.person_id)
    if data.signal_id is not None and data.signal_id not in {
            s.signal_id for s in case.signal_links}:
        raise ValidationFailed(NOT_SIGNAL)
    row = CaseProcedure(case_id=case.id, kind=ProcedureKind.MELDCODE, person_id=data.person_id,
                        signal_id=data.signal_id, state=MeldcodeState.OPEN,
                        org_id=actor.organisation_id, opened_by_user_id=actor.user_id,
                        legal_version=legal.meldcode().version)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="meldcode_start", resource_type="case",
                 resource_id=case.id, detail={"procedure": row.id, "signal": data.signal_id})
    return row


def advice(answers: dict[str, bool]) -> tuple[str, list[str]] | None:
    """The afwegingskader's outcome for ``answers`` and the question that decided it, in
    Dutch and English keys; None while the answers given do not decide it yet."""
    for q in legal.meldcode().questions:
        if q.key not in answers:
            return None
        given = answers[q.key]
        if q.stop_if is not None and given == q.stop_if:
            return "close", [q.key]
        if q.report_if is not None and given == q.report_if:
            return "report", [q.key]
    return "help", [q.key for q in legal.meldcode().questions]


def next_step(session: Session, row: CaseProcedure) -> str | None:
    """The step to record next, None when all five are recorded."""
    done = {s.step for s in common.steps_of(session, [row.id])}
    return next((k for k in legal.meldcode().step_keys if k not in done), None)


def record_step(session: Session, *, actor: Actor, case_id: int, procedure_id: int,
                data: MeldcodeStepIn) -> CaseProcedure:
    """Record the next step with its date; the decision closes the meldcode."""
    frame = legal.meldcode()
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    row = common.procedure_of(session, case, procedure_id, ProcedureKind.MELDCODE)
    if actor.organisation_id != row.org_id:
        raise Forbidden(NOT_YOURS)
    check_version(row.version, data.version)
    if row.state == MeldcodeState.CLOSED:
        raise ValidationFailed(CLOSED)
    expected = next_step(session, row)
    if data.step != expected:
        raise ValidationFailed(ORDER, expected=frame.step_keys.index(str(expected)) + 1)
    previous = common.last_step(session, row)
    at = common.when(data.at, after=previous.happened_at if previous else None)
    detail: dict[str, object] = {}
    if data.step == "consult":
        if not data.consulted or set(data.consulted) - set(frame.consulted):
            raise ValidationFailed(CONSULTED)
        detail["consulted"] = list(dict.fromkeys(data.consulted))
    elif data.step == "weigh":
        known = {q.key for q in frame.questions}
        decided = advice({k: v for k, v in data.answers.items() if k in known})
        if decided is None or set(data.answers) - known:
            raise ValidationFailed(ANSWERS)
        detail.update(answers=dict(data.answers), advice=decided[0], because=decided[1])
    elif data.step == "decide":
        if data.outcome not in frame.outcomes:
            raise ValidationFailed(OUTCOME)
        weighed = next(s for s in common.steps_of(session, [row.id]) if s.step == "weigh")
        advised = str(weighed.detail.get("advice", ""))
        reports = data.outcome in ("report", "report_and_help")
        if advised == "report" and not reports and len(data.note) < 3:
            raise ValidationFailed(AGAINST, advice=advised)
        detail.update(outcome=data.outcome, advice=advised)
        if reports:
            detail["reported_at"] = common.when(data.reported_at or at).isoformat()
        row.state, row.outcome = MeldcodeState.CLOSED, data.outcome
    common.add_step(session, row, actor=actor, step=data.step, from_state=None, at=at,
                    note=data.note, detail=detail)
    # The steps are the history; touching the row moves its version on, so that a form
    # read before this step is refused as stale.
    row.updated_at = clock.now()
    session.flush()
    audit.record(session, actor=actor, action="meldcode_step", resource_type="case",
                 resource_id=case.id, detail={"procedure": row.id, "step": data.step,
                                              **{k: v for k, v in detail.items()
                                                 if k in ("advice", "outcome", "consulted")}})
    return row


def of_case(session: Session, case_id: int) -> list[CaseProcedure]:
    """The meldcodes of a case, oldest first."""
    return list(session.scalars(select(CaseProcedure).where(
        CaseProcedure.case_id == case_id, CaseProcedure.kind == ProcedureKind.MELDCODE)
        .order_by(CaseProcedure.id)))
