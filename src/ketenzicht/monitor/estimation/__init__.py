"""Multiple-systems estimation: how many people do the lists together miss?

A plain library (no web, no database). Start with :func:`estimate`::

    from ketenzicht.monitor.estimation import estimate
    result = estimate("histories.csv", method="stepwise", ci="profile")
    result.estimate, result.interval, result.model, result.reason, result.warnings
"""

from .api import estimate, load_table
from .data import (
    CaptureTable,
    EstimationInputError,
    EstimationRefusedError,
    capture_table,
    histories_from_records,
    read_capture_table,
    table_from_records,
)
from .result import EstimateResult, Interval, Provenance, StratifiedResult, StratumResult
from .strata import estimate_strata

__all__ = [
    "CaptureTable",
    "EstimateResult",
    "EstimationInputError",
    "EstimationRefusedError",
    "Interval",
    "Provenance",
    "StratifiedResult",
    "StratumResult",
    "capture_table",
    "estimate",
    "estimate_strata",
    "histories_from_records",
    "load_table",
    "read_capture_table",
    "table_from_records",
]
