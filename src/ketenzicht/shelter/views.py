"""HTML routes of the shelter domain: overview, registry, quick update, requests and offers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core.errors import DomainError, Forbidden
from ketenzicht.core.i18n import gettext
from ketenzicht.shelter import enums, metrics, placement, service
from ketenzicht.shelter.enums import OfferStatus, RequestStatus, ShelterType
from ketenzicht.shelter.matching import MatchResult
from ketenzicht.shelter.regions import REGIONS, region_name
from ketenzicht.shelter.schemas import (
    MAX_PLACES,
    ImportResult,
    OfferDecline,
    RequestCreate,
    RequestEnd,
)
from ketenzicht.web.deps import PathId, SessionDep, SettingsDep, require
from ketenzicht.web.templating import render, templates

router = APIRouter(include_in_schema=False)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_CSV_BYTES = 1_000_000

_LABELS: dict[str, dict[Any, str]] = {
    "type": dict(enums.SHELTER_TYPE_LABELS), "gender": dict(enums.GENDER_LABELS),
    "exploitation": dict(enums.EXPLOITATION_LABELS),
    "legal_status": dict(enums.LEGAL_STATUS_LABELS), "authority": dict(enums.AUTHORITY_LABELS),
    "security": dict(enums.SECURITY_LABELS), "urgency": dict(enums.URGENCY_LABELS),
    "legal_basis": dict(enums.LEGAL_BASIS_LABELS),
    "status": dict(enums.REQUEST_STATUS_LABELS),
    "decline": dict(enums.DECLINE_REASON_LABELS), "end": dict(enums.END_REASON_LABELS),
}


def shelter_label(kind: str, value: object) -> str:
    """The translated label of an enum value of this domain (the value itself if unknown)."""
    label = _LABELS.get(kind, {}).get(value)
    return gettext(label) if label else str(value)


def local_time(value: datetime | None) -> str:
    """A UTC time as Dutch wall-clock time, e.g. '27-11-2026 14:05'."""
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if value else "—"


templates.env.globals.update(shelter_label=shelter_label, region_name=region_name)
templates.env.filters["local_time"] = local_time


def _errors(exc: ValidationError | DomainError) -> list[str]:
    if isinstance(exc, DomainError):
        return [exc.localized()]
    return [f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()]


def _labels_of(enum: type[StrEnum], kind: str) -> list[tuple[str, str]]:
    return [(str(m), shelter_label(kind, m)) for m in enum]


CHOICES: dict[str, Callable[[], list[tuple[str, str]]]] = {
    "types": lambda: _labels_of(ShelterType, "type"),
    "genders": lambda: _labels_of(enums.Gender, "gender"),
    "exploitations": lambda: _labels_of(enums.Exploitation, "exploitation"),
    "legal_statuses": lambda: _labels_of(enums.LegalStatus, "legal_status"),
    "securities": lambda: _labels_of(enums.Security, "security"),
    "urgencies": lambda: _labels_of(enums.Urgency, "urgency"),
    "legal_bases": lambda: _labels_of(enums.LegalBasis, "legal_basis"),
    "declines": lambda: _labels_of(enums.DeclineReason, "decline"),
    "ends": lambda: _labels_of(enums.EndReason, "end"),
    "regions": lambda: [(r.code, r.name) for r in REGIONS.values()],
}


def _choices() -> dict[str, list[tuple[str, str]]]:
    return {name: make() for name, make in CHOICES.items()}


# -- overview and registry -----------------------------------------------------------------


@router.get("/shelter")
def overview(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.overview.view"))],
) -> Response:
    """The national overview of places, freshness, waiting requests and bounces."""
    data = metrics.overview(session, actor=actor, stale_hours=settings.shelter_stale_hours,
                            stable_days=settings.shelter_stable_days)
    return render(request, "shelter/overview.html",
                  {"o": data, "types": list(ShelterType), "regions": list(REGIONS.values()),
                   "map": _map_points(data.points), "trend_max": 100})


def _map_points(points: list[metrics.MapPoint]) -> list[dict[str, Any]]:
    # Equirectangular projection of the Netherlands' bounding box onto a 400×470 canvas.
    out = []
    for p in points:
        x = (p.lon - 3.3) / (7.3 - 3.3) * 400
        y = (53.6 - p.lat) / (53.6 - 50.7) * 470
        out.append({"x": round(x, 1), "y": round(y, 1), "label": p.label, "secret": p.secret,
                    "free": p.free, "capacity": p.capacity,
                    "r": 4 + min(p.capacity, 40) / 5})
    return out


@router.get("/shelter/units")
def units(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.unit.view"))],
) -> Response:
    """The registry of places, filterable by region, type and free places."""
    q = request.query_params
    region = q.get("region") if q.get("region") in REGIONS else None
    kind = q.get("type") if q.get("type") in {str(t) for t in ShelterType} else None
    only_free = q.get("free") == "1"
    found = service.list_units(session, actor=actor, region=region,
                               shelter_type=ShelterType(kind) if kind else None,
                               only_free=only_free)
    rows = [service.unit_read(u, actor=actor, stale_hours=settings.shelter_stale_hours)
            for u in found]
    return render(request, "shelter/units.html",
                  {"units": rows, "filters": {"region": region or "", "type": kind or "",
                                              "free": only_free}, **_choices()})


@router.get("/shelter/units/{unit_id}")
def unit_detail(
    request: Request, session: SessionDep, settings: SettingsDep, unit_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.unit.view"))],
) -> Response:
    """One unit with its criteria; the address only where it may be shown."""
    unit = service.get_unit(session, actor=actor, unit_id=unit_id)
    return render(request, "shelter/unit.html", {
        "u": service.unit_read(unit, actor=actor, stale_hours=settings.shelter_stale_hours),
        "may_update": service.may_update(actor, unit)})


# -- cheap updating ------------------------------------------------------------------------


def _my_page(request: Request, session: Session, settings: Settings, actor: Actor, *,
             errors: list[str] | None = None, result: ImportResult | None = None,
             saved: int | None = None, status_code: int = 200) -> Response:
    rows = [service.unit_read(u, actor=actor, stale_hours=settings.shelter_stale_hours)
            for u in service.own_units(session, actor=actor)]
    return render(request, "shelter/my.html",
                  {"units": rows, "errors": errors or [], "result": result, "saved": saved},
                  status_code=status_code)


@router.get("/shelter/my")
def my_units(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))],
) -> Response:
    """One screen to update every unit of the provider (made for a phone)."""
    saved = request.query_params.get("saved", "")
    return _my_page(request, session, settings, actor,
                    saved=int(saved) if saved.isdigit() and len(saved) < 10 else None)


@router.post("/shelter/units/{unit_id}/availability")
async def post_availability(
    request: Request, session: SessionDep, settings: SettingsDep, unit_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))],
) -> Response:
    """Save a unit's figure; htmx gets the updated row back, a plain form the page."""
    unit = service.get_unit(session, actor=actor, unit_id=unit_id,
                            action="shelter.availability.update")
    raw = (await request.form()).get("available")
    text = raw.strip() if isinstance(raw, str) else ""
    error: str | None = None
    try:
        value = int(text)
        if not -MAX_PLACES <= value <= MAX_PLACES:
            raise ValueError(text)
        service.update_availability(session, actor=actor, unit_id=unit.id, available=value)
    except ValueError:
        error = gettext("Enter a whole number of free places.")
    except Forbidden:
        raise
    except DomainError as exc:
        session.rollback()
        error = exc.localized()
    if error is not None:
        unit = service.get_unit(session, actor=actor, unit_id=unit_id,
                                action="shelter.availability.update")
    if request.headers.get("hx-request"):
        row = service.unit_read(unit, actor=actor, stale_hours=settings.shelter_stale_hours)
        return render(request, "shelter/_my_unit.html",
                      {"u": row, "error": error, "saved": error is None})
    if error is not None:
        return _my_page(request, session, settings, actor, errors=[error], status_code=422)
    return RedirectResponse(f"/shelter/my?saved={unit_id}", status_code=303)


