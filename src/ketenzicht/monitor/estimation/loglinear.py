"""Poisson log-linear fits by Newton's method (IRLS), many models at once.

R fits each model with ``glm``; fitting thousands of small models (exhaustive search,
bootstrap replicates) is far faster as one stacked Newton iteration in NumPy. The fit
starts where R's ``glm`` starts (weighted least squares on ``log(y + 0.1)``) and runs
to full convergence, so point estimates agree with R to its printed precision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln

from .data import CaptureTable
from .design import ModelSpec, Pair, model_spec

__all__ = ["BatchFit", "ModelFit", "fit_batch", "fit_model", "fit_spec"]

# Newton converges quadratically: once a step is this small, the one just taken leaves an
# error of order its square, far below what any estimate is reported to.
_TOL = 1e-7
_MAX_ITER = 80
# A model whose MLE does not exist drifts to the boundary: the log-likelihood still rises,
# by amounts that shrink geometrically, while the coefficients keep moving. Past this many
# iterations such a fit is stopped and reported as not converged.
_DRIFT_ITER = 30
_RIDGE = 1e-10


@dataclass(frozen=True, eq=False)
class BatchFit:
    """Coefficients, maximised log-likelihood and convergence flag per model."""

    coef: NDArray[np.float64]
    loglik: NDArray[np.float64]
    converged: NDArray[np.bool_]


def fit_batch(
    design: NDArray[np.float64],
    y: NDArray[np.float64],
    colmask: NDArray[np.bool_] | None = None,
    cellmask: NDArray[np.bool_] | None = None,
    offset: NDArray[np.float64] | None = None,
) -> BatchFit:
    """Fit Poisson log-linear models that share a design up to masked columns and cells.

    Parameters
    ----------
    design
        ``(cells, params)`` design matrix.
    y
        Observed counts per cell.
    colmask
        ``(models, params)``; false columns are left out of a model (coefficient 0).
    cellmask
        ``(models, cells)``; false cells are left out of a model (fitted value 0).
    offset
        Fixed addition to the linear predictor of every cell.

    Returns
    -------
    BatchFit
        Per model: coefficients, log-likelihood including ``-log(y!)``, convergence.
    """
    n_cells, n_par = design.shape
    colmask = np.ones((1, n_par), bool) if colmask is None else colmask
    n_models = colmask.shape[0]
    cellmask = np.ones((n_models, n_cells), bool) if cellmask is None else cellmask
    off = np.zeros(n_cells) if offset is None else offset
    outer = (design[:, :, None] * design[:, None, :]).reshape(n_cells, n_par * n_par)
    weight = cellmask.astype(float)
    ymask = weight * y
    log_fact = weight @ gammaln(y + 1.0)
    cols = colmask.astype(float)
    # Left-out columns get a unit diagonal and no coupling, so their coefficient stays 0.
    couple = cols[:, :, None] * cols[:, None, :]
    fixed = np.einsum("bp,pq->bpq", 1.0 - cols, np.eye(n_par))

    # R's glm start: one weighted least-squares step on z = log(y + 0.1).
    mu0 = y + 0.1
    z = np.log(mu0) - off + (y - mu0) / mu0
    w = weight * mu0
    hess = (w @ outer).reshape(n_models, n_par, n_par) * couple + fixed
    rhs = ((w * z) @ design) * cols
    coef = _solve(hess, rhs)
    eta, mu, loglik = _evaluate(coef, design, off, ymask, weight)

    converged = np.zeros(n_models, dtype=bool)
    active = np.arange(n_models)
    for iteration in range(_MAX_ITER):
        b = coef[active]
        grad = ((ymask[active] - mu) @ design) * cols[active]
        hess = (mu @ outer).reshape(len(active), n_par, n_par) * couple[active] + fixed[active]
        step = _solve(hess, grad)
        new = b + step
        ll_old = loglik[active]
        eta, mu, ll_new = _evaluate(new, design, off, ymask[active], weight[active])
        for _ in range(30):
            # Damped Newton: halve the step where the likelihood would fall.
            worse = np.flatnonzero(~(ll_new >= ll_old - 1e-12 * (1.0 + np.abs(ll_old))))
            if worse.size == 0:
                break
            step[worse] /= 2.0
            new[worse] = b[worse] + step[worse]
            eta[worse], mu[worse], ll_new[worse] = _evaluate(
                new[worse], design, off, ymask[active[worse]], weight[active[worse]]
            )
        coef[active] = new
        loglik[active] = ll_new
        done = np.abs(step).max(axis=1) <= _TOL * (1.0 + np.abs(new).max(axis=1))
        converged[active[done]] = True
        stalled = (iteration >= _DRIFT_ITER) & (ll_new - ll_old <= 1e-10 * (1.0 + np.abs(ll_new)))
        going = ~done & ~stalled
        active, eta, mu = active[going], eta[going], mu[going]
        if active.size == 0:
            break
    return BatchFit(coef, loglik - log_fact, converged)


def _solve(hess: NDArray[np.float64], rhs: NDArray[np.float64]) -> NDArray[np.float64]:
    # A tiny ridge keeps exactly singular systems (non-identifiable models) solvable;
    # it changes the path of Newton's method, not the point it converges to.
    n_par = hess.shape[-1]
    scale = np.maximum(np.abs(np.diagonal(hess, axis1=1, axis2=2)).max(axis=1), 1.0)
    ridged = hess + _RIDGE * scale[:, None, None] * np.eye(n_par)
    return np.asarray(np.linalg.solve(ridged, rhs[..., None])[..., 0], dtype=float)


def _evaluate(
    coef: NDArray[np.float64],
    design: NDArray[np.float64],
    off: NDArray[np.float64],
    ymask: NDArray[np.float64],
    weight: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Linear predictor, masked means and log-likelihood (without ``-log(y!)``)."""
    eta = np.minimum(coef @ design.T + off, 700.0)
    mu = np.exp(eta) * weight
    return eta, mu, np.asarray((ymask * eta - mu).sum(axis=1), dtype=float)


