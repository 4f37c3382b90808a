"""The case page's HTML forms, the referrals page and break-the-glass, through the app."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import service
from tests.cases.conftest import open_team_case
from tests.factories.auth import login


def _client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    login(client, username)
    return client


def _post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    data = {**data, "csrf_token": client.cookies.get("kz_csrf")}
    return client.post(url, data=data, follow_redirects=False)


def test_forms_of_the_case_page(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    o = team["orgs"]
    coord = _client(app, team["coord"].username)
    page = coord.get(f"/cases/{case.id}")
    assert page.status_code == 200 and f'action="/cases/{case.id}/persons"' in page.text
    answer = _post(coord, f"/cases/{case.id}/persons", {
        "role": "witness", "pseudonym": "Getuige K.", "nationality": "bg",
        "locations": "Westland, Venlo"})
    assert answer.status_code == 303, answer.text
    db.expire_all()
    person = case.persons[-1]
    assert (person.pseudonym, person.nationality, person.locations) == (
        "Getuige K.", "BG", ["Westland", "Venlo"])
    assert _post(coord, f"/cases/{case.id}/persons", {"role": "witness"}).status_code == 422
    answer = _post(coord, f"/cases/{case.id}/participants", {
        "org_id": o[OrgType.OPVANG].id, "phase": "opvang", "raci": "consulted"})
    assert answer.status_code == 303
    db.expire_all()
    assert o[OrgType.OPVANG].id in service.case_ref(case).participant_org_ids
    answer = _post(coord, f"/cases/{case.id}/conferences", {
        "held_at": "2030-01-07T10:00", "agenda": "Veiligheid\nOpvang",
        "attendee_org_ids": [str(o[OrgType.POLITIE].id)]})
    assert answer.status_code == 303
    page = coord.get(f"/cases/{case.id}").text
    conf = re.search(r'/conferences/(\d+)/minutes', page)
    assert conf and "Veiligheid; Opvang" in page
    cid = conf.group(1)
    assert _post(coord, f"/cases/{case.id}/conferences/{cid}/minutes",
                 {"version": "1", "minutes": "Besproken."}).status_code == 303
    assert _post(coord, f"/cases/{case.id}/decisions", {
        "text": "Opvang regelen", "rationale": "Acuut gevaar", "conference_id": cid,
        "owner_org_id": str(o[OrgType.ZORG].id)}).status_code == 303
    assert _post(coord, f"/cases/{case.id}/conferences/{cid}/finalise",
                 {"version": "2"}).status_code == 303
    assert _post(coord, f"/cases/{case.id}/conferences/{cid}/minutes",
                 {"version": "3", "minutes": "Anders."}).status_code == 409
    coord.headers["Accept-Language"] = "en"  # the texts below, whatever the catalogue says
    page = coord.get(f"/cases/{case.id}").text
    assert f'action="/cases/{case.id}/conferences/{cid}/versions"' in page
    assert _post(coord, f"/cases/{case.id}/conferences/{cid}/versions",
                 {"supersedes": "1", "text": "Besproken.\r\nAanvulling: opvang in Oost.",
                  "reason": "vergeten"}).status_code == 303
    stale = _post(coord, f"/cases/{case.id}/conferences/{cid}/versions",
                  {"supersedes": "1", "text": "Anders.", "reason": "dubbel"})
    assert stale.status_code == 409 and "version 2" in stale.text
    page = coord.get(f"/cases/{case.id}").text
    assert "Aanvulling: opvang in Oost." in page and "Acuut gevaar" in page
    assert "Minutes, version 2 (current)" in page and "1 earlier version" in page
    assert "Why: vergeten" in page and "Version 1, superseded by version 2" in page
    assert _post(coord, f"/cases/{case.id}/notes",
                 {"category": "care", "text": "Heeft medische zorg nodig"}).status_code == 303
    assert _post(coord, f"/cases/{case.id}/notes",
                 {"category": "investigation", "text": "x"}).status_code == 403


def test_referral_round_trip_in_html(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    coord = _client(app, team["coord"].username)
    answer = _post(coord, f"/cases/{case.id}/referrals", {
        "to_org_id": str(team["orgs"][OrgType.OPVANG].id), "phase": "opvang",
        "purpose": "Veilige opvangplek", "legal_basis": "consent",
        "legal_basis_note": "Schriftelijk toegestemd bij intake",
        "data_categories": ["identity", "shelter"]})
    assert answer.status_code == 303, answer.text
    shelter = _client(app, team["shelter"].username)
    page = shelter.get("/cases/referrals")
    assert "Veilige opvangplek" in page.text and case.title not in page.text
    ref = re.search(r"/cases/referrals/(\d+)/answer", page.text)
    assert ref
    assert shelter.get(f"/cases/{case.id}").status_code == 403
    assert _post(shelter, f"/cases/referrals/{ref.group(1)}/answer",
                 {"version": "1", "to_status": "accepted"}).status_code == 303
    assert shelter.get(f"/cases/{case.id}").status_code == 200
    inbox = shelter.get("/notifications")
    assert 'href="/cases/referrals"' in inbox.text


def test_break_the_glass_in_html(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    outsider = _client(app, team["outsider"].username)
    assert outsider.get(f"/cases/{case.id}").status_code == 403
    assert outsider.get(f"/cases/{case.id}/emergency").status_code == 200
    jump = outsider.get("/cases/emergency", params={"case_id": case.id}, follow_redirects=False)
    assert jump.headers["location"] == f"/cases/{case.id}/emergency"
    assert 'action="/cases/emergency"' in outsider.get("/cases").text
    assert _post(outsider, f"/cases/{case.id}/emergency",
                 {"reason": "kort"}).status_code == 422
    assert _post(outsider, f"/cases/{case.id}/emergency",
                 {"reason": "Slachtoffer staat aan de balie, acuut gevaar",
                  "hours": "2"}).status_code == 303
    page = outsider.get(f"/cases/{case.id}")
    assert page.status_code == 200 and 'id="emergency-banner"' in page.text
    assert f'action="/cases/{case.id}/persons"' not in page.text  # reading only
    coord = _client(app, team["coord"].username)
    assert "acuut gevaar" in coord.get(f"/cases/{case.id}").text
