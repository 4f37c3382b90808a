"""Makers for shelter locations, units, requests and offers, and the access test's records."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.models import Organisation, User
from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.core import clock
from ketenzicht.shelter import placement, service
from ketenzicht.shelter.enums import (
    Exploitation,
    Gender,
    LegalBasis,
    LegalStatus,
    OfferStatus,
    RequestStatus,
    Security,
    ShelterType,
    Urgency,
)
from ketenzicht.shelter.models import PlacementRequest, ShelterLocation, ShelterOffer, ShelterUnit
from ketenzicht.shelter.schemas import LocationCreate, UnitCreate
from tests.factories.access import World
from tests.factories.auth import OrganisationFactory

_seq = itertools.count(1)


def make_location(db: Session, org: Organisation, **kw: Any) -> ShelterLocation:
    """A location of ``org`` (default: region Utrecht, open address)."""
    values: dict[str, Any] = {"organisation_id": org.id, "name": f"Locatie {next(_seq)}",
                              "gemeente": "Utrecht", "centrumgemeente": "Utrecht",
                              "region": "vr09", "address": "Teststraat 1", "lat": 52.09,
                              "lon": 5.12, "secret_address": False}
    values.update(kw)
    return service.create_location(db, actor=None, data=LocationCreate(**values))


def make_unit(db: Session, org: Organisation | None = None, *,
              location: ShelterLocation | None = None, **kw: Any) -> ShelterUnit:
    """A unit that takes most adults: every gender, status, form and authority."""
    if location is None:
        assert org is not None
        location = make_location(db, org, **kw.pop("location_kw", {}))
    values: dict[str, Any] = {
        "location_id": location.id, "name": f"Groep {next(_seq)}",
        "shelter_type": ShelterType.COSM, "capacity": 10, "available": 5,
        "genders": list(Gender), "age_min": 18, "age_max": 120,
        "exploitation_forms": list(Exploitation), "legal_statuses": list(LegalStatus),
        "authorities": ["comensha", "centrumgemeente", "nidos"], "security": Security.HOOG,
        "staffed_24_7": True, "languages": ["nl", "en"]}
    values.update(kw)
    return service.create_unit(db, actor=None, data=UnitCreate(**values))


def make_request(db: Session, owner: User, *, status: RequestStatus = RequestStatus.SUBMITTED,
                 **kw: Any) -> PlacementRequest:
    """A submitted request of ``owner``'s organisation for a 30-year-old woman in B8."""
    now = clock.now()
    values: dict[str, Any] = {
        "person_ref": f"P-{next(_seq):05d}", "owner_org_id": owner.organisation_id,
        "owner_user_id": owner.id, "age_min": 30, "age_max": 30, "gender": Gender.VROUW,
        "legal_status": LegalStatus.B8, "b8_start": date(2026, 11, 1),
        "exploitation": Exploitation.SEKSUEEL, "urgency": Urgency.REGULIER,
        "exclude_regions": [], "security_need": Security.BASIS, "languages": ["ro"],
        "children_ages": [], "current_region": "vr09", "legal_basis": LegalBasis.CONSENT,
        "respond_by": now + timedelta(days=7), "status": status,
        "submitted_at": now if status is not RequestStatus.DRAFT else None}
    values.update(kw)
    req = PlacementRequest(**values)
    db.add(req)
    db.flush()
    return req


def make_offer(db: Session, req: PlacementRequest, unit: ShelterUnit, owner: User,
               hours: float = 4) -> ShelterOffer:
    """A held offer, made directly (the count of held places is taken too)."""
    offer = ShelterOffer(request_id=req.id, unit_id=unit.id, status=OfferStatus.HELD,
                         hold_until=clock.now() + timedelta(hours=hours),
                         offered_by_user_id=owner.id, score=50.0)
    unit.held += 1
    db.add(offer)
    db.flush()
    return offer


def _provider(db: Session) -> Organisation:
    # Only a shelter provider (opvang) can own locations; the world's owner is politie.
    org = OrganisationFactory(org_type=OrgType.OPVANG)
    db.flush()
    return org


def _unit(db: Session, w: World) -> tuple[int, ResourceRef]:
    unit = make_unit(db, _provider(db))
    return unit.id, service.unit_ref(unit)


def _location(db: Session, w: World) -> tuple[int, ResourceRef]:
    loc = make_location(db, _provider(db))
    return loc.id, service.location_ref(loc)


def _request(db: Session, w: World) -> tuple[int, ResourceRef]:
    req = make_request(db, w.target_user)
    return req.id, placement.request_ref(req)


def _offer(db: Session, w: World) -> tuple[int, ResourceRef]:
    unit = make_unit(db, _provider(db))
    offer = make_offer(db, make_request(db, w.target_user), unit, w.target_user)
    return offer.id, placement.offer_ref(offer)


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "unit_id": _unit, "request_id": _request, "offer_id": _offer, "location_id": _location,
}

_UNIT_BODY: dict[str, object] = {
    "name": "Groep", "shelter_type": "cosm", "capacity": 2, "genders": ["vrouw"],
    "exploitation_forms": ["arbeid"], "legal_statuses": ["eu"], "authorities": ["comensha"]}

_REQUEST_BODY = {"person_ref": "P-TEST-1", "age": 30, "gender": "vrouw", "legal_status": "eu",
                 "exploitation": "arbeid", "current_region": "vr09",
                 "legal_basis": "toestemming"}

ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("PUT", "/api/v1/shelter/units/{unit_id}/availability"): lambda w: {"available": 1},
    ("POST", "/api/v1/shelter/locations"): lambda w: {
        "name": "Nieuw", "gemeente": "Utrecht", "centrumgemeente": "Utrecht", "region": "vr09"},
    ("POST", "/api/v1/shelter/units"): lambda w: {"location_id": 1, **_UNIT_BODY},
    ("PUT", "/api/v1/shelter/units/{unit_id}"): lambda w: {"version": 1, **_UNIT_BODY},
    ("PUT", "/api/v1/shelter/locations/{location_id}"): lambda w: {
        "name": "Nieuw", "gemeente": "Utrecht", "centrumgemeente": "Utrecht", "region": "vr09",
        "version": 1},
    ("POST", "/api/v1/shelter/requests/{request_id}/leave"): lambda w: {"reason": "doorstroom"},
    ("POST", "/api/v1/shelter/requests"): lambda w: dict(_REQUEST_BODY),
    ("POST", "/api/v1/shelter/requests/{request_id}/offers"): lambda w: {"unit_id": 1},
    ("POST", "/api/v1/shelter/requests/{request_id}/end"): lambda w: {"reason": "ingetrokken"},
    ("POST", "/api/v1/shelter/offers/{offer_id}/decline"): lambda w: {"reason": "veiligheid"},
}
