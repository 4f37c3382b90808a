"""Placement requests and offers: filing, matching, holding a place, deciding, ending."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import (
    REFUSED,
    Resource,
    ResourceRef,
    authorize,
    enforce,
    where_allowed,
)
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import (
    Conflict,
    ConflictAfterCleanup,
    DomainError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from ketenzicht.core.formatting import format_datetime
from ketenzicht.core.i18n import N_
from ketenzicht.core.listing import ListQuery, ListSpec, Page, paginate
from ketenzicht.db.retry import retrying
from ketenzicht.shelter import batch, holds
from ketenzicht.shelter import service as registry
from ketenzicht.shelter.enums import (
    REQUEST_MACHINE,
    OfferStatus,
    RequestStatus,
    Security,
    Urgency,
)
from ketenzicht.shelter.matching import (
    Matches,
    Need,
    UnitTable,
    evaluate,
    ineligibility,
    match,
    placing_authority,
)
from ketenzicht.shelter.models import (
    PlacementRequest,
    ShelterLocation,
    ShelterOffer,
    ShelterUnit,
)
from ketenzicht.shelter.schemas import (
    BatchPair,
    BatchPlan,
    HoldOutcome,
    OfferDecline,
    RequestCreate,
    RequestEnd,
)

R = RequestStatus


# The owner sees a request; the receiving shelter too, once it has accepted. An offer
# belongs to the shelter of its unit; the request's owner takes part in it.
REQUEST = Resource(kind="shelter_request", owner_org=PlacementRequest.owner_org_id,
                   owner_user=PlacementRequest.owner_user_id,
                   participants=(PlacementRequest.receiving_org_id,))
OFFER = Resource(kind="shelter_offer",
                 owner_org=(ShelterOffer.unit, ShelterUnit.location,
                            ShelterLocation.organisation_id),
                 participants=((ShelterOffer.request, PlacementRequest.owner_org_id),))


def request_ref(req: PlacementRequest) -> ResourceRef:
    """The owner sees a request; the receiving shelter too, once it has accepted."""
    return REQUEST.ref(req)


def offer_ref(offer: ShelterOffer) -> ResourceRef:
    """An offer belongs to the shelter; the request's owner takes part in it."""
    return OFFER.ref(offer)


def need_of(req: PlacementRequest) -> Need:
    """What matching needs of a request."""
    return Need(
        age_min=req.age_min, age_max=req.age_max, gender=req.gender,
        legal_status=req.legal_status, exploitation=req.exploitation,
        authority=placing_authority(age_min=req.age_min,
                                    unaccompanied_minor=req.unaccompanied_minor,
                                    legal_status=req.legal_status),
        urgency=req.urgency, region=req.current_region,
        exclude_regions=frozenset(req.exclude_regions), secret=req.needs_secret_address,
        security=Security(req.security_need), languages=tuple(req.languages),
        children_ages=tuple(req.children_ages), pets=req.pets, addiction=req.addiction,
        psychiatric=req.psychiatric, lvb=req.lvb, medical=req.medical,
        wheelchair=req.wheelchair)


def _move(req: PlacementRequest, target: RequestStatus) -> None:
    REQUEST_MACHINE.check(req.status, target)
    req.status = target


# -- requests ------------------------------------------------------------------------------


def create_request(session: Session, *, actor: Actor, data: RequestCreate) -> PlacementRequest:
    """File a request owned by the actor's organisation, as a draft or submitted at once."""
    enforce(actor, "shelter.request.create",
            ResourceRef(kind="shelter_request", id=None, owner_org_id=actor.organisation_id))
    if data.referring_org_id is not None and auth_service.organisation(
            session, data.referring_org_id) is None:
        raise ValidationFailed(N_("The referring organisation %(id)s does not exist."),
                               id=data.referring_org_id)
    now = clock.now()
    respond_by = data.respond_by or now + (timedelta(hours=24) if data.urgency is Urgency.NOODBED
                                           else timedelta(days=7))
    values = data.model_dump(exclude={"age", "submit", "respond_by"})
    req = PlacementRequest(owner_org_id=actor.organisation_id, owner_user_id=actor.user_id,
                           respond_by=respond_by, status=R.DRAFT, **values)
    if data.submit:
        req.status, req.submitted_at = R.SUBMITTED, now
    session.add(req)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="shelter_request",
                 resource_id=req.id, detail={"status": str(req.status)})
    return req


