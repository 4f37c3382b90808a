"""Every route of the app refuses the anonymous and the wrong organisation.

The test enumerates the routes itself, so a new route without ``require(...)``
or with a too-generous grant fails here before it ships.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.routing import Mount, Route

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import User
from ketenzicht.auth.permissions import authorize
from ketenzicht.auth.service import actor_for, org_ref, user_ref
from ketenzicht.web.deps import Require
from tests.factories.auth import OrganisationFactory, UserFactory, csrf_headers, login

# Routes anyone may use: logging in, choosing a language, health, the API schema.
PUBLIC = {
    ("GET", "/login"), ("POST", "/login"), ("GET", "/lang/{code}"), ("GET", "/healthz"),
    ("GET", "/api/v1/openapi.json"), ("GET", "/static"),
}
# Every logged-in user may use these; they show only the actor's own things, or
# the organisation directory, which holds no personal data.
ANY_LOGGED_IN = {"home.view", "account.view", "organisation.view"}


@dataclass(frozen=True)
class RouteInfo:
    """One method and path of the app, with its dependency tree (if it is a FastAPI route)."""

    method: str
    path: str
    dependant: Dependant | None


def _require_of(info: RouteInfo) -> Require | None:
    stack = [info.dependant] if info.dependant is not None else []
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Require):
            return dep.call
        stack.extend(dep.dependencies)
    return None


def _routes(app: FastAPI) -> list[RouteInfo]:
    """Every route, including those of included routers (FastAPI nests them)."""
    out: list[RouteInfo] = []

    def add(methods: set[str] | None, path: str, dependant: Dependant | None) -> None:
        out.extend(RouteInfo(m, path, dependant) for m in sorted(methods or {"GET"})
                   if m != "HEAD")

    for route in app.routes:
        if isinstance(route, APIRoute):
            add(route.methods, route.path, route.dependant)
        elif hasattr(route, "effective_route_contexts"):
            for ctx in route.effective_route_contexts():
                add(ctx.methods, ctx.path, ctx.dependant)
        elif isinstance(route, Mount):
            add({"GET"}, route.path, None)
        elif isinstance(route, Route):
            add(route.methods, route.path, None)
    assert len(out) >= 20, f"route enumeration found only {len(out)} routes"
    return out


@dataclass
class World:
    """Two organisations with one record each, and people in and outside them."""

    target_user: User
    by_type: dict[str, User]


@pytest.fixture
def world(db: Session) -> World:
    politie = OrganisationFactory(org_type=OrgType.POLITIE)
    target = UserFactory(organisation=politie, roles=(Role.MEDEWERKER,))
    by_type = {
        "politie-beheerder": UserFactory(organisation=politie, roles=(Role.BEHEERDER,)),
        "zorg-beheerder": UserFactory(organisation__org_type=OrgType.ZORG,
                                      roles=(Role.BEHEERDER,)),
        "zorg-medewerker": UserFactory(organisation__org_type=OrgType.ZORG),
        "om-coordinator": UserFactory(organisation__org_type=OrgType.OM,
                                      roles=(Role.COORDINATOR,)),
    }
    db.flush()
    return World(target_user=target, by_type=by_type)


def _body(method: str, path: str, world: World) -> dict[str, object] | None:
    """A valid body, so that a refusal is about access and not about bad input."""
    target = world.target_user
    bodies: dict[tuple[str, str], dict[str, object]] = {
        ("PATCH", "/api/v1/users/{user_id}"): {"version": 1, "display_name": "x"},
        ("POST", "/api/v1/users"): {"username": "nieuw", "display_name": "n",
                                    "organisation_id": target.organisation_id,
                                    "roles": ["medewerker"], "password": "long-enough-pass"},
        ("POST", "/api/v1/organisations"): {"code": "nieuw", "name": "Nieuw",
                                            "org_type": "zorg"},
        ("POST", "/api/v1/tokens"): {"name": "koppeling", "user_id": target.id},
    }
    return bodies.get((method, path), {} if method != "GET" else None)


def _fill(path: str, world: World) -> str:
    values = {"user_id": world.target_user.id, "org_id": world.target_user.organisation_id,
              "code": "en"}
    return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)


def test_every_route_declares_its_action(app: FastAPI) -> None:
    missing = [f"{r.method} {r.path}" for r in _routes(app)
               if (r.method, r.path) not in PUBLIC and _require_of(r) is None]
    assert not missing, f"routes without require(...): {missing}"


def test_anonymous_is_refused_everywhere(app: FastAPI, client: TestClient, world: World
                                         ) -> None:
    client.get("/login")  # a CSRF cookie, so that refusals are about identity only
    for route in _routes(app):
        method, path = route.method, route.path
        if (method, path) in PUBLIC:
            continue
        url = _fill(path, world)
        response = client.request(method, url, headers=csrf_headers(client),
                                  follow_redirects=False)
        if path.startswith("/api/"):
            assert response.status_code == 401, f"{method} {url}: {response.status_code}"
        else:
            assert response.status_code == 303, f"{method} {url}: {response.status_code}"
            assert response.headers["location"].startswith("/login")


def _refused_user(action: str, path: str, world: World) -> User | None:
    """Someone the permission table refuses for this route and its record."""
    needs_record = "{" in path
    for user in world.by_type.values():
        who = actor_for(user)
        if needs_record and "{user_id}" in path:
            allowed = authorize(who, action, user_ref(world.target_user)).allowed
        elif needs_record and "{org_id}" in path:
            allowed = authorize(who, action, org_ref(world.target_user.organisation)).allowed
        else:
            allowed = authorize(who, action).allowed
        if not allowed:
            return user
    return None


def test_wrong_organisation_is_refused_and_learns_nothing(
    app: FastAPI, world: World, db: Session
) -> None:
    checked = 0
    for route in _routes(app):
        method, path = route.method, route.path
        requirement = _require_of(route)
        if requirement is None or requirement.action in ANY_LOGGED_IN:
            continue
        user = _refused_user(requirement.action, path, world)
        assert user is not None, f"{method} {path}: nobody is refused {requirement.action}"
        client = TestClient(app, raise_server_exceptions=False)
        login(client, user.username)
        url = _fill(path, world)
        body = _body(method, path, world)
        response = client.request(method, url, headers=csrf_headers(client), json=body,
                                  follow_redirects=False)
        assert response.status_code == 403, f"{user.username}: {method} {url}"
        if "{" in path:
            # The same refusal for a record that does not exist: existence is not revealed.
            missing = re.sub(r"/\d+", "/987654", url)
            other = client.request(method, missing, headers=csrf_headers(client), json=body,
                                   follow_redirects=False)
            assert other.status_code == 403, f"{method} {missing}: {other.status_code}"
            if path.startswith("/api/"):
                assert other.json() == response.json()
        checked += 1
    assert checked >= 8, checked


def test_public_routes_answer_without_login(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/login").status_code == 200
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Ketenzicht"
