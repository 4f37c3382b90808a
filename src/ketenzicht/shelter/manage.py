"""Providers keep their own registry: list, read and edit their locations and units.

Creating is in :mod:`ketenzicht.shelter.service`; this module holds what a
provider (or platform beheer, nationally) does afterwards. Edits carry the
version the editor saw, and a stale one is refused with 409 instead of
overwriting someone else's change.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.enums import Scope
from ketenzicht.auth.permissions import REFUSED, best_scope, enforce, where_allowed
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, check_version
from ketenzicht.core.i18n import N_
from ketenzicht.shelter import holds
from ketenzicht.shelter.models import AvailabilityLog, ShelterLocation, ShelterUnit
from ketenzicht.shelter.schemas import LocationRead, LocationUpdate, UnitUpdate
from ketenzicht.shelter.service import LOCATION, get_unit, location_ref

MANAGE = "shelter.unit.manage"
_SETS = ("genders", "exploitation_forms", "legal_statuses", "authorities")


def location_read(loc: ShelterLocation, actor: Actor | None) -> LocationRead:
    """A location as shown outside; a secret address only to its own provider."""
    own = actor is not None and loc.organisation_id == actor.organisation_id
    return LocationRead(id=loc.id, organisation_id=loc.organisation_id, name=loc.name,
                        gemeente=loc.gemeente, centrumgemeente=loc.centrumgemeente,
                        region=loc.region, secret_address=loc.secret_address,
                        address=loc.address if own or not loc.secret_address else None,
                        lat=loc.lat if own or not loc.secret_address else None,
                        lon=loc.lon if own or not loc.secret_address else None,
                        version=loc.version)


def managed_locations(session: Session, *, actor: Actor) -> list[ShelterLocation]:
    """The locations the actor may manage: its own provider's, or all for national beheer."""
    enforce(actor, MANAGE)
    stmt = select(ShelterLocation).order_by(ShelterLocation.region, ShelterLocation.name)
    stmt = stmt.where(where_allowed(actor, MANAGE, LOCATION))
    return list(session.scalars(stmt.limit(2000)))


def manages_nationally(actor: Actor) -> bool:
    """Whether the actor manages every provider's registry (platform beheer)."""
    return best_scope(actor, MANAGE) is Scope.NATIONAL


def units_of(session: Session, locations: list[ShelterLocation]
             ) -> dict[int, list[ShelterUnit]]:
    """The units of each location, by location id, in one query (the caller checked access;
    national beheer lists up to 2,000 locations)."""
    out: dict[int, list[ShelterUnit]] = {loc.id: [] for loc in locations}
    for unit in session.scalars(select(ShelterUnit).where(ShelterUnit.location_id.in_(out))
                                .order_by(ShelterUnit.name)):
        out[unit.location_id].append(unit)
    return out


def get_location(session: Session, *, actor: Actor, location_id: int) -> ShelterLocation:
    """One location the actor manages; refused alike when out of scope or missing."""
    loc = session.get(ShelterLocation, location_id)
    if loc is None:
        raise Forbidden(REFUSED)
    enforce(actor, MANAGE, location_ref(loc))
    return loc


def update_location(session: Session, *, actor: Actor, location_id: int,
                    data: LocationUpdate) -> ShelterLocation:
    """Change a location's particulars; the audit log keeps which fields changed."""
    loc = get_location(session, actor=actor, location_id=location_id)
    check_version(loc.version, data.version)
    changed = []
    # Someone outside the provider never sees a secret address (location_read), so what they
    # send back for it is blank: it must not erase or unhide the provider's own.
    hidden = ({"address", "lat", "lon", "secret_address"}
              if loc.secret_address and loc.organisation_id != actor.organisation_id else set())
    for key, value in data.model_dump(exclude={"version", *hidden}).items():
        if getattr(loc, key) != value:
            setattr(loc, key, value)
            changed.append(key)
    session.flush()
    # The address itself stays out of the audit log: it may be secret.
    audit.record(session, actor=actor, action="update", resource_type="shelter_location",
                 resource_id=loc.id, detail={"fields": sorted(changed)})
    return loc


def update_unit(session: Session, *, actor: Actor, unit_id: int,
                data: UnitUpdate) -> ShelterUnit:
    """Change a unit's capacity and criteria; a capacity below its held places is refused."""
    unit = get_unit(session, actor=actor, unit_id=unit_id, action=MANAGE)
    check_version(unit.version, data.version)
    now = clock.now()
    holds.expire(session, now=now, unit_id=unit.id)
    session.refresh(unit)
    changed = []
    values = data.model_dump(exclude={"version", "capacity"})
    for key in _SETS:
        values[key] = sorted({str(v) for v in values[key]})
    for key, value in values.items():
        if getattr(unit, key) != value:
            setattr(unit, key, value)
            changed.append(key)
    session.flush()  # a new version when any criterion changed
    if data.capacity != unit.capacity:
        before = unit.available
        # The counts move by a conditional UPDATE, so that a hold taken meanwhile is
        # never left above the capacity; it bumps the version only if nothing else did.
        if not holds.set_capacity(session, unit.id, data.capacity, at=now, by=actor.username,
                                  bump_version=not changed):
            session.refresh(unit)
            raise Conflict(N_("%(held)s places are held by open offers, so the capacity cannot "
                              "be lower than %(held)s. Decide on those offers first."),
                           held=unit.held)
        session.refresh(unit)
        session.add(AvailabilityLog(unit_id=unit.id, at=now, available=unit.available,
                                    capacity=unit.capacity, by_username=actor.username,
                                    via="edit"))
        changed.append("capacity")
        if unit.available != before:
            changed.append("available")
        session.flush()
    audit.record(session, actor=actor, action="update", resource_type="shelter_unit",
                 resource_id=unit.id, detail={"fields": sorted(changed),
                                              "capacity": unit.capacity})
    return unit
