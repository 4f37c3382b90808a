"""Placement requests: the form, the list, and a request with its ranked, explained matches."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core import listing
from ketenzicht.core.errors import DomainError, Forbidden
from ketenzicht.core.ids import MAX_ID
from ketenzicht.shelter import placement
from ketenzicht.shelter.enums import RequestStatus, Urgency
from ketenzicht.shelter.matching import Matches
from ketenzicht.shelter.schemas import (
    RequestCreate,
    RequestEnd,
)
from ketenzicht.shelter.views.common import (
    AMSTERDAM,
    choices,
    form_errors,
    labels_of,
)
from ketenzicht.web.deps import FormDep, PathId, SessionDep, SettingsDep, require
from ketenzicht.web.templating import render

router = APIRouter()


# -- requests ------------------------------------------------------------------------------


@router.get("/shelter/requests")
def requests_list(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("shelter.request.view"))],
) -> Response:
    """Requests of the actor's organisation, and those it has accepted: paged, filtered."""
    query = listing.parse(request.query_params, placement.requests_spec())
    page = placement.page_requests(session, actor=actor, query=query)
    return render(request, "shelter/requests.html", {
        "page": page, "statuses": labels_of(RequestStatus, "status"),
        "urgencies": labels_of(Urgency, "urgency")})


def _new_form(request: Request, session: Session, actor: Actor, form: dict[str, Any],
              errors: list[str], status_code: int = 200) -> Response:
    orgs = auth_service.list_organisations(session, actor=actor)
    return render(request, "shelter/request_new.html",
                  {"form": form, "errors": errors,
                   "org_options": [(str(o.id), o.name) for o in orgs], **choices()},
                  status_code=status_code)


@router.get("/shelter/requests/new")
def request_new(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("shelter.request.create"))],
) -> Response:
    """The form for a new placement request."""
    return _new_form(request, session, actor, {"urgency": "regulier", "security_need": "basis",
                                               "legal_basis": "toestemming"}, [])


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]


def _request_payload(raw: FormData) -> dict[str, Any]:
    def text(name: str) -> str:
        value = raw.get(name)
        return value.strip() if isinstance(value, str) else ""

    payload: dict[str, Any] = {k: text(k) or None for k in (
        "person_ref", "age", "age_min", "age_max", "gender", "nationality", "legal_status",
        "b8_start", "exploitation", "urgency", "security_need", "current_region",
        "current_place", "referring_org_id", "legal_basis", "legal_basis_note", "notes")}
    for flag in ("unaccompanied_minor", "needs_secret_address", "pets", "addiction",
                 "psychiatric", "lvb", "medical", "wheelchair"):
        payload[flag] = raw.get(flag) == "on"
    payload["exclude_regions"] = [str(v) for v in raw.getlist("exclude_regions")]
    payload["languages"] = [x.lower() for x in _split(text("languages"))]
    payload["children_ages"] = _split(text("children_ages"))
    deadline = text("respond_by")
    if deadline:
        try:
            payload["respond_by"] = datetime.fromisoformat(deadline).replace(tzinfo=AMSTERDAM)
        except ValueError:
            payload["respond_by"] = deadline
    payload["submit"] = text("action") != "draft"
    return payload


@router.post("/shelter/requests")
def request_create(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("shelter.request.create"))],
    raw: FormDep,
) -> Response:
    """File a request and go to it (with its matches when submitted)."""
    payload = _request_payload(raw)
    try:
        data = RequestCreate.model_validate(payload)
        created = placement.create_request(session, actor=actor, data=data)
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        form = {k: v for k, v in raw.items() if isinstance(v, str)}
        form["exclude_regions"] = payload["exclude_regions"]
        return _new_form(request, session, actor, form, form_errors(exc), status_code=422)
    return RedirectResponse(f"/shelter/requests/{created.id}", status_code=303)


SHOWN = 25  # eligible units shown, and excluded ones listed by name, per request page


def _detail(request: Request, session: Session, settings: Settings, actor: Actor,
            request_id: int, errors: list[str] | None = None,
            status_code: int = 200, why: int | None = None) -> Response:
    req = placement.get_request(session, actor=actor, request_id=request_id)
    found: Matches | None = None
    may_match = placement.may_match(actor, req)
    if may_match and req.status in (RequestStatus.SUBMITTED, RequestStatus.DECLINED):
        req, found = placement.matches(session, actor=actor, request_id=request_id,
                                       stale_hours=settings.shelter_stale_hours)
    # Result objects and sentences only for what the page shows: the best SHOWN eligible
    # units, the SHOWN excluded ones closest to fitting, counts per reason for all the
    # excluded, and the one unit asked about (``?why=<unit id>``).
    asked = found.explain(why) if found is not None and why is not None else None
    return render(request, "shelter/request.html", {
        "r": req, "offers": placement.offers_of_request(session, req),
        "eligible": found.top(SHOWN) if found is not None else [],
        "eligible_count": found.eligible_count if found is not None else 0,
        "excluded": found.top(SHOWN, excluded=True) if found is not None else [],
        "excluded_count": found.excluded_count if found is not None else 0,
        "exclusions": found.excluded_counts() if found is not None else [],
        "why": why, "asked": asked, "shown": SHOWN,
        "may_match": may_match,
        "may_update": may_match and req.owner_org_id == actor.organisation_id,
        "errors": errors or [], "authority": placement.need_of(req).authority,
        **choices()}, status_code=status_code)


@router.get("/shelter/requests/{request_id}")
def request_detail(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.request.view"))],
    why: Annotated[int | None, Query(gt=0, le=MAX_ID)] = None,
) -> Response:
    """A request, its offers, and (while it waits) its ranked and explained matches."""
    return _detail(request, session, settings, actor, request_id, why=why)


def _act(request: Request, session: Session, settings: Settings, actor: Actor,
         request_id: int, action: Any) -> Response:
    try:
        action()
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, DomainError) else 422
        return _detail(request, session, settings, actor, request_id, form_errors(exc), status)
    return RedirectResponse(f"/shelter/requests/{request_id}", status_code=303)


@router.post("/shelter/requests/{request_id}/submit")
def request_submit(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.request.update"))],
) -> Response:
    """Submit a draft."""
    return _act(request, session, settings, actor, request_id,
                      lambda: placement.submit(session, actor=actor, request_id=request_id))


@router.post("/shelter/requests/{request_id}/end")
def request_end(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.request.update"))], raw: FormDep,
) -> Response:
    """End the request or the placement."""
    placement.get_request(session, actor=actor, request_id=request_id,
                          action="shelter.request.update")
    return _act(request, session, settings, actor, request_id,
                      lambda: placement.end_request(
                          session, actor=actor, request_id=request_id,
                          data=RequestEnd.model_validate({"reason": raw.get("reason"),
                                                          "note": raw.get("note") or None})))


@router.post("/shelter/requests/{request_id}/offers")
def request_offer(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.create"))], form: FormDep,
) -> Response:
    """Hold a place at the chosen unit."""
    placement.get_request(session, actor=actor, request_id=request_id,
                          action="shelter.offer.create")
    raw = form.get("unit_id")
    unit_id = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else 0
    return _act(request, session, settings, actor, request_id,
                      lambda: placement.reserve(
                          session, actor=actor, request_id=request_id, unit_id=unit_id,
                          hold_hours=settings.shelter_hold_hours,
                          stale_hours=settings.shelter_stale_hours))


