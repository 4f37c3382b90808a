"""Every demo account can log in and reach its start page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.demo import seed as demo_seed
from tests.factories.auth import login


def test_every_demo_account_logs_in(app: FastAPI, db: Session) -> None:
    ctx = demo_seed.seed(db)
    db.commit()
    assert sorted(a.organisation_type for a in ctx.accounts) == sorted(t.value for t in OrgType)
    for account in ctx.accounts:
        client = TestClient(app)
        login(client, account.username, account.password)
        me = client.get("/api/v1/me").json()
        assert me["org_type"] == account.organisation_type
        assert me["roles"] == account.roles
        assert client.get("/").status_code == 200
