"""Bootstrap intervals that re-run the model selection on every replicate.

Two resampling schemes:

* ``parametric``: each observable cell ~ Poisson(fitted mean of the chosen model);
* ``multinomial``: the observed count is kept and spread over the observed histories
  in their observed proportions, as R ``SparseMSE::estimatepopulation``.

Intervals are percentile or BCa (DiCiccio & Efron 1996); for BCa the acceleration
comes from a jackknife that removes one person from each history, weighted by its
count, and ``z0`` from the share of replicates strictly below the estimate, as R.

All replicate tables are drawn up front from one seeded generator, so a result does
not depend on how many processes share the work.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from typing import Literal

import numpy as np
from numpy.typing import NDArray

# scipy.stats' norm.ppf and norm.cdf are exactly ndtri and ndtr; importing scipy.stats
# would add about a second to every `ketenzicht estimate` (issue 25).
from scipy.special import ndtr, ndtri

from .data import CaptureTable, EstimationInputError, EstimationRefusedError
from .diagnostics import drop_uninformative
from .exhaustive import exhaustive, rank_models
from .jobs import default_jobs, one_blas_thread
from .selection import DEFAULT_THRESHOLD, stepwise

__all__ = [
    "BootstrapResult",
    "Refit",
    "Scheme",
    "acceleration",
    "bca_quantiles",
    "bootstrap",
    "default_jobs",
    "jackknife",
]

Scheme = Literal["parametric", "multinomial"]
# Fewer replicates than this per worker do not repay starting a process.
_PER_WORKER = 25


@dataclass(frozen=True, slots=True)
class Refit:
    """The whole estimation (clean-up, selection, fit) applied to a replicate table."""

    method: Literal["stepwise", "aic", "bic"]
    threshold: float = DEFAULT_THRESHOLD
    candidates: tuple[int, ...] | None = None

    def __call__(self, table: CaptureTable) -> float:
        """Estimate for one table; NaN when the replicate allows no estimate."""
        try:
            prepared, _ = drop_uninformative(table)
            if self.method == "stepwise":
                return stepwise(prepared, self.threshold).fit.estimate
            if self.candidates is None or prepared.n_lists != table.n_lists:
                return exhaustive(prepared, self.method, report=0).fit.estimate
            masks = np.asarray(self.candidates, dtype=np.int64)
            walk = rank_models(prepared, self.method, masks=masks, keep=1, report=0)
            return walk.estimates[0] if walk.estimates else math.nan
        except (EstimationRefusedError, EstimationInputError):
            return math.nan


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """Replicate estimates (NaN where a replicate allowed none) and how they were drawn."""

    replicates: NDArray[np.float64]
    scheme: Scheme
    seed: int

    @property
    def failed(self) -> int:
        """Replicates without an estimate."""
        return int(np.isnan(self.replicates).sum())

    @property
    def usable(self) -> NDArray[np.float64]:
        """Replicates with an estimate."""
        return self.replicates[~np.isnan(self.replicates)]

    def percentile(self, level: float = 0.95) -> tuple[float, float]:
        """Percentile interval (quantile type 8, as R's ``quantile(type = 8)``)."""
        tail = (1.0 - level) / 2.0
        q = np.quantile(self.usable, [tail, 1.0 - tail], method="median_unbiased")
        return float(q[0]), float(q[1])

    def bca(self, estimate: float, accel: float, level: float = 0.95) -> tuple[float, float]:
        """BCa interval around ``estimate`` with jackknife acceleration ``accel``."""
        tail = (1.0 - level) / 2.0
        q = bca_quantiles(self.usable, estimate, accel, [tail, 1.0 - tail])
        return float(q[0]), float(q[1])


def bca_quantiles(
    replicates: NDArray[np.float64], estimate: float, accel: float, probs: Sequence[float]
) -> NDArray[np.float64]:
    """BCa quantiles, as R ``SparseMSE::bcaconfvalues``."""
    z0 = ndtri(np.mean(replicates < estimate))
    za = ndtri(np.asarray(probs, dtype=float))
    adjusted = ndtr(z0 + (za + z0) / (1.0 - accel * (za + z0)))
    return np.asarray(np.quantile(replicates, adjusted, method="median_unbiased"), dtype=float)


def acceleration(counts: NDArray[np.int64], jack: NDArray[np.float64]) -> float:
    """Jackknife acceleration, each history weighted by its count (R ``estimatepopulation``)."""
    c = counts.astype(float)
    j = np.where(c > 0, jack, 0.0)
    resid = (c * j).sum() / c.sum() - j
    denom = (c * resid**2).sum()
    if denom <= 0:
        return 0.0
    return float((c * resid**3).sum() / (6.0 * denom**1.5))


def simulate(
    table: CaptureTable,
    n_boot: int,
    seed: int,
    scheme: Scheme,
    fitted: NDArray[np.float64] | None = None,
) -> NDArray[np.int64]:
    """Replicate count vectors, one row per replicate, indexed like ``table.counts``."""
    rng = np.random.default_rng(seed)
    out = np.zeros((n_boot, table.counts.size), dtype=np.int64)
    if scheme == "multinomial":
        p = table.counts[1:] / table.observed
        out[:, 1:] = rng.multinomial(table.observed, p, size=n_boot)
    else:
        if fitted is None:
            raise ValueError("the parametric bootstrap needs the fitted cell means")
        out[:, 1:] = rng.poisson(fitted, size=(n_boot, fitted.size))
    return out


def map_refit(
    refit: Refit, table: CaptureTable, counts: NDArray[np.int64], n_jobs: int | None = None
) -> NDArray[np.float64]:
    """Estimates for many count vectors, spread over processes."""
    jobs = default_jobs() if n_jobs is None else max(1, n_jobs)
    jobs = min(jobs, max(1, len(counts) // _PER_WORKER))
    if jobs == 1:
        return _run(refit, table.lists, counts)
    chunks = np.array_split(counts, jobs * 4)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        parts = list(pool.map(_run, repeat(refit), repeat(table.lists), chunks))
    return np.concatenate(parts)


def _run(refit: Refit, lists: tuple[str, ...], counts: NDArray[np.int64]) -> NDArray[np.float64]:
    with one_blas_thread():
        return np.array([refit(CaptureTable(lists, row)) for row in counts], dtype=float)


def bootstrap(
    table: CaptureTable,
    refit: Refit,
    *,
    n_boot: int = 1000,
    seed: int = 1234,
    scheme: Scheme = "parametric",
    fitted: NDArray[np.float64] | None = None,
    n_jobs: int | None = None,
) -> BootstrapResult:
    """Re-run the estimation on ``n_boot`` replicate tables.

    Parameters
    ----------
    table
        Observed table.
    refit
        The estimation to repeat, including the model selection.
    n_boot
        Number of replicates.
    seed
        Seed of NumPy's default generator; the same seed gives the same replicates.
    scheme
        ``"parametric"`` (needs ``fitted``) or ``"multinomial"``.
    fitted
        Fitted means of the observable cells under the chosen model.
    n_jobs
        Processes to use; default all cores available.

    Returns
    -------
    BootstrapResult
        The replicate estimates.
    """
    if n_boot < 2:
        raise EstimationInputError("the bootstrap needs at least 2 replicates")
    counts = simulate(table, n_boot, seed, scheme, fitted)
    return BootstrapResult(map_refit(refit, table, counts, n_jobs), scheme, seed)


def jackknife(table: CaptureTable, refit: Refit, n_jobs: int | None = None) -> NDArray[np.float64]:
    """Estimate with one person removed from each observed history (0 for empty ones)."""
    cells = np.flatnonzero(table.counts > 0)
    counts = np.repeat(table.counts[None, :], len(cells), axis=0)
    counts[np.arange(len(cells)), cells] -= 1
    out = np.zeros(table.counts.size)
    out[cells] = map_refit(refit, table, counts, n_jobs)
    return out