def get_request(session: Session, *, actor: Actor, request_id: int,
                action: str = "shelter.request.view") -> PlacementRequest:
    """One request; refused alike whether it is out of scope or does not exist."""
    req = session.get(PlacementRequest, request_id)
    if req is None:
        raise Forbidden(REFUSED)
    enforce(actor, action, request_ref(req))
    if action == "shelter.request.view":
        audit.record_read(session, actor=actor, resource_type="shelter_request", ids=[req.id])
    return req


#: Requests still waiting for a place: what "open" in the list means.
OPEN_REQUESTS = (RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.OFFERED,
                 RequestStatus.ACCEPTED)


@lru_cache(maxsize=1)
def requests_spec() -> ListSpec:
    """What the request list may be filtered and sorted by; open requests, newest first."""
    return ListSpec(
        sorts={"created": (PlacementRequest.created_at, PlacementRequest.id),
               "respond_by": (PlacementRequest.respond_by, PlacementRequest.id)},
        default_sort="created", descending_by_default=frozenset({"created"}),
        filters={"status": frozenset({"open", *(s.value for s in RequestStatus)}),
                 "urgency": frozenset(u.value for u in Urgency)},
        defaults={"status": "open"})


def page_requests(session: Session, *, actor: Actor, query: ListQuery
                  ) -> Page[PlacementRequest]:
    """One page of the requests the actor may see; the page's requests are audited."""
    enforce(actor, "shelter.request.view")
    stmt = select(PlacementRequest).where(
        where_allowed(actor, "shelter.request.view", REQUEST))
    if (status := query.filters.get("status")) == "open":
        stmt = stmt.where(PlacementRequest.status.in_(OPEN_REQUESTS))
    elif status:
        stmt = stmt.where(PlacementRequest.status == RequestStatus(status))
    if urgency := query.filters.get("urgency"):
        stmt = stmt.where(PlacementRequest.urgency == Urgency(urgency))
    page: Page[PlacementRequest] = paginate(session, stmt, query, requests_spec())
    audit.record_read(session, actor=actor, resource_type="shelter_request",
                      ids=[r.id for r in page.items])
    return page


def list_requests(session: Session, *, actor: Actor) -> list[PlacementRequest]:
    """Requests the actor's organisation owns or has accepted; the read is audited."""
    enforce(actor, "shelter.request.view")
    stmt = (select(PlacementRequest).where(where_allowed(actor, "shelter.request.view", REQUEST))
            .order_by(PlacementRequest.id.desc()).limit(500))
    found = list(session.scalars(stmt))
    audit.record_read(session, actor=actor, resource_type="shelter_request",
                      ids=[r.id for r in found])
    return found


def submit(session: Session, *, actor: Actor, request_id: int) -> PlacementRequest:
    """Submit a draft: it now waits for a place."""
    req = get_request(session, actor=actor, request_id=request_id,
                      action="shelter.request.update")
    _move(req, R.SUBMITTED)
    req.submitted_at = clock.now()
    session.flush()
    audit.record(session, actor=actor, action="submit", resource_type="shelter_request",
                 resource_id=req.id)
    return req


def end_request(session: Session, *, actor: Actor, request_id: int,
                data: RequestEnd) -> PlacementRequest:
    """End a request or a placement; a place that was taken is free again."""
    req = get_request(session, actor=actor, request_id=request_id,
                      action="shelter.request.update")
    return _end(session, actor=actor, req=req, data=data, action="end")


def _end(session: Session, *, actor: Actor, req: PlacementRequest, data: RequestEnd,
         action: str) -> PlacementRequest:
    previous = req.status
    _move(req, R.ENDED)
    req.ended_at, req.end_reason, req.end_note = clock.now(), data.reason, data.note
    req.ended_by = actor.username
    if previous in (R.ACCEPTED, R.PLACED) and req.unit_id is not None:
        holds.give_back(session, req.unit_id)
    session.flush()
    audit.record(session, actor=actor, action=action, resource_type="shelter_request",
                 resource_id=req.id, detail={"reason": str(data.reason), "from": str(previous),
                                             "unit_id": req.unit_id})
    return req


