"""Employers link as the chain reports them (issue 18): four signals from three organisations
about one "Massagesalon Lotus", region or sector often left empty."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.core.i18n import set_locale
from ketenzicht.signals import links
from ketenzicht.signals.enums import LinkKind
from ketenzicht.signals.models import SignalLink
from tests.factories.auth import UserFactory
from tests.factories.signals import make_signal

BASE = {"form": "sexual", "seen": "Vrouwen wonen boven de salon.", "indicators": [],
        "pseudonym": None, "age": None, "nationality": None, "gender": "unknown"}


def _employer_links(db: Session) -> set[frozenset[int]]:
    rows = db.scalars(select(SignalLink).where(SignalLink.kind == LinkKind.EMPLOYER))
    return {frozenset((r.signal_id, r.other_signal_id)) for r in rows}


def test_an_identical_business_name_links_across_organisations_without_context(
        db: Session) -> None:
    nurse = UserFactory(organisation__org_type=OrgType.ZORG)
    police = UserFactory(organisation__org_type=OrgType.POLITIE)
    town = UserFactory(organisation__org_type=OrgType.GEMEENTE)
    first = make_signal(db, nurse, **BASE, employer="Massagesalon Lotus", region="amsterdam",
                        sector_isic="S")
    second = make_signal(db, police, **BASE, employer="MASSAGESALON LOTUS B.V.",
                         region=None, sector_isic=None)
    third = make_signal(db, town, **BASE, employer="massagesalon  Lotus", region="amsterdam",
                        sector_isic=None)
    fourth = make_signal(db, nurse, **BASE, employer="Massagesalon Lotus", region=None,
                         sector_isic="S")
    found = _employer_links(db)
    ids = [s.id for s in (first, second, third, fourth)]
    # Every pair: before, only the pairs with region *and* sector equal could link.
    assert found == {frozenset((a, b)) for a in ids for b in ids if a < b}
    link = db.scalar(select(SignalLink).where(
        SignalLink.kind == LinkKind.EMPLOYER, SignalLink.signal_id == second.id,
        SignalLink.other_signal_id == first.id))
    assert link is not None and link.score >= 0.8
    set_locale("en")
    try:
        reasons = links.explain(LinkKind.EMPLOYER, link.evidence)
    finally:
        set_locale("nl")
    assert reasons[0].startswith("Employer: the same")
    assert "Region is missing in one of the two signals." in reasons
    assert "Sector is missing in one of the two signals." in reasons


def test_the_same_name_in_another_region_and_sector_is_not_linked(db: Session) -> None:
    nurse = UserFactory(organisation__org_type=OrgType.ZORG)
    police = UserFactory(organisation__org_type=OrgType.POLITIE)
    make_signal(db, nurse, **BASE, employer="Massagesalon Lotus", region="amsterdam",
                sector_isic="S")
    make_signal(db, police, **BASE, employer="Massagesalon Lotus", region="limburg",
                sector_isic="I")
    assert _employer_links(db) == set()
