"""HTML form posts of a case page: persons, participants, conferences, decisions,
referrals, notes, links and break-the-glass. Each redirects back to the case."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import coordination, emergency, notes, service
from ketenzicht.cases.conferences import service as conferences
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import (
    ConferenceIn,
    DecisionIn,
    EmergencyIn,
    LinkIn,
    MinutesCorrectionIn,
    MinutesIn,
    MinutesSummaryIn,
    NoteIn,
    ParticipantIn,
    PersonCreate,
    ReferralAnswer,
    ReferralIn,
    Versioned,
)
from ketenzicht.cases.workdays import NL
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require

router = APIRouter(include_in_schema=False)
INVALID = N_("Some input is not valid.")

Worker = Annotated[Actor, Depends(require("case.update"))]
Glass = Annotated[Actor, Depends(require("case.break_glass"))]


def _back(case_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}{anchor}", status_code=303)


def _lines(value: Any) -> list[str]:
    """A textarea or comma list as a list of non-empty items."""
    text = str(value or "")
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def _local(value: Any) -> datetime | None:
    """A ``datetime-local`` field, meant in Dutch time."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=NL)
    except ValueError as exc:
        raise ValidationFailed(INVALID) from exc


def _parse(raw: FormData, model: type[BaseModel], build: Any) -> Any:
    try:
        return model.model_validate(build(raw))
    except ValidationError as exc:
        raise ValidationFailed(INVALID) from exc


def _given(raw: Any, *fields: str) -> dict[str, Any]:
    return {f: raw.get(f) for f in fields if raw.get(f) not in (None, "")}


@router.post("/cases/{case_id}/persons")
def add_person(request: Request, session: SessionDep, case_id: PathId,
               actor: Worker, form: FormDep) -> Response:
    """Add a pseudonymised person in a role."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, PersonCreate, lambda raw: {
        **_given(raw, "role", "pseudonym", "exploitation_form", "category"),
        "nationality": str(raw.get("nationality") or "").upper() or None,
        "locations": _lines(raw.get("locations")), "employers": _lines(raw.get("employers"))})
    service.add_person(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id, "#persons")


@router.post("/cases/{case_id}/participants")
def add_participant(request: Request, session: SessionDep, case_id: PathId,
                    actor: Worker, form: FormDep) -> Response:
    """Let an organisation take part in a phase (coordinator only)."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, ParticipantIn,
                        lambda raw: _given(raw, "org_id", "phase", "raci"))
    service.add_participant(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id, "#raci")


@router.post("/cases/{case_id}/conferences")
def plan_conference(request: Request, session: SessionDep, case_id: PathId,
                    actor: Worker, form: FormDep) -> Response:
    """Plan a case conference."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, ConferenceIn, lambda raw: {
        **_given(raw, "minutes_category"),
        "held_at": _local(raw.get("held_at")), "agenda": _lines(raw.get("agenda")),
        "attendee_org_ids": raw.getlist("attendee_org_ids")})
    conferences.plan(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id, "#conferences")


@router.post("/cases/{case_id}/conferences/{conference_id}/minutes")
def edit_minutes(request: Request, session: SessionDep, case_id: PathId,
                 conference_id: PathId, actor: Worker, form: FormDep) -> Response:
    """Save draft minutes."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, MinutesIn,
                  lambda raw: _given(raw, "version", "minutes", "minutes_category"))
    conferences.edit_minutes(session, actor=actor, case_id=case_id,
                             conference_id=conference_id, data=data)
    return _back(case_id, "#conferences")


@router.post("/cases/{case_id}/conferences/{conference_id}/finalise")
def finalise(request: Request, session: SessionDep, case_id: PathId,
             conference_id: PathId, actor: Worker, form: FormDep) -> Response:
    """Approve the minutes; they are immutable from then on."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, Versioned, lambda raw: _given(raw, "version"))
    conferences.finalise(session, actor=actor, case_id=case_id, conference_id=conference_id,
                         data=data)
    return _back(case_id, "#conferences")


@router.post("/cases/{case_id}/conferences/{conference_id}/versions")
def correct_minutes(request: Request, session: SessionDep, case_id: PathId,
                    conference_id: PathId, actor: Worker, form: FormDep) -> Response:
    """Correct approved minutes with a new version (409 when someone corrected it first)."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, MinutesCorrectionIn,
                        lambda raw: _given(raw, "supersedes", "text", "reason"))
    conferences.correct(session, actor=actor, case_id=case_id, conference_id=conference_id,
                        data=data)
    return _back(case_id, f"#conf-{conference_id}")


@router.post("/cases/{case_id}/conferences/{conference_id}/summary")
def approve_minutes_summary(request: Request, session: SessionDep, case_id: PathId,
                            conference_id: PathId, actor: Worker, form: FormDep) -> Response:
    """Approve the version of the minutes for organisations not present."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, MinutesSummaryIn, lambda raw: _given(raw, "text", "category"))
    conferences.approve_summary(session, actor=actor, case_id=case_id,
                                conference_id=conference_id, data=data)
    return _back(case_id, f"#conf-{conference_id}")


@router.post("/cases/{case_id}/decisions")
def add_decision(request: Request, session: SessionDep, case_id: PathId,
                 actor: Worker, form: FormDep) -> Response:
    """Record a decision with its rationale and owner."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, DecisionIn, lambda raw: {
        **_given(raw, "text", "rationale", "owner_org_id", "conference_id", "category"),
        "due_at": _local(raw.get("due_at"))})
    coordination.add_decision(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id, "#conferences")


@router.post("/cases/{case_id}/referrals")
def send_referral(request: Request, session: SessionDep, case_id: PathId,
                  actor: Worker, form: FormDep) -> Response:
    """Refer the case to another organisation."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, ReferralIn, lambda raw: {
        **_given(raw, "to_org_id", "phase", "purpose", "purpose_category", "legal_basis",
                 "legal_basis_note"),
        "data_categories": raw.getlist("data_categories")})
    referrals.send(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id, "#referrals")


@router.post("/cases/referrals/{referral_id}/answer")
def answer_referral(request: Request, session: SessionDep, referral_id: PathId,
                    actor: Worker, form: FormDep) -> Response:
    """Accept, reject or complete a referral to your organisation, or revoke your own."""
    data = _parse(form, ReferralAnswer,
                        lambda raw: _given(raw, "version", "to_status", "reason"))
    row = referrals.answer(session, actor=actor, referral_id=referral_id, data=data)
    if actor.organisation_id == row.to_org_id and data.to_status == "rejected":
        return RedirectResponse("/cases/referrals", status_code=303)
    return _back(row.case_id, "#referrals")


@router.post("/cases/{case_id}/notes")
def add_note(request: Request, session: SessionDep, case_id: PathId,
             actor: Worker, form: FormDep) -> Response:
    """Add a note in a category your organisation works with."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, NoteIn, lambda raw: _given(raw, "category", "text"))
    notes.add_note(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id, "#notes")


@router.post("/cases/{case_id}/links")
def add_link(request: Request, session: SessionDep, case_id: PathId,
             actor: Worker, form: FormDep) -> Response:
    """Link the case to an online network by its number."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _parse(form, LinkIn, lambda raw: _given(raw, "kind", "ref_id", "note"))
    notes.add_link(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id, "#notes")


@router.post("/cases/{case_id}/emergency")
def break_glass(request: Request, session: SessionDep, case_id: PathId,
                actor: Glass, form: FormDep) -> Response:
    """Break the glass, then open the case."""
    data = _parse(form, EmergencyIn, lambda raw: _given(raw, "reason", "hours"))
    emergency.break_glass(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id)
