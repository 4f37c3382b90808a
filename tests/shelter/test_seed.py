"""The demo seeder gives the overview something to show: variety, staleness, waiting, history."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation
from ketenzicht.shelter import metrics, seed
from ketenzicht.shelter.models import ShelterLocation, ShelterUnit
from tests.factories.auth import OrganisationFactory, UserFactory, actor


@dataclass
class _Ctx:
    organisations: dict[OrgType, Organisation] = field(default_factory=dict)


def test_demo_shelter_data(db: Session) -> None:
    ctx = _Ctx()
    for org_type in (OrgType.OPVANG, OrgType.COMENSHA, OrgType.GEMEENTE):
        org = OrganisationFactory(org_type=org_type)
        UserFactory(organisation=org, roles=(Role.COORDINATOR,))
        ctx.organisations[org_type] = org
    db.flush()
    seed.seed_shelter(db, ctx)
    units = list(db.scalars(select(ShelterUnit)))
    assert 110 <= len(units) <= 130
    assert len(set(db.scalars(select(ShelterLocation.region)))) == 25
    assert len({u.shelter_type for u in units}) == 7
    assert any(loc.secret_address for loc in db.scalars(select(ShelterLocation)))
    coordinator = actor(UserFactory(organisation=ctx.organisations[OrgType.COMENSHA],
                                    roles=(Role.COORDINATOR,)))
    o = metrics.overview(db, actor=coordinator, stale_hours=24, stable_days=28, trend_days=90)
    assert o.total.stale > 0 and o.waiting >= 10
    assert o.declines and o.outflow and o.placed >= 16
    assert o.bounces is not None and o.bounces.stable > 0
    assert o.trend_known  # a month of reported figures
