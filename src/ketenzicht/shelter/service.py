"""The registry of places: locations, units, their live figures and CSV import."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType
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
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.shelter import holds
from ketenzicht.shelter import permissions as _permissions  # noqa: F401 - registers grants
from ketenzicht.shelter.enums import Security, ShelterType
from ketenzicht.shelter.matching import UnitFacts
from ketenzicht.shelter.models import AvailabilityLog, ShelterLocation, ShelterUnit
from ketenzicht.shelter.regions import REGIONS
from ketenzicht.shelter.schemas import (
    ImportLineError,
    ImportResult,
    LocationCreate,
    UnitCreate,
    UnitRead,
)

MAX_IMPORT_ROWS = 5000
SYSTEM = "system"


# A location belongs to its provider; a unit to the provider of its location.
LOCATION = Resource(kind="shelter_location", owner_org=ShelterLocation.organisation_id)
UNIT = Resource(kind="shelter_unit",
                owner_org=(ShelterUnit.location, ShelterLocation.organisation_id))


def location_ref(loc: ShelterLocation) -> ResourceRef:
    """Authorisation facts of a location: the provider owns it."""
    return LOCATION.ref(loc)


def unit_ref(unit: ShelterUnit) -> ResourceRef:
    """Authorisation facts of a unit: the provider of its location owns it."""
    return UNIT.ref(unit)


def _by(actor: Actor | None) -> str:
    return actor.username if actor else SYSTEM


# -- registry ------------------------------------------------------------------------------


def create_location(session: Session, *, data: LocationCreate,
                    actor: Actor | None) -> ShelterLocation:
    """Register a location for a provider; ``actor`` None is the operator (CLI, seeder)."""
    org_id = data.organisation_id or (actor.organisation_id if actor else None)
    if org_id is None:
        raise ValidationFailed(N_("Say which provider (organisation) this location belongs to."))
    if actor is not None:
        enforce(actor, "shelter.unit.manage",
                ResourceRef(kind="shelter_location", id=None, owner_org_id=org_id))
    provider = auth_service.organisation(session, org_id)
    if provider is None or provider.org_type is not OrgType.OPVANG:
        raise ValidationFailed(N_("Organisation %(id)s is not a shelter provider."), id=org_id)
    loc = ShelterLocation(organisation_id=org_id, name=data.name, gemeente=data.gemeente,
                          centrumgemeente=data.centrumgemeente, region=data.region,
                          address=data.address, lat=data.lat, lon=data.lon,
                          secret_address=data.secret_address)
    session.add(loc)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="shelter_location",
                 resource_id=loc.id, detail={"organisation_id": org_id, "region": loc.region})
    return loc


def create_unit(session: Session, *, data: UnitCreate, actor: Actor | None) -> ShelterUnit:
    """Register a unit at a location the actor manages."""
    loc = session.get(ShelterLocation, data.location_id)
    if loc is None:
        raise Forbidden(REFUSED)
    if actor is not None:
        enforce(actor, "shelter.unit.manage", location_ref(loc))
    now = clock.now()
    values = data.model_dump(exclude={"location_id"})
    for key in ("genders", "exploitation_forms", "legal_statuses", "authorities"):
        values[key] = sorted({str(v) for v in values[key]})
    unit = ShelterUnit(location=loc, available_updated_at=now, available_updated_by=_by(actor),
                       held=0, **values)
    session.add(unit)
    session.flush()
    session.add(AvailabilityLog(unit_id=unit.id, at=now, available=unit.available,
                                capacity=unit.capacity, by_username=_by(actor), via="create"))
    audit.record(session, actor=actor, action="create", resource_type="shelter_unit",
                 resource_id=unit.id, detail={"location_id": loc.id, "capacity": unit.capacity})
    return unit


def _units_query() -> Select[ShelterUnit]:
    return select(ShelterUnit).join(ShelterUnit.location)


def list_units(session: Session, *, actor: Actor, region: str | None = None,
               shelter_type: ShelterType | None = None, only_free: bool = False,
               own: bool = False) -> list[ShelterUnit]:
    """Units of the registry (no personal data), optionally filtered."""
    enforce(actor, "shelter.unit.view")
    stmt = _units_query().order_by(ShelterLocation.region, ShelterLocation.name, ShelterUnit.name)
    if region:
        stmt = stmt.where(ShelterLocation.region == region)
    if shelter_type:
        stmt = stmt.where(ShelterUnit.shelter_type == shelter_type)
    if only_free:
        stmt = stmt.where(ShelterUnit.available - ShelterUnit.held > 0,
                          ShelterUnit.is_active.is_(True))
    if own:
        stmt = stmt.where(where_allowed(actor, "shelter.availability.update", UNIT))
    return list(session.scalars(stmt))


def own_units(session: Session, *, actor: Actor) -> list[ShelterUnit]:
    """The units whose figures the actor's organisation keeps up to date."""
    enforce(actor, "shelter.availability.update")
    stmt = _units_query().where(where_allowed(actor, "shelter.availability.update", UNIT))
    return list(session.scalars(stmt.order_by(ShelterLocation.name, ShelterUnit.name)))