@router.post("/shelter/import")
async def post_import(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))],
) -> Response:
    """Import a CSV of ``unit_id,available``: all lines or none."""
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        return _my_page(request, session, settings, actor, status_code=422,
                        errors=[gettext("Choose a CSV file to import.")])
    body = await upload.read(MAX_CSV_BYTES + 1)
    try:
        if len(body) > MAX_CSV_BYTES:
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "too large")
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _my_page(request, session, settings, actor, status_code=422,
                        errors=[gettext("The file must be UTF-8 text of at most 1 MB.")])
    result = service.import_availability(session, actor=actor, text=text)
    return _my_page(request, session, settings, actor, result=result,
                    status_code=422 if result.errors else 200)


# -- requests ------------------------------------------------------------------------------


@router.get("/shelter/requests")
def requests_list(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("shelter.request.view"))],
) -> Response:
    """Requests of the actor's organisation, and those it has accepted."""
    found = placement.list_requests(session, actor=actor)
    return render(request, "shelter/requests.html", {"requests": found})


def _new_form(request: Request, session: Session, actor: Actor, form: dict[str, Any],
              errors: list[str], status_code: int = 200) -> Response:
    orgs = auth_service.list_organisations(session, actor=actor)
    return render(request, "shelter/request_new.html",
                  {"form": form, "errors": errors,
                   "org_options": [(str(o.id), o.name) for o in orgs], **_choices()},
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
async def request_create(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("shelter.request.create"))],
) -> Response:
    """File a request and go to it (with its matches when submitted)."""
    raw = await request.form()
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
        return _new_form(request, session, actor, form, _errors(exc), status_code=422)
    return RedirectResponse(f"/shelter/requests/{created.id}", status_code=303)


