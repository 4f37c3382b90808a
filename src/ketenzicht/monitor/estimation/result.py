"""Typed results: the estimate with everything a professional needs to check it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import ketenzicht

__all__ = [
    "EstimateResult",
    "Interval",
    "Provenance",
    "StratifiedResult",
    "StratumResult",
    "library_version",
]


def library_version() -> str:
    """Installed version of ketenzicht."""
    return str(ketenzicht.__version__)


@dataclass(frozen=True, slots=True)
class Interval:
    """Interval for the total population; ``high is None`` when it has no upper limit."""

    low: float
    high: float | None
    level: float
    kind: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Provenance:
    """What was estimated from what, with which settings and code."""

    input_sha256: str
    method: str
    parameters: Mapping[str, Any]
    library_version: str = field(default_factory=library_version)
    library: str = "ketenzicht"


@dataclass(frozen=True, slots=True)
class EstimateResult:
    """A population estimate, how it was reached and what to watch for.

    ``model`` lists the interaction terms of the chosen model (for BMA: of the graph
    with the highest posterior probability); ``reason`` says in words why that model.
    """

    estimate: float
    interval: Interval | None
    observed: int
    dark_number: float
    method: str
    model: tuple[str, ...]
    reason: str
    warnings: tuple[str, ...]
    provenance: Provenance
    lists: tuple[str, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The short JSON object of the CLI."""
        ci = None if self.interval is None else [_num(self.interval.low), _num(self.interval.high)]
        return {
            "estimate": _num(self.estimate),
            "ci": ci,
            "observed": self.observed,
            "method": self.method,
            "model": list(self.model),
            "warnings": list(self.warnings),
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-serialisable."""
        out = self.summary()
        out.update(
            dark_number=_num(self.dark_number),
            interval=None if self.interval is None else asdict(self.interval),
            reason=self.reason,
            lists=list(self.lists),
            provenance=_jsonable(asdict(self.provenance)),
            details=_jsonable(dict(self.details)),
        )
        return out


@dataclass(frozen=True, slots=True)
class StratumResult:
    """One stratum: its estimate, or why it was not estimated."""

    stratum: str
    observed: int
    result: EstimateResult | None
    flagged: str = ""

    def summary(self) -> dict[str, Any]:
        """Short JSON object for this stratum."""
        if self.result is None:
            return {"stratum": self.stratum, "observed": self.observed, "flagged": self.flagged}
        return {"stratum": self.stratum, **self.result.summary()}


@dataclass(frozen=True, slots=True)
class StratifiedResult:
    """Estimates per value of a column; sparse strata are flagged, not estimated."""

    column: str
    strata: tuple[StratumResult, ...]
    warnings: tuple[str, ...]
    provenance: Provenance

    @property
    def flagged(self) -> tuple[StratumResult, ...]:
        """Strata left without an estimate."""
        return tuple(s for s in self.strata if s.result is None)

    def summary(self) -> dict[str, Any]:
        """The JSON object of the CLI with ``--strata``."""
        return {
            "strata_column": self.column,
            "method": self.provenance.method,
            "strata": [s.summary() for s in self.strata],
            "warnings": list(self.warnings),
        }


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, str | int | bool) or value is None:
        return value
    if hasattr(value, "item"):  # NumPy scalar
        return _jsonable(value.item())
    return str(value)
