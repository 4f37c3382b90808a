"""The procedures' forms on the case page: B8, the meldcode and plans, through the app."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.cases.procedures import b8, meldcode
from tests.cases.conftest import open_team_case
from tests.factories.auth import login


def _client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    login(client, username)
    client.headers["Accept-Language"] = "en"
    return client


def _post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={**data, "csrf_token": client.cookies.get("kz_csrf")},
                       follow_redirects=False)


def test_b8_through_the_case_page(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team, persons=[
        {"role": "presumed_victim", "pseudonym": "Olena K.", "nationality": "UA"}])
    police = _client(app, team["police"].username)
    page = police.get(f"/cases/{case.id}").text
    assert f'action="/cases/{case.id}/b8"' in page and "Offer the B8 reflection period" in page
    care_page = _client(app, team["care"].username).get(f"/cases/{case.id}").text
    assert f'action="/cases/{case.id}/b8"' not in care_page  # only the police offer
    answer = _post(police, f"/cases/{case.id}/b8", {
        "person_id": str(case.persons[0].id), "age_group": "adult", "at": "2026-11-23T10:00"})
    assert answer.status_code == 303 and answer.headers["location"].endswith("#procedures")
    (row,) = b8.of_case(db, case.id)
    url = f"/cases/{case.id}/b8/{row.id}/steps"
    bad = _post(police, url, {"version": str(row.version), "to_state": "running"})
    assert bad.status_code == 422 and "not allowed" in bad.text
    assert _post(police, url, {"version": str(row.version), "to_state": "accepted",
                               "at": "2026-12-01T11:00"}).status_code == 303
    db.refresh(row)
    page = police.get(f"/cases/{case.id}").text
    assert "End of the reflection period" in page
    assert "3/1/27" in page or "2027" in page  # three months after acceptance
    assert re.search(r"Record: reflection period running", page)
    assert _post(police, url, {"version": str(row.version),
                               "to_state": "running"}).status_code == 303
    page = police.get(f"/cases/{case.id}").text
    assert "Vreemdelingencirculaire 2000 (B) B8/3" in page
    # Each step is a line of the case's main timeline too, for whom and by whom (issue 18).
    timeline = re.search(r'<ol class="utrecht-ordered-list" id="timeline">(.*?)</ol>', page,
                         re.S).group(1)
    lines = [x for x in re.findall(r"<li[^>]*>(.*?)</li>", timeline, re.S)
             if "B8 reflection period (bedenktijd)" in x]
    assert len(lines) == 3 and all("Olena K.: " in x for x in lines), lines
    api = police.get(f"/api/v1/cases/{case.id}").json()["timeline"]
    assert [i["kind"] for i in api].count("b8") == 3
    assert [i["at"] for i in api] == sorted(i["at"] for i in api)


def test_the_meldcode_and_a_plan_through_the_case_page(app: FastAPI, db: Session,
                                                       team: dict[str, Any]) -> None:
    case = open_team_case(db, team, template_key="mda_zvh", persons=[
        {"role": "presumed_victim", "pseudonym": "Ana M."}])
    care = _client(app, team["care"].username)
    assert _post(care, f"/cases/{case.id}/meldcode",
                 {"person_id": str(case.persons[0].id)}).status_code == 303
    (row,) = meldcode.of_case(db, case.id)
    url = f"/cases/{case.id}/meldcode/{row.id}/steps"
    for step, extra in (("signs", {"note": "Signalen op de SEH"}),
                        ("consult", {"consulted": ["colleague", "veilig_thuis"]}),
                        ("talk", {}),
                        ("weigh", {"answer_suspicion": "yes", "answer_unsafe": "yes"}),
                        ("decide", {"outcome": "report"})):
        db.refresh(row)
        answer = _post(care, url, {"version": str(row.version), "step": step, **extra})
        assert answer.status_code == 303, (step, answer.text)
    page = care.get(f"/cases/{case.id}").text
    assert "Report to Veilig Thuis" in page and "advice: Report to Veilig Thuis" in page
    assert "Legal ground for breaking professional confidentiality" in page
    assert _post(care, f"/cases/{case.id}/plans", {
        "kind": "goals", "goals": "Veilig wonen\nWerk zoeken",
        "own_words": "Ik wil gewoon weer naar school."}).status_code == 303
    page = care.get(f"/cases/{case.id}").text
    assert "Ik wil gewoon weer naar school." in page and "own words</footer>" in page
    police_page = _client(app, team["police"].username).get(f"/cases/{case.id}").text
    assert "Signalen op de SEH" not in police_page and "naar school" not in police_page
    assert "your organisation does not see it" in police_page
    # The meldcode's steps are in the care worker's timeline, and not in the police's: their
    # lines carry the care category, like the procedure they come from.
    assert care.get(f"/cases/{case.id}").text.count(
        "Meldcode domestic violence and child abuse: Ana M.: ") == 5
    assert "Meldcode domestic violence and child abuse:" not in police_page
    police_api = _client(app, team["police"].username).get(f"/api/v1/cases/{case.id}").json()
    assert "meldcode" not in {i["kind"] for i in police_api["timeline"]}


def test_a_template_is_chosen_when_the_case_is_opened(app: FastAPI, db: Session,
                                                      team: dict[str, Any]) -> None:
    coord = _client(app, team["coord"].username)
    form = coord.get("/cases/new").text
    assert 'value="mda_zvh"' in form and "MDA++" in form
    answer = _post(coord, "/cases/new", {"title": "Casus Lotus", "template_key": "mda_zvh"})
    assert answer.status_code == 303
    page = coord.get(answer.headers["location"]).text
    assert "Triage (MDA++)" in page
    assert _post(coord, "/cases/new", {"title": "Casus X",
                                       "template_key": "geen"}).status_code == 422
