"""The case page and the case API decide access once per request and load the directory once.

Spies wrap ``auth.permissions.authorize`` wherever a module holds it, and the directory
load, then one page is requested: each action on the case is decided once.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth import permissions
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import emergency
from ketenzicht.cases.schemas import EmergencyIn
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor, login


class Spy:
    """Counts record-level decisions on cases (by action) and directory loads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.decisions: Counter[str] = Counter()
        self.directory_loads = 0
        real_authorize, real_directory = permissions.authorize, auth_service.directory

        def authorize(actor: Actor | None, action: str,
                      resource: permissions.ResourceRef | None = None) -> permissions.Decision:
            if resource is not None and resource.kind == "case":
                self.decisions[action] += 1
            return real_authorize(actor, action, resource)

        def directory(session: Session) -> Any:
            self.directory_loads += 1
            return real_directory(session)

        # Every module that imported ``authorize`` by name gets the spy, and so does
        # ``enforce`` (which looks it up in its own module).
        for name, module in list(sys.modules.items()):
            if name.startswith("ketenzicht") and getattr(module, "authorize", None) is \
                    real_authorize:
                monkeypatch.setattr(module, "authorize", authorize)
        monkeypatch.setattr(auth_service, "directory", directory)

    def reset(self) -> None:
        """Forget what was counted so far (setting up the case counts too)."""
        self.decisions.clear()
        self.directory_loads = 0


def _client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    login(client, username)
    return client


@pytest.mark.parametrize("who", ["coord", "police", "care", "national"])
@pytest.mark.parametrize("path", ["/cases/{id}", "/api/v1/cases/{id}"])
def test_one_decision_per_action_and_one_directory_load(
        app: FastAPI, db: Session, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        who: str, path: str) -> None:
    case = open_team_case(db, team)
    client = _client(app, team[who].username)
    spy = Spy(monkeypatch)
    spy.reset()
    answer = client.get(path.format(id=case.id))
    assert answer.status_code == 200, answer.text
    assert spy.decisions["case.view"] == 1, spy.decisions
    assert all(n == 1 for n in spy.decisions.values()), spy.decisions
    assert spy.directory_loads == 1


def test_a_break_the_glass_read_is_decided_and_audited_once(
        app: FastAPI, db: Session, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    case = open_team_case(db, team)
    for who in ("outsider", "care"):  # outside the case, and taking part but seeing less
        emergency.break_glass(db, actor=actor(team[who]), case_id=case.id,
                              data=EmergencyIn(reason="Acuut gevaar, direct nodig"))
    db.flush()
    spy = Spy(monkeypatch)
    for who in ("outsider", "care"):
        client = _client(app, team[who].username)
        before = _emergency_reads(db, case.id)
        spy.reset()
        page = client.get(f"/cases/{case.id}")
        assert page.status_code == 200, page.text
        assert spy.decisions["case.view"] == 1 and spy.directory_loads == 1, spy.decisions
        assert _emergency_reads(db, case.id) == before + 1, who


def _emergency_reads(db: Session, case_id: int) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "emergency_read", AuditEntry.resource_id == str(case_id))) or 0)
