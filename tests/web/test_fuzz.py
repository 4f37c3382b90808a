"""Schemathesis fuzzes every operation of the OpenAPI document: no input may cause a 5xx."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from ketenzicht.auth import credentials
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import TokenCreate
from tests.factories.auth import UserFactory
from tests.schema import api_schema


def _bearer(db: Session) -> dict[str, str]:
    """A national beheer system account's token, so the fuzzer reaches past the login."""
    admin = UserFactory(organisation__org_type=OrgType.BEHEER, roles=(Role.BEHEERDER,),
                        is_system=True, password_hash=None)
    UserFactory(organisation=admin.organisation)
    secret, _ = credentials.issue_token(db, actor=None, data=TokenCreate(name="fuzz",
                                        user_id=admin.id), default_days=1)
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_no_server_errors(app: FastAPI, connection: Connection, db: Session) -> None:
    # Driven by hand rather than through schemathesis' pytest plugin, which does not
    # yet run under this pytest; the strategies and calls are schemathesis' own.
    schema = api_schema(app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures: list[str] = []
    for operation in operations:
        # Each operation in a transaction of its own. Every request's commit releases a
        # SAVEPOINT, and PostgreSQL slows down once one transaction holds thousands of
        # subtransactions (the subxid cache overflows): one transaction for the whole
        # fuzz made the PostgreSQL run 4.7 times slower than SQLite's.
        db.close()
        connection.rollback()
        connection.begin()
        _fuzz(operation, _bearer(db), failures)
    assert not failures, "\n".join(failures[:10])


def _fuzz(operation: Any, bearer: dict[str, str], failures: list[str]) -> None:
    """25 derandomised cases of one operation, each with and without the token."""

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case: schemathesis.Case) -> None:
        for headers in (bearer, {}):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> "
                                f"{response.status_code}: {response.text[:200]}")

    fuzz()


def test_schema_is_loaded_without_an_http_round_trip(app: FastAPI) -> None:
    # The fuzzers must not depend on GET /api/v1/openapi.json answering within the
    # loader's 10 s timeout (flaky under load): they take the schema from the app itself.
    app.router.routes = [r for r in app.router.routes
                         if getattr(r, "path", "") != "/api/v1/openapi.json"]
    schema = api_schema(app)
    assert len([r.ok() for r in schema.get_all_operations()]) >= 10