def get_unit(session: Session, *, actor: Actor, unit_id: int,
             action: str = "shelter.unit.view") -> ShelterUnit:
    """One unit; refused alike whether it is out of scope or does not exist."""
    unit = session.get(ShelterUnit, unit_id)
    if unit is None:
        raise Forbidden(REFUSED)
    enforce(actor, action, unit_ref(unit))
    return unit


def may_see_address(actor: Actor | None, unit: ShelterUnit) -> bool:
    """A secret address is shown to the provider itself only."""
    return (not unit.location.secret_address
            or (actor is not None and actor.organisation_id == unit.location.organisation_id))


def may_update(actor: Actor | None, unit: ShelterUnit) -> bool:
    """Whether the actor may report this unit's figure."""
    return authorize(actor, "shelter.availability.update", unit_ref(unit)).allowed


def age_hours(unit: ShelterUnit) -> float:
    """How old the unit's figure is, in hours."""
    return max(0.0, (clock.now() - unit.available_updated_at).total_seconds() / 3600)


def unit_read(unit: ShelterUnit, *, actor: Actor | None, stale_hours: float) -> UnitRead:
    """The outside view of a unit; the address only where :func:`may_see_address`."""
    loc = unit.location
    hours = age_hours(unit)
    return UnitRead(
        id=unit.id, name=unit.name, shelter_type=unit.shelter_type,
        organisation_id=loc.organisation_id, location_id=loc.id, location_name=loc.name,
        gemeente=loc.gemeente, centrumgemeente=loc.centrumgemeente, region=loc.region,
        police_unit=REGIONS[loc.region].police_unit if loc.region in REGIONS else "",
        address=loc.address if may_see_address(actor, unit) else None,
        secret_address=loc.secret_address, capacity=unit.capacity, available=unit.available,
        held=unit.held, free=unit.free, available_updated_at=unit.available_updated_at,
        available_updated_by=unit.available_updated_by, stale=hours > stale_hours,
        age_hours=round(hours, 1), genders=unit.genders, age_min=unit.age_min,
        age_max=unit.age_max, accepts_minors=unit.accepts_minors,
        max_children=unit.max_children, children_age_max=unit.children_age_max,
        exploitation_forms=unit.exploitation_forms, legal_statuses=unit.legal_statuses,
        authorities=unit.authorities, security=unit.security, staffed_24_7=unit.staffed_24_7,
        addiction_care=unit.addiction_care, psychiatric_care=unit.psychiatric_care,
        lvb_support=unit.lvb_support, medical_care=unit.medical_care,
        wheelchair=unit.wheelchair, pets=unit.pets, languages=unit.languages,
        max_stay_days=unit.max_stay_days, is_active=unit.is_active, version=unit.version)


# -- the live figure -----------------------------------------------------------------------


def update_availability(session: Session, *, actor: Actor, unit_id: int, available: int,
                        via: str = "form") -> ShelterUnit:
    """Report the number of free places now; refused (and nothing changed) when impossible."""
    unit = get_unit(session, actor=actor, unit_id=unit_id, action="shelter.availability.update")
    _apply_figure(session, actor=actor, unit=unit, available=available, via=via)
    return unit


def _apply_figure(session: Session, *, actor: Actor | None, unit: ShelterUnit, available: int,
                  via: str) -> None:
    if available < 0:
        raise ValidationFailed(N_("The number of free places cannot be below 0."))
    if available > unit.capacity:
        raise ValidationFailed(
            N_("%(available)s free places is more than the capacity of %(capacity)s."),
            available=available, capacity=unit.capacity)
    now = clock.now()
    holds.expire(session, now=now, unit_id=unit.id)
    if not holds.set_available(session, unit.id, available, at=now, by=_by(actor)):
        session.refresh(unit)
        raise Conflict(N_("%(held)s places are held by open offers, so the figure cannot be "
                          "lower than %(held)s. Decide on those offers first."), held=unit.held)
    session.add(AvailabilityLog(unit_id=unit.id, at=now, available=available,
                                capacity=unit.capacity, by_username=_by(actor), via=via))
    session.flush()
    session.refresh(unit)
    audit.record(session, actor=actor, action="update_availability",
                 resource_type="shelter_unit", resource_id=unit.id,
                 detail={"available": available, "via": via})


