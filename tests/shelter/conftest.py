"""People of the shelter tests: a provider, a coordinator at CoMensha, and outsiders."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import i18n
from tests.factories.auth import OrganisationFactory, UserFactory, actor


@dataclass
class Cast:
    """Who acts in a shelter test."""

    provider: Organisation
    staff: User
    other_provider: Organisation
    other_staff: User
    comensha: Organisation
    coordinator: User
    gemeente_user: User
    manager: User  # a coordinator at the provider: manages its locations and units

    def actor(self, user: User) -> Actor:
        """The actor of one of them."""
        return actor(user)


@pytest.fixture(autouse=True)
def _english() -> None:
    # Services translate the reasons they put in messages; an earlier request may have left
    # the context's language at Dutch.
    i18n.set_locale("en")


@pytest.fixture
def cast(db: Session) -> Cast:
    provider = OrganisationFactory(org_type=OrgType.OPVANG)
    other = OrganisationFactory(org_type=OrgType.OPVANG)
    comensha = OrganisationFactory(org_type=OrgType.COMENSHA)
    gemeente = OrganisationFactory(org_type=OrgType.GEMEENTE)
    cast = Cast(provider=provider, staff=UserFactory(organisation=provider),
                other_provider=other, other_staff=UserFactory(organisation=other),
                comensha=comensha,
                coordinator=UserFactory(organisation=comensha, roles=(Role.COORDINATOR,)),
                gemeente_user=UserFactory(organisation=gemeente, roles=(Role.COORDINATOR,)),
                manager=UserFactory(organisation=provider, roles=(Role.COORDINATOR,)))
    db.flush()
    return cast
