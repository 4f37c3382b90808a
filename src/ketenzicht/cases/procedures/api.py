"""JSON routes of the procedures under /api/v1/cases/{case_id}: B8, meldcode and plans."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access
from ketenzicht.cases.deps import CurrentCase
from ketenzicht.cases.procedures import b8, meldcode, plans, reads
from ketenzicht.cases.procedures.schemas import (
    B8Offer,
    B8Step,
    MeldcodeStart,
    MeldcodeStepIn,
    PlanIn,
    PlanRead,
    ProcedureRead,
    ProceduresRead,
)
from ketenzicht.web.deps import PathId, SessionDep, require

router = APIRouter(prefix="/cases", tags=["cases"])
Worker = Annotated[Actor, Depends(require("case.update"))]


def _names(session: Session) -> dict[int, str]:
    return {i: o.name for i, o in auth_service.directory(session).items()}


def _one(session: Session, actor: Actor, case_id: int, procedure_id: int) -> ProcedureRead:
    """A procedure as the writer now sees it (one access decision)."""
    opened = access.open_case(session, actor=actor, case_id=case_id)
    view = reads.procedures_read(session, access=opened, names=_names(session))
    return next(p for p in (*view.b8, *view.meldcode) if p.id == procedure_id)


@router.get("/{case_id}/procedures", response_model=ProceduresRead)
def procedures(session: SessionDep, current: CurrentCase) -> ProceduresRead:
    """The case's B8 periods, meldcodes (care parties only) and plans, with their steps,
    legal basis and deadlines."""
    return reads.procedures_read(session, access=current, names=_names(session))


@router.post("/{case_id}/b8", response_model=ProcedureRead, status_code=status.HTTP_201_CREATED)
def offer_b8(session: SessionDep, case_id: PathId, data: B8Offer, actor: Worker) -> ProcedureRead:
    """Record that the police or KMar offered the B8 reflection period to a presumed victim."""
    row = b8.offer(session, actor=actor, case_id=case_id, data=data)
    return _one(session, actor, case_id, row.id)


@router.post("/{case_id}/b8/{procedure_id}/steps", response_model=ProcedureRead)
def b8_step(session: SessionDep, case_id: PathId, procedure_id: PathId, data: B8Step,
            actor: Worker) -> ProcedureRead:
    """Accepted, declined, running, decision or ended (422 names the allowed steps)."""
    b8.step(session, actor=actor, case_id=case_id, procedure_id=procedure_id, data=data)
    return _one(session, actor, case_id, procedure_id)


@router.post("/{case_id}/meldcode", response_model=ProcedureRead,
             status_code=status.HTTP_201_CREATED)
def start_meldcode(session: SessionDep, case_id: PathId, data: MeldcodeStart,
                   actor: Worker) -> ProcedureRead:
    """Start the meldcode (a care organisation taking part)."""
    row = meldcode.start(session, actor=actor, case_id=case_id, data=data)
    return _one(session, actor, case_id, row.id)


@router.post("/{case_id}/meldcode/{procedure_id}/steps", response_model=ProcedureRead)
def meldcode_step(session: SessionDep, case_id: PathId, procedure_id: PathId,
                  data: MeldcodeStepIn, actor: Worker) -> ProcedureRead:
    """Record the next meldcode step with its date."""
    meldcode.record_step(session, actor=actor, case_id=case_id, procedure_id=procedure_id,
                         data=data)
    return _one(session, actor, case_id, procedure_id)


@router.post("/{case_id}/plans", response_model=PlanRead, status_code=status.HTTP_201_CREATED)
def add_plan(session: SessionDep, case_id: PathId, data: PlanIn, actor: Worker) -> PlanRead:
    """Record a triage, safety plan or plan with goals (the person's own words verbatim)."""
    return PlanRead.model_validate(plans.add_plan(session, actor=actor, case_id=case_id,
                                                  data=data))
