"""The national overview, the registry of units and the one-screen update for providers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from ketenzicht.auth.permissions import authorize
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core.errors import DomainError, Forbidden
from ketenzicht.core.i18n import gettext
from ketenzicht.shelter import geo, metrics, service
from ketenzicht.shelter.enums import ShelterType
from ketenzicht.shelter.regions import REGIONS
from ketenzicht.shelter.schemas import (
    MAX_PLACES,
    ImportResult,
)
from ketenzicht.shelter.views.common import (
    choices,
)
from ketenzicht.web.deps import FormDep, PathId, SessionDep, SettingsDep, require
from ketenzicht.web.templating import render

router = APIRouter()
MAX_CSV_BYTES = 1_000_000


# -- overview and registry -----------------------------------------------------------------


@router.get("/shelter")
def overview(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.overview.view"))],
) -> Response:
    """The national overview of places, freshness, trend, waiting requests and bounces."""
    days = request.query_params.get("days", "")
    data = metrics.overview(session, actor=actor, stale_hours=settings.shelter_stale_hours,
                            stable_days=settings.shelter_stable_days,
                            trend_days=int(days) if days.isdigit() and len(days) < 4 else 30)
    return render(request, "shelter/overview.html",
                  {"o": data, "types": list(ShelterType), "regions": list(REGIONS.values()),
                   "map": _map_points(data.points), "outline": geo.outline(),
                   "map_size": (geo.WIDTH, geo.HEIGHT), "windows": metrics.TREND_WINDOWS,
                   "chart": _trend_chart(data.trend)})


def _map_points(points: list[metrics.MapPoint]) -> list[dict[str, Any]]:
    out = []
    for p in points:
        x, y = geo.project(p.lat, p.lon)
        out.append({"x": x, "y": y, "label": p.label, "secret": p.secret,
                    "free": p.free, "capacity": p.capacity,
                    "r": round(3 + min(p.capacity, 40) / 6, 1)})
    return out


CHART_W, CHART_H = 600.0, 160.0


def _trend_chart(trend: list[tuple[date, float | None]]) -> dict[str, Any]:
    """The occupancy trend as an SVG polyline (0-100 %), with gaps where nothing was known."""
    n = len(trend)
    step = CHART_W / max(n - 1, 1)
    segments: list[list[str]] = [[]]
    for i, (_day, pct) in enumerate(trend):
        if pct is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append(f"{round(i * step, 1)},{round(CHART_H - pct / 100 * CHART_H, 1)}")
    return {"w": CHART_W, "h": CHART_H,
            "lines": [" ".join(points) for points in segments if points],
            "first": trend[0][0] if trend else None, "last": trend[-1][0] if trend else None}


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
                                              "free": only_free}, **choices()})


@router.get("/shelter/units/{unit_id}")
def unit_detail(
    request: Request, session: SessionDep, settings: SettingsDep, unit_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.unit.view"))],
) -> Response:
    """One unit with its criteria; the address only where it may be shown."""
    unit = service.get_unit(session, actor=actor, unit_id=unit_id)
    return render(request, "shelter/unit.html", {
        "u": service.unit_read(unit, actor=actor, stale_hours=settings.shelter_stale_hours),
        "may_update": service.may_update(actor, unit),
        "may_manage": authorize(actor, "shelter.unit.manage", service.unit_ref(unit)).allowed})


# -- cheap updating ------------------------------------------------------------------------


def _my_page(request: Request, session: Session, settings: Settings, actor: Actor, *,
             errors: list[str] | None = None, result: ImportResult | None = None,
             saved: int | str | None = None, status_code: int = 200,
             typed: dict[int, str] | None = None, unit_errors: dict[int, str] | None = None
             ) -> Response:
    rows = sorted((service.unit_read(u, actor=actor, stale_hours=settings.shelter_stale_hours)
                   for u in service.own_units(session, actor=actor)),
                  key=lambda r: (r.location_name, r.name, r.id))
    return render(request, "shelter/my.html",
                  {"units": rows, "errors": errors or [], "result": result, "saved": saved,
                   "typed": typed or {}, "unit_errors": unit_errors or {}},
                  status_code=status_code)


def _figure(text: str) -> int:
    value = int(text)
    if not -MAX_PLACES <= value <= MAX_PLACES:
        raise ValueError(text)
    return value


@router.post("/shelter/my")
def post_my_units(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))], form: FormDep,
) -> Response:
    """The one form for every unit: all changed figures are saved, or none.

    Every figure is checked before any is written, so one wrong number saves nothing and
    the page comes back with everything that was typed and the error at its field.
    """
    units = service.own_units(session, actor=actor)
    typed: dict[int, str] = {}
    values: dict[int, int] = {}
    unit_errors: dict[int, str] = {}
    for unit in units:
        raw = form.get(f"available-{unit.id}")
        if not isinstance(raw, str):
            continue
        typed[unit.id] = raw.strip()
        try:
            value = _figure(typed[unit.id])
        except ValueError:
            unit_errors[unit.id] = gettext("Enter a whole number of free places.")
            continue
        if not unit.held <= value <= unit.capacity:
            unit_errors[unit.id] = gettext(
                "Enter a number from %(low)s to %(high)s.") % {"low": unit.held,
                                                                "high": unit.capacity}
        elif value != unit.available:
            values[unit.id] = value
    if not unit_errors:
        try:
            for unit_id, value in values.items():
                service.update_availability(session, actor=actor, unit_id=unit_id,
                                            available=value)
        except Forbidden:
            raise
        except DomainError as exc:
            session.rollback()  # none of the figures, as the form promises
            return _my_page(request, session, settings, actor, errors=[exc.localized()],
                            typed=typed, status_code=409)
        return RedirectResponse("/shelter/my?saved=all", status_code=303)
    return _my_page(request, session, settings, actor, typed=typed, unit_errors=unit_errors,
                    errors=[gettext("Nothing was saved. Correct the marked figures.")],
                    status_code=422)


@router.get("/shelter/my")
def my_units(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))],
) -> Response:
    """One screen to update every unit of the provider (made for a phone)."""
    saved = request.query_params.get("saved", "")
    return _my_page(request, session, settings, actor,
                    saved="all" if saved == "all" else
                    int(saved) if saved.isdigit() and len(saved) < 10 else None)


@router.post("/shelter/units/{unit_id}/availability")
def post_availability(
    request: Request, session: SessionDep, settings: SettingsDep, unit_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))], form: FormDep,
) -> Response:
    """Save a unit's figure; htmx gets the updated row back, a plain form the page."""
    unit = service.get_unit(session, actor=actor, unit_id=unit_id,
                            action="shelter.availability.update")
    raw = form.get("available")
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
def post_import(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))], form: FormDep,
) -> Response:
    """Import a CSV of ``unit_id,available``: all lines or none."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return _my_page(request, session, settings, actor, status_code=422,
                        errors=[gettext("Choose a CSV file to import.")])
    body = upload.file.read(MAX_CSV_BYTES + 1)
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


