"""Dated minimum-wage data: which hourly amount, youth percentage and housing cap apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Dated:
    """A value that applies from a date on, with where it was published."""

    start: date
    value: Any
    source: str


@dataclass(frozen=True)
class WmlData:
    """The contents of ``wml/data/wml.yaml``, typed."""

    hourly: tuple[Dated, ...]
    next_indexation: date
    youth: tuple[Dated, ...]
    adult_age: int
    minimum_age: int
    housing_cap: tuple[Dated, ...]
    authorised_only: frozenset[str]
    never_below_minimum: frozenset[str]
    deductions_source: str
    net_floor_share: Decimal
    net_floor_source: str
    max_hours_week: int
    hours_source: str


@dataclass(frozen=True)
class MinimumRate:
    """The gross minimum per hour for one age on one day, and why."""

    amount: Decimal
    adult_amount: Decimal
    percent: Decimal
    start: date
    source: str
    #: True when a newer indexation is due but not yet in the data: ``amount`` is then
    #: a lower bound of the real minimum.
    possibly_outdated: bool


def _dated(rows: list[dict[str, Any]], key: str) -> tuple[Dated, ...]:
    out = [Dated(row["from"], row[key], str(row["source"])) for row in rows]
    return tuple(sorted(out, key=lambda d: d.start))


@lru_cache(maxsize=1)
def load() -> WmlData:
    """Read and check the shipped data file once."""
    text = resources.files("ketenzicht.selfcheck.wml").joinpath("data/wml.yaml").read_text(
        encoding="utf-8")
    raw = yaml.safe_load(text)
    hourly = tuple(Dated(d.start, Decimal(str(d.value)), d.source)
                   for d in _dated(raw["hourly_rates"], "amount"))
    youth = tuple(Dated(d.start, {int(k): Decimal(str(v)) for k, v in d.value.items()},
                        d.source) for d in _dated(raw["youth_percentages"], "percent"))
    caps = tuple(Dated(d.start, Decimal(str(d.value)), d.source)
                 for d in _dated(raw["housing_cap"], "percent"))
    data = WmlData(
        hourly=hourly, next_indexation=raw["next_indexation"], youth=youth,
        adult_age=int(raw["adult_age"]), minimum_age=int(raw["minimum_age"]),
        housing_cap=caps,
        authorised_only=frozenset(raw["deductions"]["authorised_only"]),
        never_below_minimum=frozenset(raw["deductions"]["never_below_minimum"]),
        deductions_source=str(raw["deductions"]["source"]),
        net_floor_share=Decimal(str(raw["net_floor_share"])),
        net_floor_source=str(raw["net_floor_source"]),
        max_hours_week=int(raw["max_hours_week"]), hours_source=str(raw["hours_source"]),
    )
    if data.next_indexation <= hourly[-1].start:
        raise ValueError("wml.yaml: next_indexation must come after the last hourly rate")
    return data


def _applying(rows: tuple[Dated, ...], on: date) -> Dated | None:
    found = None
    for row in rows:
        if row.start <= on:
            found = row
    return found


def minimum_hourly(on: date, age: int | None = None, data: WmlData | None = None
                   ) -> MinimumRate | None:
    """The gross hourly minimum on ``on`` for ``age`` (adult when unknown).

    None when the WML does not apply: before the first dated row, or under the
    minimum age of 15.
    """
    data = data or load()
    rate = _applying(data.hourly, on)
    if rate is None:
        return None
    percent = Decimal(100)
    source = rate.source
    if age is not None and age < data.adult_age:
        if age < data.minimum_age:
            return None
        youth = _applying(data.youth, on)
        if youth is None:
            return None
        percent = youth.value[age]
        source = f"{rate.source}; {youth.source}"
    adult: Decimal = rate.value
    amount = (adult * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    outdated = rate is data.hourly[-1] and on >= data.next_indexation
    return MinimumRate(amount=amount, adult_amount=adult, percent=percent, start=rate.start,
                       source=source, possibly_outdated=outdated)


def housing_cap_percent(on: date, data: WmlData | None = None) -> Dated | None:
    """The share of the minimum wage an employer may keep back for housing on ``on``."""
    return _applying((data or load()).housing_cap, on)
