"""The shelter pages and API through HTTP: quick update, token API, request to placement."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth import credentials
from ketenzicht.auth.enums import Role
from ketenzicht.auth.schemas import TokenCreate
from ketenzicht.shelter.enums import RequestStatus
from ketenzicht.shelter.models import PlacementRequest
from tests.factories.auth import UserFactory, csrf_headers, login
from tests.factories.shelter import make_location, make_request, make_unit
from tests.shelter.conftest import Cast


def _token(db: Session, cast: Cast) -> str:
    system = UserFactory(organisation=cast.provider, password_hash=None, is_system=True,
                         roles=(Role.MEDEWERKER,))
    secret, _row = credentials.issue_token(db, actor=None, default_days=30,
                                           data=TokenCreate(name="koppeling", user_id=system.id))
    return secret


def test_token_api_updates_availability_with_clear_4xx(client: TestClient, db: Session,
                                                       cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=6, available=1)
    foreign = make_unit(db, cast.other_provider)
    auth = {"Authorization": f"Bearer {_token(db, cast)}"}
    url = f"/api/v1/shelter/units/{unit.id}/availability"
    ok = client.put(url, json={"available": 4}, headers=auth)
    assert ok.status_code == 200, ok.text
    assert ok.json()["available"] == 4 and ok.json()["stale"] is False
    assert client.put(url, json={"available": -1}, headers=auth).status_code == 422
    too_many = client.put(url, json={"available": 7}, headers=auth)
    assert too_many.status_code == 422 and "capacit" in too_many.json()["detail"]
    assert client.put(f"/api/v1/shelter/units/{foreign.id}/availability",
                      json={"available": 1}, headers=auth).status_code == 403
    assert client.put("/api/v1/shelter/units/987654/availability", json={"available": 1},
                      headers=auth).status_code == 403
    assert client.put(url, json={"available": 1}).status_code == 401
    db.refresh(unit)
    assert unit.available == 4
    csv_ok = client.post("/api/v1/shelter/availability/import", headers={
        **auth, "Content-Type": "text/csv"}, content=f"unit_id,available\n{unit.id},2\n")
    assert csv_ok.status_code == 200 and csv_ok.json()["updated"] == 1
    csv_bad = client.post("/api/v1/shelter/availability/import", headers={
        **auth, "Content-Type": "text/csv"}, content=f"unit_id,available\n{foreign.id},2\n")
    assert csv_bad.status_code == 422 and csv_bad.json()["errors"][0]["line"] == 2


def test_one_screen_update_by_form_and_htmx(client: TestClient, db: Session,
                                            cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=6, available=1)
    login(client, cast.staff.username)
    page = client.get("/shelter/my")
    assert page.status_code == 200 and f'id="f-available-{unit.id}"' in page.text
    token = client.cookies.get("kz_csrf")
    saved = client.post(f"/shelter/units/{unit.id}/availability",
                        data={"available": "3", "csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303
    partial = client.post(f"/shelter/units/{unit.id}/availability",
                          data={"available": "60", "csrf_token": token},
                          headers={"HX-Request": "true"})
    assert partial.status_code == 200 and 'aria-invalid="true"' in partial.text
    assert "<html" not in partial.text
    db.refresh(unit)
    assert unit.available == 3


def test_every_unit_is_updated_in_one_form_all_or_nothing(client: TestClient, db: Session,
                                                          cast: Cast) -> None:
    # Issue 23: "Mijn plekken bijwerken" had one form per unit (33 on the demo); now one
    # form, sections per location, and one wrong figure saves none and loses nothing typed.
    first = make_unit(db, cast.provider, capacity=6, available=1)
    second = make_unit(db, cast.provider, capacity=4, available=0)
    login(client, cast.staff.username)
    page = client.get("/shelter/my")
    assert page.text.count('<form method="post" action="/shelter/my"') == 1
    assert page.text.count("/availability") == 0
    token = client.cookies.get("kz_csrf")
    bad = client.post("/shelter/my", data={f"available-{first.id}": "5",
                                           f"available-{second.id}": "9", "csrf_token": token})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    assert 'value="5"' in bad.text and 'value="9"' in bad.text  # what was typed stays
    db.refresh(first)
    assert first.available == 1
    good = client.post("/shelter/my", data={f"available-{first.id}": "5",
                                            f"available-{second.id}": "2", "csrf_token": token},
                       follow_redirects=False)
    assert good.status_code == 303
    db.refresh(first)
    db.refresh(second)
    assert (first.available, second.available) == (5, 2)


def test_secret_address_never_reaches_other_organisations(client: TestClient, db: Session,
                                                          cast: Cast) -> None:
    loc = make_location(db, cast.provider, secret_address=True, address="Geheimweg 7")
    unit = make_unit(db, location=loc)
    login(client, cast.coordinator.username)
    assert "Geheimweg" not in client.get(f"/shelter/units/{unit.id}").text
    assert "Geheimweg" not in client.get("/api/v1/shelter/units").text
    assert "Geheimweg" not in client.get("/api/v1/shelter/overview").text


def test_request_to_placement_through_the_pages(app, db: Session, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    unit = make_unit(db, cast.provider, capacity=4, available=2, name="Groep Zon")
    coordinator = TestClient(app)
    login(coordinator, cast.coordinator.username)
    assert coordinator.get("/shelter/requests/new").status_code == 200
    token = coordinator.cookies.get("kz_csrf")
    created = coordinator.post("/shelter/requests", data={
        "person_ref": "CM-2026-0001", "age": "28", "gender": "vrouw", "legal_status": "eu",
        "exploitation": "arbeid", "urgency": "regulier", "security_need": "basis",
        "current_region": "vr13", "legal_basis": "toestemming", "languages": "ro, en",
        "exclude_regions": ["vr01"], "action": "submit", "csrf_token": token},
        follow_redirects=False)
    assert created.status_code == 303, created.text[:2000]
    detail = coordinator.get(created.headers["location"])
    assert "Groep Zon" in detail.text and "score" in detail.text
    request_id = int(created.headers["location"].rsplit("/", 1)[1])
    held = coordinator.post(f"/shelter/requests/{request_id}/offers",
                            data={"unit_id": str(unit.id), "csrf_token": token},
                            follow_redirects=False)
    assert held.status_code == 303
    shelter = TestClient(app)
    login(shelter, cast.staff.username)
    assert shelter.get(f"/shelter/requests/{request_id}").status_code == 403
    offers = shelter.get("/shelter/offers")
    offer_id = re.search(r"/shelter/offers/(\d+)/accept", offers.text)
    assert offer_id and "CM-2026-0001" not in offers.text  # no pseudonym before accepting
    accepted = shelter.post(f"/shelter/offers/{offer_id.group(1)}/accept",
                            data={"csrf_token": shelter.cookies.get("kz_csrf")},
                            follow_redirects=False)
    assert accepted.status_code == 303
    assert "CM-2026-0001" in shelter.get(f"/shelter/requests/{request_id}").text
    req = db.get(PlacementRequest, request_id)
    assert req is not None and req.status is RequestStatus.ACCEPTED
    api = coordinator.post(f"/api/v1/shelter/requests/{request_id}/offers",
                           json={"unit_id": unit.id}, headers=csrf_headers(coordinator))
    assert api.status_code == 422  # accepted -> offered is not a step of the machine


def test_overview_and_registry_pages(client: TestClient, db: Session, cast: Cast) -> None:
    make_unit(db, cast.provider)
    login(client, cast.coordinator.username)
    for path in ("/shelter", "/shelter/units", "/shelter/units?region=vr09&free=1",
                 "/shelter/requests", "/api/v1/shelter/overview", "/api/v1/shelter/batch-plan"):
        assert client.get(path).status_code == 200, path


def test_matches_page_and_api_show_the_best_count_the_rest_and_explain_any_unit(
        client: TestClient, db: Session, cast: Cast) -> None:
    good = [make_unit(db, cast.provider, name=f"Goed {i}") for i in range(3)]
    men = [make_unit(db, cast.provider, name=f"Mannen {i}", genders=["man"]) for i in range(2)]
    full = make_unit(db, cast.provider, name="Vol", capacity=2, available=0, genders=["man"])
    req = make_request(db, cast.coordinator)
    login(client, cast.coordinator.username)
    base = f"/api/v1/shelter/requests/{req.id}/matches"
    ranked = client.get(base, params={"limit": 2}).json()
    assert [m["eligible"] for m in ranked] == [True, True]
    rest = client.get(base, params={"limit": 10, "offset": 2}).json()
    assert len(rest) == 4 and {m["eligible"] for m in rest[1:]} == {False}
    assert [m["unit_id"] for m in client.get(base, params={
        "eligible_only": True, "limit": 10}).json()] == [m["unit_id"] for m in (
            ranked + rest[:1])]
    summary = client.get(f"{base}/summary").json()
    assert summary["units"] == 6 and summary["eligible"] == 3 and summary["excluded"] == 3
    assert {(r["code"], r["units"]) for r in summary["reasons"]} == {("gender", 3), ("full", 1)}
    assert next(r for r in summary["reasons"] if r["code"] == "full")["text"] == "no free place"
    asked = client.get(f"{base}/{full.id}").json()
    assert not asked["eligible"] and {r["code"] for r in asked["reasons"]} == {"gender", "full"}
    assert client.get(f"{base}/{good[0].id}").json()["eligible"]
    assert client.get(f"{base}/999999").status_code == 404
    assert client.get(base, params={"limit": 0}).status_code == 422
    page = client.get(f"/shelter/requests/{req.id}", params={"why": men[1].id})
    assert page.status_code == 200
    assert "Goed 0" in page.text and "Mannen 1" in page.text
    assert page.text.count("Mannen 1") >= 2  # listed among the excluded and explained
    assert client.get(f"/shelter/requests/{req.id}", params={"why": 999999}).status_code == 200
