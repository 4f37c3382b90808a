"""HTML form posts of the procedures on the case page; each redirects back to its section."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from ketenzicht.auth.schemas import Actor
from ketenzicht.cases.procedures import b8, meldcode, plans
from ketenzicht.cases.procedures.schemas import (
    B8Offer,
    B8Step,
    MeldcodeStart,
    MeldcodeStepIn,
    PlanIn,
)
from ketenzicht.cases.workdays import NL
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require

router = APIRouter(include_in_schema=False)
INVALID = N_("Some input is not valid.")
Worker = Annotated[Actor, Depends(require("case.update"))]


def _back(case_id: int) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}#procedures", status_code=303)


def _local(value: Any) -> datetime | None:
    """A ``datetime-local`` field, meant in Dutch time; empty is now."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=NL)
    except ValueError as exc:
        raise ValidationFailed(INVALID) from exc


def _parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate({k: v for k, v in data.items() if v not in (None, "")})
    except ValidationError as exc:
        raise ValidationFailed(INVALID) from exc


def _lines(value: Any) -> list[str]:
    return [p.strip() for p in str(value or "").splitlines() if p.strip()]


@router.post("/cases/{case_id}/b8")
def offer_b8(session: SessionDep, case_id: PathId, actor: Worker, form: FormDep) -> Response:
    """Record the offer of the B8 reflection period."""
    data = _parse(B8Offer, {"person_id": form.get("person_id"),
                            "age_group": form.get("age_group"),
                            "dublin": form.get("dublin") == "on", "at": _local(form.get("at")),
                            "note": form.get("note")})
    b8.offer(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id)


@router.post("/cases/{case_id}/b8/{procedure_id}/steps")
def b8_step(session: SessionDep, case_id: PathId, procedure_id: PathId, actor: Worker,
            form: FormDep) -> Response:
    """Take the next step of a B8 period."""
    data = _parse(B8Step, {**{f: form.get(f) for f in (
        "version", "to_state", "note", "decision", "end_reason", "guardian")},
        "at": _local(form.get("at"))})
    b8.step(session, actor=actor, case_id=case_id, procedure_id=procedure_id, data=data)
    return _back(case_id)


@router.post("/cases/{case_id}/meldcode")
def start_meldcode(session: SessionDep, case_id: PathId, actor: Worker,
                   form: FormDep) -> Response:
    """Start the meldcode."""
    data = _parse(MeldcodeStart, {"person_id": form.get("person_id"),
                                  "signal_id": form.get("signal_id")})
    meldcode.start(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id)


@router.post("/cases/{case_id}/meldcode/{procedure_id}/steps")
def meldcode_step(session: SessionDep, case_id: PathId, procedure_id: PathId, actor: Worker,
                  form: FormDep) -> Response:
    """Record the next meldcode step."""
    answers = {key[len("answer_"):]: value == "yes" for key, value in form.items()
               if key.startswith("answer_") and value in ("yes", "no")}
    data = _parse(MeldcodeStepIn, {
        **{f: form.get(f) for f in ("version", "step", "note", "outcome")},
        "at": _local(form.get("at")), "reported_at": _local(form.get("reported_at")),
        "consulted": form.getlist("consulted"), "answers": answers})
    meldcode.record_step(session, actor=actor, case_id=case_id, procedure_id=procedure_id,
                         data=data)
    return _back(case_id)


@router.post("/cases/{case_id}/plans")
def add_plan(session: SessionDep, case_id: PathId, actor: Worker, form: FormDep) -> Response:
    """Record a triage, safety plan or plan with goals."""
    data = _parse(PlanIn, {**{f: form.get(f) for f in ("kind", "person_id", "text",
                                                       "own_words")},
                           "goals": _lines(form.get("goals")),
                           "agreed_at": _local(form.get("agreed_at"))})
    plans.add_plan(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id)
