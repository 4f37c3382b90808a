"""Exhaustive search over all two-way models by AIC or BIC.

AIC and BIC are defined as in R ``MultipleSystemsEstimation`` (``fit_hier_model``;
Silverman, Chan & Vincent 2024): the log-likelihood includes ``-log(y!)``; every
parameter of the model counts, including interactions fixed at minus infinity; and
BIC's ``n`` is the number of people observed, not the number of cells. Models whose
estimate does not exist or is not identifiable are left out, as R's ``checkexist``.

All ``2**(t(t-1)/2)`` models are fitted at once (32,768 for six lists); the
existence check, a linear program, is run lazily from the best criterion down, so
only the models that could be chosen pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .data import CaptureTable, EstimationInputError, EstimationRefusedError
from .design import Pair, full_design, model_spec, overlaps, pair_cells, pairs_of
from .existence import check_spec
from .jobs import default_jobs, one_blas_thread
from .loglinear import BatchFit, ModelFit, fit_batch, fit_spec
from .selection import RankedModel, Selection, main_effects

__all__ = [
    "MAX_LISTS",
    "Criterion",
    "Walk",
    "exhaustive",
    "mask_pairs",
    "rank_models",
    "score_models",
]

MAX_LISTS = 6
Criterion = Literal["aic", "bic"]
_CHUNK = 1024
# Below this many models a process pool costs more than it saves.
_PARALLEL = 8192


@dataclass(frozen=True, eq=False)
class Scores:
    """Criterion, estimate and convergence of each candidate model (bit mask of pairs)."""

    masks: NDArray[np.int64]
    coef: NDArray[np.float64]
    columns: NDArray[np.bool_]
    criterion: NDArray[np.float64]
    estimate: NDArray[np.float64]
    converged: NDArray[np.bool_]


def mask_pairs(mask: int, n_lists: int) -> list[Pair]:
    """Pairs whose bit is set in ``mask`` (bit ``k`` = ``pairs_of(n)[k]``)."""
    return [p for k, p in enumerate(pairs_of(n_lists)) if mask >> k & 1]


def score_models(
    table: CaptureTable,
    masks: NDArray[np.int64],
    criterion: Criterion,
    n_jobs: int | None = 1,
) -> Scores:
    """Fit every model in ``masks`` and compute its criterion, without existence checks.

    With ``n_jobs`` other than 1 and many models, blocks of models are fitted in
    separate processes (``None``: all cores).
    """
    n = table.n_lists
    pairs = pairs_of(n)
    finite = overlaps(table) > 0
    # A pair never seen together has no column in any model (it is at minus infinity).
    design = full_design(n, [p for p, f in zip(pairs, finite, strict=True) if f])
    y = table.counts[1:].astype(float)
    cell_pairs = pair_cells(n).astype(float)
    bits = ((masks[:, None] >> np.arange(len(pairs))) & 1).astype(bool)
    n_params = 1 + n + bits.sum(axis=1)
    columns = np.hstack([np.ones((len(masks), 1 + n), bool), bits[:, finite]])
    # Cells holding both lists of an empty pair in the model are dropped.
    cells = ((bits[:, ~finite]).astype(float) @ cell_pairs[~finite]) == 0
    blocks = [slice(i, i + _CHUNK) for i in range(0, len(masks), _CHUNK)]
    jobs = default_jobs() if n_jobs is None else n_jobs
    if jobs > 1 and len(masks) >= _PARALLEL:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            fits = list(
                pool.map(
                    _fit_block,
                    repeat(design),
                    repeat(y),
                    [columns[b] for b in blocks],
                    [cells[b] for b in blocks],
                )
            )
    else:
        with one_blas_thread():
            fits = [fit_batch(design, y, columns[b], cells[b]) for b in blocks]
    loglik = np.concatenate([f.loglik for f in fits])
    coef = np.vstack([f.coef for f in fits])
    converged = np.concatenate([f.converged for f in fits]) & np.isfinite(loglik)
    penalty = np.log(table.observed) if criterion == "bic" else 2.0
    crit = penalty * n_params - 2.0 * loglik
    with np.errstate(over="ignore"):
        estimate = table.observed + np.exp(np.minimum(coef[:, 0], 700.0))
    return Scores(masks, coef, columns, crit, estimate, converged)


def _fit_block(
    design: NDArray[np.float64],
    y: NDArray[np.float64],
    columns: NDArray[np.bool_],
    cells: NDArray[np.bool_],
) -> BatchFit:
    with one_blas_thread():
        return fit_batch(design, y, columns, cells)


@dataclass(frozen=True, slots=True)
class Walk:
    """Usable models in order of criterion (masks and estimates) and the ranking report."""

    usable: list[int]
    estimates: list[float]
    ranking: list[RankedModel]


def rank_models(
    table: CaptureTable,
    criterion: Criterion,
    *,
    masks: NDArray[np.int64] | None = None,
    keep: int = 1,
    report: int = 10,
    n_jobs: int | None = 1,
) -> Walk:
    """Walk the models from the best criterion down and keep the first ``keep`` usable ones.

    The ranking report holds the first ``report`` usable models and the models refused
    on the way to them.
    """
    n = table.n_lists
    if masks is None:
        masks = np.arange(1 << len(pairs_of(n)), dtype=np.int64)
    scores = score_models(table, masks, criterion, n_jobs)
    crit = np.where(scores.converged, scores.criterion, np.inf)
    # Ties (to 1e-8, above rounding noise) go to the model first in list-name order, so
    # column order cannot change the choice.
    order = np.lexsort((_name_masks(table, scores.masks), np.round(crit, 8)))
    usable: list[int] = []
    estimates: list[float] = []
    ranking: list[RankedModel] = []
    for i in order:
        if len(usable) >= max(keep, report):
            break
        spec = model_spec(table, mask_pairs(int(scores.masks[i]), n))
        check = check_spec(spec, scores.coef[i][scores.columns[i]] if scores.converged[i] else None)
        listed = len(ranking) < 4 * report
        if check.ok and scores.converged[i]:
            usable.append(int(scores.masks[i]))
            estimates.append(float(scores.estimate[i]))
            if len(usable) <= report:
                ranking.append(RankedModel(spec.terms, float(crit[i]), float(scores.estimate[i])))
        elif listed:
            # Not converging without failing a check would be a numerical failure; say so.
            reason = check.reason or "the fit did not converge"
            ranking.append(RankedModel(spec.terms, float(crit[i]), None, reason))
    return Walk(usable, estimates, ranking)


def _name_masks(table: CaptureTable, masks: NDArray[np.int64]) -> NDArray[np.int64]:
    """The masks with pairs renumbered in order of their list names."""
    pairs = pairs_of(table.n_lists)
    keys = [tuple(sorted((table.lists[i], table.lists[j]))) for i, j in pairs]
    rank = np.argsort(np.argsort([f"{a}\x00{b}" for a, b in keys], kind="stable"))
    bits = (masks[:, None] >> np.arange(len(pairs))) & 1
    return np.asarray((bits << rank).sum(axis=1), dtype=np.int64)


def exhaustive(
    table: CaptureTable,
    criterion: Criterion = "bic",
    *,
    report: int = 10,
    n_jobs: int | None = 1,
) -> Selection:
    """Choose the two-way model with the smallest AIC or BIC among all usable ones.

    Parameters
    ----------
    table
        Capture-history table with at most six lists.
    criterion
        ``"aic"`` or ``"bic"``, as defined in R MultipleSystemsEstimation.
    report
        How many of the best usable models to keep in the ranking.
    n_jobs
        Processes for fitting (``None``: all cores); worth it for six lists.

    Returns
    -------
    Selection
        The best model's fit, the ranking and the words explaining the choice.

    Raises
    ------
    EstimationInputError
        With more than six lists (2**21 models for seven).
    EstimationRefusedError
        When no model has a finite, identifiable estimate.
    """
    n = table.n_lists
    if n > MAX_LISTS:
        raise EstimationInputError(
            f"exhaustive search is limited to {MAX_LISTS} lists ({n} lists would mean "
            f"2^{n * (n - 1) // 2} models); use the stepwise method"
        )
    main_effects(table)
    walk = rank_models(table, criterion, keep=1, report=report, n_jobs=n_jobs)
    if not walk.usable:
        raise EstimationRefusedError("no two-way model has a finite, identifiable estimate")
    fit = fit_spec(model_spec(table, mask_pairs(walk.usable[0], n)), table.observed)
    reason = _reason(fit, criterion, walk.ranking, n)
    return Selection(fit, criterion, reason, ranking=tuple(walk.ranking))


def _reason(fit: ModelFit, criterion: str, ranking: Sequence[RankedModel], n: int) -> str:
    total = 1 << (n * (n - 1) // 2)
    ok = [r for r in ranking if not r.refused]
    before = []
    for r in ranking:
        if not r.refused:
            break
        before.append(r)
    name = criterion.upper()
    n_def = (
        f"BIC = k log(n) - 2 log L with n = {fit.observed} observed people"
        if criterion == "bic"
        else "AIC = 2k - 2 log L"
    )
    words = [
        f"Exhaustive search over all {total} two-way log-linear models, ranked by {name} "
        f"({n_def}; k counts every parameter, including interactions at minus infinity; "
        "as R MultipleSystemsEstimation). Models without a finite, identifiable estimate "
        "are left out."
    ]
    if before:
        words.append(
            f"{len(before)} model(s) with a lower {name} were refused, e.g. "
            + "; ".join(f"[{_terms(r.terms)}]: {r.refused}" for r in before[:2])
            + "."
        )
    if len(ok) > 1:
        gap = ok[1].criterion - ok[0].criterion
        words.append(
            f"Runner-up [{_terms(ok[1].terms)}] has {name} {gap:.2f} higher "
            f"and estimate {ok[1].estimate:.0f}."
        )
    if fit.spec.minus_inf:
        words.append("Fitted at minus infinity: " + ", ".join(fit.spec.minus_inf_terms) + ".")
    terms = ", ".join(fit.spec.terms) or "none (main effects only)"
    words.append(f"Chosen interactions: {terms} ({name} {ok[0].criterion:.2f}).")
    return " ".join(words)


def _terms(terms: Sequence[str]) -> str:
    return ", ".join(terms) or "main effects"
