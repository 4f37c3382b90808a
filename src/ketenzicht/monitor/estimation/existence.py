"""Does a model's maximum-likelihood estimate exist, and is it identifiable?

Following Fienberg & Rinaldo (2012) as used by Chan, Silverman & Vincent (2021, JASA,
section 2.4; R ``SparseMSE::checkident``):

* the estimate exists only if the linear program "maximise ``s`` subject to
  ``A'y = A'n``, ``y >= s`` in every kept cell" has a positive optimum, where ``A`` is
  the design on the kept cells and ``n`` the observed counts;
* it is identifiable only if ``A`` has full column rank.

A refused model is never fitted for an estimate: its likelihood has no maximum or no
unique one, and a fit would return an arbitrary, often huge, number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .design import ModelSpec

__all__ = ["Check", "check_spec", "lp_optimum"]

# The optimum is a vertex of a polytope with integer data, so a real positive optimum is
# far above rounding noise; this only absorbs the solver's floating-point error.
_LP_TOL = 1e-7
_CERT_MIN = 1e-5


@dataclass(frozen=True, slots=True)
class Check:
    """Result of the existence and identifiability checks of one model."""

    exists: bool
    identifiable: bool
    lp_optimum: float | None = None

    @property
    def ok(self) -> bool:
        """Both checks passed."""
        return self.exists and self.identifiable

    @property
    def code(self) -> int:
        """R's ``checkident`` error code: 1 no estimate, 2 not identifiable, 3 both."""
        return int(not self.exists) + 2 * int(not self.identifiable)

    @property
    def reason(self) -> str:
        """Plain words a professional can check; empty when the model passed."""
        parts = []
        if not self.exists:
            parts.append(
                "no finite estimate exists: the linear-programming test of Fienberg & Rinaldo "
                "finds that the observed margins can only be met with some expected cell "
                "counts at zero, so the likelihood keeps rising towards the boundary"
            )
        if not self.identifiable:
            parts.append(
                "not identifiable: after dropping the cells of interactions never seen, "
                "the design has fewer independent cells than parameters"
            )
        return "; ".join(parts)


def lp_optimum(spec: ModelSpec) -> float:
    """Optimum ``s`` of the existence linear program (0 when no estimate exists)."""
    a = spec.design
    # Write y = z + s with z >= 0 so that "y >= s" becomes a bound; lpSolve in R also
    # keeps s >= 0, so a model whose optimum would be negative reports 0.
    a_eq = np.hstack([a.T, a.sum(axis=0)[:, None]])
    b_eq = a.T @ spec.y
    cost = np.zeros(a.shape[0] + 1)
    cost[-1] = -1.0
    # scipy.optimize costs about half a second to import, and most models never get here
    # (check_spec settles them first): imported when needed, for a fast `estimate` start-up.
    from scipy.optimize import linprog

    result = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if result.status != 0:
        return 0.0
    return float(-result.fun)


def check_spec(spec: ModelSpec, coef: NDArray[np.float64] | None = None) -> Check:
    """Run both checks on a model built for a table.

    The linear program decides existence, but three cheaper arguments settle most
    models first (all exact up to rounding):

    * the design restricted to the cells with a positive count has full column rank:
      then no direction of the parameters can push the likelihood to the boundary;
    * ``coef``, a converged fit, has fitted means that are all clearly positive and
      meet the observed margins: they are a strictly positive solution of the program;
    * that restricted design lacks exactly one dimension: the one direction left
      reaches the boundary only if it moves every empty cell the same way.
    """
    a = spec.design
    n_par = a.shape[1]
    identifiable = a.shape[0] >= n_par and int(np.linalg.matrix_rank(a)) == n_par
    positive = spec.y > 0
    if bool(positive.all()):
        return Check(True, identifiable, None)
    if identifiable:
        _, sv, vt = np.linalg.svd(a[positive], full_matrices=True)
        rank = int((sv > sv.max() * max(a.shape) * np.finfo(float).eps).sum()) if sv.size else 0
        if rank == n_par:
            return Check(True, True, None)
        if coef is not None and _certified(spec, coef):
            return Check(True, True, None)
        if n_par - rank == 1:
            drift = a[~positive] @ vt[-1]
            moved = drift[np.abs(drift) > 1e-9 * np.abs(drift).max()]
            one_way = bool((moved > 0).all() or (moved < 0).all())
            return Check(not one_way, True, None)
    optimum = lp_optimum(spec)
    return Check(optimum > _LP_TOL, identifiable, optimum)


def _certified(spec: ModelSpec, coef: NDArray[np.float64]) -> bool:
    mu = np.exp(np.minimum(spec.design @ coef, 700.0))
    margins = spec.design.T @ spec.y
    residual = np.abs(spec.design.T @ mu - margins).max()
    # Rounding error in the margins is ~1e-9 here; a positive solution exists nearby
    # as long as every fitted mean is far larger than that.
    return bool(mu.min() > _CERT_MIN and residual <= 1e-9 * (1.0 + margins.max()))
