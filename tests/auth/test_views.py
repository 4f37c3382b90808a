"""Login, logout, cookies, CSRF and the account pages through HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import User
from tests.factories.auth import PASSWORD, UserFactory, csrf_headers, login


def test_login_sets_strict_httponly_cookie_and_logout_ends_it(client: TestClient,
                                                               db: Session) -> None:
    user = UserFactory()
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=%2F"
    login(client, user.username)
    cookie = next(h for h in client.cookies.jar if h.name == "kz_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite") in ("Strict", "strict")
    assert not cookie.secure  # served over http here; Secure under https (next test)
    assert client.get("/").status_code == 200
    token = client.cookies.get("kz_csrf")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_cookies_are_secure_over_https(app, db: Session) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    https = TestClient(app, base_url="https://testserver")
    login(https, user.username)
    assert all(c.secure for c in https.cookies.jar)
    assert "Strict-Transport-Security" in https.get("/").headers


def test_login_without_csrf_token_is_refused(client: TestClient, db: Session) -> None:
    user = UserFactory()
    client.get("/login")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_shows_the_form_again(client: TestClient, db: Session) -> None:
    user = UserFactory()
    page = client.get("/login")
    token = client.cookies.get("kz_csrf")
    assert token and token in page.text
    response = client.post("/login", data={"username": user.username, "password": "nope",
                                           "csrf_token": token})
    assert response.status_code == 401
    assert 'name="username"' in response.text
    assert "nope" not in response.text


def test_next_only_follows_local_paths(client: TestClient, db: Session) -> None:
    user = UserFactory()
    client.get("/login")
    token = client.cookies.get("kz_csrf")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD,
                                           "csrf_token": token, "next": "//evil.example/x"},
                           follow_redirects=False)
    assert response.headers["location"] == "/"


def test_api_write_with_cookie_needs_csrf_header(client: TestClient, db: Session) -> None:
    beheerder = UserFactory(roles=(Role.BEHEERDER,))
    login(client, beheerder.username)
    body = {"username": "nieuwe", "display_name": "Nieuwe", "roles": ["medewerker"],
            "organisation_id": beheerder.organisation_id, "password": "long-enough-pass"}
    assert client.post("/api/v1/users", json=body).status_code == 403
    response = client.post("/api/v1/users", json=body, headers=csrf_headers(client))
    assert response.status_code == 201, response.text


def test_beheerder_creates_and_edits_an_account_through_forms(client: TestClient,
                                                               db: Session) -> None:
    beheerder = UserFactory(roles=(Role.BEHEERDER,))
    login(client, beheerder.username)
    token = client.cookies.get("kz_csrf")
    org_id = beheerder.organisation_id
    response = client.post(f"/organisations/{org_id}/users", data={
        "username": "Nieuw.Lid", "display_name": "Nieuw Lid", "password": "long-enough-pass",
        "roles": ["medewerker", "coordinator"], "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    created = db.scalar(select(User).where(User.username == "nieuw.lid"))
    assert created is not None and created.roles == {Role.MEDEWERKER, Role.COORDINATOR}
    # Two people edit the same version: the second save is refused, not merged.
    form = {"version": "1", "display_name": "Eerste", "roles": ["medewerker"],
            "is_active": "on", "csrf_token": token}
    assert client.post(f"/users/{created.id}", data=form,
                       follow_redirects=False).status_code == 303
    stale = client.post(f"/users/{created.id}", data={**form, "display_name": "Tweede"})
    assert stale.status_code == 409
    assert "Iemand anders heeft dit eerder gewijzigd (versie 2, u had 1)" in stale.text
    db.expire_all()
    assert db.get(User, created.id).display_name == "Eerste"  # type: ignore[union-attr]


def test_bad_form_input_gets_422_and_keeps_data(client: TestClient, db: Session) -> None:
    beheerder = UserFactory(roles=(Role.BEHEERDER,))
    login(client, beheerder.username)
    token = client.cookies.get("kz_csrf")
    before = db.scalar(select(User.id).where(User.username == beheerder.username))
    response = client.post(f"/organisations/{beheerder.organisation_id}/users", data={
        "username": "x", "display_name": "", "password": "short", "csrf_token": token})
    assert response.status_code == 422
    assert db.scalar(select(User.id).where(User.username == beheerder.username)) == before


def test_platform_beheer_registers_an_organisation(client: TestClient, db: Session) -> None:
    admin = UserFactory(organisation__org_type=OrgType.BEHEER, roles=(Role.BEHEERDER,))
    login(client, admin.username)
    token = client.cookies.get("kz_csrf")
    response = client.post("/organisations", data={
        "name": "Gemeente Test", "code": "gemeente-test", "org_type": "gemeente",
        "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    again = client.post("/organisations", data={
        "name": "Gemeente Test", "code": "gemeente-test", "org_type": "gemeente",
        "csrf_token": token})
    assert again.status_code == 422
    assert "already exists" in again.text or "bestaat al" in again.text


def test_denied_access_is_audited(client: TestClient, db: Session) -> None:
    medewerker = UserFactory()
    login(client, medewerker.username)
    assert client.get("/audit").status_code == 403
    db.expire_all()
    denied = db.scalars(select(AuditEntry).where(AuditEntry.action == "access_denied")).all()
    assert [(e.actor_username, e.resource_id) for e in denied] == [
        (medewerker.username, "/audit")]


def test_audit_search_serves_an_htmx_partial(client: TestClient, db: Session) -> None:
    admin = UserFactory(organisation__org_type=OrgType.BEHEER, roles=(Role.BEHEERDER,))
    login(client, admin.username)
    page = client.get("/audit", params={"action": "login"})
    assert page.status_code == 200
    assert "<html" in page.text
    partial = client.get("/audit", params={"action": "login"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert "<table" in partial.text
    assert admin.username in partial.text
