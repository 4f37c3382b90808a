"""The intake through the JSON API and the web form: escaping, drafts, 4xx answers."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.signals.models import Signal, SignalDraft
from tests.factories.auth import UserFactory, csrf_headers, login
from tests.factories.signals import LABOUR_CASE


def _handlers(db: Session) -> None:
    for org_type in (OrgType.POLITIE, OrgType.ARBEIDSINSPECTIE, OrgType.GEMEENTE,
                     OrgType.COMENSHA):
        UserFactory(organisation__org_type=org_type)
    db.flush()


def test_api_intake_answers_with_explanation_and_emergency_first(client: TestClient,
                                                                 db: Session) -> None:
    _handlers(db)
    login(client, UserFactory(organisation__org_type=OrgType.ZORG).username)
    client.get("/")
    body = {**LABOUR_CASE, "acute_danger": True}
    response = client.post("/api/v1/signals", json=body, headers=csrf_headers(client))
    assert response.status_code == 201, response.text
    data = response.json()
    assert next(iter(data)) == "emergency" and data["emergency"]["call"] == "112"
    assert data["headline"] == "Indicatoren aanwezig"
    assert any("B8" in line for line in data["explanation"])
    assert data["routing_rule"] == "labour+acute+care+inform"
    # Never labels a person: "slachtoffer" only as the legal "vermoedelijk slachtoffer".
    text = response.text.lower()
    assert text.count("slachtoffer") == text.count("vermoedelijk slachtoffer")
    again = client.get(f"/api/v1/signals/{data['id']}")
    assert again.status_code == 200 and again.json()["id"] == data["id"]


def test_api_refuses_unknown_codes_with_422(client: TestClient, db: Session) -> None:
    login(client, UserFactory().username)
    client.get("/")
    response = client.post("/api/v1/signals", json={"form": "labour", "indicators": ["ZZ_X"]},
                           headers=csrf_headers(client))
    assert response.status_code == 422
    assert "ZZ_X" in response.json()["detail"]
    screen = client.post("/api/v1/signals/screen", json={"form": "labour",
                                                         "checklist_items": ["NOPE"]},
                         headers=csrf_headers(client))
    assert screen.status_code == 422 and "NOPE" in screen.json()["detail"]


def test_screen_preview_stores_nothing(client: TestClient, db: Session) -> None:
    login(client, UserFactory().username)
    client.get("/")
    response = client.post("/api/v1/signals/screen", json={
        "form": "labour", "minor": True, "indicators": ["DR_NATURE_JOB", "DR_WAGES",
                                                        "EX_EXCESSIVE_HOURS", "EX_HAZARDOUS"]},
        headers=csrf_headers(client))
    assert response.status_code == 200
    assert response.json()["screening"]["met_count"] == 1
    assert db.scalar(select(Signal.id)) is None


def test_form_submission_shows_the_explanation_escaped(client: TestClient, db: Session) -> None:
    _handlers(db)
    login(client, UserFactory(organisation__org_type=OrgType.ZORG).username)
    page = client.get("/signals/new")
    assert page.status_code == 200 and "112" in page.text
    token = client.cookies.get("kz_csrf")
    response = client.post("/signals/new", data={
        "csrf_token": token, "form": "labour", "seen": "<b>vet</b> & meer",
        "indicators": LABOUR_CASE["indicators"], "checklist_items": ["PO_DOCUMENTS"],
        "nationality": "ro", "age": "30", "employer": "Kas Vers"}, follow_redirects=True)
    assert response.status_code == 200, response.text[:500]
    assert "Indicatoren aanwezig" in response.text
    assert "&lt;b&gt;vet&lt;/b&gt; &amp; meer" in response.text
    assert "<b>vet</b>" not in response.text
    assert "B8" in response.text


def test_bad_form_keeps_a_draft_and_the_typed_text(client: TestClient, db: Session) -> None:
    user = UserFactory()
    login(client, user.username)
    client.get("/signals/new")
    token = client.cookies.get("kz_csrf")
    response = client.post("/signals/new", data={
        "csrf_token": token, "form": "labour", "seen": "wat ik zag, niet kwijtraken",
        "age": "twaalf", "indicators": ["XX_UNKNOWN"]})
    assert response.status_code == 422
    assert "wat ik zag, niet kwijtraken" in response.text
    draft = db.scalar(select(SignalDraft).where(SignalDraft.owner_user_id == user.id))
    assert draft is not None and draft.payload["seen"] == "wat ik zag, niet kwijtraken"
    reopened = client.get(f"/signals/new?draft={draft.id}")
    assert "wat ik zag, niet kwijtraken" in reopened.text
    assert db.scalar(select(Signal.id)) is None


def test_an_empty_signal_is_refused_and_nothing_is_routed(client: TestClient,
                                                         db: Session) -> None:
    # Issue 23: a completely empty signal was accepted with one click and routed to three
    # organisations with deadlines. A signal needs a sign, a text or a place.
    _handlers(db)
    user = UserFactory(organisation__org_type=OrgType.ZORG)
    login(client, user.username)
    client.get("/signals/new")
    refused = client.post("/api/v1/signals", json={"form": "labour", "acute_danger": True},
                          headers=csrf_headers(client))
    assert refused.status_code == 422
    assert "minstens één feit" in refused.json()["detail"]
    token = client.cookies.get("kz_csrf")
    page = client.post("/signals/new", data={"csrf_token": token, "form": "sexual",
                                             "gender": "female", "age": "30"})
    assert page.status_code == 422 and "minstens één feit" in page.text
    assert 'value="30"' in page.text  # what was typed stays
    assert db.scalar(select(Signal.id)) is None
    for fact in ({"seen": "Slaapt in de kas."}, {"place": "Westland"},
                 {"indicators": LABOUR_CASE["indicators"][:1]}):
        accepted = client.post("/api/v1/signals", json={"form": "labour", **fact},
                               headers=csrf_headers(client))
        assert accepted.status_code == 201, (fact, accepted.text)


def test_inbox_page_accepts(client: TestClient, db: Session) -> None:
    # The first labour inspectorate registered is the one labour signals are routed to.
    nla = UserFactory(organisation__org_type=OrgType.ARBEIDSINSPECTIE)
    reporter = UserFactory(organisation__org_type=OrgType.ZORG)
    _handlers(db)
    login(client, reporter.username)
    client.get("/")
    sid = client.post("/api/v1/signals", json=LABOUR_CASE,
                      headers=csrf_headers(client)).json()["id"]
    other = TestClient(client.app, raise_server_exceptions=False)
    login(other, nla.username)
    page = other.get("/signals/inbox")
    assert f"/signals/{sid}" in page.text
    route = next(r for r in other.get("/api/v1/signals/inbox").json()
                 if r["route"]["org_id"] == nla.organisation_id)["route"]
    response = other.post(f"/signals/routes/{route['id']}/accept", data={
        "csrf_token": other.cookies.get("kz_csrf"), "version": route["version"]},
        follow_redirects=False)
    assert response.status_code == 303
    assert f"/signals/{sid}" not in other.get("/signals/inbox").text


def test_detail_page_says_why_signals_are_linked(client: TestClient, db: Session) -> None:
    _handlers(db)
    other_org = UserFactory(organisation__org_type=OrgType.OPVANG)
    reporter = UserFactory(organisation__org_type=OrgType.ZORG)
    login(client, other_org.username)
    client.get("/")
    assert client.post("/api/v1/signals", json={**LABOUR_CASE, "pseudonym": "Ion Popescu"},
                       headers=csrf_headers(client)).status_code == 201
    second = TestClient(client.app, raise_server_exceptions=False)
    login(second, reporter.username)
    second.get("/")
    created = second.post("/api/v1/signals", json={**LABOUR_CASE, "pseudonym": "Popescu Ion"},
                          headers=csrf_headers(second)).json()
    person = next(link for link in created["links"] if link["kind"] == "person")
    (match,) = person["matches"]
    assert match["signal_id"] is None  # count, contact and reasons; no content
    assert match["probability"] >= 0.8
    assert len(match["reasons"]) == 4  # name, nationality, gender, age band
    page = second.get(f"/signals/{created['id']}")
    assert page.status_code == 200
    assert "kz-link-why" in page.text and other_org.organisation.name in page.text


def test_an_empty_encoding_is_refused(client: TestClient, db: Session) -> None:
    login(client, UserFactory(organisation__org_type=OrgType.ZORG).username)
    client.get("/")
    body = {**LABOUR_CASE, "encoded_keys": [{"kind": "person", "bloom": "0" * 256}]}
    response = client.post("/api/v1/signals", json=body, headers=csrf_headers(client))
    assert response.status_code == 422
    assert db.scalar(select(Signal.id)) is None
