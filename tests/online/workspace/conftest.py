"""Fixtures of the workspace tests: investigators, a network, a capture."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import User
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.online.collection.models import Capture
from ketenzicht.online.workspace.networks.models import Network
from tests.factories.auth import OrganisationFactory, UserFactory, actor, login
from tests.factories.online import make_capture, make_network


@pytest.fixture
def investigator(db: Session) -> User:
    """A police medewerker."""
    org = OrganisationFactory(org_type=OrgType.POLITIE)
    user: User = UserFactory(organisation=org, roles=(Role.MEDEWERKER,))
    db.flush()
    return user


@pytest.fixture
def police(investigator: User) -> Actor:
    """The investigator as an actor."""
    return actor(investigator)


@pytest.fixture
def capture(db: Session, settings: Settings) -> Capture:
    """A capture of a hostile page, written to a real WARC file."""
    return make_capture(db, settings)


@pytest.fixture
def network(db: Session, capture: Capture) -> Network:
    """A two-ad network citing the capture."""
    return make_network(db, capture_id=capture.id)


@pytest.fixture
def police_client(client: TestClient, investigator: User) -> TestClient:
    """A logged-in investigator's browser."""
    login(client, investigator.username)
    return client
