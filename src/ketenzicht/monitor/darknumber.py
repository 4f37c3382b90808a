"""The dark number per year and stratum, from the pseudonymised registration export.

Each presumed victim carries a stable pseudonymous key; the reporting organisation type is
the list. A person counts in a year when registered that year. A person is a minor when any
registration gives a minor age band, an adult when none does and one gives an adult band.
Strata too sparse for an estimate are kept with the reason (``estimation.strata``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ketenzicht.monitor.estimation import EstimationInputError, histories_from_records
from ketenzicht.monitor.estimation.strata import estimate_strata
from ketenzicht.signals.enums import MINOR_BANDS, AgeBand
from ketenzicht.signals.schemas import RegistrationRow

AGE_STRATA = ("minors", "adults", "age_unknown")


@dataclass(frozen=True)
class StratumEstimate:
    """One year and stratum: observed people and the estimate, or why there is none."""

    year: int
    stratum: str
    observed: int
    lists: tuple[str, ...] = ()
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    interval_kind: str = ""
    method: str = ""
    model: tuple[str, ...] = ()
    flagged: str = ""
    warnings: tuple[str, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)


def _age_stratum(bands: set[str]) -> str:
    if bands & {b.value for b in MINOR_BANDS}:
        return "minors"
    if bands - {AgeBand.UNKNOWN.value}:
        return "adults"
    return "age_unknown"


def _records(rows: Iterable[RegistrationRow]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        if row.person_key is None:
            continue
        out.append({"person": row.person_key, "list": row.reporting_org_type,
                    "year": int(row.registered_month[:4]), "form": str(row.form),
                    "age_band": str(row.age_band)})
    return out


def _estimate(year: int, stratum: str, records: Sequence[dict[str, Any]],
              settings: dict[str, Any]) -> StratumEstimate:
    people = {r["person"] for r in records}
    if not records:
        return StratumEstimate(year, stratum, 0, flagged="no registrations")
    lists = sorted({r["list"] for r in records})
    if len(lists) < 2:
        return StratumEstimate(year, stratum, len(people), tuple(lists),
                               flagged="fewer than two reporting organisation types")
    try:
        frame = histories_from_records(records, lists=lists)
        frame["stratum"] = stratum
        result = estimate_strata(frame, "stratum", **settings).strata[0]
    except EstimationInputError as exc:
        return StratumEstimate(year, stratum, len(people), tuple(lists), flagged=str(exc))
    if result.result is None:
        return StratumEstimate(year, stratum, result.observed, tuple(lists),
                               flagged=result.flagged)
    r = result.result
    iv = r.interval
    return StratumEstimate(
        year, stratum, r.observed, r.lists, r.estimate,
        None if iv is None else iv.low, None if iv is None else iv.high,
        "" if iv is None else iv.kind, r.method, r.model, "", r.warnings,
        r.to_dict()["provenance"])


def estimate_all(rows: Iterable[RegistrationRow], **settings: Any) -> list[StratumEstimate]:
    """Estimates for every year: all people, each age stratum and each form of exploitation."""
    records = _records(rows)
    out: list[StratumEstimate] = []
    for year in sorted({r["year"] for r in records}):
        in_year = [r for r in records if r["year"] == year]
        bands: dict[str, set[str]] = {}
        for r in in_year:
            bands.setdefault(r["person"], set()).add(r["age_band"])
        age = {p: _age_stratum(b) for p, b in bands.items()}
        out.append(_estimate(year, "all", in_year, settings))
        for stratum in AGE_STRATA:
            out.append(_estimate(year, stratum, [r for r in in_year
                                                 if age[r["person"]] == stratum], settings))
        for form in sorted({r["form"] for r in in_year}):
            out.append(_estimate(year, f"form:{form}",
                                 [r for r in in_year if r["form"] == form], settings))
    return out
