"""Shapes of the monitor: an imported figure, and the aggregates the dashboard shows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ketenzicht.monitor.enums import SUPPRESS_BELOW, WITHHELD, FunnelStage


def shown(count: int | None) -> str:
    """A count as shown anywhere outside the database: 1 to 4 become "<5", a withheld
    complement "x"."""
    if count is None:
        return "—"
    if count == WITHHELD:
        return "x"
    return f"<{SUPPRESS_BELOW}" if 0 < count < SUPPRESS_BELOW else str(count)


def is_suppressed(count: int | None) -> bool:
    """Whether ``count`` is a small cell (or its withheld complement) that must not be shown."""
    return count is not None and (count == WITHHELD or 0 < count < SUPPRESS_BELOW)


def protect(counts: list[int]) -> list[int]:
    """Complementary suppression within one group of cells whose total is public.

    With one small cell hidden and the total known, the small cell is the total minus the
    others. So when a group has exactly one suppressed cell, the smallest shown cell is
    withheld as well: then only the sum of the two is known, never the small one.
    """
    small = [i for i, c in enumerate(counts) if 0 < c < SUPPRESS_BELOW]
    if len(small) != 1:
        return counts
    others = [i for i, c in enumerate(counts) if c >= SUPPRESS_BELOW]
    if not others:
        return counts
    out = list(counts)
    out[min(others, key=lambda i: (counts[i], i))] = WITHHELD
    return out


class FigureIn(BaseModel):
    """One row of an official-figures CSV: year, step of the chain, form, count."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=1990, le=2100)
    stage: FunnelStage
    form: str = Field(min_length=1, max_length=32)
    count: int = Field(ge=0, le=10_000_000)


class FunnelRow(BaseModel):
    """A count of one step of the chain, for one year, form and source."""

    source: str
    year: int
    form: str
    stage: FunnelStage
    count: int


class CountRow(BaseModel):
    """A count of registrations with one value of a dimension (form, age band, ...)."""

    dimension: str
    value: str
    count: int


class SourceRead(BaseModel):
    """An imported source of official figures: who uploaded it, when, and how many rows."""

    source: str
    rows: int
    years: str
    uploaded_by: str
    imported_at: datetime


class EstimateRead(BaseModel):
    """A stored dark-number estimate, with the visibility rate (registered ÷ estimated)."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    stratum: str
    observed: int
    estimate: float | None
    low: float | None
    high: float | None
    interval_kind: str
    method: str
    model: list[str]
    flagged: str
    warnings: list[str]
    computed_at: datetime

    @property
    def visibility(self) -> float | None:
        """Share of the estimated population that the registrations saw."""
        if self.estimate is None or self.estimate <= 0:
            return None
        return self.observed / self.estimate
