"""JSON routes of the shelter domain under /api/v1/shelter."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import NotFound, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.core.ids import MAX_ID
from ketenzicht.shelter import manage, metrics, placement, service
from ketenzicht.shelter.enums import ShelterType
from ketenzicht.shelter.matching import MatchResult
from ketenzicht.shelter.schemas import (
    AvailabilityUpdate,
    BatchPlan,
    ExclusionRead,
    HoldOutcome,
    ImportResult,
    LocationCreate,
    LocationRead,
    LocationUpdate,
    MatchRead,
    MatchSummary,
    OfferCreate,
    OfferDecline,
    OfferRead,
    ReasonRead,
    RequestCreate,
    RequestEnd,
    RequestRead,
    UnitCreate,
    UnitRead,
    UnitUpdate,
)
from ketenzicht.web.deps import BodyDep, PathId, SessionDep, SettingsDep, require

router = APIRouter(prefix="/shelter", tags=["shelter"])
MAX_MATCHES = 1000  # results per page of /matches
MAX_CSV_BYTES = 1_000_000


def match_read(m: MatchResult) -> MatchRead:
    """A match outcome as JSON, its sentences in English."""
    return MatchRead(unit_id=m.unit.id, unit_name=m.unit.name,
                     location_name=m.unit.location_name, region=m.unit.region,
                     shelter_type=m.unit.shelter_type, eligible=m.eligible, score=m.score,
                     free=m.unit.free, stale=m.stale, age_hours=round(m.age_hours, 1),
                     distance_km=round(m.distance_km, 1),
                     reasons=[ReasonRead(code=r.code, text=r.english(),
                                         points=None if r.points is None else round(r.points, 1))
                              for r in m.reasons])


@router.get("/units", response_model=list[UnitRead])
def list_units(
    session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.unit.view"))],
    region: Annotated[str | None, Query(max_length=8)] = None,
    shelter_type: ShelterType | None = None,
    only_free: bool = False,
) -> list[UnitRead]:
    """The registry of places, with each figure's age; secret addresses left out."""
    units = service.list_units(session, actor=actor, region=region, shelter_type=shelter_type,
                               only_free=only_free)
    return [service.unit_read(u, actor=actor, stale_hours=settings.shelter_stale_hours)
            for u in units]


@router.get("/units/{unit_id}", response_model=UnitRead)
def get_unit(
    session: SessionDep, settings: SettingsDep, unit_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.unit.view"))],
) -> UnitRead:
    """One unit."""
    unit = service.get_unit(session, actor=actor, unit_id=unit_id)
    return service.unit_read(unit, actor=actor, stale_hours=settings.shelter_stale_hours)


@router.post("/locations", response_model=LocationRead, status_code=status.HTTP_201_CREATED)
def create_location(
    session: SessionDep, data: LocationCreate,
    actor: Annotated[Actor, Depends(require("shelter.unit.manage"))],
) -> LocationRead:
    """Register a location of your organisation (or, for platform beheer, any provider)."""
    return manage.location_read(service.create_location(session, data=data, actor=actor),
                                actor)


@router.post("/units", response_model=UnitRead, status_code=status.HTTP_201_CREATED)
def create_unit(
    session: SessionDep, settings: SettingsDep, data: UnitCreate,
    actor: Annotated[Actor, Depends(require("shelter.unit.manage"))],
) -> UnitRead:
    """Register a unit at one of your locations."""
    unit = service.create_unit(session, data=data, actor=actor)
    return service.unit_read(unit, actor=actor, stale_hours=settings.shelter_stale_hours)


@router.get("/locations", response_model=list[LocationRead])
def list_locations(
    session: SessionDep, actor: Annotated[Actor, Depends(require("shelter.unit.manage"))],
) -> list[LocationRead]:
    """The locations you manage (your own; all of them for platform beheer)."""
    return [manage.location_read(loc, actor)
            for loc in manage.managed_locations(session, actor=actor)]


@router.get("/locations/{location_id}", response_model=LocationRead)
def get_location(
    session: SessionDep, location_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.unit.manage"))],
) -> LocationRead:
    """One location you manage, with its version for an edit."""
    return manage.location_read(
        manage.get_location(session, actor=actor, location_id=location_id), actor)


@router.put("/locations/{location_id}", response_model=LocationRead)
def update_location(
    session: SessionDep, location_id: PathId, data: LocationUpdate,
    actor: Annotated[Actor, Depends(require("shelter.unit.manage"))],
) -> LocationRead:
    """Change a location's particulars; 409 when ``version`` is not the current one."""
    return manage.location_read(
        manage.update_location(session, actor=actor, location_id=location_id, data=data), actor)


@router.put("/units/{unit_id}", response_model=UnitRead)
def update_unit(
    session: SessionDep, settings: SettingsDep, unit_id: PathId, data: UnitUpdate,
    actor: Annotated[Actor, Depends(require("shelter.unit.manage"))],
) -> UnitRead:
    """Change a unit's capacity and criteria (409 when stale, or below its held places)."""
    unit = manage.update_unit(session, actor=actor, unit_id=unit_id, data=data)
    return service.unit_read(unit, actor=actor, stale_hours=settings.shelter_stale_hours)


