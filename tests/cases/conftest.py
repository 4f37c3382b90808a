"""A small chain of organisations and people for the cases tests."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.cases.models import Case
from tests.factories.auth import OrganisationFactory, UserFactory
from tests.factories.cases import make_case


@pytest.fixture
def team(db: Session) -> dict[str, Any]:
    """gemeente (coordinator), politie, zorg, om, an outside politie and CoMensha."""
    orgs = {t: OrganisationFactory(org_type=t) for t in (
        OrgType.GEMEENTE, OrgType.POLITIE, OrgType.ZORG, OrgType.OM, OrgType.COMENSHA,
        OrgType.OPVANG)}
    outside = OrganisationFactory(org_type=OrgType.POLITIE)
    people = {
        "coord": UserFactory(organisation=orgs[OrgType.GEMEENTE], roles=(Role.COORDINATOR,)),
        "police": UserFactory(organisation=orgs[OrgType.POLITIE], roles=(Role.COORDINATOR,)),
        "care": UserFactory(organisation=orgs[OrgType.ZORG]),
        "om": UserFactory(organisation=orgs[OrgType.OM]),
        "outsider": UserFactory(organisation=outside),
        "national": UserFactory(organisation=orgs[OrgType.COMENSHA], roles=(Role.COORDINATOR,)),
        "shelter": UserFactory(organisation=orgs[OrgType.OPVANG], roles=(Role.COORDINATOR,)),
    }
    db.flush()
    return {**people, "orgs": orgs, "outside": outside}


def open_team_case(db: Session, team: dict[str, Any], **kw: Any) -> Case:
    """A case of the gemeente with politie, zorg and OM taking part."""
    o = team["orgs"]
    return make_case(db, team["coord"], participants=[
        {"org_id": o[OrgType.POLITIE].id, "phase": "opsporing"},
        {"org_id": o[OrgType.ZORG].id, "phase": "hulpverlening"},
        {"org_id": o[OrgType.OM].id, "phase": "vervolging", "raci": "informed"}], **kw)
