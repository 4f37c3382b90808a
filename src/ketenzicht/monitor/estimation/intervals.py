"""Confidence intervals for one fitted model: profile likelihood and Wald.

Both are conditional on the model: they do not carry the uncertainty of choosing it.
The bootstrap (``bootstrap.py``) re-runs the selection and does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# What scipy.stats' chi2.ppf(p, df) and norm.ppf(p) compute (2 gammaincinv(df/2, p) and
# ndtri(p)), without importing scipy.stats: about a second of `ketenzicht estimate`.
from scipy.special import gammaincinv, ndtri

from .loglinear import ModelFit, fit_batch

__all__ = ["ProfileInterval", "profile_interval", "wald_interval"]


@dataclass(frozen=True, slots=True)
class ProfileInterval:
    """Limits for the total population; ``high is None`` when no upper limit was reached."""

    low: float
    high: float | None
    level: float


def profile_deviance(fit: ModelFit, dark: float) -> float:
    """Twice the drop in log-likelihood when the dark number is held at ``dark``.

    Holding ``exp(intercept)`` fixed is an offset ``log(dark)`` on every cell with the
    intercept column removed; the other parameters are maximised out.
    """
    spec = fit.spec
    offset = np.full(spec.design.shape[0], math.log(dark))
    restricted = fit_batch(spec.design[:, 1:], spec.y, offset=offset)
    return max(2.0 * (fit.loglik - float(restricted.loglik[0])), 0.0)


def profile_interval(fit: ModelFit, level: float = 0.95) -> ProfileInterval:
    """Profile-likelihood interval for the population under the fitted model.

    Parameters
    ----------
    fit
        A converged fit whose estimate exists.
    level
        Coverage, e.g. 0.95.

    Returns
    -------
    ProfileInterval
        ``observed + dark`` at the two dark numbers where the profile deviance reaches
        the chi-squared(1) quantile. The lower limit is the observed count when the
        deviance stays below it down to a dark number of zero.
    """
    crit = float(2 * gammaincinv(0.5, level))
    centre = float(fit.coef[0])  # log of the dark number

    def excess(log_dark: float) -> float:
        return profile_deviance(fit, math.exp(log_dark)) - crit

    # Below a dark number of 1e-4 people the lower limit is the observed count; above
    # a million times the observed count an upper limit is of no use and is reported open.
    floor, ceiling = math.log(1e-4), math.log(1e6 * max(fit.observed, 1))
    low_root = _limit(excess, centre, floor) if centre > floor else None
    high_root = _limit(excess, centre, ceiling) if centre < ceiling else None
    low = fit.observed + (math.exp(low_root) if low_root is not None else 0.0)
    high = fit.observed + math.exp(high_root) if high_root is not None else None
    return ProfileInterval(low, high, level)


def _limit(excess: Callable[[float], float], centre: float, bound: float) -> float | None:
    """Root of ``excess`` between ``centre`` and ``bound``, found by doubling steps."""
    sign = 1.0 if bound > centre else -1.0
    inner, step = centre, 1.0
    while sign * (bound - inner) > 0:
        outer = centre + sign * step
        if sign * (outer - bound) > 0:
            outer = bound
        if excess(outer) > 0:
            from scipy.optimize import brentq  # see existence.lp_optimum

            return float(brentq(excess, min(inner, outer), max(inner, outer), xtol=1e-10))
        inner, step = outer, 2.0 * step
    return None


def wald_interval(fit: ModelFit, level: float = 0.95) -> tuple[float, float]:
    """Normal interval on the log dark number, as R ``SparseMSE::estimatepopulation.0``."""
    z = float(ndtri(0.5 + level / 2))
    log_dark = float(fit.coef[0])
    return (
        fit.observed + math.exp(log_dark - z * fit.se_log_dark),
        fit.observed + math.exp(log_dark + z * fit.se_log_dark),
    )
