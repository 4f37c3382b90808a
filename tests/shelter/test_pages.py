"""The new shelter pages and API routes through HTTP: manage, uitstroom, batch, trend, map."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.core import clock
from ketenzicht.shelter import geo, manage, placement
from ketenzicht.shelter.enums import Gender, OfferStatus
from ketenzicht.shelter.models import (
    AvailabilityLog,
    ShelterLocation,
    ShelterOffer,
    ShelterUnit,
)
from ketenzicht.shelter.regions import REGIONS
from ketenzicht.shelter.schemas import LocationUpdate
from tests.factories.auth import OrganisationFactory, UserFactory, actor, csrf_headers, login
from tests.factories.shelter import make_location, make_request, make_unit
from tests.shelter.conftest import Cast

UNIT_FORM = {"name": "Groep Noord", "shelter_type": "vrouwenopvang", "capacity": "6",
             "available": "2", "age_min": "18", "age_max": "120", "max_children": "2",
             "children_age_max": "12", "security": "verhoogd", "languages": "nl, ro",
             "genders": ["vrouw"], "exploitation_forms": ["seksueel", "arbeid"],
             "legal_statuses": ["b8", "eu"], "authorities": ["comensha"],
             "staffed_24_7": "on"}


def test_provider_creates_a_location_and_unit_through_the_pages(client: TestClient,
                                                                db: Session,
                                                                cast: Cast) -> None:
    login(client, cast.manager.username)
    assert client.get("/shelter/manage").status_code == 200
    assert client.get("/shelter/manage/locations/new").status_code == 200
    token = client.cookies.get("kz_csrf")
    bad = client.post("/shelter/manage/locations", data={
        "name": "Huis", "gemeente": "Zwolle", "centrumgemeente": "Zwolle", "region": "vr99",
        "csrf_token": token})
    assert bad.status_code == 422 and "unknown region" in bad.text
    assert 'value="Huis"' in bad.text  # what was typed stays
    created = client.post("/shelter/manage/locations", data={
        "name": "Huis aan de IJssel", "gemeente": "Zwolle", "centrumgemeente": "Zwolle",
        "region": "vr04", "address": "Kade 1", "secret_address": "on", "lat": "52.51",
        "lon": "6.09", "csrf_token": token}, follow_redirects=False)
    assert created.status_code == 303
    new_unit = created.headers["location"]
    loc_id = int(new_unit.split("/")[-3])
    loc = db.get(ShelterLocation, loc_id)
    assert loc is not None and loc.organisation_id == cast.provider.id and loc.secret_address
    assert client.get(new_unit).status_code == 200
    refused = client.post(f"/shelter/manage/locations/{loc_id}/units",
                          data={**UNIT_FORM, "available": "9", "csrf_token": token})
    assert refused.status_code == 422 and "available must not exceed capacity" in refused.text
    saved = client.post(f"/shelter/manage/locations/{loc_id}/units",
                        data={**UNIT_FORM, "csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303
    unit = db.scalars(select(ShelterUnit).where(ShelterUnit.location_id == loc_id)).one()
    assert (unit.capacity, unit.available, unit.genders, unit.languages) == (
        6, 2, ["vrouw"], ["nl", "ro"])
    assert unit.staffed_24_7 and not unit.pets and unit.security == "verhoogd"


def test_unit_edit_page_saves_and_refuses_a_stale_version(client: TestClient, db: Session,
                                                          cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=8, available=4)
    login(client, cast.manager.username)
    page = client.get(f"/shelter/manage/units/{unit.id}")
    assert page.status_code == 200 and 'name="version" value="1"' in page.text
    token = client.cookies.get("kz_csrf")
    form = {**UNIT_FORM, "capacity": "3", "is_active": "on", "version": "1",
            "csrf_token": token}
    assert client.post(f"/shelter/manage/units/{unit.id}", data=form,
                       follow_redirects=False).status_code == 303
    db.refresh(unit)
    assert (unit.capacity, unit.available, unit.version) == (3, 3, 2)
    stale = client.post(f"/shelter/manage/units/{unit.id}", data={**form, "name": "Anders"})
    assert stale.status_code == 409 and "Anders" not in stale.text
    db.refresh(unit)
    assert unit.name == "Groep Noord"


def test_manage_pages_refuse_other_organisations(client: TestClient, db: Session,
                                                 cast: Cast) -> None:
    unit = make_unit(db, cast.provider)
    login(client, cast.other_staff.username)
    for path in (f"/shelter/manage/units/{unit.id}",
                 f"/shelter/manage/locations/{unit.location_id}"):
        assert client.get(path).status_code == 403


def test_unit_and_location_api(client: TestClient, db: Session, cast: Cast) -> None:
    loc = make_location(db, cast.provider)
    unit = make_unit(db, location=loc, capacity=5, available=5)
    login(client, cast.manager.username)
    client.get("/shelter")
    headers = csrf_headers(client)
    listed = client.get("/api/v1/shelter/locations").json()
    assert [x["id"] for x in listed] == [loc.id]
    body = client.get(f"/api/v1/shelter/units/{unit.id}").json()
    keep = ("name", "shelter_type", "capacity", "genders", "age_min", "age_max",
            "exploitation_forms", "legal_statuses", "authorities", "security", "languages",
            "version")
    update = {k: body[k] for k in keep}
    ok = client.put(f"/api/v1/shelter/units/{unit.id}", json={**update, "capacity": 2},
                    headers=headers)
    assert ok.status_code == 200 and ok.json()["available"] == 2 and ok.json()["version"] == 2
    stale = client.put(f"/api/v1/shelter/units/{unit.id}", json={**update, "capacity": 4},
                       headers=headers)
    assert stale.status_code == 409 and "versie 2" in stale.json()["detail"]
    assert client.put(f"/api/v1/shelter/units/{unit.id}", json={**update, "capacity": -3},
                      headers=headers).status_code == 422
    moved = client.put(f"/api/v1/shelter/locations/{loc.id}", headers=headers, json={
        "name": "Verhuisd", "gemeente": "Utrecht", "centrumgemeente": "Utrecht",
        "region": "vr09", "version": loc.version})
    assert moved.status_code == 200 and moved.json()["name"] == "Verhuisd"


def test_uitstroom_through_the_page_and_the_api(app, db: Session, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    unit = make_unit(db, cast.provider, capacity=3, available=2)
    reqs = [make_request(db, cast.coordinator, person_ref=f"CM-UIT-{i}") for i in range(2)]
    for req in reqs:
        offer = placement.reserve(db, actor=_a(cast, "coordinator"), request_id=req.id,
                                  unit_id=unit.id, hold_hours=4, stale_hours=24)
        placement.accept(db, actor=_a(cast, "staff"), offer_id=offer.id)
        placement.place(db, actor=_a(cast, "staff"), offer_id=offer.id)
    db.refresh(unit)
    assert unit.available == 0
    shelter = TestClient(app)
    login(shelter, cast.staff.username)
    page = shelter.get("/shelter/placements")
    assert page.status_code == 200 and "CM-UIT-0" in page.text and "CM-UIT-1" in page.text
    token = shelter.cookies.get("kz_csrf")
    missing = shelter.post(f"/shelter/placements/{reqs[0].id}/end",
                           data={"reason": "anders", "csrf_token": token})
    assert missing.status_code == 422 and "note" in missing.text
    ended = shelter.post(f"/shelter/placements/{reqs[0].id}/end",
                         data={"reason": "doorstroom", "csrf_token": token},
                         follow_redirects=False)
    assert ended.status_code == 303
    api = shelter.post(f"/api/v1/shelter/requests/{reqs[1].id}/leave",
                       json={"reason": "anders", "note": "terug naar familie"},
                       headers=csrf_headers(shelter))
    assert api.status_code == 200 and api.json()["end_note"] == "terug naar familie"
    db.refresh(unit)
    assert unit.available == 2
    assert "CM-UIT" not in shelter.get("/shelter/placements").text
    other = TestClient(app)
    login(other, cast.other_staff.username)
    assert other.post(f"/api/v1/shelter/requests/{reqs[1].id}/leave", json={
        "reason": "vertrokken"}, headers=csrf_headers(other)).status_code == 403


def _a(cast: Cast, who: str):  # type: ignore[no-untyped-def]
    return cast.actor(getattr(cast, who))


def test_batch_page_shows_both_plans_and_holds_them_all(client: TestClient, db: Session,
                                                        cast: Cast) -> None:
    anywhere = make_unit(db, cast.provider, capacity=2, available=1, name="Groep Overal")
    women = make_unit(db, cast.provider, capacity=2, available=1, genders=["vrouw"],
                      name="Groep Vrouwen", location_kw={"lat": 53.2, "lon": 6.5,
                                                         "region": "vr01"})
    first = make_request(db, cast.coordinator, gender=Gender.VROUW, person_ref="CM-B-1",
                         submitted_at=clock.now() - timedelta(hours=2))
    second = make_request(db, cast.coordinator, gender=Gender.MAN, person_ref="CM-B-2")
    login(client, cast.coordinator.username)
    page = client.get("/shelter/batch")
    assert page.status_code == 200
    assert "Groep Vrouwen" in page.text and "Groep Overal" in page.text
    assert "geen passende plek meer" in page.text  # first come leaves the man without
    held = client.post("/shelter/batch/hold", data={"csrf_token": client.cookies.get("kz_csrf")})
    assert held.status_code == 200 and "2 plekken vastgehouden, 0 niet" in held.text
    offers = db.scalars(select(ShelterOffer).where(ShelterOffer.status == OfferStatus.HELD))
    assert {(o.request_id, o.unit_id) for o in offers} == {(first.id, women.id),
                                                           (second.id, anywhere.id)}
    again = client.post("/api/v1/shelter/batch-plan/hold", headers=csrf_headers(client))
    assert again.status_code == 200 and again.json() == []  # nobody is waiting any more


def test_trend_windows_and_the_map(client: TestClient, db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=10, available=10)
    # A figure from long before the 7-day window still counts inside it.
    db.add(AvailabilityLog(unit_id=unit.id, at=clock.now() - timedelta(days=40), available=4,
                           capacity=10, by_username="t", via="form"))
    for row in db.scalars(select(AvailabilityLog).where(AvailabilityLog.unit_id == unit.id,
                                                        AvailabilityLog.via == "create")):
        row.at = clock.now() - timedelta(days=60)
    db.flush()
    login(client, cast.coordinator.username)
    trends = {}
    for days in (7, 30, 90):
        api = client.get(f"/api/v1/shelter/overview?trend_days={days}")
        assert api.status_code == 200 and len(api.json()["trend"]) == days
        trends[days] = [d["occupancy_pct"] for d in api.json()["trend"]]
    assert trends[7][0] == trends[30][0] == trends[90][-1] == 60.0
    # 89 days ago nothing was reported yet; 50 days ago the first figure (all free) held.
    assert trends[90][0] is None and trends[90][89 - 50] == 0.0
    assert client.get("/api/v1/shelter/overview?trend_days=15").status_code == 422
    page = client.get("/shelter?days=90")
    assert page.status_code == 200
    assert "Natural Earth" in page.text and '<path d="M' in page.text
    assert len(re.findall(r'<tr class="utrecht-table__row"><td class="utrecht-table__cell">'
                          r'\d\d-\d\d-\d{4}', page.text)) == 90
    assert client.get("/shelter?days=5").status_code == 200  # unknown window: 30 days


def test_every_region_centre_lies_inside_the_map() -> None:
    for region in REGIONS.values():
        x, y = geo.project(region.lat, region.lon)
        assert 0 < x < geo.WIDTH and 0 < y < geo.HEIGHT, region.name
    # The mainland with the IJsselmeer as a hole, Flevoland, Zeeland and the islands.
    assert geo.outline().path.count("M") == 11



def test_empty_number_fields_mean_the_defaults(client: TestClient, db: Session,
                                               cast: Cast) -> None:
    loc = make_location(db, cast.provider)
    login(client, cast.manager.username)
    form = client.get(f"/shelter/manage/locations/{loc.id}/units/new").text
    assert re.search(r'name="max_children" type="number"\s+value="0"', form)
    saved = client.post(f"/shelter/manage/locations/{loc.id}/units", data={
        **UNIT_FORM, "max_children": "", "available": "", "max_stay_days": "",
        "csrf_token": client.cookies.get("kz_csrf")}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:3000]
    unit = db.scalars(select(ShelterUnit).where(ShelterUnit.location_id == loc.id)).one()
    assert (unit.max_children, unit.available, unit.max_stay_days) == (0, 0, None)
    edit = client.get(f"/shelter/manage/units/{unit.id}").text
    assert re.search(r'name="available"', edit) is None  # reported elsewhere, not edited here
    assert re.search(r'name="max_children" type="number"\s+value="0"', edit)


def test_national_beheer_edits_a_secret_location_without_seeing_or_erasing_its_address(
        client: TestClient, db: Session, cast: Cast) -> None:
    loc = make_location(db, cast.provider, address="Geheimweg 9", secret_address=True,
                        lat=52.1, lon=5.1)
    beheer = UserFactory(organisation=OrganisationFactory(org_type=OrgType.BEHEER),
                         roles=(Role.BEHEERDER,))
    db.flush()
    login(client, beheer.username)
    page = client.get(f"/shelter/manage/locations/{loc.id}")
    assert page.status_code == 200 and "Geheimweg" not in page.text
    # What beheer sends back has no address: the provider's stays, and stays secret.
    manage.update_location(db, actor=actor(beheer), location_id=loc.id, data=LocationUpdate(
        name="Nieuwe naam", gemeente=loc.gemeente, centrumgemeente=loc.centrumgemeente,
        region=loc.region, address=None, lat=None, lon=None, secret_address=False,
        version=loc.version))
    assert (loc.name, loc.address, loc.lat, loc.secret_address) == (
        "Nieuwe naam", "Geheimweg 9", 52.1, True)
