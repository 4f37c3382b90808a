"""The category proof of the route-enumerating access test (issue 18).

Need-to-know on every field: for each field category a case is seeded whose every
categorised field holds a unique marker text (``tests/web/category_world.py``). Every
role of every organisation type then reads every GET page and API route the app has
(enumerated from the app, as ``test_access`` does). A marker shown where the written-out
policy says it must not be fails; so does a marker the policy allows that no route shows
(the proof would otherwise pass by showing nothing).

The chain is seeded once per module and database; one test per organisation reads it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.auth.permissions import best_scope
from ketenzicht.auth.service import actor_for
from ketenzicht.cases.enums import FieldCategory
from ketenzicht.config import Settings
from ketenzicht.main import create_app
from tests.factories import auth as auth_factories
from tests.factories.auth import login
from tests.web import category_world
from tests.web.category_world import POLICY, CategoryWorld
from tests.web.test_access import _collect, _require_of, _routes

# Records of the category cases, by path parameter; other parameters come from the domains'
# ACCESS_RECORDS (their records hold no marker).
CASE_PARAMS = {"case_id": "case_id", "conference_id": "conference_id", "task_id": "task_id",
               "referral_id": "referral_id"}


@dataclass
class Proof:
    """The seeded chain, the app on its transaction, and every URL to read."""

    app: FastAPI
    cw: CategoryWorld
    urls: list[tuple[str, str | None]]  # (url, the action its route requires or None)


def _urls(app: FastAPI, cw: CategoryWorld, db: Session) -> list[tuple[str, str | None]]:
    """Every GET route of the app, once per category case when it names a case."""
    makers = _collect("ACCESS_RECORDS")
    world = cw.world()
    urls: list[tuple[str, str | None]] = []
    for route in _routes(app):
        # A PDF's text is compressed, so no marker could be found in it: each PDF route
        # renders what a readable route beside it serves (the evidence page and its zip
        # export, a network's report.json), and those are read here.
        if route.method != "GET" or route.path.startswith("/static") \
                or route.path.endswith(".pdf"):
            continue
        requirement = _require_of(route)
        action = requirement.action if requirement is not None else None
        names = re.findall(r"{(\w+)}", route.path)
        # A public route's parameter without a maker (a key file, a token) gets "1".
        other = {n: "en" if n == "code" else str(makers[n](db, world)[0]) if n in makers
                 else "1" for n in names if n not in CASE_PARAMS}
        if not any(n in CASE_PARAMS for n in names):
            urls.append((route.path.format(**other), action))
            continue
        for seeded in cw.cases.values():
            ids = {n: str(getattr(seeded, CASE_PARAMS[n])) for n in names if n in CASE_PARAMS}
            urls.append((route.path.format(**other, **ids), action))
    return urls


@pytest.fixture(scope="module")
def proof(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proof]:
    """The chain, seeded once per database in a transaction rolled back at the end."""
    connection = engine.connect()
    connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                           expire_on_commit=False)
    session = factory()
    auth_factories.bind(session)
    try:
        cw = category_world.seed(session)
        var: Path = tmp_path_factory.mktemp("var")
        app = create_app(Settings(var_dir=var), session_factory=factory)
        yield Proof(app, cw, _urls(app, cw, session))
    finally:
        session.close()
        connection.rollback()
        connection.close()


def _text(response: httpx.Response) -> str:
    """What a response shows; for a zip export, the files in it."""
    if response.headers.get("content-type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", errors="replace")
                             for n in archive.namelist())
    return response.content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("org_key", list(POLICY))
def test_no_route_shows_a_field_beyond_its_need_to_know(proof: Proof, org_key: str) -> None:
    """Every role of one organisation reads every route: no marker beyond the policy, and
    every marker the policy allows it is shown somewhere.

    A route whose action the person does not hold at all is refused before it reads
    anything (``Require``; ``test_access`` proves every route refuses), so it is skipped
    for them. A public route shows everyone the same and is read by the first only.
    """
    cw = proof.cw
    leaks: set[str] = set()
    seen: set[tuple[str, str]] = set()
    people = [u for u in cw.people if cw.key_of(u) == org_key]
    for user in people:
        client = TestClient(proof.app, raise_server_exceptions=False)
        login(client, user.username)
        who = actor_for(user)
        for url, action in proof.urls:
            if action is None and (org_key != "politie" or user is not people[0]):
                continue
            if action is not None and best_scope(who, action) is None:
                continue
            for cat, name in set(category_world.MARKER.findall(
                    _text(client.get(url, follow_redirects=False)))):
                seen.add((cat, name))
                if not cw.may_read(user, FieldCategory(cat.lower()), name):
                    leaks.add(f"{sorted(user.roles)}: {cat.lower()} {name} on {url}")
    assert not leaks, "\n".join(sorted(leaks))
    allowed = {(c.value.upper(), n) for c in FieldCategory for n in category_world.FIELDS
               if any(cw.may_read(u, c, n) for u in people)}
    assert seen == allowed, f"allowed but shown nowhere: {sorted(allowed - seen)}"
