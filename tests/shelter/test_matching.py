"""Eligibility rules, ranking and explanations of matching (pure, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ketenzicht.shelter.enums import (
    Authority,
    Exploitation,
    Gender,
    LegalStatus,
    Security,
    ShelterType,
    Urgency,
)
from ketenzicht.shelter.matching import (
    CHECKS,
    Need,
    UnitFacts,
    ineligibility,
    match,
    placing_authority,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def unit(**kw: Any) -> UnitFacts:
    base = UnitFacts(
        id=1, name="A", location_name="L", organisation_id=1, shelter_type=ShelterType.COSM,
        region="vr09", lat=52.09, lon=5.12, secret=True, active=True, available=3, held=0,
        updated_at=NOW - timedelta(hours=1), genders=frozenset(Gender), age_min=0,
        age_max=120, accepts_minors=True, max_children=2, children_age_max=12,
        exploitation=frozenset(Exploitation), legal=frozenset(LegalStatus),
        authorities=frozenset(Authority), security=Security.HOOG, staffed=True, addiction=True,
        psychiatric=True, lvb=True, medical=True, wheelchair=True, pets=True,
        languages=frozenset({"nl", "en", "ro"}))
    return replace(base, **kw)


def need(**kw: Any) -> Need:
    base = Need(age_min=30, age_max=30, gender=Gender.VROUW, legal_status=LegalStatus.B8,
                exploitation=Exploitation.SEKSUEEL, authority=Authority.COMENSHA,
                urgency=Urgency.REGULIER, region="vr09")
    return replace(base, **kw)


# (rule, unit change, need change) -> the code of the one reason that excludes the unit
RULES = [
    ("full", {"available": 2, "held": 2}, {}),
    ("inactive", {"active": False}, {}),
    ("gender", {"genders": frozenset({"man"})}, {}),
    ("minor", {"accepts_minors": False}, {"age_min": 16, "age_max": 16}),
    ("age", {"age_min": 12, "age_max": 17, "accepts_minors": True}, {}),
    ("children", {"max_children": 1}, {"children_ages": (3, 5)}),
    ("child_age", {"children_age_max": 4}, {"children_ages": (7,)}),
    ("exploitation", {"exploitation": frozenset({"arbeid"})}, {}),
    ("legal_status", {"legal": frozenset({"nl", "eu"})}, {}),
    ("authority", {"authorities": frozenset({"nidos"})}, {}),
    ("region_excluded", {}, {"exclude_regions": frozenset({"vr09"})}),
    ("secret", {"secret": False}, {"secret": True}),
    ("security", {"security": Security.BASIS}, {"security": Security.VERHOOGD}),
    ("addiction", {"addiction": False}, {"addiction": True}),
    ("psychiatric", {"psychiatric": False}, {"psychiatric": True}),
    ("lvb", {"lvb": False}, {"lvb": True}),
    ("medical", {"medical": False}, {"medical": True}),
    ("wheelchair", {"wheelchair": False}, {"wheelchair": True}),
    ("pets", {"pets": False}, {"pets": True}),
    ("crisis_only", {"shelter_type": ShelterType.CRISIS}, {"urgency": Urgency.REGULIER}),
]


@pytest.mark.parametrize(("code", "unit_kw", "need_kw"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_excludes_and_says_why(code: str, unit_kw: dict[str, Any],
                                         need_kw: dict[str, Any]) -> None:
    u, n = unit(**unit_kw), need(**need_kw)
    reasons = ineligibility(u, n)
    assert [r.code for r in reasons] == [code]
    assert reasons[0].english() and "%(" not in reasons[0].english()
    [result] = match([u], n, now=NOW, stale_hours=24)
    assert not result.eligible and [r.code for r in result.reasons] == [code]


@pytest.mark.parametrize(("code", "unit_kw", "need_kw"), RULES, ids=[r[0] for r in RULES])
def test_the_rule_does_not_fire_when_the_unit_fits(code: str, unit_kw: dict[str, Any],
                                                   need_kw: dict[str, Any]) -> None:
    if code in ("region_excluded", "crisis_only"):  # the base unit is in vr09 / not crisis
        need_kw = {}
    assert ineligibility(unit(), need(**need_kw)) == []


def test_every_rule_is_covered() -> None:
    assert {c.code for c in CHECKS} == {r[0] for r in RULES}


def test_several_reasons_are_all_given() -> None:
    reasons = ineligibility(unit(genders=frozenset({"man"}), pets=False), need(pets=True))
    assert {r.code for r in reasons} == {"gender", "pets"}


def test_emergency_bed_may_use_a_crisis_unit() -> None:
    assert ineligibility(unit(shelter_type=ShelterType.CRISIS),
                         need(urgency=Urgency.NOODBED)) == []


@pytest.mark.parametrize(("age_min", "unaccompanied", "status", "authority"), [
    (15, True, LegalStatus.UNDOCUMENTED, Authority.NIDOS),
    (15, False, LegalStatus.NL, Authority.CENTRUMGEMEENTE),
    (30, False, LegalStatus.B8, Authority.COMENSHA),
    (30, False, LegalStatus.EU, Authority.CENTRUMGEMEENTE),
])
def test_placing_authority(age_min: int, unaccompanied: bool, status: LegalStatus,
                           authority: Authority) -> None:
    assert placing_authority(age_min=age_min, unaccompanied_minor=unaccompanied,
                             legal_status=status) is authority


def test_ranking_prefers_near_fresh_fitting_and_explains_each_part() -> None:
    near = unit(id=1, security=Security.BASIS)
    far = unit(id=2, lat=53.2, lon=6.57, region="vr01", security=Security.BASIS)
    stale = unit(id=3, security=Security.BASIS, updated_at=NOW - timedelta(hours=30))
    overkill = unit(id=4, security=Security.HOOG)
    no_lang = unit(id=5, security=Security.BASIS, languages=frozenset({"nl"}))
    results = match([far, stale, overkill, no_lang, near], need(languages=("ro",)), now=NOW,
                    stale_hours=24)
    assert results[0].unit_id == 1
    by_id = {r.unit_id: r for r in results}
    assert all(r.eligible for r in results)
    assert by_id[1].score > by_id[2].score  # distance
    assert by_id[1].score > by_id[3].score and by_id[3].stale  # freshness penalised
    assert by_id[1].score > by_id[4].score  # a scarcer secure place is kept for others
    assert by_id[1].score > by_id[5].score  # language
    codes = {r.code for r in by_id[3].reasons}
    assert codes == {"distance", "security", "language", "freshness", "staffing"}
    assert "stale" in next(r for r in by_id[3].reasons if r.code == "freshness").english()
    assert abs(sum(r.points or 0 for r in by_id[1].reasons) - by_id[1].score) < 0.2


def test_ineligible_units_come_last_each_with_reasons() -> None:
    results = match([unit(id=1, genders=frozenset({"man"})), unit(id=2)], need(), now=NOW,
                    stale_hours=24)
    assert [r.unit_id for r in results] == [2, 1]
    assert results[1].reasons and not results[1].eligible


def test_emergency_prefers_staffed_units() -> None:
    results = match([unit(id=1, staffed=False), unit(id=2)], need(urgency=Urgency.NOODBED),
                    now=NOW, stale_hours=24)
    assert results[0].unit_id == 2
    assert any(r.code == "staffing" and r.points == 0 for r in results[1].reasons)
