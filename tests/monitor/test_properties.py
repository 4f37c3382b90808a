"""Properties on random tables: estimate >= observed, no dependence on list or row order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketenzicht.monitor.estimation import (
    CaptureTable,
    EstimationRefusedError,
    estimate,
)


@st.composite
def tables_and_orders(draw: st.DrawFn) -> tuple[CaptureTable, list[int]]:
    n_lists = draw(st.integers(3, 4))
    size = (1 << n_lists) - 1
    # Half the cells empty on average: sparse tables are where models get refused.
    cell = st.one_of(st.just(0), st.integers(0, 40))
    counts = draw(st.lists(cell, min_size=size, max_size=size))
    table = CaptureTable(tuple("PQRS"[:n_lists]), np.array([0, *counts], dtype=np.int64))
    order = draw(st.permutations(list(range(n_lists))))
    return table, order


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(table: CaptureTable, method: str) -> tuple[float, float | None, set[str]] | None:
    try:
        result = estimate(table, method=method)  # type: ignore[arg-type]
    except EstimationRefusedError:
        return None
    assert result.interval is not None
    pairs = {":".join(sorted(t.split(":"))) for t in result.model}
    return result.estimate, result.interval.high, pairs


@pytest.mark.parametrize("method", ["stepwise", "bic"])
@FAST
@given(case=tables_and_orders())
def test_estimate_is_at_least_observed_and_ignores_list_order(
    method: str, case: tuple[CaptureTable, list[int]]
) -> None:
    table, order = case
    if table.observed == 0:
        return
    first = _run(table, method)
    second = _run(table.reorder(order), method)
    assert (first is None) == (second is None)
    if first is None or second is None:
        return
    est, high, model = first
    assert est >= table.observed
    assert second[0] == pytest.approx(est, rel=1e-7)
    assert second[2] == model
    if high is not None and second[1] is not None:
        assert second[1] == pytest.approx(high, rel=1e-5)


@FAST
@given(case=tables_and_orders(), seed=st.integers(0, 2**16))
def test_row_order_does_not_matter(case: tuple[CaptureTable, list[int]], seed: int) -> None:
    table, _ = case
    if table.observed == 0:
        return
    frame = table.to_frame()
    shuffled = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    try:
        a = estimate(frame).estimate
    except EstimationRefusedError:
        with pytest.raises(EstimationRefusedError):
            estimate(shuffled)
        return
    assert estimate(shuffled).estimate == pytest.approx(a, rel=1e-9)