def leave(session: Session, *, actor: Actor, request_id: int,
          data: RequestEnd) -> PlacementRequest:
    """The shelter ends a placement at its unit (uitstroom); the place is free again."""
    req = get_request(session, actor=actor, request_id=request_id,
                      action="shelter.placement.end")
    if req.receiving_org_id != actor.organisation_id or req.status not in (R.ACCEPTED,
                                                                           R.PLACED):
        raise Conflict(N_("Only a placement at one of your units that is accepted or under way "
                          "can be ended here."))
    return _end(session, actor=actor, req=req, data=data, action="leave")


def placements_at(session: Session, *, actor: Actor) -> list[PlacementRequest]:
    """Accepted and current placements at the actor's own units; the read is audited."""
    enforce(actor, "shelter.placement.end")
    stmt = select(PlacementRequest).where(
        PlacementRequest.receiving_org_id == actor.organisation_id,
        PlacementRequest.status.in_([R.ACCEPTED, R.PLACED]),
    ).order_by(PlacementRequest.placed_at, PlacementRequest.id).limit(500)
    found = list(session.scalars(stmt))
    audit.record_read(session, actor=actor, resource_type="shelter_request",
                      ids=[r.id for r in found])
    return found


def may_match(actor: Actor | None, req: PlacementRequest) -> bool:
    """Whether the actor may look for and hold places for this request."""
    return authorize(actor, "shelter.offer.create", request_ref(req)).allowed


# -- matching ------------------------------------------------------------------------------


def matches(session: Session, *, actor: Actor, request_id: int,
            stale_hours: float) -> tuple[PlacementRequest, Matches]:
    """Every unit for this request, ranked; each explained when read, the excluded counted."""
    req = get_request(session, actor=actor, request_id=request_id, action="shelter.match")
    holds.expire(session, now=clock.now())
    found = match(registry.all_facts(session), need_of(req), now=clock.now(),
                  stale_hours=stale_hours)
    audit.record(session, actor=actor, action="match", resource_type="shelter_request",
                 resource_id=req.id,
                 detail={"units": len(found), "eligible": found.eligible_count})
    return req, found


def batch_plan(session: Session, *, actor: Actor, stale_hours: float) -> BatchPlan:
    """The optimal assignment of the organisation's waiting requests, beside first-come."""
    enforce(actor, "shelter.match",
            ResourceRef(kind="shelter_request", id=None, owner_org_id=actor.organisation_id))
    now = clock.now()
    holds.expire(session, now=now)
    waiting = list(session.scalars(select(PlacementRequest).where(
        PlacementRequest.owner_org_id == actor.organisation_id,
        PlacementRequest.status.in_([R.SUBMITTED, R.DECLINED]),
    ).order_by(PlacementRequest.submitted_at, PlacementRequest.id).limit(1000)))
    table = UnitTable(registry.all_facts(session))
    if waiting and len(table):
        costs = np.vstack([evaluate(table, need_of(r), now=now, stale_hours=stale_hours).cost()
                           for r in waiting])
    else:
        costs = np.zeros((len(waiting), len(table)))
    free = (table.available - table.held).astype(np.int64)
    best, first = batch.optimal(costs, free), batch.greedy(costs, free)
    audit.record_read(session, actor=actor, resource_type="shelter_request",
                      ids=[r.id for r in waiting])
    pairs = [BatchPair(request_id=r.id,
                       unit_id=int(table.ids[u]) if u is not None else None,
                       cost=round(float(costs[i, u]), 2) if u is not None else None,
                       greedy_unit_id=int(table.ids[g]) if g is not None else None)
             for i, (r, u, g) in enumerate(zip(waiting, best.pairs, first.pairs, strict=True))]
    return BatchPlan(requests=len(waiting), optimal_placed=best.placed,
                     optimal_cost=round(best.total_cost, 2), greedy_placed=first.placed,
                     greedy_cost=round(first.total_cost, 2), pairs=pairs)