@dataclass(frozen=True, eq=False)
class ModelFit:
    """Maximum-likelihood fit of one two-way model to one table."""

    spec: ModelSpec
    coef: NDArray[np.float64]
    loglik: float
    converged: bool
    observed: int

    @property
    def dark(self) -> float:
        """Estimated number of people on no list, ``exp(intercept)``."""
        return math.exp(float(self.coef[0]))

    @property
    def estimate(self) -> float:
        """Estimated population: observed plus the dark number."""
        return self.observed + self.dark

    @property
    def aic(self) -> float:
        """AIC, counting parameters at minus infinity as R's SparseMSE does (+2 each)."""
        return 2.0 * self.spec.n_params - 2.0 * self.loglik

    @property
    def bic(self) -> float:
        """BIC as in R's MultipleSystemsEstimation: ``n`` is the number of observed people."""
        return self.spec.n_params * math.log(self.observed) - 2.0 * self.loglik

    @cached_property
    def fitted(self) -> NDArray[np.float64]:
        """Fitted means on all observable cells; zero on dropped cells."""
        out = np.zeros(self.spec.keep.shape[0])
        out[self.spec.keep] = np.exp(self.spec.design @ self.coef)
        return out

    @cached_property
    def se_log_dark(self) -> float:
        """Standard error of the intercept (log dark number), from the observed information."""
        mu = self.fitted[self.spec.keep]
        info = self.spec.design.T @ (mu[:, None] * self.spec.design)
        try:
            cov = np.linalg.inv(info)
        except np.linalg.LinAlgError:
            return math.inf
        return math.sqrt(max(float(cov[0, 0]), 0.0))


def fit_spec(spec: ModelSpec, observed: int) -> ModelFit:
    """Fit one model given its design."""
    batch = fit_batch(spec.design, spec.y)
    return ModelFit(spec, batch.coef[0], float(batch.loglik[0]), bool(batch.converged[0]), observed)


def fit_model(table: CaptureTable, pairs: Iterable[Pair] = ()) -> ModelFit:
    """Fit the model with the given interactions (none: main effects) to ``table``."""
    return fit_spec(model_spec(table, pairs), table.observed)
