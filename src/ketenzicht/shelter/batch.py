"""Batch placement: the optimal assignment of many requests to free places.

After a large operation dozens of people may need a place at once. Placing
them first come, first served lets early requests take places that later ones
needed. Here every request and every free place are weighed together: the
assignment first places as many people as the hard constraints allow, then
minimises the total cost (100 minus the match score). It is a rectangular
assignment problem, solved exactly with SciPy's ``linear_sum_assignment``
(a shortest augmenting path method, Crouse 2016); each unit becomes as many
columns as it has free places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from ketenzicht.shelter.matching import INELIGIBLE_COST

Costs = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Assignment:
    """Request index -> unit index (None when no eligible place is left), with totals."""

    pairs: tuple[int | None, ...]
    placed: int
    total_cost: float


def _totals(costs: Costs, pairs: list[int | None]) -> Assignment:
    placed = sum(1 for p in pairs if p is not None)
    total = float(sum(costs[r, u] for r, u in enumerate(pairs) if u is not None))
    return Assignment(tuple(pairs), placed, round(total, 6))


def optimal(costs: Costs, free: npt.NDArray[np.int64]) -> Assignment:
    """The assignment with the most people placed and, among those, the least total cost.

    ``costs`` is requests × units with :data:`INELIGIBLE_COST` where a unit is not
    eligible; ``free`` the free places per unit.
    """
    n_req, _n_units = costs.shape
    useful = np.flatnonzero((free > 0) & (costs < INELIGIBLE_COST).any(axis=0))
    if n_req == 0 or useful.size == 0:
        return _totals(costs, [None] * n_req)
    # A unit never needs more columns than there are requests.
    repeats = np.minimum(free[useful], n_req)
    columns = np.repeat(useful, repeats)
    matrix = costs[:, columns]
    rows, cols = linear_sum_assignment(matrix)
    pairs: list[int | None] = [None] * n_req
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        if matrix[r, c] < INELIGIBLE_COST:
            pairs[r] = int(columns[c])
    return _totals(costs, pairs)


def greedy(costs: Costs, free: npt.NDArray[np.int64]) -> Assignment:
    """First come, first served: each request in turn takes its cheapest eligible place left."""
    left = free.astype(np.int64).copy()
    pairs: list[int | None] = []
    for r in range(costs.shape[0]):
        row = np.where(left > 0, costs[r], np.inf)
        best = int(np.argmin(row)) if row.size else -1
        if best >= 0 and row[best] < INELIGIBLE_COST:
            pairs.append(best)
            left[best] -= 1
        else:
            pairs.append(None)
    return _totals(costs, pairs)
