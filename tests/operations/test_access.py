"""Nobody outside an operation's named people and its prosecutor learns that it exists.

Extends the route-enumerating access test (tests/web/test_access.py): its world checks
people the permission table refuses; here, on every operations route, people the table
*allows* (police officers and team leaders of the same organisation, another prosecutor
of the same OM office) but who are not named on the operation get exactly the answer a
missing record gets.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.auth import csrf_headers, login
from tests.factories.operations import (
    make_campaign,
    make_conversation,
    make_operation,
    make_team,
)
from tests.web.test_access import _body, _require_of, _routes

MISSING = 987654


def _page(html: str) -> str:
    """The answer without what differs per request (request id, CSRF token, nonce) and the
    language links, which repeat the requested path."""
    return re.sub(r"[A-Za-z0-9_\-]{16,}|next=[^\"]*", "…", html)


def _fill(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)


def test_outsiders_get_the_answer_of_a_missing_record_on_every_route(
        app: FastAPI, db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona)
    campaign = make_campaign(db, team, op)
    real = {"operation_id": op.id, "persona_id": persona.id, "conversation_id": conv.id,
            "campaign_id": campaign.id}
    missing = dict.fromkeys(real, MISSING)
    routes = [r for r in _routes(app) if "/operations/{operation_id}" in r.path]
    assert len(routes) >= 20, len(routes)
    for outsider in (team.colleague, team.other_leader, team.other_prosecutor):
        client = TestClient(app, raise_server_exceptions=False)
        login(client, outsider.username)
        for route in routes:
            assert _require_of(route) is not None
            body = _body(route.method, route.path, None)  # type: ignore[arg-type]
            answers = []
            for ids in (real, missing):
                response = client.request(route.method, _fill(route.path, ids), json=body,
                                          headers=csrf_headers(client), follow_redirects=False)
                answers.append((response.status_code, _page(response.text)))
            assert answers[0][0] == 403, f"{outsider.username}: {route.method} {route.path}"
            assert answers[0] == answers[1], f"{route.method} {route.path} reveals existence"


def test_the_list_shows_an_operation_only_to_its_people(app: FastAPI, db: Session) -> None:
    team = make_team(db)
    op, _persona = make_operation(db, team)
    for user, sees in ((team.leader, True), (team.operator, True), (team.prosecutor, True),
                       (team.colleague, False), (team.other_leader, False),
                       (team.other_prosecutor, False)):
        client = TestClient(app, raise_server_exceptions=False)
        login(client, user.username)
        ids = [o["id"] for o in client.get("/api/v1/operations").json()]
        assert (op.id in ids) is sees, user.username
        page = client.get("/operations")
        assert page.status_code == 200
        assert (f'data-operation="{op.id}"' in page.text) is sees, user.username
