"""Synthetic demo data: about 120 units across the 25 safety regions, with stale figures
and waiting requests. Nothing here describes a real shelter or person."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import OrganisationCreate, UserCreate
from ketenzicht.auth.service import Organisation
from ketenzicht.core import clock
from ketenzicht.shelter import service
from ketenzicht.shelter.enums import (
    Authority,
    DeclineReason,
    EndReason,
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
from ketenzicht.shelter.models import (
    AvailabilityLog,
    PlacementRequest,
    ShelterOffer,
    ShelterUnit,
)
from ketenzicht.shelter.regions import REGIONS
from ketenzicht.shelter.schemas import LocationCreate, UnitCreate

E, L, A = list(Exploitation), list(LegalStatus), Authority
LANGS = ["nl", "en", "ro", "bg", "pl", "es", "fr", "ar", "ti", "vi", "zh", "ru", "uk", "pt"]

# (type, genders, ages, minors, authorities, legal statuses, security)
PROFILES = {
    ShelterType.COSM: ([Gender.VROUW, Gender.MAN, Gender.X], (18, 120), False,
                       [A.COMENSHA], [LegalStatus.B8, LegalStatus.EU, LegalStatus.UNDOCUMENTED],
                       Security.VERHOOGD),
    ShelterType.OMM: ([Gender.VROUW, Gender.MAN], (12, 17), True, [A.NIDOS],
                      L, Security.HOOG),
    ShelterType.VROUWENOPVANG: ([Gender.VROUW], (18, 120), False,
                                [A.CENTRUMGEMEENTE, A.COMENSHA], L, Security.VERHOOGD),
    ShelterType.MANNENOPVANG: ([Gender.MAN], (18, 120), False,
                               [A.CENTRUMGEMEENTE, A.COMENSHA], L, Security.BASIS),
    ShelterType.MAATSCHAPPELIJK: ([Gender.VROUW, Gender.MAN, Gender.X], (18, 120), False,
                                  [A.CENTRUMGEMEENTE], [LegalStatus.NL, LegalStatus.EU],
                                  Security.BASIS),
    ShelterType.JEUGD_AMV: ([Gender.VROUW, Gender.MAN, Gender.X], (12, 17), True, [A.NIDOS],
                            L, Security.VERHOOGD),
    ShelterType.CRISIS: ([Gender.VROUW, Gender.MAN, Gender.X], (18, 120), False,
                         [A.CENTRUMGEMEENTE, A.COMENSHA], L, Security.BASIS),
}
TYPE_WEIGHTS = {ShelterType.COSM: 3, ShelterType.OMM: 1, ShelterType.VROUWENOPVANG: 3,
                ShelterType.MANNENOPVANG: 2, ShelterType.MAATSCHAPPELIJK: 3,
                ShelterType.JEUGD_AMV: 1, ShelterType.CRISIS: 2}


def _unit_data(rng: random.Random, location_id: int, kind: ShelterType, name: str) -> UnitCreate:
    genders, (lo, hi), minors, auths, legal, security = PROFILES[kind]
    capacity = rng.choice([2, 4, 6, 8, 10, 12, 16])
    women = genders == [Gender.VROUW]
    return UnitCreate(
        location_id=location_id, name=name, shelter_type=kind, capacity=capacity,
        available=min(capacity, rng.choice([0, 0, 1, 1, 2, 3, 4])), genders=genders,
        age_min=lo, age_max=hi, accepts_minors=minors,
        max_children=rng.choice([0, 2, 3]) if women or kind is ShelterType.CRISIS else 0,
        children_age_max=rng.choice([12, 17]),
        exploitation_forms=rng.sample(E, k=rng.randint(3, len(E))) if rng.random() < 0.4 else E,
        legal_statuses=legal, authorities=auths,
        security=Security.HOOG if rng.random() < 0.15 else security,
        staffed_24_7=kind in (ShelterType.CRISIS, ShelterType.COSM, ShelterType.OMM)
        or rng.random() < 0.4,
        addiction_care=rng.random() < 0.3, psychiatric_care=rng.random() < 0.3,
        lvb_support=rng.random() < 0.35, medical_care=rng.random() < 0.25,
        wheelchair=rng.random() < 0.3, pets=rng.random() < 0.15,
        languages=["nl", "en", *rng.sample(LANGS[2:], k=rng.randint(0, 3))],
        max_stay_days=rng.choice([None, 90, 180, 365]) if kind is not ShelterType.CRISIS else 14)


class _Context(Protocol):
    @property
    def organisations(self) -> dict[OrgType, Organisation]: ...


def seed_shelter(session: Session, ctx: _Context) -> None:
    """Providers, 120 units in the 25 regions, 3 months of figures, waiting and past requests."""
    rng = random.Random(7)  # noqa: S311 - synthetic demo data, reproducible on purpose
    orgs = ctx.organisations
    now = clock.now()
    home = orgs.get(OrgType.OPVANG)
    providers = [home] if home is not None else []
    for i, name in enumerate(("Stichting Veilig Onderdak", "De Schuilplaats", "Perspectief Opvang",
                              "Huis van Herstel", "Kompas Jeugdzorg")):
        providers.append(auth_service.create_organisation(session, data=OrganisationCreate(
            code=f"opvang-demo-{i + 2}", name=f"{name} (demo)", org_type=OrgType.OPVANG),
            actor=None))
    if home is not None:
        # A system account with which a provider's own software reports figures by API.
        auth_service.create_user(session, data=UserCreate(
            username="opvang-demo-koppeling", display_name="Koppeling Opvang Demostad (demo)",
            organisation_id=home.id, roles=[Role.MEDEWERKER], is_system=True), actor=None)
    kinds = [k for k, w in TYPE_WEIGHTS.items() for _ in range(w)]
    units: list[ShelterUnit] = []
    for r_index, region in enumerate(REGIONS.values()):
        for j in range(2):
            org = providers[0] if r_index < 3 and home is not None else rng.choice(providers)
            secret = rng.random() < 0.3
            town = f"{region.name.split()[0].split('-')[0]}"
            loc = service.create_location(session, actor=None, data=LocationCreate(
                organisation_id=org.id, name=(f"Opvang Demostad {region.name}" if org is home
                                              else f"Locatie {town} {j + 1}"),
                gemeente=town, centrumgemeente=town, region=region.code,
                address=None if secret else f"Demostraat {rng.randint(1, 200)}, {town}",
                lat=region.lat + rng.uniform(-0.12, 0.12),
                lon=region.lon + rng.uniform(-0.15, 0.15), secret_address=secret))
            for k in range(2 + (r_index + j) % 2):
                kind = rng.choice(kinds)
                data = _unit_data(rng, loc.id, kind, f"Groep {chr(65 + k)}")
                if org is home and k == 0:
                    # A women's shelter the demo provider's account can always be offered.
                    data = _unit_data(rng, loc.id, ShelterType.VROUWENOPVANG, "Groep A")
                    data = data.model_copy(update={"available": max(2, data.available),
                                                   "capacity": max(4, data.capacity),
                                                   "exploitation_forms": E})
                units.append(service.create_unit(session, actor=None, data=data))
    _history(session, rng, units, now)
    _requests(session, rng, orgs, now)
    _past_placements(session, rng, orgs, units, now)


def _history(session: Session, rng: random.Random, units: list[ShelterUnit],
             now: datetime) -> None:
    # Three months of reported figures; about one in five units has not reported for days.
    for unit in units:
        stale = rng.random() < 0.2
        last_at = now - timedelta(hours=rng.uniform(30, 120) if stale
                                  else rng.uniform(0.2, 20))
        at = now - timedelta(days=95)  # the longest trend window, and a few days more
        while at < last_at:
            session.add(AvailabilityLog(unit_id=unit.id, at=at, capacity=unit.capacity,
                                        available=rng.randint(0, unit.capacity),
                                        by_username="demo", via="form"))
            at += timedelta(hours=rng.uniform(12, 60))
        session.add(AvailabilityLog(unit_id=unit.id, at=last_at, capacity=unit.capacity,
                                    available=unit.available, by_username="demo", via="form"))
        unit.available_updated_at = last_at
    session.flush()


def _requests(session: Session, rng: random.Random, orgs: dict[OrgType, Organisation],
              now: datetime) -> None:
    owners = [o for t, o in orgs.items() if t in (OrgType.COMENSHA, OrgType.GEMEENTE)]
    if not owners:
        return
    codes = list(REGIONS)
    for i in range(14):
        owner = owners[i % len(owners)]
        legal = rng.choice([LegalStatus.B8, LegalStatus.EU, LegalStatus.NL])
        age = rng.randint(19, 45)
        submitted = now - timedelta(hours=rng.uniform(2, 96))
        urgency = Urgency.NOODBED if i % 4 == 0 else Urgency.REGULIER
        session.add(PlacementRequest(
            person_ref=f"DEMO-{2026}-{i + 1:04d}", owner_org_id=owner.id,
            owner_user_id=_first_user(session, owner.id),
            age_min=age, age_max=age, gender=rng.choice([Gender.VROUW, Gender.VROUW, Gender.MAN]),
            nationality=rng.choice(["Roemeens", "Bulgaars", "Nigeriaans", "Nederlands", None]),
            legal_status=legal,
            b8_start=now.date() - timedelta(days=rng.randint(1, 60))
            if legal is LegalStatus.B8 else None,
            exploitation=rng.choice(E), urgency=urgency,
            exclude_regions=rng.sample(codes, k=rng.randint(0, 2)),
            needs_secret_address=rng.random() < 0.25,
            security_need=rng.choice([Security.BASIS, Security.VERHOOGD]),
            languages=rng.sample(LANGS[:8], k=rng.randint(1, 2)),
            children_ages=[rng.randint(1, 12)] if rng.random() < 0.2 else [],
            pets=False, addiction=rng.random() < 0.15, psychiatric=rng.random() < 0.15,
            lvb=rng.random() < 0.1, medical=False, wheelchair=False,
            current_region=rng.choice(codes), legal_basis=LegalBasis.CONSENT,
            respond_by=submitted + timedelta(hours=24 if urgency is Urgency.NOODBED
                                             else 24 * 7),
            status=RequestStatus.SUBMITTED, submitted_at=submitted))
    session.flush()


def _first_user(session: Session, org_id: int) -> int:
    found = auth_service.member_ids(session, org_id)
    assert found, "the core seeder makes one account per organisation"
    return found[0]


def _past_placements(session: Session, rng: random.Random, orgs: dict[OrgType, Organisation],
                     units: list[ShelterUnit], now: datetime) -> None:
    """Two months of history: declined offers, placements (some ended), so the overview's
    declines, uitstroom, time-to-placement and bounces have figures to show."""
    owner = orgs.get(OrgType.COMENSHA)
    if owner is None or not units:
        return
    user_id = _first_user(session, owner.id)
    adults = [u for u in units if u.age_min >= 18 and "vrouw" in u.genders]
    for i in range(16):
        submitted = now - timedelta(days=rng.uniform(3, 60))
        unit = adults[0] if i < 3 else rng.choice(adults)  # a few at the demo provider itself
        placed = submitted + timedelta(hours=rng.uniform(3, 72))
        # Every other one has left again, some soon (a bounce), some after weeks.
        ended = placed + (now - placed) * rng.uniform(0.1, 0.9) if i >= 3 and i % 2 else None
        req = PlacementRequest(
            person_ref=f"DEMO-{2026}-H{i + 1:03d}", owner_org_id=owner.id, owner_user_id=user_id,
            age_min=(age := rng.randint(19, 50)), age_max=age, gender=Gender.VROUW,
            nationality=rng.choice(["Roemeens", "Nigeriaans", "Oegandees", None]),
            legal_status=LegalStatus.B8, b8_start=submitted.date(),
            exploitation=rng.choice(E), urgency=Urgency.REGULIER, exclude_regions=[],
            security_need=Security.BASIS, languages=["en"], children_ages=[],
            current_region=rng.choice(list(REGIONS)), legal_basis=LegalBasis.CONSENT,
            respond_by=submitted + timedelta(days=7), submitted_at=submitted, placed_at=placed,
            status=RequestStatus.ENDED if ended else RequestStatus.PLACED, ended_at=ended,
            end_reason=rng.choice([EndReason.MOVED_ON, EndReason.MOVED_ON, EndReason.LEFT,
                                   EndReason.TRANSFERRED]) if ended else None,
            ended_by="demo" if ended else None, unit_id=unit.id,
            receiving_org_id=unit.location.organisation_id)
        session.add(req)
        session.flush()
        # Offers that came to nothing before the one that was accepted: the bounces.
        for k in range(rng.choice([0, 0, 1, 1, 2, 3])):
            at = submitted + timedelta(hours=k + 1)
            session.add(ShelterOffer(
                request_id=req.id, unit_id=rng.choice(adults).id, status=OfferStatus.DECLINED,
                hold_until=at + timedelta(hours=4), offered_by_user_id=user_id, score=50.0,
                decided_at=at + timedelta(hours=1), decided_by="demo", created_at=at,
                decline_reason=rng.choice(list(DeclineReason)[:-1])))
        session.add(ShelterOffer(
            request_id=req.id, unit_id=unit.id, status=OfferStatus.ACCEPTED,
            hold_until=placed, offered_by_user_id=user_id, score=70.0, decided_at=placed,
            decided_by="demo", created_at=placed - timedelta(hours=2)))
    session.flush()
