"""JSON routes of the cases domain under /api/v1/cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access, coordination, emergency, flows, notes, reads, service
from ketenzicht.cases.conferences import service as conferences
from ketenzicht.cases.deps import CurrentCase
from ketenzicht.cases.procedures import reads as procedure_reads
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import (
    CaseCreate,
    CaseFromSignals,
    CaseRead,
    CaseSummary,
    ConferenceIn,
    ConferenceRead,
    DecisionIn,
    DecisionRead,
    EmergencyIn,
    EmergencyRead,
    HandoverDecline,
    HandoverIn,
    HandoverRead,
    LegalBasisRead,
    LinkIn,
    LinkRead,
    MinutesCorrectionIn,
    MinutesIn,
    MinutesSummaryIn,
    MinutesSummaryRead,
    MinutesVersionRead,
    NoteIn,
    NoteRead,
    ParticipantChange,
    ParticipantIn,
    ParticipantRemove,
    PersonCreate,
    PersonRead,
    ReferralAnswer,
    ReferralIn,
    ReferralRead,
    SignalCase,
    TaskAssign,
    TaskComplete,
    TaskRead,
    TransitionIn,
    Versioned,
)
from ketenzicht.core.i18n import get_locale
from ketenzicht.signals import service as signals
from ketenzicht.web.deps import PathId, SessionDep, require

router = APIRouter(prefix="/cases", tags=["cases"])

Creator = Annotated[Actor, Depends(require("case.create"))]
Viewer = Annotated[Actor, Depends(require("case.view"))]
Worker = Annotated[Actor, Depends(require("case.update"))]
Lister = Annotated[Actor, Depends(require("case.list"))]
Glass = Annotated[Actor, Depends(require("case.break_glass"))]


def _read(session: SessionDep, actor: Actor, case_id: int) -> CaseRead:
    """The case as it is after a write (one access decision, one directory load)."""
    opened = access.open_case(session, actor=actor, case_id=case_id)
    return reads.read_model(session, access=opened, orgs=auth_service.directory(session))


@router.get("", response_model=list[CaseSummary])
def list_cases(session: SessionDep, actor: Annotated[Actor, Depends(require("case.list"))],
               limit: Annotated[int, Query(ge=1, le=500)] = 200) -> list[CaseSummary]:
    """Cases your organisation takes part in."""
    return [CaseSummary.model_validate(c)
            for c in service.list_cases(session, actor=actor, limit=limit)]


@router.post("", response_model=CaseRead, status_code=status.HTTP_201_CREATED)
def create(session: SessionDep, data: CaseCreate, actor: Creator) -> CaseRead:
    """Open a case directly; your organisation becomes its coordinator."""
    case = service.open_case(session, data=data, actor=actor)
    return _read(session, actor, case.id)


@router.post("/from-signals", response_model=CaseRead, status_code=status.HTTP_201_CREATED)
def create_from_signals(session: SessionDep, data: CaseFromSignals, actor: Creator) -> CaseRead:
    """Open a case from signals you may see."""
    case = flows.open_from_signals(session, actor=actor, data=data)
    return _read(session, actor, case.id)


@router.get("/of-signal/{signal_id}", response_model=list[SignalCase])
def cases_of_signal(session: SessionDep, signal_id: PathId, actor: Lister) -> list[SignalCase]:
    """The cases opened from a signal you may see: each with its coordinator; the title
    only of those you may see (issue 18)."""
    signals.get_signal(session, actor=actor, signal_id=signal_id)  # refused alike if not
    return service.signal_cases(session, actor=actor, signal_id=signal_id)


@router.get("/legal-bases", response_model=list[LegalBasisRead])
def legal_bases(actor: Lister) -> list[LegalBasisRead]:
    """The legal bases a referral may name, with their sources."""
    return [LegalBasisRead(key=b.key, title=b.text(get_locale()), source=b.source,
                           needs_note=b.needs_note) for b in referrals.legal_bases().values()]


@router.get("/referrals/incoming", response_model=list[ReferralRead])
def incoming_referrals(session: SessionDep, actor: Lister) -> list[ReferralRead]:
    """Open referrals to your organisation."""
    return [reads.incoming_read(r, actor) for r in referrals.incoming(session, actor=actor)]


@router.post("/referrals/{referral_id}/answer", response_model=ReferralRead)
def answer_referral(session: SessionDep, referral_id: PathId, data: ReferralAnswer,
                    actor: Worker) -> ReferralRead:
    """Accept, reject (with reason) or complete a referral to you; or revoke yours."""
    row = referrals.answer(session, actor=actor, referral_id=referral_id, data=data)
    if row.from_org_id == actor.organisation_id:  # the sender wrote the purpose
        return ReferralRead.model_validate(row)
    return reads.incoming_read(row, actor)


@router.get("/{case_id}", response_model=CaseRead)
def get_case(session: SessionDep, current: CurrentCase) -> CaseRead:
    """One case: persons, participants, RACI, tasks, hand-overs, decisions and timeline
    (with the B8 and meldcode steps the reader may see)."""
    directory = auth_service.directory(session)
    return procedure_reads.with_procedures(
        reads.read_model(session, access=current, orgs=directory),
        procedure_reads.procedures_read(session, access=current,
                                        names={i: o.name for i, o in directory.items()}))


@router.post("/{case_id}/transitions", response_model=CaseRead)
def transition(session: SessionDep, case_id: PathId, data: TransitionIn,
               actor: Worker) -> CaseRead:
    """Change the status, with a reason (coordinator only)."""
    service.transition(session, actor=actor, case_id=case_id, data=data)
    return _read(session, actor, case_id)


@router.post("/{case_id}/persons", response_model=PersonRead,
             status_code=status.HTTP_201_CREATED)
def add_person(session: SessionDep, case_id: PathId, data: PersonCreate,
               actor: Worker) -> PersonRead:
    """Add a pseudonymised person in a role."""
    return PersonRead.model_validate(
        service.add_person(session, actor=actor, case_id=case_id, data=data))


@router.post("/{case_id}/participants", response_model=CaseRead,
             status_code=status.HTTP_201_CREATED)
def add_participant(session: SessionDep, case_id: PathId, data: ParticipantIn,
                    actor: Worker) -> CaseRead:
    """Let an organisation take part in a phase (coordinator only)."""
    service.add_participant(session, actor=actor, case_id=case_id, data=data)
    return _read(session, actor, case_id)


@router.post("/{case_id}/tasks/{task_id}/assign", response_model=TaskRead)
def assign_task(session: SessionDep, case_id: PathId, task_id: PathId, data: TaskAssign,
                actor: Worker) -> TaskRead:
    """Give a task to a participating organisation (coordinator only)."""
    task = service.assign_task(session, actor=actor, case_id=case_id, task_id=task_id, data=data)
    opened = access.open_case(session, actor=actor, case_id=case_id)
    names = {i: o.name for i, o in auth_service.directory(session).items()}
    return reads.task_read(opened.case, task, names, opened)


@router.post("/{case_id}/tasks/{task_id}/complete", response_model=TaskRead)
def complete_task(session: SessionDep, case_id: PathId, task_id: PathId, data: TaskComplete,
                  actor: Worker) -> TaskRead:
    """Mark a task done."""
    task = service.complete_task(session, actor=actor, case_id=case_id, task_id=task_id,
                                 data=data)
    opened = access.open_case(session, actor=actor, case_id=case_id)
    names = {i: o.name for i, o in auth_service.directory(session).items()}
    return reads.task_read(opened.case, task, names, opened)


@router.post("/{case_id}/handovers", response_model=HandoverRead,
             status_code=status.HTTP_201_CREATED)
def propose_handover(session: SessionDep, case_id: PathId, data: HandoverIn,
                     actor: Worker) -> HandoverRead:
    """Propose another participating organisation as coordinator."""
    return HandoverRead.model_validate(
        coordination.propose_handover(session, actor=actor, case_id=case_id, data=data))


@router.post("/{case_id}/handovers/{handover_id}/accept", response_model=CaseRead)
def accept_handover(session: SessionDep, case_id: PathId, handover_id: PathId,
                    actor: Worker) -> CaseRead:
    """Accept the coordinator role (the proposed organisation only)."""
    coordination.accept_handover(session, actor=actor, case_id=case_id, handover_id=handover_id)
    return _read(session, actor, case_id)


@router.post("/{case_id}/handovers/{handover_id}/decline", response_model=HandoverRead)
def decline_handover(session: SessionDep, case_id: PathId, handover_id: PathId,
                     actor: Worker, data: HandoverDecline | None = None) -> HandoverRead:
    """Decline the coordinator role (say why), or withdraw the proposal."""
    return HandoverRead.model_validate(coordination.decline_handover(
        session, actor=actor, case_id=case_id, handover_id=handover_id,
        reason=data.reason if data else None))


@router.patch("/{case_id}/participants/{participant_id}", response_model=CaseRead)
def change_participant(session: SessionDep, case_id: PathId, participant_id: PathId,
                       data: ParticipantChange, actor: Worker) -> CaseRead:
    """Change an organisation's phase or RACI letter, with the reason (coordinator only)."""
    coordination.change_participant(session, actor=actor, case_id=case_id,
                                    participant_id=participant_id, data=data)
    return _read(session, actor, case_id)


