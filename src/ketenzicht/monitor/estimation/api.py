"""One entry point: table in, :class:`EstimateResult` out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .bootstrap import BootstrapResult, Refit, Scheme, acceleration, bootstrap, jackknife
from .data import (
    CaptureTable,
    EstimationInputError,
    EstimationRefusedError,
    read_capture_table,
)
from .diagnostics import data_warnings, drop_uninformative, model_warnings
from .exhaustive import Criterion, exhaustive, rank_models
from .intervals import profile_interval
from .result import EstimateResult, Interval, Provenance
from .selection import DEFAULT_THRESHOLD, Selection, stepwise

if TYPE_CHECKING:
    import pandas as pd  # only in annotations: `estimate` on a CSV file never imports it

__all__ = ["CI", "BootInterval", "Method", "estimate", "load_table"]

Method = Literal["stepwise", "aic", "bic", "bma", "lcmcr"]
CI = Literal["profile", "bootstrap"]
BootInterval = Literal["percentile", "bca"]
METHODS: tuple[str, ...] = ("stepwise", "aic", "bic", "bma", "lcmcr")
# Above this many lists the bootstrap of AIC/BIC searches only the best models of the
# original data in each replicate, as R MultipleSystemsEstimation does (ntopmodels).
_FULL_SEARCH_LISTS = 4
_NTOP = 100


def load_table(data: CaptureTable | pd.DataFrame | str | Path) -> CaptureTable:
    """Accept a table, a DataFrame or a CSV path."""
    return data if isinstance(data, CaptureTable) else read_capture_table(data)


def estimate(
    data: CaptureTable | pd.DataFrame | str | Path,
    *,
    method: Method = "stepwise",
    ci: CI = "profile",
    level: float = 0.95,
    threshold: float = DEFAULT_THRESHOLD,
    n_boot: int = 1000,
    seed: int = 1234,
    scheme: Scheme = "parametric",
    boot_interval: BootInterval = "percentile",
    ntop: int | None = None,
    n_jobs: int | None = None,
    bayes: dict[str, Any] | None = None,
) -> EstimateResult:
    """Estimate the population size behind a capture-history table.

    Parameters
    ----------
    data
        Capture histories: a :class:`CaptureTable`, a DataFrame or a CSV path.
    method
        ``stepwise`` (Chan, Silverman & Vincent 2021), ``aic`` or ``bic`` (exhaustive
        search over two-way models), ``bma`` (Madigan & York 1997, as R ``dga``) or
        ``lcmcr`` (Manrique-Vallier 2016).
    ci
        ``profile`` (profile likelihood, conditional on the chosen model) or
        ``bootstrap`` (re-runs the selection on every replicate). Ignored by the
        Bayesian methods, which report a posterior credible interval.
    level
        Coverage of the interval.
    threshold
        p-value threshold of the stepwise method.
    n_boot, seed, scheme, boot_interval, n_jobs
        Bootstrap replicates, generator seed, ``parametric`` or ``multinomial``
        resampling, ``percentile`` or ``bca`` interval, and processes to use.
    ntop
        Bootstrap of AIC/BIC: models searched per replicate (default all for up to four
        lists, else the best 100 of the original data).
    bayes
        Extra settings for ``bma`` or ``lcmcr`` (see those modules).

    Returns
    -------
    EstimateResult
        Estimate, interval, observed count, dark number, model and why, warnings and
        provenance.

    Raises
    ------
    EstimationInputError
        Invalid table or settings.
    EstimationRefusedError
        No model allowed by the method has a finite, identifiable estimate.
    """
    _check_settings(method, ci, level, threshold, n_boot)
    table = load_table(data)
    prepared, notes = drop_uninformative(table)
    warnings = [*notes, *data_warnings(prepared)]
    params: dict[str, Any] = {"level": level}
    if method in ("bma", "lcmcr"):
        from .bayes import bayes_estimate

        outcome = bayes_estimate(prepared, method, level=level, seed=seed, options=bayes or {})
        params.update(outcome.parameters, seed=seed)
        if ci == "bootstrap":
            warnings.append(
                "--ci bootstrap does not apply to the Bayesian methods; the "
                "interval is the posterior credible interval"
            )
        return _result(
            table,
            method,
            outcome.estimate,
            outcome.interval,
            outcome.model,
            outcome.reason,
            [*warnings, *outcome.warnings],
            params,
            outcome.details,
        )

    selection = _select(prepared, method, threshold)
    fit = selection.fit
    warnings += model_warnings(prepared, fit.spec.minus_inf_terms)
    if method == "stepwise":
        params["threshold"] = threshold
    details: dict[str, Any] = {
        "minus_infinity": list(fit.spec.minus_inf_terms),
        "loglik": fit.loglik,
        "aic": fit.aic,
        "bic": fit.bic,
    }
    if selection.ranking:
        details["ranking"] = [
            {
                "model": list(r.terms),
                "criterion": r.criterion,
                "estimate": r.estimate,
                "refused": r.refused,
            }
            for r in selection.ranking
        ]
    if ci == "profile":
        prof = profile_interval(fit, level)
        interval = Interval(
            prof.low,
            prof.high,
            level,
            "profile likelihood",
            "conditional on the chosen model; it leaves out the uncertainty "
            "of choosing it (use the bootstrap for that)",
        )
        if prof.high is None:
            warnings.append(
                "the profile likelihood stays within the interval up to a million "
                "times the observed count: there is no upper limit"
            )
    else:
        refit = Refit(_frequentist(method), threshold, _candidates(prepared, method, ntop))
        boot = bootstrap(
            prepared,
            refit,
            n_boot=n_boot,
            seed=seed,
            scheme=scheme,
            fitted=fit.fitted,
            n_jobs=n_jobs,
        )
        interval = _boot_interval(
            prepared, refit, boot, fit.estimate, level, boot_interval, n_jobs, warnings
        )
        params.update(
            n_boot=n_boot,
            seed=seed,
            scheme=scheme,
            boot_interval=boot_interval,
            ntop=len(refit.candidates) if refit.candidates else "all",
        )
        details["bootstrap_failed"] = boot.failed
    if fit.dark > 10 * fit.observed:
        warnings.append(
            "the dark number is more than ten times the observed count: the data "
            "carry little information about the unseen"
        )
    params["ci"] = ci
    return _result(
        table,
        method,
        fit.estimate,
        interval,
        fit.spec.terms,
        selection.reason,
        warnings,
        params,
        details,
    )


def _check_settings(method: str, ci: str, level: float, threshold: float, n_boot: int) -> None:
    if method not in METHODS:
        raise EstimationInputError(f"unknown method {method!r}; choose one of {METHODS}")
    if ci not in ("profile", "bootstrap"):
        raise EstimationInputError(f"unknown interval {ci!r}; choose profile or bootstrap")
    if not 0 < level < 1:
        raise EstimationInputError(f"level must lie between 0 and 1, not {level}")
    if not 0 <= threshold <= 1:
        raise EstimationInputError(f"threshold must lie between 0 and 1, not {threshold}")
    if ci == "bootstrap" and n_boot < 2:
        raise EstimationInputError("the bootstrap needs at least 2 replicates")


def _frequentist(method: str) -> Literal["stepwise", "aic", "bic"]:
    if method == "stepwise":
        return "stepwise"
    return "aic" if method == "aic" else "bic"


def _select(table: CaptureTable, method: str, threshold: float) -> Selection:
    if method == "stepwise":
        return stepwise(table, threshold)
    return exhaustive(table, "aic" if method == "aic" else "bic")


def _candidates(table: CaptureTable, method: str, ntop: int | None) -> tuple[int, ...] | None:
    if method == "stepwise":
        return None
    if ntop is None and table.n_lists <= _FULL_SEARCH_LISTS:
        return None
    crit: Criterion = "aic" if method == "aic" else "bic"
    walk = rank_models(table, crit, keep=ntop or _NTOP, report=0)
    return tuple(walk.usable)


def _boot_interval(
    table: CaptureTable,
    refit: Refit,
    boot: BootstrapResult,
    point: float,
    level: float,
    kind: BootInterval,
    n_jobs: int | None,
    warnings: list[str],
) -> Interval:
    label = f"bootstrap {kind} ({boot.scheme}, {len(boot.replicates)} replicates, seed {boot.seed})"
    note = "re-runs the model selection on every replicate"
    if boot.failed:
        warnings.append(
            f"{boot.failed} of {len(boot.replicates)} bootstrap replicates allowed "
            "no estimate and were left out of the interval"
        )
    if boot.usable.size < 2:
        warnings.append("too few bootstrap replicates had an estimate for an interval")
        return Interval(math.nan, None, level, label, note)
    if kind == "bca":
        accel = acceleration(table.counts, jackknife(table, refit, n_jobs))
        if math.isfinite(accel):
            low, high = boot.bca(point, accel, level)
            return Interval(low, high, level, label, f"{note}; jackknife acceleration {accel:.4g}")
        warnings.append("the jackknife failed for BCa; the percentile interval is reported")
    low, high = boot.percentile(level)
    return Interval(low, high, level, label, note)


def _result(
    table: CaptureTable,
    method: str,
    point: float,
    interval: Interval | None,
    model: Sequence[str],
    reason: str,
    warnings: Sequence[str],
    params: dict[str, Any],
    details: dict[str, Any],
) -> EstimateResult:
    if not math.isfinite(point):
        # The checks exclude this; if rounding ever let it through, refuse, never print it.
        raise EstimationRefusedError("the fit did not give a finite estimate")
    return EstimateResult(
        estimate=float(point),
        interval=interval,
        observed=table.observed,
        dark_number=float(point - table.observed),
        method=method,
        model=tuple(model),
        reason=reason,
        warnings=tuple(dict.fromkeys(warnings)),
        provenance=Provenance(table.sha256, method, params),
        lists=table.lists,
        details=details,
    )
