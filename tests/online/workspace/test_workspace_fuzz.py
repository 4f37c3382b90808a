"""Schemathesis on the workspace's JSON routes as an investigator: no input causes a 5xx."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from sqlalchemy.orm import Session

from ketenzicht.auth import credentials
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import TokenCreate
from ketenzicht.online.workspace.networks.models import Network
from tests.factories.auth import UserFactory
from tests.schema import api_schema


def test_workspace_api_has_no_server_errors(app: FastAPI, db: Session, network: Network
                                            ) -> None:
    # The app-wide fuzz test acts as the beheer organisation, which this domain refuses; an
    # investigator's system account reaches past the access checks into the services.
    bot = UserFactory(organisation__org_type=OrgType.POLITIE, roles=(Role.MEDEWERKER,),
                      is_system=True, password_hash=None)
    secret, _ = credentials.issue_token(db, actor=None, data=TokenCreate(
        name="fuzz", user_id=bot.id), default_days=1)
    db.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    schema = api_schema(app)
    operations = [r.ok() for r in schema.get_all_operations()
                  if "/online/" in r.ok().path]
    assert len(operations) >= 6
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> "
                                f"{response.status_code}: {response.text[:200]}")

        fuzz()
    assert not failures, "\n".join(failures[:10])
