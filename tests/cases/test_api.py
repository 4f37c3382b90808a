"""The JSON API of conferences, referrals, notes, links and break-the-glass."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from tests.cases.conftest import open_team_case
from tests.factories.auth import csrf_headers, login


def _client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    login(client, username)
    return client


def test_coordination_over_the_api(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    base = f"/api/v1/cases/{case.id}"
    coord = _client(app, team["coord"].username)
    h = csrf_headers(coord)
    conf = coord.post(f"{base}/conferences", headers=h, json={
        "held_at": "2030-01-07T10:00:00+01:00", "agenda": ["Veiligheid"],
        "attendee_org_ids": [team["orgs"][OrgType.ZORG].id]})
    assert conf.status_code == 201, conf.text
    cid = conf.json()["id"]
    assert conf.json()["attendees"] == [team["orgs"][OrgType.ZORG].name]
    edited = coord.patch(f"{base}/conferences/{cid}", headers=h,
                         json={"version": 1, "minutes": "Besproken."})
    assert edited.json()["version"] == 2
    final = coord.post(f"{base}/conferences/{cid}/finalise", headers=h, json={"version": 2})
    assert final.json()["status"] == "final"
    again = coord.patch(f"{base}/conferences/{cid}", headers=h,
                        json={"version": 3, "minutes": "Anders."})
    assert again.status_code == 409 and again.json()["detail"]
    care = _client(app, team["care"].username)
    fix = care.post(f"{base}/conferences/{cid}/versions", headers=csrf_headers(care),
                    json={"supersedes": 1, "text": "Besproken, met aanvulling.",
                          "reason": "vergeten"})
    assert fix.status_code == 201, fix.text
    assert {k: fix.json()[k] for k in ("number", "reason", "current", "author_org_name")} == {
        "number": 2, "reason": "vergeten", "current": True,
        "author_org_name": team["orgs"][OrgType.ZORG].name}
    late = coord.post(f"{base}/conferences/{cid}/versions", headers=h,
                      json={"supersedes": 1, "text": "Iets anders.", "reason": "ook vergeten"})
    assert late.status_code == 409 and "2" in late.json()["detail"]
    late = coord.post(f"{base}/conferences/{cid}/versions",
                      headers={**h, "Accept-Language": "en"},
                      json={"supersedes": 1, "text": "Iets anders.", "reason": "ook vergeten"})
    assert "version 2 is now current and you corrected version 1" in late.json()["detail"]
    read = coord.get(f"{base}/conferences/{cid}").json()
    assert (read["minutes"], read["current_version"]) == ("Besproken, met aanvulling.", 2)
    assert [(v["number"], v["text"], v["supersedes_id"]) for v in read["versions"]] == [
        (1, "Besproken.", None), (2, "Besproken, met aanvulling.", read["versions"][0]["id"])]
    assert [i["kind"] for i in coord.get(base).json()["timeline"]].count("minutes") == 2
    assert coord.get(f"{base}/conferences/987654").status_code == 403

    bases = coord.get("/api/v1/cases/legal-bases").json()
    assert {"key", "title", "source", "needs_note"} <= set(bases[0])
    ref = coord.post(f"{base}/referrals", headers=h, json={
        "to_org_id": team["orgs"][OrgType.OPVANG].id, "phase": "opvang", "purpose": "Opvang",
        "legal_basis": "care_coordination", "data_categories": ["identity", "shelter"],
        "answer_due_at": "2020-01-01T00:00:00+00:00"})
    assert ref.status_code == 422  # a deadline in the past
    ref = coord.post(f"{base}/referrals", headers=h, json={
        "to_org_id": team["orgs"][OrgType.OPVANG].id, "phase": "opvang", "purpose": "Opvang",
        "legal_basis": "care_coordination", "data_categories": ["identity", "shelter"]})
    assert ref.status_code == 201
    shelter = _client(app, team["shelter"].username)
    incoming = shelter.get("/api/v1/cases/referrals/incoming").json()
    assert [r["id"] for r in incoming] == [ref.json()["id"]]
    rejected = shelter.post(f"/api/v1/cases/referrals/{ref.json()['id']}/answer",
                            headers=csrf_headers(shelter),
                            json={"version": 1, "to_status": "rejected"})
    assert rejected.status_code == 422  # reason required

    note = coord.post(f"{base}/notes", headers=h, json={"category": "care", "text": "Zorg"})
    assert note.status_code == 201
    police = _client(app, team["police"].username)
    link = police.post(f"{base}/links", headers=csrf_headers(police),
                       json={"kind": "online_network", "ref_id": 7, "note": "netwerk"})
    assert link.status_code == 201
    seen = police.get(base).json()
    assert [n["category"] for n in seen["notes"]] == []  # care is not for the police
    assert [x["ref_id"] for x in seen["links"]] == [7]
    assert coord.get(base).json()["links"] == []  # nor investigation for the gemeente

    outsider = _client(app, team["outsider"].username)
    assert outsider.get(base).status_code == 403
    glass = outsider.post(f"{base}/emergency-access", headers=csrf_headers(outsider),
                          json={"reason": "Acuut gevaar aan de balie", "hours": 1})
    assert glass.status_code == 201
    view = outsider.get(base).json()
    assert view["emergency_until"] and {n["category"] for n in view["notes"]} == {"care"}
    end = outsider.post(f"{base}/emergency-access/{glass.json()['id']}/end",
                        headers=csrf_headers(outsider))
    assert end.json()["ended_at"]
    assert outsider.get(base).status_code == 403
