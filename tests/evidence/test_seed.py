"""The demo seeder: five cases with partial evidence, a minor, a labour case with a wage check."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import seed as cases_seed
from ketenzicht.cases.models import Case
from ketenzicht.config import Settings
from ketenzicht.evidence import reads, seed, service
from ketenzicht.evidence.enums import ItemKind
from tests.factories.auth import OrganisationFactory, UserFactory, actor

NEEDED = (OrgType.GEMEENTE, OrgType.POLITIE, OrgType.COMENSHA, OrgType.ARBEIDSINSPECTIE,
          OrgType.ZORG, OrgType.OPVANG, OrgType.OM)


@pytest.fixture
def actors(db: Session):  # type: ignore[no-untyped-def]
    return {t: actor(UserFactory(organisation=OrganisationFactory(org_type=t))) for t in NEEDED}


def test_five_cases_get_partial_evidence(db: Session, actors, settings: Settings) -> None:
    cases_seed.seed_cases(db, actors, count=5)
    assert seed.seed_evidence(db, actors, settings) == 9  # 8 uploads and 1 wage check
    police = actors[OrgType.POLITIE]
    by_title = {c.title: c for c in db.scalars(select(Case))}
    conclusions = {}
    for n in range(1, 6):
        case = by_title[f"Casus demo {n}"]
        assert service.list_items(db, actor=police if n != 4 else actors[
            OrgType.ARBEIDSINSPECTIE], case_id=case.id)
        conclusions[n] = reads.matrices(db, actor=police, case_id=case.id)[0]
    assert service.setting_of(db, by_title["Casus demo 2"].id).victim_minor is True
    assert conclusions[5].framework == "wetsvoorstel-36547"
    labour = service.list_items(db, actor=police, case_id=by_title["Casus demo 4"].id)
    wage_items = [i for i in labour if i.kind is ItemKind.WAGE_CHECK]
    assert len(wage_items) == 1 and wage_items[0].facts["arrears"] == "652.60"
    # Partial: none of the five is complete yet.
    assert not any(r.complete for m in conclusions.values() for r in m.rows
                   if r.subclause == "1")