@router.put("/units/{unit_id}/availability", response_model=UnitRead)
def put_availability(
    session: SessionDep, settings: SettingsDep, unit_id: PathId, data: AvailabilityUpdate,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))],
) -> UnitRead:
    """Report the free places of one of your units (system accounts: with an API token)."""
    via = "api" if actor.via == "token" else "form"
    unit = service.update_availability(session, actor=actor, unit_id=unit_id,
                                       available=data.available, via=via)
    return service.unit_read(unit, actor=actor, stale_hours=settings.shelter_stale_hours)


@router.post("/availability/import", response_model=ImportResult, openapi_extra={
    "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}})
def import_availability(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("shelter.availability.update"))], body: BodyDep,
) -> Any:
    """Apply a CSV with the header ``unit_id,available``: every line, or none (422 with why)."""
    body = body
    if len(body) > MAX_CSV_BYTES:
        raise ValidationFailed(N_("The file is larger than 1 MB."))
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(N_("The file is not UTF-8 text.")) from exc
    result = service.import_availability(session, actor=actor, text=text)
    if result.errors:
        return JSONResponse(result.model_dump(), status_code=422)
    return result


@router.get("/requests", response_model=list[RequestRead])
def list_requests(
    session: SessionDep, actor: Annotated[Actor, Depends(require("shelter.request.view"))],
) -> list[RequestRead]:
    """Requests your organisation owns, or has accepted."""
    return [RequestRead.model_validate(r) for r in placement.list_requests(session, actor=actor)]


@router.post("/requests", response_model=RequestRead, status_code=status.HTTP_201_CREATED)
def create_request(
    session: SessionDep, data: RequestCreate,
    actor: Annotated[Actor, Depends(require("shelter.request.create"))],
) -> RequestRead:
    """File a placement request (a draft, or submitted with ``submit: true``)."""
    return RequestRead.model_validate(placement.create_request(session, actor=actor, data=data))


@router.get("/requests/{request_id}", response_model=RequestRead)
def get_request(
    session: SessionDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.request.view"))],
) -> RequestRead:
    """One request (the owner, and the receiving shelter after it accepted)."""
    return RequestRead.model_validate(
        placement.get_request(session, actor=actor, request_id=request_id))


@router.post("/requests/{request_id}/submit", response_model=RequestRead)
def submit_request(
    session: SessionDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.request.update"))],
) -> RequestRead:
    """Submit a draft."""
    return RequestRead.model_validate(
        placement.submit(session, actor=actor, request_id=request_id))


@router.post("/requests/{request_id}/end", response_model=RequestRead)
def end_request(
    session: SessionDep, request_id: PathId, data: RequestEnd,
    actor: Annotated[Actor, Depends(require("shelter.request.update"))],
) -> RequestRead:
    """End a request or a placement, with the reason."""
    return RequestRead.model_validate(
        placement.end_request(session, actor=actor, request_id=request_id, data=data))


@router.post("/requests/{request_id}/leave", response_model=RequestRead)
def leave_placement(
    session: SessionDep, request_id: PathId, data: RequestEnd,
    actor: Annotated[Actor, Depends(require("shelter.placement.end"))],
) -> RequestRead:
    """The receiving shelter ends a placement at its unit (uitstroom); the place is free again."""
    return RequestRead.model_validate(
        placement.leave(session, actor=actor, request_id=request_id, data=data))


@router.get("/requests/{request_id}/matches", response_model=list[MatchRead])
def get_matches(
    session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.match"))],
    eligible_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_MATCHES)] = 25,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[MatchRead]:
    """Units ranked for this request: eligible ones by score with their explanation, then the
    others with why not; ``limit`` of them from ``offset`` on. Counts per reason are at
    ``/matches/summary``, any one unit at ``/matches/{unit_id}``."""
    _req, found = placement.matches(session, actor=actor, request_id=request_id,
                                    stale_hours=settings.shelter_stale_hours)
    end = found.eligible_count if eligible_only else len(found)
    return [match_read(m) for m in found[min(offset, end):min(offset + limit, end)]]


@router.get("/requests/{request_id}/matches/summary", response_model=MatchSummary)
def get_match_summary(
    session: SessionDep, settings: SettingsDep, request_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.match"))],
) -> MatchSummary:
    """How many units can take this person, and how many each criterion excludes."""
    _req, found = placement.matches(session, actor=actor, request_id=request_id,
                                    stale_hours=settings.shelter_stale_hours)
    return MatchSummary(units=len(found), eligible=found.eligible_count,
                        excluded=found.excluded_count,
                        reasons=[ExclusionRead(code=c.reason.code, text=c.reason.english(),
                                               units=c.count)
                                 for c in found.excluded_counts()])