def _detail(request: Request, session: Session, settings: Settings, actor: Actor,
            request_id: int, errors: list[str] | None = None,
            status_code: int = 200) -> Response:
    req = placement.get_request(session, actor=actor, request_id=request_id)
    found: list[MatchResult] = []
    may_match = placement.may_match(actor, req)
    if may_match and req.status in (RequestStatus.SUBMITTED, RequestStatus.DECLINED):
        req, found = placement.matches(session, actor=actor, request_id=request_id,
                                       stale_hours=settings.shelter_stale_hours)
    eligible = [m for m in found if m.eligible]
    return render(request, "shelter/request.html", {
        "r": req, "offers": placement.offers_of_request(session, req),
        "eligible": eligible[:25], "eligible_count": len(eligible),
        "excluded": [m for m in found if not m.eligible], "may_match": may_match,
        "may_update": may_match and req.owner_org_id == actor.organisation_id,
        "errors": errors or [], "authority": placement.need_of(req).authority,
        **_choices()}, status_code=status_code)


@router.get("/shelter/requests/{request_id}")
def request_detail(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.request.view"))],
) -> Response:
    """A request, its offers, and (while it waits) its ranked and explained matches."""
    return _detail(request, session, settings, actor, request_id)


async def _act(request: Request, session: Session, settings: Settings, actor: Actor,
               request_id: int, action: Any) -> Response:
    try:
        action()
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, DomainError) else 422
        return _detail(request, session, settings, actor, request_id, _errors(exc), status)
    return RedirectResponse(f"/shelter/requests/{request_id}", status_code=303)


@router.post("/shelter/requests/{request_id}/submit")
async def request_submit(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.request.update"))],
) -> Response:
    """Submit a draft."""
    return await _act(request, session, settings, actor, request_id,
                      lambda: placement.submit(session, actor=actor, request_id=request_id))


