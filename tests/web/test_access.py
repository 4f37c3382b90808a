"""Every route of the app refuses the anonymous and the wrong organisation.

The test enumerates the routes itself, so a new route without ``require(...)``
or with a too-generous grant fails here before it ships.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.routing import Mount, Route

from ketenzicht.auth.models import User
from ketenzicht.auth.permissions import ResourceRef, authorize
from ketenzicht.auth.service import actor_for
from ketenzicht.web.deps import Require
from tests import factories
from tests.factories.access import World, make_world
from tests.factories.auth import csrf_headers, login

# Routes anyone may use: logging in, choosing a language, health, the API schema.
PUBLIC = {
    ("GET", "/login"), ("POST", "/login"), ("GET", "/lang/{code}"), ("GET", "/healthz"),
    ("GET", "/api/v1/openapi.json"), ("GET", "/static"),
}


def _collect(name: str) -> dict[Any, Any]:
    """Merge a dict called ``name`` from every module under tests/factories.

    Each domain declares there, next to its factories, how to make a record for
    each of its path parameters (``ACCESS_RECORDS``), a valid body for its write
    routes (``ACCESS_BODIES``), which routes are public (``ACCESS_PUBLIC``) and
    which actions every professional may do (``ACCESS_OPEN_ACTIONS``), so that
    this test covers new domains without being edited.
    """
    merged: dict[Any, Any] = {}
    for info in pkgutil.iter_modules(factories.__path__):
        module = importlib.import_module(f"{factories.__name__}.{info.name}")
        merged.update(getattr(module, name, {}))
    return merged


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


@pytest.fixture
def world(db: Session) -> World:
    return make_world(db)


def _records(path: str, world: World, db: Session) -> tuple[str, ResourceRef | None]:
    """The path with each parameter filled by a record of the owner organisation."""
    makers = _collect("ACCESS_RECORDS")
    ref: ResourceRef | None = None

    def fill(match: re.Match[str]) -> str:
        nonlocal ref
        name = match.group(1)
        if name == "code":
            return "en"
        assert name in makers, f"no ACCESS_RECORDS entry for path parameter {{{name}}}"
        record_id, ref = makers[name](db, world)
        return str(record_id)

    return re.sub(r"{(\w+)}", fill, path), ref


def _body(method: str, path: str, world: World) -> dict[str, object] | None:
    """A valid body, so that a refusal is about access and not about bad input."""
    bodies = _collect("ACCESS_BODIES")
    if (method, path) in bodies:
        return dict(bodies[(method, path)](world))
    return {} if method != "GET" else None


def test_every_route_declares_its_action(app: FastAPI) -> None:
    public = PUBLIC | set(_collect("ACCESS_PUBLIC"))
    missing = [f"{r.method} {r.path}" for r in _routes(app)
               if (r.method, r.path) not in public and _require_of(r) is None]
    assert not missing, f"routes without require(...): {missing}"


def test_anonymous_is_refused_everywhere(app: FastAPI, client: TestClient, world: World,
                                         db: Session) -> None:
    client.get("/login")  # a CSRF cookie, so that refusals are about identity only
    public = PUBLIC | set(_collect("ACCESS_PUBLIC"))
    for route in _routes(app):
        method, path = route.method, route.path
        if (method, path) in public:
            continue
        url, _ref = _records(path, world, db)
        response = client.request(method, url, headers=csrf_headers(client),
                                  follow_redirects=False)
        if path.startswith("/api/"):
            assert response.status_code == 401, f"{method} {url}: {response.status_code}"
        else:
            assert response.status_code == 303, f"{method} {url}: {response.status_code}"
            assert response.headers["location"].startswith("/login")


def _refused_user(action: str, ref: ResourceRef | None, world: World) -> User | None:
    """Someone the permission table refuses for this action (on this record)."""
    for user in world.others:
        if not authorize(actor_for(user), action, ref).allowed:
            return user
    return None


def test_wrong_organisation_is_refused_and_learns_nothing(
    app: FastAPI, world: World, db: Session
) -> None:
    checked = 0
    open_actions = set(_collect("ACCESS_OPEN_ACTIONS"))
    for route in _routes(app):
        method, path = route.method, route.path
        requirement = _require_of(route)
        if requirement is None or requirement.action in open_actions:
            continue
        url, ref = _records(path, world, db)
        user = _refused_user(requirement.action, ref, world)
        assert user is not None, f"{method} {path}: nobody is refused {requirement.action}"
        client = TestClient(app, raise_server_exceptions=False)
        login(client, user.username)
        body = _body(method, path, world)
        response = client.request(method, url, headers=csrf_headers(client), json=body,
                                  follow_redirects=False)
        assert response.status_code == 403, f"{user.username}: {method} {url}"
        if "{" in path:
            # The same refusal for a record that does not exist: existence is not revealed.
            missing = re.sub(r"/\d+(?=/|$)", "/987654", url)
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