@router.get("/requests/{request_id}/matches/{unit_id}", response_model=MatchRead)
def get_match(
    session: SessionDep, settings: SettingsDep, request_id: PathId, unit_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.match"))],
) -> MatchRead:
    """One unit's outcome for this request, explained: its score, or every reason it fails."""
    _req, found = placement.matches(session, actor=actor, request_id=request_id,
                                    stale_hours=settings.shelter_stale_hours)
    asked = found.explain(unit_id)
    if asked is None:
        raise NotFound(N_("There is no unit %(id)s."), id=unit_id)
    return match_read(asked)


@router.post("/requests/{request_id}/offers", response_model=OfferRead,
             status_code=status.HTTP_201_CREATED)
def create_offer(
    session: SessionDep, settings: SettingsDep, request_id: PathId, data: OfferCreate,
    actor: Annotated[Actor, Depends(require("shelter.offer.create"))],
) -> OfferRead:
    """Hold a place of a unit for this request; 409 when no free place is left."""
    offer = placement.reserve(session, actor=actor, request_id=request_id, unit_id=data.unit_id,
                              hold_hours=data.hold_hours or settings.shelter_hold_hours,
                              stale_hours=settings.shelter_stale_hours)
    return OfferRead.model_validate(offer)


@router.get("/offers", response_model=list[OfferRead])
def list_offers(
    session: SessionDep, actor: Annotated[Actor, Depends(require("shelter.offer.view"))],
) -> list[OfferRead]:
    """Offers for your organisation's units."""
    return [OfferRead.model_validate(o) for o in placement.incoming_offers(session, actor=actor)]


@router.post("/offers/{offer_id}/accept", response_model=OfferRead)
def accept_offer(
    session: SessionDep, offer_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.decide"))],
) -> OfferRead:
    """Accept an offer for one of your units while its hold runs."""
    return OfferRead.model_validate(placement.accept(session, actor=actor, offer_id=offer_id))


@router.post("/offers/{offer_id}/decline", response_model=OfferRead)
def decline_offer(
    session: SessionDep, offer_id: PathId, data: OfferDecline,
    actor: Annotated[Actor, Depends(require("shelter.offer.decline"))],
) -> OfferRead:
    """Decline an offer, with the reason; the place is free again."""
    return OfferRead.model_validate(
        placement.decline(session, actor=actor, offer_id=offer_id, data=data))


@router.post("/offers/{offer_id}/place", response_model=OfferRead)
def place_offer(
    session: SessionDep, offer_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.decide"))],
) -> OfferRead:
    """Confirm that the person has arrived."""
    return OfferRead.model_validate(placement.place(session, actor=actor, offer_id=offer_id))


@router.get("/overview")
def get_overview(
    session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.overview.view"))],
    trend_days: Annotated[int, Query(description="Trend window: 7, 30 or 90 days.")] = 30,
) -> dict[str, Any]:
    """National figures: places by region and type, freshness, trend, waiting, bounces."""
    if trend_days not in metrics.TREND_WINDOWS:
        raise ValidationFailed(N_("The trend window is 7, 30 or 90 days."))
    o = metrics.overview(session, actor=actor, stale_hours=settings.shelter_stale_hours,
                         stable_days=settings.shelter_stable_days, trend_days=trend_days)

    def cell(c: metrics.Cell) -> dict[str, int]:
        return {"units": c.units, "capacity": c.capacity, "available": c.available,
                "held": c.held, "free": c.free, "stale": c.stale}

    return {
        "total": cell(o.total),
        "by_region": {r: {str(t): cell(c) for t, c in types.items()}
                      for r, types in sorted(o.by_region.items())},
        "by_type": {str(t): cell(c) for t, c in o.type_totals.items()},
        "median_age_hours": o.median_age_hours, "stale_hours": o.stale_hours,
        "trend_days": o.trend_days,
        "trend": [{"day": d.isoformat(), "occupancy_pct": v} for d, v in o.trend],
        "waiting": o.waiting, "waiting_emergency": o.waiting_emergency, "overdue": o.overdue,
        "oldest_wait_hours": o.oldest_wait_hours, "placed": o.placed,
        "placement_hours_median": o.placement_hours_median,
        "placement_hours_p90": o.placement_hours_p90,
        "declines": o.declines, "outflow": o.outflow,
        "stay_days_median": o.stay_days_median, "bounces": asdict(o.bounces) if o.bounces else None,
        "map": [asdict(p) for p in o.points],
    }


@router.get("/batch-plan", response_model=BatchPlan)
def get_batch_plan(
    session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.match"))],
) -> BatchPlan:
    """An optimal assignment of your waiting requests to free places, beside first-come."""
    return placement.batch_plan(session, actor=actor, stale_hours=settings.shelter_stale_hours)


@router.post("/batch-plan/hold", response_model=list[HoldOutcome])
def hold_batch_plan(
    session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.offer.create"))],
) -> list[HoldOutcome]:
    """Hold every place the optimal plan proposes; each pair says its offer or why not."""
    _plan, outcomes = placement.hold_plan(session, actor=actor,
                                          hold_hours=settings.shelter_hold_hours,
                                          stale_hours=settings.shelter_stale_hours)
    return outcomes