@dataclass(frozen=True)
class _Row:
    line: int
    unit_id: int
    available: int


def _parse_csv(text: str) -> tuple[list[_Row], list[ImportLineError]]:
    rows: list[_Row] = []
    errors: list[ImportLineError] = []
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if not {"unit_id", "available"} <= fields:
        return [], [ImportLineError(line=1, error="the header must name unit_id and available")]
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()
               if isinstance(v, str)}
        if len(rows) + len(errors) >= MAX_IMPORT_ROWS:
            errors.append(ImportLineError(line=number, error=f"more than {MAX_IMPORT_ROWS} rows"))
            break
        try:
            unit_id, available = int(row.get("unit_id", "")), int(row.get("available", ""))
        except ValueError:
            errors.append(ImportLineError(line=number,
                                          error="unit_id and available must be whole numbers"))
            continue
        if not 0 < unit_id < 2**31:
            errors.append(ImportLineError(line=number, error="unit_id is out of range"))
            continue
        rows.append(_Row(number, unit_id, available))
    return rows, errors


def import_availability(session: Session, *, actor: Actor, text: str) -> ImportResult:
    """Apply a CSV of ``unit_id,available`` lines: all of them, or none when any is wrong."""
    enforce(actor, "shelter.availability.update")
    rows, errors = _parse_csv(text)
    seen: set[int] = set()
    units: dict[int, ShelterUnit] = {}
    for row in rows:
        unit = session.get(ShelterUnit, row.unit_id)
        if unit is None or not may_update(actor, unit):
            errors.append(ImportLineError(line=row.line, error="no access to this unit, or it "
                                          "does not exist"))
        elif row.unit_id in seen:
            errors.append(ImportLineError(line=row.line, error="this unit appears twice"))
        elif not 0 <= row.available <= unit.capacity:
            errors.append(ImportLineError(line=row.line, error=(
                f"available must be between 0 and the capacity of {unit.capacity}")))
        elif row.available < unit.held:
            errors.append(ImportLineError(line=row.line, error=(
                f"{unit.held} places are held by open offers; the figure cannot be lower")))
        else:
            units[row.unit_id] = unit
        seen.add(row.unit_id)
    if errors or not rows:
        if not rows and not errors:
            errors.append(ImportLineError(line=1, error="the file holds no rows"))
        errors.sort(key=lambda e: e.line)
        return ImportResult(rows=len(rows), updated=0, errors=errors)
    for row in rows:
        _apply_figure(session, actor=actor, unit=units[row.unit_id], available=row.available,
                      via="csv")
    return ImportResult(rows=len(rows), updated=len(rows), errors=[])


# -- facts for matching --------------------------------------------------------------------


def facts(unit: ShelterUnit) -> UnitFacts:
    """What matching needs of a loaded unit; a secret location counts at its region's centre."""
    loc = unit.location
    region = REGIONS.get(loc.region)
    precise = loc.lat is not None and loc.lon is not None and not loc.secret_address
    return UnitFacts(
        id=unit.id, name=unit.name, location_name=loc.name, organisation_id=loc.organisation_id,
        shelter_type=unit.shelter_type, region=loc.region,
        lat=float(loc.lat) if precise and loc.lat is not None else (region.lat if region else 52.1),
        lon=float(loc.lon) if precise and loc.lon is not None else (region.lon if region else 5.3),
        secret=loc.secret_address, active=unit.is_active, available=unit.available,
        held=unit.held, updated_at=unit.available_updated_at, genders=frozenset(unit.genders),
        age_min=unit.age_min, age_max=unit.age_max, accepts_minors=unit.accepts_minors,
        max_children=unit.max_children, children_age_max=unit.children_age_max,
        exploitation=frozenset(unit.exploitation_forms), legal=frozenset(unit.legal_statuses),
        authorities=frozenset(unit.authorities), security=Security(unit.security),
        staffed=unit.staffed_24_7, addiction=unit.addiction_care,
        psychiatric=unit.psychiatric_care, lvb=unit.lvb_support, medical=unit.medical_care,
        wheelchair=unit.wheelchair, pets=unit.pets, languages=frozenset(unit.languages),
        max_stay_days=unit.max_stay_days)


def all_facts(session: Session, unit_ids: Sequence[int] | None = None) -> list[UnitFacts]:
    """Facts of every unit (or of ``unit_ids``), for matching."""
    stmt = _units_query().order_by(ShelterUnit.id)
    if unit_ids is not None:
        stmt = stmt.where(ShelterUnit.id.in_(list(unit_ids)))
    return [facts(u) for u in session.scalars(stmt)]
