"""factory_boy factories for organisations and accounts, plus a login helper."""

from __future__ import annotations

import re
from functools import lru_cache

import factory
from factory.alchemy import SQLAlchemyModelFactory
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User, UserRole
from ketenzicht.auth.passwords import hash_password
from ketenzicht.auth.schemas import Actor
from ketenzicht.auth.service import actor_for

PASSWORD = "correct horse battery staple"


@lru_cache(maxsize=1)
def password_hash() -> str:
    """Hash once: Argon2 is slow on purpose, and tests make many accounts."""
    return hash_password(PASSWORD)


class _Session:
    current: Session | None = None


def bind(session: Session) -> None:
    """Make the factories write through ``session`` (the ``db`` fixture calls this)."""
    _Session.current = session


class OrganisationFactory(SQLAlchemyModelFactory):  # type: ignore[misc]
    class Meta:
        model = Organisation
        sqlalchemy_session_factory = lambda: _Session.current  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisatie {n} (test)")
    org_type = OrgType.POLITIE


class UserFactory(SQLAlchemyModelFactory):  # type: ignore[misc]
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: _Session.current  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    class Params:
        roles: tuple[Role, ...] = (Role.MEDEWERKER,)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Test Gebruiker {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password_hash = factory.LazyFunction(password_hash)
    role_rows = factory.LazyAttribute(lambda o: [UserRole(role=r) for r in o.roles])


def actor(user: User) -> Actor:
    """The actor of a factory-made user."""
    return actor_for(user)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Log ``client`` in through the real form, CSRF token and all."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "login page has no CSRF token"
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token.group(1), "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text[:500]


def csrf_headers(client: TestClient) -> dict[str, str]:
    """The header that state-changing cookie-authenticated API calls must carry."""
    token = client.cookies.get("kz_csrf")
    assert token, "no CSRF cookie yet: GET a page first"
    return {"X-CSRF-Token": token}
