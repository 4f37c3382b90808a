"""Counting held and free places with conditional UPDATEs, so that nothing double-books.

Each function is one ``UPDATE … WHERE <the count allows it>``. On PostgreSQL a
concurrent transaction waits for the row lock and then re-checks the WHERE
clause against the committed row (READ COMMITTED), so of two coordinators who
take the last place at once exactly one gets a row back. SQLite serialises
writers, which gives the same result. The CHECK constraints on ``shelter_unit``
are a second line: a count can never go negative or above capacity.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.shelter.enums import OfferStatus, RequestStatus
from ketenzicht.shelter.models import PlacementRequest, ShelterOffer, ShelterUnit

_NO_SYNC = {"synchronize_session": False}


def _rows(session: Session, stmt: object) -> int:
    result = session.execute(stmt.execution_options(**_NO_SYNC))  # type: ignore[attr-defined]
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def take(session: Session, unit_id: int) -> bool:
    """Hold one free place of an active unit; False when none is left."""
    u = ShelterUnit
    return _rows(session, update(u).where(
        u.id == unit_id, u.is_active.is_(True), u.available - u.held >= 1,
    ).values(held=u.held + 1)) == 1


def release(session: Session, unit_id: int) -> bool:
    """Give a held place back to the free places."""
    u = ShelterUnit
    return _rows(session, update(u).where(u.id == unit_id, u.held >= 1)
                 .values(held=u.held - 1)) == 1


def consume(session: Session, unit_id: int) -> bool:
    """Turn a held place into an occupied one (the offer was accepted)."""
    u = ShelterUnit
    return _rows(session, update(u).where(u.id == unit_id, u.held >= 1, u.available >= 1)
                 .values(held=u.held - 1, available=u.available - 1)) == 1


def give_back(session: Session, unit_id: int) -> bool:
    """An occupied place is free again (the placement ended); never above capacity."""
    u = ShelterUnit
    return _rows(session, update(u).where(u.id == unit_id, u.available < u.capacity)
                 .values(available=u.available + 1)) == 1


def set_available(session: Session, unit_id: int, available: int, *, at: datetime,
                  by: str) -> bool:
    """Set a provider's figure unless open holds or the capacity forbid it."""
    u = ShelterUnit
    return _rows(session, update(u).where(
        u.id == unit_id, u.held <= available, u.capacity >= available,
    ).values(available=available, available_updated_at=at, available_updated_by=by)) == 1


def set_capacity(session: Session, unit_id: int, capacity: int, *, at: datetime, by: str,
                 bump_version: bool) -> bool:
    """Change the capacity unless open holds forbid it; free places above it come down too."""
    u = ShelterUnit
    lowered = case((u.available > capacity, capacity), else_=u.available)
    changed = case((u.available > capacity, at), else_=u.available_updated_at)
    who = case((u.available > capacity, by), else_=u.available_updated_by)
    return _rows(session, update(u).where(u.id == unit_id, u.held <= capacity).values(
        capacity=capacity, available=lowered, available_updated_at=changed,
        available_updated_by=who, version=u.version + int(bump_version))) == 1


def set_request_status(session: Session, request_id: int, source: RequestStatus,
                       target: RequestStatus) -> bool:
    """Move a request from ``source`` to ``target`` if nobody moved it first."""
    r = PlacementRequest
    return _rows(session, update(r).where(r.id == request_id, r.status == source)
                 .values(status=target, version=r.version + 1)) == 1


def expire(session: Session, *, now: datetime, unit_id: int | None = None) -> list[int]:
    """Expire the holds whose time is up and give their places back; returns the offer ids."""
    stmt = select(ShelterOffer.id, ShelterOffer.unit_id, ShelterOffer.request_id).where(
        ShelterOffer.status == OfferStatus.HELD, ShelterOffer.hold_until <= now)
    if unit_id is not None:
        stmt = stmt.where(ShelterOffer.unit_id == unit_id)
    expired = []
    for offer_id, offer_unit, request_id in session.execute(stmt).all():
        o = ShelterOffer
        if _rows(session, update(o).where(o.id == offer_id, o.status == OfferStatus.HELD)
                 .values(status=OfferStatus.EXPIRED, decided_at=now, decided_by=None)) != 1:
            continue  # someone decided on it a moment ago
        release(session, offer_unit)
        set_request_status(session, request_id, RequestStatus.OFFERED, RequestStatus.SUBMITTED)
        audit.record(session, actor=None, action="expire", resource_type="shelter_offer",
                     resource_id=offer_id, detail={"unit_id": offer_unit,
                                                   "request_id": request_id})
        expired.append(offer_id)
    if expired:
        session.expire_all()
    return expired


def decide(session: Session, offer_id: int, target: OfferStatus, *, now: datetime,
           by: str) -> bool:
    """Move a held offer whose hold still runs to ``target``; False if it is gone or expired."""
    o = ShelterOffer
    return _rows(session, update(o).where(
        o.id == offer_id, o.status == OfferStatus.HELD, o.hold_until > now,
    ).values(status=target, decided_at=now, decided_by=by)) == 1