@router.post("/{case_id}/participants/{participant_id}/remove", response_model=CaseRead)
def remove_participant(session: SessionDep, case_id: PathId, participant_id: PathId,
                       data: ParticipantRemove, actor: Worker) -> CaseRead:
    """End an organisation's part in a phase, with the reason (coordinator only)."""
    coordination.remove_participant(session, actor=actor, case_id=case_id,
                                    participant_id=participant_id, data=data)
    return _read(session, actor, case_id)


@router.post("/{case_id}/decisions", response_model=DecisionRead,
             status_code=status.HTTP_201_CREATED)
def add_decision(session: SessionDep, case_id: PathId, data: DecisionIn,
                 actor: Worker) -> DecisionRead:
    """Record a decision with rationale, owner and due date."""
    return DecisionRead.model_validate(
        coordination.add_decision(session, actor=actor, case_id=case_id, data=data))


def _conference(session: SessionDep, actor: Actor, case_id: int, conference_id: int
                ) -> ConferenceRead:
    conferences.get(session, actor=actor, case_id=case_id, conference_id=conference_id,
                    action="case.view")
    view = _read(session, actor, case_id)
    return next(c for c in view.conferences if c.id == conference_id)


@router.get("/{case_id}/conferences/{conference_id}", response_model=ConferenceRead)
def get_conference(session: SessionDep, case_id: PathId, conference_id: PathId,
                   actor: Viewer) -> ConferenceRead:
    """One case conference: its minutes, the current version and every earlier version."""
    service.get_case(session, actor=actor, case_id=case_id)  # audits the read
    return _conference(session, actor, case_id, conference_id)


