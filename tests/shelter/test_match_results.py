"""Results built only for the units read (issue 25) equal the full computation's."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
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
    Matches,
    MatchResult,
    Need,
    UnitFacts,
    UnitTable,
    evaluate,
    ineligibility,
    match,
)
from ketenzicht.shelter.regions import REGIONS
from tests.shelter.test_matching import NOW, need, unit


def _units(n: int, seed: int) -> list[UnitFacts]:
    """Units that differ in every criterion, so that every filter excludes some."""
    rng = random.Random(seed)
    regions = list(REGIONS.values())
    out = []
    for i in range(n):
        r = rng.choice(regions)
        available = rng.randint(0, 3)
        out.append(unit(
            id=100 + i, name=f"U{i}", region=r.code, lat=r.lat + rng.uniform(-0.1, 0.1),
            lon=r.lon + rng.uniform(-0.1, 0.1), shelter_type=rng.choice(list(ShelterType)),
            secret=rng.random() < 0.5, active=rng.random() < 0.95, available=available,
            held=rng.randint(0, available), updated_at=NOW - timedelta(hours=rng.uniform(0, 40)),
            genders=frozenset(rng.sample(list(Gender), k=rng.randint(1, 3))),
            age_min=rng.choice([0, 12, 18]), age_max=rng.choice([17, 65, 120]),
            accepts_minors=rng.random() < 0.5, max_children=rng.choice([0, 1, 3]),
            children_age_max=rng.choice([4, 12, 17]),
            exploitation=frozenset(rng.sample(list(Exploitation), k=rng.randint(1, 4))),
            legal=frozenset(rng.sample(list(LegalStatus), k=rng.randint(1, 4))),
            authorities=frozenset(rng.sample(list(Authority), k=rng.randint(1, 3))),
            security=rng.choice(list(Security)), staffed=rng.random() < 0.5,
            addiction=rng.random() < 0.7, psychiatric=rng.random() < 0.7,
            lvb=rng.random() < 0.8, medical=rng.random() < 0.8, wheelchair=rng.random() < 0.8,
            pets=rng.random() < 0.7,
            languages=frozenset(["nl", *rng.sample(["en", "ro", "bg", "pl"], k=2)])))
    return out


def _needs(seed: int) -> list[Need]:
    rng = random.Random(seed)
    out = []
    for _ in range(5):
        age = rng.choice([16, 25, 40])
        out.append(need(
            age_min=age, age_max=age, gender=rng.choice(list(Gender)),
            legal_status=rng.choice(list(LegalStatus)),
            exploitation=rng.choice(list(Exploitation)),
            authority=rng.choice(list(Authority)), urgency=rng.choice(list(Urgency)),
            region=rng.choice(list(REGIONS)),
            exclude_regions=frozenset(rng.sample(list(REGIONS), k=2)),
            secret=rng.random() < 0.5, security=rng.choice(list(Security)),
            languages=(rng.choice(["ro", "bg", "ti"]),),
            children_ages=rng.choice([(), (3,), (6, 14)]), pets=rng.random() < 0.3,
            addiction=rng.random() < 0.3, psychiatric=rng.random() < 0.3,
            lvb=rng.random() < 0.2, medical=rng.random() < 0.2, wheelchair=rng.random() < 0.2))
    return out


def _full(units: list[UnitFacts], n: Need) -> list[tuple[UnitFacts, bool, float, list[Any]]]:
    """The computation before issue 25, unit by unit: every unit's outcome, ranked.

    Eligible units by score (best first), then the excluded by the score they would have
    had, ties in the order of the units; each excluded unit with every filter it fails.
    """
    ev = evaluate(UnitTable(units), n, now=NOW, stale_hours=24)
    rows = []
    for i, u in enumerate(units):
        why = ineligibility(u, n)
        rows.append((not why, float(ev.score[i]), i, u, why))
    rows.sort(key=lambda r: (not r[0], -r[1], r[2]))
    return [(u, ok, round(score, 1) if ok else 0.0, why) for ok, score, _i, u, why in rows]


def _same(got: MatchResult, expected: tuple[UnitFacts, bool, float, list[Any]],
          explained: MatchResult) -> None:
    u, ok, score, why = expected
    assert (got.unit_id, got.eligible, got.score) == (u.id, ok, score)
    assert got.reasons == (explained.reasons if ok else why)
    assert [r.english() for r in got.reasons] == [r.english() for r in explained.reasons]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_top_k_equals_the_full_ranking_and_its_explanations(seed: int) -> None:
    units = _units(200, seed)
    for n in _needs(seed):
        found = match(units, n, now=NOW, stale_hours=24)
        assert isinstance(found, Matches)
        full = _full(units, n)
        every = list(found)  # building every result, as before
        assert found.eligible_count == sum(ok for _u, ok, _s, _w in full)
        eligible = [row for row in full if row[1]]
        excluded = [row for row in full if not row[1]]
        for k in (1, 5, 25):
            top = found.top(k)
            assert len(top) == min(k, len(eligible))
            for got, expected, explained in zip(top, eligible, every, strict=False):
                _same(got, expected, explained)
            rest = found.top(k, excluded=True)
            assert len(rest) == min(k, len(excluded))
            tail = every[found.eligible_count:]
            for got, expected, explained in zip(rest, excluded, tail, strict=False):
                _same(got, expected, explained)
        # A page further on, and slices of the whole ranking, agree as well.
        page = found.top(10, offset=5)
        assert [m.unit_id for m in page] == [u.id for u, *_ in eligible[5:15]]
        assert [m.unit_id for m in found[3:30]] == [u.id for u, *_ in full[3:30]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_per_exclusion_reason_equal_counting_every_explanation(seed: int) -> None:
    units = _units(200, seed)
    for n in _needs(seed):
        found = match(units, n, now=NOW, stale_hours=24)
        full = _full(units, n)
        expected = Counter(r.code for _u, ok, _s, why in full if not ok for r in why)
        got = {c.reason.code: c.count for c in found.excluded_counts()}
        assert got == dict(expected)
        assert found.excluded_count == sum(not ok for _u, ok, _s, _w in full)
        counts = [c.count for c in found.excluded_counts()]
        assert counts == sorted(counts, reverse=True)


def test_a_count_is_worded_without_any_one_units_figures() -> None:
    units = [unit(id=1, available=1, held=1), unit(id=2, available=0),
             unit(id=3, age_min=40, age_max=60), unit(id=4)]
    found = match(units, need(), now=NOW, stale_hours=24)
    texts = {c.reason.code: (c.reason.english(), c.count) for c in found.excluded_counts()}
    assert texts == {"full": ("no free place", 2),
                     "age": ("age 30 is outside its age range", 1)}
    # One unit's own explanation keeps its figures.
    one = found.explain(1)
    assert one is not None
    assert [r.english() for r in one.reasons] == [
        "no free place (1 free, 1 held by open offers)"]


def test_any_unit_asked_for_is_explained_in_full() -> None:
    units = _units(150, 7)
    n = _needs(7)[0]
    found = match(units, n, now=NOW, stale_hours=24)
    by_id = {m.unit_id: m for m in found}
    for u in units:
        asked = found.explain(u.id)
        assert asked is not None
        assert (asked.eligible, asked.score) == (by_id[u.id].eligible, by_id[u.id].score)
        assert asked.reasons == by_id[u.id].reasons
        if not asked.eligible:
            assert asked.reasons == ineligibility(u, n)
    assert found.explain(99_999) is None


def test_reading_the_top_builds_results_for_those_units_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    original = MatchResult.__init__

    def counting(self: MatchResult, *args: Any, **kw: Any) -> None:
        built.append(1)
        original(self, *args, **kw)

    monkeypatch.setattr(MatchResult, "__init__", counting)
    found = match(_units(1000, 4), _needs(4)[1], now=NOW, stale_hours=24)
    assert built == []
    found.top(25)
    found.top(25, excluded=True)
    found.excluded_counts()
    assert len(built) == min(25, found.eligible_count) + min(25, found.excluded_count)