@router.post("/shelter/requests/{request_id}/end")
async def request_end(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.request.update"))],
) -> Response:
    """End the request or the placement."""
    placement.get_request(session, actor=actor, request_id=request_id,
                          action="shelter.request.update")
    raw = await request.form()
    return await _act(request, session, settings, actor, request_id,
                      lambda: placement.end_request(
                          session, actor=actor, request_id=request_id,
                          data=RequestEnd.model_validate({"reason": raw.get("reason")})))


@router.post("/shelter/requests/{request_id}/offers")
async def request_offer(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.create"))],
) -> Response:
    """Hold a place at the chosen unit."""
    placement.get_request(session, actor=actor, request_id=request_id,
                          action="shelter.offer.create")
    raw = (await request.form()).get("unit_id")
    unit_id = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else 0
    return await _act(request, session, settings, actor, request_id,
                      lambda: placement.reserve(
                          session, actor=actor, request_id=request_id, unit_id=unit_id,
                          hold_hours=settings.shelter_hold_hours,
                          stale_hours=settings.shelter_stale_hours))


# -- offers (the shelter's side) -----------------------------------------------------------


def _offers_page(request: Request, session: Session, actor: Actor, errors: list[str],
                 status_code: int = 200) -> Response:
    found = placement.incoming_offers(session, actor=actor)
    return render(request, "shelter/offers.html",
                  {"offers": found, "errors": errors, "held": OfferStatus.HELD,
                   "accepted": OfferStatus.ACCEPTED, "placed": RequestStatus.PLACED,
                   **_choices()}, status_code=status_code)


@router.get("/shelter/offers")
def offers(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("shelter.offer.view"))],
) -> Response:
    """Offers for the provider's units, with the needs profile to decide on."""
    return _offers_page(request, session, actor, [])


async def _decide(request: Request, session: Session, actor: Actor, action: Any,
                  back: str) -> Response:
    try:
        action()
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, DomainError) else 422
        if back.startswith("/shelter/requests/"):
            return render(request, "error.html", {"status": status, "message": _errors(exc)[0],
                                                  "errors": []}, status_code=status)
        return _offers_page(request, session, actor, _errors(exc), status)
    return RedirectResponse(back, status_code=303)


@router.post("/shelter/offers/{offer_id}/accept")
async def offer_accept(
    request: Request, session: SessionDep, offer_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.decide"))],
) -> Response:
    """Accept the offer while its hold runs."""
    placement.get_offer(session, actor=actor, offer_id=offer_id, action="shelter.offer.decide")
    return await _decide(request, session, actor, lambda: placement.accept(
        session, actor=actor, offer_id=offer_id), "/shelter/offers")


@router.post("/shelter/offers/{offer_id}/place")
async def offer_place(
    request: Request, session: SessionDep, offer_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.decide"))],
) -> Response:
    """Confirm the person has arrived."""
    placement.get_offer(session, actor=actor, offer_id=offer_id, action="shelter.offer.decide")
    return await _decide(request, session, actor, lambda: placement.place(
        session, actor=actor, offer_id=offer_id), "/shelter/offers")


@router.post("/shelter/offers/{offer_id}/decline")
async def offer_decline(
    request: Request, session: SessionDep, offer_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.decline"))],
) -> Response:
    """Decline the offer with a reason (the shelter, or the request's owner)."""
    offer = placement.get_offer(session, actor=actor, offer_id=offer_id,
                                action="shelter.offer.decline")
    own_unit = offer.unit.location.organisation_id == actor.organisation_id
    back = "/shelter/offers" if own_unit else f"/shelter/requests/{offer.request_id}"
    raw = await request.form()
    note = raw.get("note")
    return await _decide(request, session, actor, lambda: placement.decline(
        session, actor=actor, offer_id=offer_id, data=OfferDecline.model_validate(
            {"reason": raw.get("reason"), "note": note or None})), back)
