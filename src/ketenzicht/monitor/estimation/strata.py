"""Estimates per stratum (age band, gender, form of exploitation, ...).

A stratum too sparse for the method is flagged with the reason and not estimated:
an estimate from a handful of people, or from lists that never overlap, would be a
number without meaning.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .api import estimate
from .data import (
    CaptureTable,
    EstimationInputError,
    EstimationRefusedError,
    Where,
    capture_table,
    load_frame,
)
from .result import Provenance, StratifiedResult, StratumResult

if TYPE_CHECKING:
    import pandas as pd  # only in annotations: `estimate` on a CSV file never imports it

__all__ = ["MIN_OBSERVED", "MIN_OVERLAP", "estimate_strata"]

MIN_OBSERVED = 20
MIN_OVERLAP = 5


def estimate_strata(
    data: pd.DataFrame | str | Path,
    column: str,
    *,
    min_observed: int = MIN_OBSERVED,
    min_overlap: int = MIN_OVERLAP,
    **settings: Any,
) -> StratifiedResult:
    """Estimate separately for every value of ``column``.

    Parameters
    ----------
    data
        Capture histories with a stratum column: one row per stratum and history.
    column
        The stratum column.
    min_observed
        Strata with fewer observed people are flagged, not estimated.
    min_overlap
        Strata with fewer people on two or more lists are flagged, not estimated.
    **settings
        Passed on to :func:`~ketenzicht.monitor.estimation.api.estimate`.

    Returns
    -------
    StratifiedResult
        One entry per stratum, estimated or flagged with its reason.
    """
    frame, sha, where = load_frame(data)
    if column not in frame.columns:
        raise EstimationInputError(f"the table has no stratum column {column!r}")
    if frame[column].isna().any():
        i = int(np.flatnonzero(frame[column].isna().to_numpy())[0])
        raise EstimationInputError(f"{where(i)}: the stratum {column!r} is empty")
    if sha is None:
        sha = hashlib.sha256(frame.to_csv(index=False, lineterminator="\n").encode()).hexdigest()
    results = []
    for value, part in frame.groupby(frame[column].astype(str), sort=True):
        positions = frame.index.get_indexer(part.index)
        sub = part.drop(columns=[column]).reset_index(drop=True)
        table = capture_table(sub, where=_locator(where, positions, str(value)))
        results.append(_one(str(value), table, min_observed, min_overlap, settings))
    method = str(settings.get("method", "stepwise"))
    params = {k: v for k, v in settings.items() if k != "bayes"}
    params.update(column=column, min_observed=min_observed, min_overlap=min_overlap)
    warnings = [f"stratum {r.stratum!r}: {r.flagged}" for r in results if r.result is None]
    provenance = Provenance(sha, method, params)
    return StratifiedResult(column, tuple(results), tuple(warnings), provenance)


def _locator(where: Where, positions: NDArray[np.intp], value: str) -> Where:
    """Name rows of a stratum by their place in the whole input."""

    def located(i: int) -> str:
        return f"{where(int(positions[i]))}, stratum {value!r}"

    return located


def _one(
    value: str, table: CaptureTable, min_observed: int, min_overlap: int, settings: dict[str, Any]
) -> StratumResult:
    multi = int(table.counts[[c for c in range(table.counts.size) if bin(c).count("1") >= 2]].sum())
    if table.observed < min_observed:
        return StratumResult(
            value,
            table.observed,
            None,
            f"too sparse: {table.observed} people observed, fewer than {min_observed}",
        )
    if multi < min_overlap:
        return StratumResult(
            value,
            table.observed,
            None,
            f"too sparse: {multi} people on more than one list, fewer than "
            f"{min_overlap}; without overlap there is nothing to estimate from",
        )
    try:
        return StratumResult(value, table.observed, estimate(table, **settings))
    except EstimationRefusedError as exc:
        return StratumResult(value, table.observed, None, f"refused: {exc}")
