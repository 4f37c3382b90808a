"""Providers keep their registry up to date: create and edit locations and units in HTML.

Each form re-shows what was typed, with every problem named, when the input is
refused; an edit based on an old version is refused with 409 and the current
values, so that nobody overwrites someone else's change unseen.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import DomainError, Forbidden
from ketenzicht.shelter import enums, manage, service
from ketenzicht.shelter.models import ShelterLocation, ShelterUnit
from ketenzicht.shelter.schemas import LocationCreate, LocationUpdate, UnitCreate, UnitUpdate
from ketenzicht.shelter.views.common import choices, form_errors, form_text, labels_of
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require
from ketenzicht.web.templating import render

router = APIRouter()
Manager = Annotated[Actor, Depends(require("shelter.unit.manage"))]

LOCATION_TEXT = ("name", "gemeente", "centrumgemeente", "region", "address", "lat", "lon")
UNIT_TEXT = ("name", "shelter_type", "capacity", "available", "age_min", "age_max",
             "max_children", "children_age_max", "security", "max_stay_days", "languages")
UNIT_FLAGS = ("accepts_minors", "staffed_24_7", "addiction_care", "psychiatric_care",
              "lvb_support", "medical_care", "wheelchair", "pets", "is_active")
UNIT_SETS = ("genders", "exploitation_forms", "legal_statuses", "authorities")


def _unit_choices() -> dict[str, list[tuple[str, str]]]:
    return {**choices(), "authorities": labels_of(enums.Authority, "authority")}


@router.get("/shelter/manage")
def manage_page(request: Request, session: SessionDep, actor: Manager) -> Response:
    """The provider's locations with their units, and links to add or edit them."""
    locations = manage.managed_locations(session, actor=actor)
    units = manage.units_of(session, locations)
    return render(request, "shelter/manage.html", {
        "locations": [(loc, units[loc.id]) for loc in locations],
        "saved": request.query_params.get("saved") == "1"})


# -- locations -----------------------------------------------------------------------------


def _location_form(request: Request, session: Session, actor: Actor, *,
                   form: dict[str, Any], loc: ShelterLocation | None, errors: list[str],
                   status_code: int = 200) -> Response:
    # Platform beheer registers locations for any provider; a provider only for itself.
    providers = [(str(o.id), o.name) for o in auth_service.list_organisations(
        session, actor=actor) if o.org_type is OrgType.OPVANG] \
        if loc is None and manage.manages_nationally(actor) else []
    return render(request, "shelter/location_form.html",
                  {"form": form, "loc": loc, "errors": errors, "providers": providers,
                   **choices()}, status_code=status_code)


def _location_payload(raw: FormData) -> dict[str, Any]:
    payload: dict[str, Any] = {k: form_text(raw, k) or None for k in LOCATION_TEXT}
    payload["secret_address"] = raw.get("secret_address") == "on"
    payload["organisation_id"] = form_text(raw, "organisation_id") or None
    payload["version"] = form_text(raw, "version") or None
    return payload


@router.get("/shelter/manage/locations/new")
def location_new(request: Request, session: SessionDep, actor: Manager) -> Response:
    """The form for a new location of the provider."""
    return _location_form(request, session, actor, form={}, loc=None, errors=[])


@router.post("/shelter/manage/locations")
def location_create(request: Request, session: SessionDep, actor: Manager,
                    raw: FormDep) -> Response:
    """Register a location and go on to add its first unit."""
    payload = _location_payload(raw)
    try:
        loc = service.create_location(session, actor=actor,
                                      data=LocationCreate.model_validate(payload))
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        return _location_form(request, session, actor, form=payload, loc=None,
                              errors=form_errors(exc), status_code=422)
    return RedirectResponse(f"/shelter/manage/locations/{loc.id}/units/new", status_code=303)


def _location_values(loc: ShelterLocation, actor: Actor) -> dict[str, Any]:
    # Through location_read: a secret address and its coordinates reach only the provider
    # itself, also when national beheer opens the form.
    shown = manage.location_read(loc, actor)
    return {**{k: getattr(shown, k) for k in LOCATION_TEXT},
            "secret_address": loc.secret_address, "version": loc.version}


@router.get("/shelter/manage/locations/{location_id}")
def location_edit(request: Request, session: SessionDep, location_id: PathId,
                  actor: Manager) -> Response:
    """The edit form of a location the actor manages."""
    loc = manage.get_location(session, actor=actor, location_id=location_id)
    return _location_form(request, session, actor, form=_location_values(loc, actor), loc=loc,
                          errors=[])


@router.post("/shelter/manage/locations/{location_id}")
def location_save(request: Request, session: SessionDep, location_id: PathId,
                  actor: Manager, raw: FormDep) -> Response:
    """Save a location's particulars (409 with the current values when stale)."""
    manage.get_location(session, actor=actor, location_id=location_id)
    payload = _location_payload(raw)
    payload.pop("organisation_id")  # a location does not move to another provider
    try:
        manage.update_location(session, actor=actor, location_id=location_id,
                               data=LocationUpdate.model_validate(payload))
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, DomainError) else 422
        loc = manage.get_location(session, actor=actor, location_id=location_id)
        form = _location_values(loc, actor) if status == 409 else payload
        return _location_form(request, session, actor, form=form, loc=loc,
                              errors=form_errors(exc), status_code=status)
    return RedirectResponse("/shelter/manage?saved=1", status_code=303)