@router.post("/{case_id}/conferences", response_model=ConferenceRead,
             status_code=status.HTTP_201_CREATED)
def plan_conference(session: SessionDep, case_id: PathId, data: ConferenceIn,
                    actor: Worker) -> ConferenceRead:
    """Plan or record a case conference (agenda, attendees, draft minutes)."""
    row = conferences.plan(session, actor=actor, case_id=case_id, data=data)
    return _conference(session, actor, case_id, row.id)


@router.patch("/{case_id}/conferences/{conference_id}", response_model=ConferenceRead)
def edit_minutes(session: SessionDep, case_id: PathId, conference_id: PathId, data: MinutesIn,
                 actor: Worker) -> ConferenceRead:
    """Edit draft minutes; final minutes answer 409."""
    conferences.edit_minutes(session, actor=actor, case_id=case_id,
                             conference_id=conference_id, data=data)
    return _conference(session, actor, case_id, conference_id)


@router.post("/{case_id}/conferences/{conference_id}/finalise", response_model=ConferenceRead)
def finalise_minutes(session: SessionDep, case_id: PathId, conference_id: PathId,
                     data: Versioned, actor: Worker) -> ConferenceRead:
    """Approve the minutes (coordinator only); they are immutable from then on."""
    conferences.finalise(session, actor=actor, case_id=case_id, conference_id=conference_id,
                         data=data)
    return _conference(session, actor, case_id, conference_id)


