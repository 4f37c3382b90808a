"""Latent-class capture-recapture (Manrique-Vallier 2016, Biometrics 72:1246).

People fall in latent classes; within a class the lists capture independently. The
class weights follow a truncated stick-breaking (Dirichlet-process) prior with
concentration ``alpha ~ Gamma(a, b)``, the capture probabilities ``Beta(1, 1)`` priors
and the population size a prior proportional to ``1/N``. The Gibbs sampler is that of
R package ``LCMCR`` (``lcmCR``), run on the counts per history instead of per person:
people with the same history are exchangeable, so their class labels are drawn as one
multinomial per history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .data import CaptureTable, EstimationInputError, history_bits

__all__ = ["LcmcrPosterior", "effective_size", "lcmcr"]


@dataclass(frozen=True, eq=False)
class LcmcrPosterior:
    """Posterior draws of the population size and of the sampler's state summaries."""

    n_draws: NDArray[np.int64]
    alpha: NDArray[np.float64]
    occupied: NDArray[np.int64]
    observed: int
    settings: dict[str, float | int]

    def quantile(self, q: float) -> float:
        """Posterior quantile of the population size."""
        return float(np.quantile(self.n_draws, q))


def lcmcr(
    table: CaptureTable,
    *,
    classes: int = 10,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    burnin: int = 10_000,
    samples: int = 1_000,
    thinning: int = 10,
    seed: int = 1234,
) -> LcmcrPosterior:
    """Sample the posterior of the population size under the latent-class model.

    Parameters
    ----------
    table
        Capture-history table with at least three lists.
    classes
        Truncation ``K*`` of the stick-breaking prior (R ``lcmCR`` ``K``; the paper
        uses 10).
    a_alpha, b_alpha
        Gamma prior of the concentration ``alpha`` (shape, rate), as R ``lcmCR``.
    burnin, samples, thinning
        Iterations discarded, draws kept, and iterations per kept draw.
    seed
        Seed of NumPy's default generator.

    Returns
    -------
    LcmcrPosterior
        ``samples`` draws of the population size, of ``alpha`` and of the number of
        occupied classes.
    """
    if table.n_lists < 3:
        raise EstimationInputError("the latent-class model needs at least 3 lists")
    if classes < 2 or burnin < 0 or samples < 10 or thinning < 1:
        raise EstimationInputError("LCMCR needs classes >= 2, samples >= 10, thinning >= 1")
    rng = np.random.default_rng(seed)
    cells = np.flatnonzero(table.counts > 0)
    x = history_bits(table.n_lists)[cells].astype(float)
    freq = table.counts[cells]
    n = table.observed
    k = classes

    # Start as LCMCR: every class at the lists' observed capture rates, most weight on
    # four classes, then 500 warm-up sweeps without updating alpha.
    rate = np.clip((x * freq[:, None]).sum(axis=0) / n, 1e-3, 1 - 1e-3)
    log_lam1 = np.repeat(np.log(rate)[:, None], k, axis=1)
    log_lam0 = np.repeat(np.log1p(-rate)[:, None], k, axis=1)
    start = min(4, k)
    nu = np.r_[np.full(start, 0.9 / start), np.full(k - start, 0.1 / max(k - start, 1))]
    log_nu = np.log(nu / nu.sum())
    alpha = 0.3 / k
    count0 = np.zeros(k, dtype=np.int64)
    state = _State(log_lam1, log_lam0, log_nu, alpha, count0, 0)

    for _ in range(500):
        state = _sweep(rng, state, x, freq, n, a_alpha, b_alpha, update_alpha=False)
    for _ in range(burnin):
        state = _sweep(rng, state, x, freq, n, a_alpha, b_alpha)
    draws = np.empty(samples, dtype=np.int64)
    alphas = np.empty(samples)
    occupied = np.empty(samples, dtype=np.int64)
    for s in range(samples):
        for _ in range(thinning):
            state = _sweep(rng, state, x, freq, n, a_alpha, b_alpha)
        draws[s] = n + state.n0
        alphas[s] = state.alpha
        occupied[s] = state.occupied
    settings: dict[str, float | int] = {
        "classes": classes,
        "a_alpha": a_alpha,
        "b_alpha": b_alpha,
        "burnin": burnin,
        "samples": samples,
        "thinning": thinning,
    }
    return LcmcrPosterior(draws, alphas, occupied, n, settings)


@dataclass(frozen=True, slots=True)
class _State:
    log_lam1: NDArray[np.float64]
    log_lam0: NDArray[np.float64]
    log_nu: NDArray[np.float64]
    alpha: float
    count0: NDArray[np.int64]
    n0: int
    occupied: int = 0


def _sweep(
    rng: np.random.Generator,
    state: _State,
    x: NDArray[np.float64],
    freq: NDArray[np.int64],
    n: int,
    a_alpha: float,
    b_alpha: float,
    update_alpha: bool = True,
) -> _State:
    """One Gibbs sweep, in LCMCR's order: classes, lambda, nu, n0, unseen classes, alpha."""
    k = state.log_nu.size
    # Class counts of the observed people, one multinomial per history.
    logp = state.log_nu + x @ state.log_lam1 + (1.0 - x) @ state.log_lam0
    p = np.exp(logp - logp.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    z = rng.multinomial(freq, p)
    # Capture probabilities per list and class; the unseen are absent from every list.
    on = x.T @ z
    off = (1.0 - x).T @ z + state.count0
    lam = rng.beta(1.0 + on, 1.0 + off)
    lam = np.clip(lam, 1e-300, 1.0 - 1e-16)
    log_lam1, log_lam0 = np.log(lam), np.log1p(-lam)
    # Stick-breaking weights.
    count = z.sum(axis=0) + state.count0
    after = np.cumsum(count[::-1])[::-1] - count
    v = rng.beta(1.0 + count[:-1], state.alpha + after[:-1])
    v = np.clip(v, 1e-300, 1.0 - 1e-16)
    log_rest = np.concatenate([[0.0], np.cumsum(np.log1p(-v))])
    log_nu = np.concatenate([np.log(v), [0.0]]) + log_rest
    # People missed by every list: negative binomial under the 1/N prior.
    log_miss = log_nu + log_lam0.sum(axis=0)
    prob_zero = float(np.exp(log_miss).sum())
    while True:
        n0 = int(rng.negative_binomial(n, max(1.0 - prob_zero, 1e-300)))
        # LCMCR redraws implausible values beyond twenty times the observed count.
        if n0 <= 20 * n:
            break
    if n0 > 0:
        w = np.exp(log_miss - log_miss.max())
        count0 = rng.multinomial(n0, w / w.sum())
    else:
        count0 = np.zeros(k, dtype=np.int64)
    alpha = state.alpha
    if update_alpha:
        alpha = float(rng.gamma(a_alpha + k - 1.0, 1.0 / (b_alpha - log_rest[-1])))
    occupied = int(((z.sum(axis=0) + count0) > 0).sum())
    return _State(log_lam1, log_lam0, log_nu, alpha, count0, n0, occupied)


def effective_size(draws: NDArray[np.float64] | NDArray[np.int64]) -> float:
    """Effective sample size from the initial positive autocorrelations (Geyer)."""
    y = np.asarray(draws, float) - np.mean(draws)
    m = y.size
    if m < 4 or not np.any(y):
        return float(m)
    acf = np.correlate(y, y, mode="full")[m - 1 :] / (y @ y)
    total = 0.0
    for lag in range(1, m - 1, 2):
        pair = acf[lag] + acf[lag + 1]
        if pair <= 0:
            break
        total += pair
    return float(m / (1.0 + 2.0 * total))