def own_requests(session: Session, *, actor: Actor,
                 ids: list[int]) -> dict[int, PlacementRequest]:
    """The actor's organisation's requests among ``ids`` (others are left out), by id."""
    enforce(actor, "shelter.match")
    if not ids:
        return {}
    stmt = select(PlacementRequest).where(PlacementRequest.id.in_(ids),
                                          PlacementRequest.owner_org_id == actor.organisation_id)
    return {r.id: r for r in session.scalars(stmt)}


def hold_plan(session: Session, *, actor: Actor, hold_hours: float,
              stale_hours: float) -> tuple[BatchPlan, list[HoldOutcome]]:
    """Hold every place the optimal plan proposes, each in a savepoint of its own.

    A pair that can no longer be held (someone took the place meanwhile) is
    reported with the reason, and the others still go through.
    """
    plan = batch_plan(session, actor=actor, stale_hours=stale_hours)
    outcomes = []
    for pair in plan.pairs:
        if pair.unit_id is None:
            continue
        try:
            with session.begin_nested():
                offer = reserve(session, actor=actor, request_id=pair.request_id,
                                unit_id=pair.unit_id, hold_hours=hold_hours,
                                stale_hours=stale_hours)
            outcomes.append(HoldOutcome(request_id=pair.request_id, unit_id=pair.unit_id,
                                        offer_id=offer.id, error=None))
        except Forbidden:
            raise
        except DomainError as exc:
            outcomes.append(HoldOutcome(request_id=pair.request_id, unit_id=pair.unit_id,
                                        offer_id=None, error=exc.localized()))
    return plan, outcomes


# -- offers --------------------------------------------------------------------------------


def reserve(session: Session, *, actor: Actor, request_id: int, unit_id: int,
            hold_hours: float, stale_hours: float) -> ShelterOffer:
    """Hold one place of a unit for a request; never more holds than free places.

    A deadlock or serialisation failure from a concurrent hold is retried a few times
    (each try in a SAVEPOINT) before the request is answered 503.
    """
    return retrying(session, lambda: _reserve(session, actor=actor, request_id=request_id,
                                              unit_id=unit_id, hold_hours=hold_hours,
                                              stale_hours=stale_hours))


def _reserve(session: Session, *, actor: Actor, request_id: int, unit_id: int,
             hold_hours: float, stale_hours: float) -> ShelterOffer:
    req = get_request(session, actor=actor, request_id=request_id,
                      action="shelter.offer.create")
    REQUEST_MACHINE.check(req.status, R.OFFERED)
    unit = session.get(ShelterUnit, unit_id)
    if unit is None:
        raise NotFound(N_("There is no unit %(id)s."), id=unit_id)
    now = clock.now()
    holds.expire(session, now=now, unit_id=unit_id)
    session.refresh(unit)
    need = need_of(req)
    why = [r for r in ineligibility(registry.facts(unit), need) if r.code != "full"]
    if why:
        raise ValidationFailed(N_("This unit cannot take this person: %(reasons)s."),
                               reasons="; ".join(r.localized() for r in why))
    if not holds.take(session, unit_id):
        raise Conflict(N_("No free place is left at this unit: someone may just have taken the "
                          "last one. Choose another match."))
    ev = evaluate(UnitTable([registry.facts(unit)]), need, now=now, stale_hours=stale_hours)
    offer = ShelterOffer(request_id=req.id, unit_id=unit_id, status=OfferStatus.HELD,
                         hold_until=now + timedelta(hours=hold_hours),
                         offered_by_user_id=actor.user_id, score=round(float(ev.score[0]), 1))
    session.add(offer)
    _move(req, R.OFFERED)
    session.flush()
    audit.record(session, actor=actor, action="reserve", resource_type="shelter_offer",
                 resource_id=offer.id, detail=offer.detail())
    return offer


def get_offer(session: Session, *, actor: Actor, offer_id: int, action: str) -> ShelterOffer:
    """One offer; refused alike whether it is out of scope or does not exist."""
    offer = session.get(ShelterOffer, offer_id)
    if offer is None:
        raise Forbidden(REFUSED)
    enforce(actor, action, offer_ref(offer))
    return offer


