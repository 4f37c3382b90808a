"""Bayesian methods: model averaging over decomposable graphs, and LCMCR."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import gammaln

from ketenzicht.monitor.estimation import CaptureTable, EstimationInputError, estimate
from ketenzicht.monitor.estimation.bayes_dga import bma, decomposable_graphs
from ketenzicht.monitor.estimation.lcmcr import effective_size, lcmcr
from ketenzicht.monitor.estimation.loglinear import fit_model


@pytest.mark.parametrize(("n_lists", "count"), [(3, 8), (4, 61), (5, 822)])
def test_number_of_decomposable_graphs(n_lists: int, count: int) -> None:
    # labelled chordal graphs, OEIS A058862: 8, 61, 822 (dga ships graphs3/4/5 of these sizes)
    assert len(decomposable_graphs(n_lists)) == count


def madigan_york() -> tuple[CaptureTable, np.ndarray, np.ndarray]:
    # dga tests, "3 lists example against Madigan and York": Y in R array order,
    # first list varying fastest, which is our history code.
    counts = np.array([0, 60, 49, 4, 247, 112, 142, 12], dtype=np.int64)
    missing = np.arange(1, 301, dtype=float)
    n = missing + counts.sum()
    a, b = 13.14, 55.17
    log_prior = n * np.log(b) - (n + a) * np.log(1 + b) + gammaln(n + a) - gammaln(n + 1)
    log_prior -= gammaln(a)
    return CaptureTable(("L1", "L2", "L3"), counts), missing, log_prior


def test_madigan_york_three_lists() -> None:
    table, missing, log_prior = madigan_york()
    post = bma(table, delta=1.0, n_missing=missing, log_prior=log_prior, keep_weights=True)
    assert post.weights is not None
    n = missing + table.observed
    top = post.weights[np.argmax(post.graph_prob)]
    # dga 2.0.2 tests (Madigan & York 1997): top model posterior probability 0.37,
    assert round(post.graph_prob.max(), 2) == 0.37
    # its Bayes estimator 731 and posterior mode 729,
    assert round((top / n).sum() / (top / n**2).sum()) == 731
    assert n[np.argmax(top)] == 729
    # model-averaged Bayes estimator 731 and posterior mode 728.
    avg = post.mass
    assert round((avg / n).sum() / (avg / n**2).sum()) == 731
    assert n[np.argmax(avg)] == 728


def test_bma_through_the_api(load) -> None:
    result = estimate(load("Kosovo"), method="bma")
    assert result.interval is not None and result.interval.high is not None
    assert result.observed < result.interval.low < result.estimate < result.interval.high
    assert "decomposable graphical models" in result.reason
    assert result.provenance.parameters["delta"] == pytest.approx(2.0**-4)
    assert sum(g["probability"] for g in result.details["top_graphs"]) <= 1.0 + 1e-9


def test_bma_limits() -> None:
    table = CaptureTable(("A", "B"), np.array([0, 5, 6, 2], dtype=np.int64))
    with pytest.raises(EstimationInputError, match="3 to 6 lists"):
        bma(table)


def simulated(seed: int) -> tuple[CaptureTable, int]:
    """Two latent classes with different capture rates; truth N = 2000."""
    rng = np.random.default_rng(seed)
    size, n_lists = 2000, 5
    shy = rng.random(size) < 0.6
    rates = np.where(shy[:, None], 0.25, 0.6)
    caught = (rng.random((size, n_lists)) < rates).astype(int)
    counts = np.bincount(caught @ (1 << np.arange(n_lists)), minlength=1 << n_lists)
    counts[0] = 0
    return CaptureTable(tuple("ABCDE"), counts.astype(np.int64)), size


def test_lcmcr_recovers_a_heterogeneous_population() -> None:
    table, truth = simulated(11)
    # Independence (main effects) misses the shy class: about 10% too low here.
    assert fit_model(table).estimate < 0.93 * truth
    post = lcmcr(table, burnin=3000, samples=500, thinning=5, seed=5)
    assert post.quantile(0.025) < truth < post.quantile(0.975)
    assert abs(post.quantile(0.5) - truth) / truth < 0.05


def test_lcmcr_is_seeded() -> None:
    table, _ = simulated(3)
    a = lcmcr(table, burnin=200, samples=50, thinning=2, seed=9)
    b = lcmcr(table, burnin=200, samples=50, thinning=2, seed=9)
    np.testing.assert_array_equal(a.n_draws, b.n_draws)
    assert (a.n_draws >= table.observed).all()


def test_lcmcr_through_the_api_warns_on_slow_mixing(load) -> None:
    settings = {"burnin": 500, "samples": 100, "thinning": 2}
    result = estimate(load("Kosovo"), method="lcmcr", bayes=settings)
    assert result.estimate >= result.observed
    assert "Latent-class" in result.reason
    assert any("mixes slowly" in w for w in result.warnings)
    with pytest.raises(EstimationInputError, match="unknown lcmcr settings"):
        estimate(load("Kosovo"), method="lcmcr", bayes={"chains": 4})


def test_effective_size() -> None:
    rng = np.random.default_rng(0)
    white = rng.normal(size=2000)
    sticky = np.cumsum(white)
    assert effective_size(white) > 1000
    assert effective_size(sticky) < 100
