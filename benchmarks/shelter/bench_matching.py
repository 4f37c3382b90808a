"""Benchmark: matching one request against 5,000 units, and an optimal batch of 200 × 5,000.

Run: ``.venv/bin/python benchmarks/shelter/bench_matching.py``. Units and requests are
generated synthetically with a fixed seed (``generate``), so runs are comparable.
Reports the median of repeated runs, and the batch optimum beside first-come matching.
Targets (issue 7): one request under 50 ms median; the batch under 2 s.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from ketenzicht.shelter.batch import greedy, optimal
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
    Need,
    UnitFacts,
    UnitTable,
    evaluate,
    match,
    placing_authority,
)
from ketenzicht.shelter.regions import REGIONS

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
LANGS = ["nl", "en", "ro", "bg", "pl", "es", "fr", "ar", "ti", "vi"]


def generate(n_units: int, n_requests: int, seed: int = 7) -> tuple[list[UnitFacts], list[Need]]:
    """Synthetic units and requests with the variety of the demo data."""
    rng = random.Random(seed)
    regions = list(REGIONS.values())
    units = []
    for i in range(n_units):
        r = rng.choice(regions)
        kind = rng.choice(list(ShelterType))
        minors = kind in (ShelterType.OMM, ShelterType.JEUGD_AMV)
        capacity = rng.choice([2, 4, 6, 8, 12])
        units.append(UnitFacts(
            id=i + 1, name=f"U{i}", location_name=f"L{i // 3}", organisation_id=1 + i % 40,
            shelter_type=kind, region=r.code, lat=r.lat + rng.uniform(-0.1, 0.1),
            lon=r.lon + rng.uniform(-0.1, 0.1), secret=rng.random() < 0.3, active=True,
            available=(a := rng.randint(0, min(capacity, 4))), held=rng.randint(0, a) // 2,
            updated_at=NOW - timedelta(hours=rng.uniform(0, 72)),
            genders=frozenset(rng.sample(list(Gender), k=rng.randint(1, 3))),
            age_min=12 if minors else 18, age_max=17 if minors else 120, accepts_minors=minors,
            max_children=rng.choice([0, 0, 2, 3]), children_age_max=rng.choice([12, 17]),
            exploitation=frozenset(rng.sample(list(Exploitation), k=rng.randint(2, 5))),
            legal=frozenset(rng.sample(list(LegalStatus), k=rng.randint(2, 4))),
            authorities=frozenset(rng.sample(list(Authority), k=rng.randint(1, 3))),
            security=rng.choice(list(Security)), staffed=rng.random() < 0.5,
            addiction=rng.random() < 0.3, psychiatric=rng.random() < 0.3,
            lvb=rng.random() < 0.3, medical=rng.random() < 0.3, wheelchair=rng.random() < 0.3,
            pets=rng.random() < 0.15,
            languages=frozenset(["nl", "en", *rng.sample(LANGS[2:], k=rng.randint(0, 3))])))
    needs = []
    for _ in range(n_requests):
        age = rng.randint(18, 50)
        legal = rng.choice(list(LegalStatus))
        needs.append(Need(
            age_min=age, age_max=age, gender=rng.choice(list(Gender)), legal_status=legal,
            exploitation=rng.choice(list(Exploitation)),
            authority=placing_authority(age_min=age, unaccompanied_minor=False,
                                        legal_status=legal),
            urgency=rng.choice(list(Urgency)), region=rng.choice(regions).code,
            exclude_regions=frozenset(rng.sample(list(REGIONS), k=rng.randint(0, 2))),
            security=rng.choice([Security.BASIS, Security.VERHOOGD]),
            languages=(rng.choice(LANGS),), addiction=rng.random() < 0.1,
            psychiatric=rng.random() < 0.1))
    return units, needs


def _median_ms(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    units, needs = generate(5000, 200)
    table = UnitTable(units)
    build = _median_ms(lambda: UnitTable(units), 5)
    one = _median_ms(lambda: match(table, needs[0], now=NOW, stale_hours=24), 30)

    def explained() -> None:
        for m in match(table, needs[0], now=NOW, stale_hours=24):
            assert m.reasons

    every = _median_ms(explained, 15)
    eligible = sum(m.eligible for m in match(table, needs[0], now=NOW, stale_hours=24))
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"building the unit table of 5000 units: {build:.1f} ms median (once per request "
          "or batch)")
    print(f"matching 1 request x 5000 units (filters, scores, ranking): {one:.1f} ms median "
          f"({eligible} eligible)")
    print(f"  and building every sentence of every unit's explanation: {every:.1f} ms median")

    def batch_run() -> tuple[float, float]:
        costs = np.vstack([evaluate(table, n, now=NOW, stale_hours=24).cost() for n in needs])
        free = (table.available - table.held).astype(np.int64)
        start = time.perf_counter()
        best = optimal(costs, free)
        solve = time.perf_counter() - start
        first = greedy(costs, free)
        batch_run.result = (best, first)  # type: ignore[attr-defined]
        return solve, 0.0

    total = _median_ms(batch_run, 5)
    best, first = batch_run.result  # type: ignore[attr-defined]
    print(f"optimal batch 200 requests x 5000 units (costs + solve): {total:.0f} ms median")
    print(f"  optimal: {best.placed} placed, total cost {best.total_cost:.1f} "
          f"(mean {best.total_cost / max(best.placed, 1):.2f})")
    print(f"  first-come greedy: {first.placed} placed, total cost {first.total_cost:.1f} "
          f"(mean {first.total_cost / max(first.placed, 1):.2f})")
    # A scarce scenario (the case after a large operation): 40 people, few free places.
    units_s, needs_s = generate(120, 40, seed=11)
    t_s = UnitTable(units_s)
    costs = np.vstack([evaluate(t_s, n, now=NOW, stale_hours=24).cost() for n in needs_s])
    free = np.minimum(t_s.available - t_s.held, 1).astype(np.int64)
    b, g = optimal(costs, free), greedy(costs, free)
    print(f"scarce: 40 requests x 120 units ({int(free.sum())} free places): optimal "
          f"{b.placed} placed (cost {b.total_cost:.1f}), greedy {g.placed} placed "
          f"(cost {g.total_cost:.1f})")


if __name__ == "__main__":
    main()
