"""Profile-likelihood and bootstrap intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy.stats import chi2

from ketenzicht.monitor.estimation import estimate
from ketenzicht.monitor.estimation.bootstrap import Refit, bootstrap, simulate
from ketenzicht.monitor.estimation.intervals import profile_interval
from ketenzicht.monitor.estimation.selection import stepwise


def deviance_at(fit, total: float) -> float:  # type: ignore[no-untyped-def]
    """Independent check with statsmodels: intercept held at log(total - observed)."""
    spec = fit.spec
    offset = np.full(spec.y.size, math.log(total - fit.observed))
    held = sm.GLM(spec.y, spec.design[:, 1:], family=sm.families.Poisson(), offset=offset).fit(
        tol=1e-12, maxiter=300
    )
    return 2 * (fit.loglik - held.llf)


@pytest.mark.parametrize("name", ["Western", "Kosovo", "NewOrl_5"])
def test_profile_limits_sit_on_the_chi_square_quantile(load, name: str) -> None:
    fit = stepwise(load(name)).fit
    interval = profile_interval(fit, 0.95)
    assert interval.high is not None
    assert interval.low < fit.estimate < interval.high
    crit = chi2.ppf(0.95, 1)
    assert deviance_at(fit, interval.low) == pytest.approx(crit, abs=1e-4)
    assert deviance_at(fit, interval.high) == pytest.approx(crit, abs=1e-4)


def test_profile_interval_widens_with_level(load) -> None:
    fit = stepwise(load("Western")).fit
    narrow, wide = profile_interval(fit, 0.8), profile_interval(fit, 0.99)
    assert wide.low < narrow.low
    assert narrow.high is not None and wide.high is not None
    assert wide.high > narrow.high


def test_bootstrap_is_seeded_and_independent_of_workers(load) -> None:
    table = load("Western")
    fit = stepwise(table).fit
    one = bootstrap(table, Refit("stepwise"), n_boot=60, seed=7, fitted=fit.fitted, n_jobs=1)
    two = bootstrap(table, Refit("stepwise"), n_boot=60, seed=7, fitted=fit.fitted, n_jobs=2)
    other = bootstrap(table, Refit("stepwise"), n_boot=60, seed=8, fitted=fit.fitted, n_jobs=1)
    np.testing.assert_array_equal(one.replicates, two.replicates)
    assert not np.array_equal(one.replicates, other.replicates)


def test_multinomial_replicates_keep_the_observed_total(load) -> None:
    table = load("Kosovo")
    counts = simulate(table, 20, 1, "multinomial")
    assert (counts.sum(axis=1) == table.observed).all()
    assert (counts[:, table.counts == 0] == 0).all()


@pytest.mark.parametrize(
    ("name", "r_low", "r_high"),
    [
        # R SparseMSE estimatepopulation, BCa 95%, 1000 replicates (summary_BCa.csv)
        ("Western", 1293.21, 3672.04),
        ("Kosovo", 12595.84, 16527.49),
    ],
)
def test_bca_bootstrap_is_close_to_r(load, name: str, r_low: float, r_high: float) -> None:
    # Random streams differ from R's, so only loosely (README: "test ... only loosely").
    result = estimate(
        load(name), ci="bootstrap", scheme="multinomial", boot_interval="bca", n_boot=1000
    )
    assert result.interval is not None and result.interval.high is not None
    assert result.interval.low == pytest.approx(r_low, rel=0.15)
    assert result.interval.high == pytest.approx(r_high, rel=0.15)


@pytest.mark.slow
def test_uk_bca_bootstrap_is_close_to_r(load) -> None:
    # R SparseMSE: UKdat BCa 95% 9266.96 - 14306.76 (summary_BCa.csv); loosely, see above
    result = estimate(
        load("UKdat"), ci="bootstrap", scheme="multinomial", boot_interval="bca", n_boot=1000
    )
    assert result.interval is not None and result.interval.high is not None
    assert result.interval.low == pytest.approx(9266.96, rel=0.15)
    assert result.interval.high == pytest.approx(14306.76, rel=0.15)


def test_parametric_percentile_bootstrap_brackets_the_estimate(load) -> None:
    result = estimate(load("NewOrl_5"), ci="bootstrap", n_boot=200, seed=3)
    assert result.interval is not None and result.interval.high is not None
    assert result.interval.low < result.estimate < result.interval.high
    assert result.provenance.parameters["scheme"] == "parametric"
    assert "percentile" in result.interval.kind


def test_bic_bootstrap_searches_the_top_models(load) -> None:
    result = estimate(load("UKdat_5"), method="bic", ci="bootstrap", n_boot=40, ntop=20)
    assert result.provenance.parameters["ntop"] == 20
    assert result.interval is not None