@router.post("/{case_id}/conferences/{conference_id}/versions",
             response_model=MinutesVersionRead, status_code=status.HTTP_201_CREATED)
def correct_minutes(session: SessionDep, case_id: PathId, conference_id: PathId,
                    data: MinutesCorrectionIn, actor: Worker) -> MinutesVersionRead:
    """Correct approved minutes: a new version superseding ``supersedes``, with a reason.

    The corrected version stays stored and readable. Correcting a version that was
    already corrected answers 409.
    """
    item = conferences.correct(session, actor=actor, case_id=case_id,
                               conference_id=conference_id, data=data)
    view = _conference(session, actor, case_id, conference_id)
    return next(v for v in view.versions if v.id == item.id)


@router.post("/{case_id}/conferences/{conference_id}/summary",
             response_model=MinutesSummaryRead, status_code=status.HTTP_201_CREATED)
def approve_minutes_summary(session: SessionDep, case_id: PathId, conference_id: PathId,
                            data: MinutesSummaryIn, actor: Worker) -> MinutesSummaryRead:
    """Approve the version of the minutes for organisations not present (chair or author)."""
    return MinutesSummaryRead.model_validate(conferences.approve_summary(
        session, actor=actor, case_id=case_id, conference_id=conference_id, data=data))


@router.post("/{case_id}/referrals", response_model=ReferralRead,
             status_code=status.HTTP_201_CREATED)
def send_referral(session: SessionDep, case_id: PathId, data: ReferralIn,
                  actor: Worker) -> ReferralRead:
    """Refer the case to another organisation, with purpose and legal basis."""
    return ReferralRead.model_validate(
        referrals.send(session, actor=actor, case_id=case_id, data=data))


@router.post("/{case_id}/notes", response_model=NoteRead, status_code=status.HTTP_201_CREATED)
def add_note(session: SessionDep, case_id: PathId, data: NoteIn, actor: Worker) -> NoteRead:
    """Add a note in a field category your organisation works with."""
    return NoteRead.model_validate(notes.add_note(session, actor=actor, case_id=case_id,
                                                  data=data))


@router.post("/{case_id}/links", response_model=LinkRead, status_code=status.HTTP_201_CREATED)
def add_link(session: SessionDep, case_id: PathId, data: LinkIn, actor: Worker) -> LinkRead:
    """Link the case to an online network (by its id)."""
    return LinkRead.model_validate(notes.add_link(session, actor=actor, case_id=case_id,
                                                  data=data))


@router.post("/{case_id}/emergency-access", response_model=EmergencyRead,
             status_code=status.HTTP_201_CREATED)
def break_glass(session: SessionDep, case_id: PathId, data: EmergencyIn,
                actor: Glass) -> EmergencyRead:
    """Break the glass: reasoned, time-limited, audited access; the coordinator is told."""
    return EmergencyRead.model_validate(
        emergency.break_glass(session, actor=actor, case_id=case_id, data=data))


@router.post("/{case_id}/emergency-access/{access_id}/end", response_model=EmergencyRead)
def end_emergency(session: SessionDep, case_id: PathId, access_id: PathId,
                  actor: Glass) -> EmergencyRead:
    """End your emergency access early."""
    return EmergencyRead.model_validate(
        emergency.end(session, actor=actor, case_id=case_id, access_id=access_id))