# -- units ---------------------------------------------------------------------------------


def _unit_form(request: Request, *, form: dict[str, Any], loc: ShelterLocation,
               unit: ShelterUnit | None, errors: list[str], status_code: int = 200) -> Response:
    return render(request, "shelter/unit_form.html",
                  {"form": form, "loc": loc, "unit": unit, "errors": errors,
                   **_unit_choices()}, status_code=status_code)


def _unit_payload(raw: FormData) -> dict[str, Any]:
    # An empty number field means the default (0 children, no maximum stay), not "none".
    payload: dict[str, Any] = {k: form_text(raw, k) for k in UNIT_TEXT}
    payload = {k: v for k, v in payload.items() if v or k == "languages"}
    payload["max_stay_days"] = payload.get("max_stay_days") or None
    for flag in UNIT_FLAGS:
        payload[flag] = raw.get(flag) == "on"
    for name in UNIT_SETS:
        payload[name] = [str(v) for v in raw.getlist(name)]
    text = payload.pop("languages")
    payload["languages"] = [p.strip().lower() for p in text.replace(";", ",").split(",")
                            if p.strip()]
    payload["version"] = form_text(raw, "version") or None
    return payload


def _unit_values(unit: ShelterUnit) -> dict[str, Any]:
    # Numbers as text, so that a 0 shows as 0 and not as an empty field.
    values: dict[str, Any] = {k: "" if getattr(unit, k) is None else str(getattr(unit, k))
                              for k in UNIT_TEXT if k != "languages"}
    values.update({k: getattr(unit, k) for k in (*UNIT_FLAGS, *UNIT_SETS)})
    values["languages"] = unit.languages
    values["version"] = unit.version
    return values


@router.get("/shelter/manage/locations/{location_id}/units/new")
def unit_new(request: Request, session: SessionDep, location_id: PathId,
             actor: Manager) -> Response:
    """The form for a new unit at a location, with sensible defaults for adults."""
    loc = manage.get_location(session, actor=actor, location_id=location_id)
    defaults: dict[str, Any] = {
        "age_min": "18", "age_max": "120", "max_children": "0", "children_age_max": "17",
        "security": "basis", "is_active": True, "languages": ["nl"], "capacity": "",
        "available": "0", "genders": [], "exploitation_forms": [str(e) for e in enums.Exploitation],
        "legal_statuses": [], "authorities": []}
    return _unit_form(request, form=defaults, loc=loc, unit=None, errors=[])


@router.post("/shelter/manage/locations/{location_id}/units")
def unit_create(request: Request, session: SessionDep, location_id: PathId,
                actor: Manager, raw: FormDep) -> Response:
    """Register a unit at the location and go back to the list."""
    loc = manage.get_location(session, actor=actor, location_id=location_id)
    payload = _unit_payload(raw)
    try:
        service.create_unit(session, actor=actor, data=UnitCreate.model_validate(
            {**payload, "location_id": loc.id}))
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        loc = manage.get_location(session, actor=actor, location_id=location_id)
        return _unit_form(request, form=payload, loc=loc, unit=None, errors=form_errors(exc),
                          status_code=422)
    # Back to the list: platform beheer manages units it may not view in the registry.
    return RedirectResponse(f"/shelter/manage?saved=1#loc-{loc.id}", status_code=303)


@router.get("/shelter/manage/units/{unit_id}")
def unit_edit(request: Request, session: SessionDep, unit_id: PathId,
              actor: Manager) -> Response:
    """The edit form of a unit: capacity, criteria, care and safety, in use or not."""
    unit = service.get_unit(session, actor=actor, unit_id=unit_id, action=manage.MANAGE)
    return _unit_form(request, form=_unit_values(unit), loc=unit.location, unit=unit,
                      errors=[])


@router.post("/shelter/manage/units/{unit_id}")
def unit_save(request: Request, session: SessionDep, unit_id: PathId,
              actor: Manager, raw: FormDep) -> Response:
    """Save a unit (409 with the current values when someone changed it first)."""
    service.get_unit(session, actor=actor, unit_id=unit_id, action=manage.MANAGE)
    payload = _unit_payload(raw)
    payload.pop("available", None)
    try:
        manage.update_unit(session, actor=actor, unit_id=unit_id,
                           data=UnitUpdate.model_validate(payload))
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, DomainError) else 422
        unit = service.get_unit(session, actor=actor, unit_id=unit_id, action=manage.MANAGE)
        form = _unit_values(unit) if status == 409 else payload
        return _unit_form(request, form=form, loc=unit.location, unit=unit,
                          errors=form_errors(exc), status_code=status)
    return RedirectResponse("/shelter/manage?saved=1", status_code=303)
