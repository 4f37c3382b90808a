"""JSON routes of the cases domain under /api/v1/cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import coordination, flows, reads, service
from ketenzicht.cases.schemas import (
    CaseCreate,
    CaseFromSignals,
    CaseRead,
    CaseSummary,
    DecisionIn,
    DecisionRead,
    HandoverIn,
    HandoverRead,
    ParticipantIn,
    PersonCreate,
    PersonRead,
    TaskAssign,
    TaskComplete,
    TaskRead,
    TransitionIn,
)
from ketenzicht.web.deps import PathId, SessionDep, require

router = APIRouter(prefix="/cases", tags=["cases"])

Creator = Annotated[Actor, Depends(require("case.create"))]
Viewer = Annotated[Actor, Depends(require("case.view"))]
Worker = Annotated[Actor, Depends(require("case.update"))]


def _read(session: SessionDep, actor: Actor, case_id: int) -> CaseRead:
    case = service.load(session, actor=actor, case_id=case_id)
    return reads.read_model(session, actor=actor, case=case)


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
    return reads.read_model(session, actor=actor, case=case)


@router.post("/from-signals", response_model=CaseRead, status_code=status.HTTP_201_CREATED)
def create_from_signals(session: SessionDep, data: CaseFromSignals, actor: Creator) -> CaseRead:
    """Open a case from signals you may see."""
    case = flows.open_from_signals(session, actor=actor, data=data)
    return reads.read_model(session, actor=actor, case=case)


@router.get("/{case_id}", response_model=CaseRead)
def get_case(session: SessionDep, case_id: PathId, actor: Viewer) -> CaseRead:
    """One case: persons, participants, RACI, tasks, hand-overs, decisions and timeline."""
    case = service.get_case(session, actor=actor, case_id=case_id)
    return reads.read_model(session, actor=actor, case=case)


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
    case = service.load(session, actor=actor, case_id=case_id)
    names = {i: o.name for i, o in service.directory(session).items()}
    return reads.task_read(case, task, names)


@router.post("/{case_id}/tasks/{task_id}/complete", response_model=TaskRead)
def complete_task(session: SessionDep, case_id: PathId, task_id: PathId, data: TaskComplete,
                  actor: Worker) -> TaskRead:
    """Mark a task done."""
    task = service.complete_task(session, actor=actor, case_id=case_id, task_id=task_id,
                                 data=data)
    case = service.load(session, actor=actor, case_id=case_id)
    names = {i: o.name for i, o in service.directory(session).items()}
    return reads.task_read(case, task, names)


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
                     actor: Worker) -> HandoverRead:
    """Decline the coordinator role, or withdraw the proposal."""
    return HandoverRead.model_validate(coordination.decline_handover(
        session, actor=actor, case_id=case_id, handover_id=handover_id))


@router.post("/{case_id}/decisions", response_model=DecisionRead,
             status_code=status.HTTP_201_CREATED)
def add_decision(session: SessionDep, case_id: PathId, data: DecisionIn,
                 actor: Worker) -> DecisionRead:
    """Record a decision with rationale, owner and due date."""
    return DecisionRead.model_validate(
        coordination.add_decision(session, actor=actor, case_id=case_id, data=data))