def _claim(session: Session, offer: ShelterOffer, target: OfferStatus, actor: Actor) -> None:
    """Move a HELD offer whose hold is still running; 409 (and nothing changed) otherwise."""
    now = clock.now()
    if offer.status is not OfferStatus.HELD:
        raise Conflict(N_("This offer is already %(status)s."), status=str(offer.status))
    if offer.hold_until <= now:
        # Release the place now rather than at the next expire-holds run; the refusal
        # below commits this release (and its audit entry) instead of rolling it back.
        holds.expire(session, now=now, unit_id=offer.unit_id)
        raise ConflictAfterCleanup(
            N_("The hold expired at %(until)s and the place was given back. "
               "Make a new offer."), until=format_datetime(offer.hold_until))
    if not holds.decide(session, offer.id, target, now=now, by=actor.username):
        raise Conflict(N_("Someone else decided on this offer a moment ago. Reload."))
    session.refresh(offer)


def accept(session: Session, *, actor: Actor, offer_id: int) -> ShelterOffer:
    """The shelter accepts: the held place is taken and the shelter may see the request."""
    offer = get_offer(session, actor=actor, offer_id=offer_id, action="shelter.offer.decide")
    _claim(session, offer, OfferStatus.ACCEPTED, actor)
    if not holds.consume(session, offer.unit_id):
        raise Conflict(N_("The unit's figures changed; reload and try again."))
    req = offer.request
    _move(req, R.ACCEPTED)
    req.receiving_org_id = offer.unit.location.organisation_id
    req.unit_id = offer.unit_id
    session.flush()
    session.refresh(offer.unit)
    audit.record(session, actor=actor, action="accept", resource_type="shelter_offer",
                 resource_id=offer.id, detail=offer.detail())
    return offer


def decline(session: Session, *, actor: Actor, offer_id: int, data: OfferDecline) -> ShelterOffer:
    """The shelter or the owner declines, with a reason; the place is free again."""
    offer = get_offer(session, actor=actor, offer_id=offer_id, action="shelter.offer.decline")
    _claim(session, offer, OfferStatus.DECLINED, actor)
    holds.release(session, offer.unit_id)
    offer.decline_reason, offer.decline_note = data.reason, data.note
    _move(offer.request, R.DECLINED)
    session.flush()
    audit.record(session, actor=actor, action="decline", resource_type="shelter_offer",
                 resource_id=offer.id, detail={**offer.detail(), "reason": str(data.reason)})
    return offer


def place(session: Session, *, actor: Actor, offer_id: int) -> ShelterOffer:
    """The shelter confirms the person has arrived."""
    offer = get_offer(session, actor=actor, offer_id=offer_id, action="shelter.offer.decide")
    if offer.status is not OfferStatus.ACCEPTED or offer.request.unit_id != offer.unit_id:
        raise Conflict(N_("Only an accepted offer can become a placement."))
    req = offer.request
    _move(req, R.PLACED)
    req.placed_at = clock.now()
    session.flush()
    audit.record(session, actor=actor, action="place", resource_type="shelter_request",
                 resource_id=req.id, detail={"offer_id": offer.id, "unit_id": offer.unit_id})
    return offer


def offers_of_request(session: Session, req: PlacementRequest) -> list[ShelterOffer]:
    """The offers made for a request, newest first (the caller has checked access)."""
    return list(session.scalars(select(ShelterOffer).where(ShelterOffer.request_id == req.id)
                                .order_by(ShelterOffer.id.desc())))


def incoming_offers(session: Session, *, actor: Actor) -> list[ShelterOffer]:
    """Open and recent offers for the actor's own units."""
    enforce(actor, "shelter.offer.view")
    holds.expire(session, now=clock.now())
    stmt = select(ShelterOffer).where(where_allowed(actor, "shelter.offer.view", OFFER)).order_by(
        ShelterOffer.id.desc()).limit(200)
    found = list(session.scalars(stmt))
    # An offer shows the person's care needs, age and need of a secret address.
    audit.record_read(session, actor=actor, resource_type="shelter_offer",
                      ids=[o.id for o in found])
    return found
