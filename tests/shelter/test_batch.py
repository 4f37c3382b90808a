"""The batch optimum equals a brute-force optimum and is never worse than first-come."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ketenzicht.shelter.batch import greedy, optimal
from ketenzicht.shelter.matching import INELIGIBLE_COST


def brute_force(costs: np.ndarray, free: np.ndarray) -> tuple[int, float]:
    """Most people placed, then least cost, by trying every assignment."""
    n_req, n_units = costs.shape
    best = (-1, float("inf"))
    for choice in itertools.product([None, *range(n_units)], repeat=n_req):
        used = np.zeros(n_units, dtype=int)
        total, placed, ok = 0.0, 0, True
        for r, u in enumerate(choice):
            if u is None:
                continue
            if costs[r, u] >= INELIGIBLE_COST or used[u] >= free[u]:
                ok = False
                break
            used[u] += 1
            total += costs[r, u]
            placed += 1
        if ok and (placed > best[0] or (placed == best[0] and total < best[1] - 1e-9)):
            best = (placed, total)
    return best[0], best[1]


@pytest.mark.parametrize("seed", range(40))
def test_optimal_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_req, n_units = rng.integers(1, 6), rng.integers(1, 5)
    costs = rng.uniform(0, 100, size=(n_req, n_units)).round(1)
    costs[rng.random(costs.shape) < 0.35] = INELIGIBLE_COST
    free = rng.integers(0, 3, size=n_units)
    plan = optimal(costs, free)
    placed, total = brute_force(costs, free)
    assert plan.placed == placed
    assert plan.total_cost == pytest.approx(total, abs=1e-6)
    first = greedy(costs, free)
    assert (first.placed, -first.total_cost) <= (plan.placed, -plan.total_cost)
    used = np.bincount([u for u in plan.pairs if u is not None], minlength=n_units)
    assert (used <= free).all()
    assert all(costs[r, u] < INELIGIBLE_COST for r, u in enumerate(plan.pairs) if u is not None)


def test_first_come_can_strand_a_later_request() -> None:
    # Request 0 could go anywhere and takes the place request 1 needs.
    costs = np.array([[10.0, 20.0], [15.0, INELIGIBLE_COST]])
    free = np.array([1, 1])
    assert greedy(costs, free).placed == 1
    plan = optimal(costs, free)
    assert plan.placed == 2 and plan.pairs == (1, 0)


def test_empty_inputs() -> None:
    assert optimal(np.zeros((0, 3)), np.ones(3, dtype=np.int64)).placed == 0
    assert optimal(np.full((2, 1), INELIGIBLE_COST), np.ones(1, dtype=np.int64)).pairs == (
        None, None)
