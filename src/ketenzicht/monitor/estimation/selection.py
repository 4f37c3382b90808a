"""Stepwise model selection of Chan, Silverman & Vincent (2021), as R ``SparseMSE``.

Start from the main-effects model. For every pair of lists not yet in the model,
compare the people seen on both lists with the number the current fit expects there:
the p-value is the smaller Poisson tail (not doubled). Add the pair with the smallest
p-value while it is below the threshold (0.02); a pair whose model would have no
finite or no identifiable estimate is refused (R gives it p = 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import pdtr, pdtrc

from .data import CaptureTable, EstimationRefusedError
from .design import Pair, model_spec, overlaps, pair_cells, pairs_of, term_name
from .existence import check_spec
from .loglinear import ModelFit, fit_spec

__all__ = ["RankedModel", "Selection", "Step", "main_effects", "stepwise", "tail_p_values"]

DEFAULT_THRESHOLD = 0.02


@dataclass(frozen=True, slots=True)
class Step:
    """One addition of the stepwise search, with the candidates refused before it."""

    term: str
    p_value: float
    observed: int
    expected: float
    refused: tuple[tuple[str, float, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RankedModel:
    """A model from an exhaustive search, with its criterion and whether it was usable."""

    terms: tuple[str, ...]
    criterion: float
    estimate: float | None
    refused: str = ""


@dataclass(frozen=True, eq=False)
class Selection:
    """The fit of the chosen model and the record of how it was chosen."""

    fit: ModelFit
    method: str
    reason: str
    steps: tuple[Step, ...] = ()
    ranking: tuple[RankedModel, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Interactions of the chosen model."""
        return self.fit.spec.terms


def main_effects(table: CaptureTable) -> ModelFit:
    """Fit the main-effects model, refusing it when its estimate does not exist."""
    spec = model_spec(table, ())
    fit = fit_spec(spec, table.observed)
    check = check_spec(spec, fit.coef if fit.converged else None)
    if not check.ok:
        raise EstimationRefusedError(f"the main-effects model is refused: {check.reason}")
    return fit


def tail_p_values(
    table: CaptureTable, fit: ModelFit
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Smaller Poisson tail of each pair's observed overlap under ``fit``; and its mean."""
    nstar = overlaps(table)
    expected = pair_cells(table.n_lists).astype(float) @ fit.fitted
    lower = pdtr(nstar, expected)
    upper = np.where(nstar > 0, pdtrc(np.maximum(nstar - 1, 0), expected), 1.0)
    return np.minimum(lower, upper), expected


def stepwise(table: CaptureTable, threshold: float = DEFAULT_THRESHOLD) -> Selection:
    """Select a two-way model stepwise, as R ``SparseMSE::stepwisefit``.

    Parameters
    ----------
    table
        Capture-history table.
    threshold
        Add interactions while the smallest p-value is below this (R's ``pthresh``).

    Returns
    -------
    Selection
        The fit of the chosen model, each step taken and the words explaining it.

    Raises
    ------
    EstimationRefusedError
        When even the main-effects model has no finite, identifiable estimate.
    """
    pairs = pairs_of(table.n_lists)
    nstar = overlaps(table)
    fit = main_effects(table)
    if threshold >= 1:
        # R's stepwisefit takes the model with every pair when p-threshold is 1 and that
        # model passes the checks.
        spec = model_spec(table, pairs)
        full = fit_spec(spec, table.observed)
        if check_spec(spec, full.coef if full.converged else None).ok:
            reason = "p-threshold 1: the model with every pair of lists passes the checks"
            return Selection(full, "stepwise", reason)
    chosen: list[Pair] = []
    steps: list[Step] = []
    stop = ""
    while len(chosen) < len(pairs):
        p, expected = tail_p_values(table, fit)
        free = [k for k, pair in enumerate(pairs) if pair not in chosen]
        # Equal p-values (to 10 significant digits, above rounding noise) go to the pair
        # first by list names, so column order cannot change the result; R takes the
        # first by column position, the same whenever the columns are in name order.
        free.sort(key=lambda k: (float(f"{p[k]:.10g}"), _name_key(table, pairs[k])))
        refused: list[tuple[str, float, str]] = []
        refused_at: set[int] = set()
        added = None
        for k in free:
            if p[k] >= threshold:
                break
            spec = model_spec(table, [*chosen, pairs[k]])
            candidate = fit_spec(spec, table.observed)
            check = check_spec(spec, candidate.coef if candidate.converged else None)
            if not check.ok:
                refused.append((term_name(table.lists, pairs[k]), float(p[k]), check.reason))
                refused_at.add(k)
                continue
            added = k
            fit = candidate
            break
        if added is None:
            rest = [k for k in free if k not in refused_at]
            stop = _stop_words(table, pairs, p, rest, refused, threshold)
            break
        chosen.append(pairs[added])
        steps.append(
            Step(
                term_name(table.lists, pairs[added]),
                float(p[added]),
                int(nstar[added]),
                float(expected[added]),
                tuple(refused),
            )
        )
    else:
        stop = "every pair of lists is in the model"
    return Selection(fit, "stepwise", _reason(fit, steps, stop, threshold), tuple(steps))


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _name_key(table: CaptureTable, pair: Pair) -> tuple[str, str]:
    a, b = sorted((table.lists[pair[0]], table.lists[pair[1]]))
    return a, b


def _stop_words(
    table: CaptureTable,
    pairs: tuple[Pair, ...],
    p: NDArray[np.float64],
    rest: list[int],
    refused: list[tuple[str, float, str]],
    threshold: float,
) -> str:
    words = []
    if rest:
        k = rest[0]
        words.append(
            f"the smallest p-value left is {p[k]:.3g} for {term_name(table.lists, pairs[k])}, "
            f"not below {threshold:g}"
        )
    if refused:
        words.append(
            "refused although below the threshold: "
            + ", ".join(f"{t} (p = {pv:.3g}: {r})" for t, pv, r in refused)
        )
    return "; ".join(words) or "no pair is left to add"


def _reason(fit: ModelFit, steps: list[Step], stop: str, threshold: float) -> str:
    lines = [
        "Stepwise selection of Chan, Silverman & Vincent (2021), as R SparseMSE: start from "
        f"the main-effects model; add the pair of lists whose observed overlap is least "
        f"likely under the current fit (smaller Poisson tail) while p < {threshold:g}; "
        "refuse a pair whose model has no finite or no identifiable estimate."
    ]
    for i, step in enumerate(steps):
        refused = ""
        if step.refused:
            refused = " after refusing " + ", ".join(
                f"{t} (p = {pv:.3g}: {r.split(':')[0]})" for t, pv, r in step.refused
            )
        lines.append(
            f"Step {i + 1}: added {step.term}{refused}: {_people(step.observed)} on both lists, "
            f"{step.expected:.3g} expected, p = {step.p_value:.3g}."
        )
    lines.append(f"Stopped: {stop}.")
    if fit.spec.minus_inf:
        lines.append(
            "Fitted at minus infinity (lists never seen together, their cells dropped): "
            + ", ".join(fit.spec.minus_inf_terms)
            + "."
        )
    terms = ", ".join(fit.spec.terms) or "none (main effects only)"
    lines.append(f"Chosen interactions: {terms}.")
    return " ".join(lines)
