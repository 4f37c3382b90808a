"""Log-linear fits, existence checks and model selection."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketenzicht.monitor.estimation import CaptureTable, EstimationRefusedError
from ketenzicht.monitor.estimation.design import model_spec, pairs_of
from ketenzicht.monitor.estimation.exhaustive import exhaustive, mask_pairs, score_models
from ketenzicht.monitor.estimation.existence import check_spec, lp_optimum
from ketenzicht.monitor.estimation.loglinear import fit_model
from ketenzicht.monitor.estimation.selection import stepwise


def tables(n_lists: int, max_count: int = 30) -> st.SearchStrategy[CaptureTable]:
    """Random capture tables, many cells empty, every list with a case."""
    size = (1 << n_lists) - 1
    counts = st.lists(
        st.one_of(st.just(0), st.integers(0, max_count)), min_size=size, max_size=size
    )
    return counts.map(
        lambda c: CaptureTable(tuple("ABCDEF"[:n_lists]), np.array([0, *c], dtype=np.int64))
    ).filter(lambda t: t.observed > 0 and bool((t.list_totals() > 0).all()))


@pytest.mark.parametrize("pairs", [[], [(3, 4)], [(0, 2), (3, 4)]])
def test_fit_matches_statsmodels(load, pairs: list[tuple[int, int]]) -> None:
    table = load("NewOrl")
    ours = fit_model(table, pairs)
    spec = ours.spec
    ref = sm.GLM(spec.y, spec.design, family=sm.families.Poisson()).fit(tol=1e-12, maxiter=200)
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-6, atol=1e-6)
    assert ours.loglik == pytest.approx(ref.llf, rel=1e-9)
    # R's AIC adds 2 for each interaction at minus infinity (SparseMSE modelfit)
    assert ours.aic == pytest.approx(ref.aic + 2 * len(spec.minus_inf), rel=1e-9)
    assert ours.se_log_dark == pytest.approx(ref.bse[0], rel=1e-5)


def test_batched_scores_match_single_fits(load) -> None:
    table = load("Western")
    masks = np.arange(1 << len(pairs_of(5)), dtype=np.int64)[::7]
    scores = score_models(table, masks, "bic")
    for i, mask in enumerate(masks):
        spec = model_spec(table, mask_pairs(int(mask), 5))
        if not check_spec(spec).ok:
            continue
        fit = fit_model(table, mask_pairs(int(mask), 5))
        assert scores.criterion[i] == pytest.approx(fit.bic, rel=1e-8)
        assert scores.estimate[i] == pytest.approx(fit.estimate, rel=1e-7)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(table=tables(3, 8), mask=st.integers(0, 7))
def test_fast_existence_checks_agree_with_the_lp(table: CaptureTable, mask: int) -> None:
    spec = model_spec(table, mask_pairs(mask, 3))
    fit = fit_model(table, mask_pairs(mask, 3))
    check = check_spec(spec, fit.coef if fit.converged else None)
    if check.identifiable:
        assert check.exists == (lp_optimum(spec) > 1e-7)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(table=tables(4, 12))
def test_refused_models_never_give_a_number(table: CaptureTable) -> None:
    try:
        selection = stepwise(table)
    except EstimationRefusedError:
        return
    assert math.isfinite(selection.fit.estimate)
    assert check_spec(selection.fit.spec).ok
    assert selection.fit.estimate < 1e9


def test_stepwise_records_refusals(load) -> None:
    selection = stepwise(load("Artificial_3"), threshold=0.5)
    words = selection.reason
    assert "Stopped" in words
    assert "Chosen interactions" in words
    for step in selection.steps:
        assert step.p_value < 0.5


def test_exhaustive_refuses_more_than_six_lists(load) -> None:
    from ketenzicht.monitor.estimation import EstimationInputError

    with pytest.raises(EstimationInputError, match="limited to 6 lists"):
        exhaustive(load("NewOrl"), "bic")


def test_exhaustive_ranking_is_ordered_and_checked(load) -> None:
    selection = exhaustive(load("UKdat_5"), "aic", report=5)
    usable = [r for r in selection.ranking if not r.refused]
    assert len(usable) == 5
    assert [r.criterion for r in usable] == sorted(r.criterion for r in usable)
    assert usable[0].criterion == pytest.approx(selection.fit.aic)
    assert "Exhaustive search over all 1024" in selection.reason


def test_main_effects_refused_when_no_estimate_exists() -> None:
    # every case on all three lists: the main-effects estimate does not exist
    table = CaptureTable(("A", "B", "C"), np.array([0, 0, 0, 0, 0, 0, 0, 9], dtype=np.int64))
    with pytest.raises(EstimationRefusedError, match="main-effects model is refused"):
        stepwise(table)
