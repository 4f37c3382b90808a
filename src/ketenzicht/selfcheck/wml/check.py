"""The wage check: pay and deductions of one period against the minimum wage.

Workers often know only what they received, not their gross pay. The check then
works with bounds: gross pay is at least what was received plus what was kept back,
and at most that divided by the lowest share wage tax can leave at minimum-wage level.
It says *below* or *at least the minimum* only when both bounds agree, and *maybe*
otherwise, so it never claims more than the answers carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ketenzicht.selfcheck.wml.rates import (
    CENT,
    MinimumRate,
    WmlData,
    housing_cap_percent,
    load,
    minimum_hourly,
)

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
MAX_HOURS_SHIFT = Decimal(12)


class Period(StrEnum):
    """The stretch of time hours and pay refer to."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


#: The most hours a period can have: a day, a week, the longest month.
MAX_HOURS = {Period.DAY: Decimal(24), Period.WEEK: Decimal(168), Period.MONTH: Decimal(744)}


class PayKind(StrEnum):
    """What the amount of pay is: gross, what was received, or not known."""

    GROSS = "gross"
    NET = "net"
    UNKNOWN = "unknown"


class WageVerdict(StrEnum):
    """The answer of the check."""

    BELOW = "below"
    MAYBE_BELOW = "maybe_below"
    AT_LEAST = "at_least"
    UNPAID = "unpaid"
    NOT_APPLICABLE = "not_applicable"  # under 15, or a date before the data
    UNKNOWN = "unknown"  # hours or pay not given


DEDUCTION_KINDS = ("housing", "transport", "insurance", "fines", "other")


@dataclass(frozen=True)
class WageInput:
    """What the worker told about one period; every field may be missing."""

    on: date
    age: int | None = None
    period: Period = Period.WEEK
    hours: Decimal | None = None
    pay: Decimal | None = None
    pay_kind: PayKind = PayKind.UNKNOWN
    deductions: dict[str, Decimal] = field(default_factory=dict)
    #: Did the worker sign a written authorisation for deductions? None: not known.
    authorised: bool | None = None
    paid_in_cash: bool | None = None
    #: Itemised answer (evidence wage check): the deduction kinds covered by a written
    #: authorisation. When given it overrides ``authorised`` kind by kind.
    authorised_kinds: frozenset[str] | None = None


@dataclass(frozen=True)
class DeductionFinding:
    """One deduction rule that the answers break (``certain``) or may break."""

    code: str  # housing_over_cap | no_authorisation | below_minimum | fines
    amount: Decimal
    limit: Decimal | None
    certain: bool
    source: str


@dataclass(frozen=True)
class WageResult:
    """The check's answer with every number it used, so it can be explained."""

    verdict: WageVerdict
    minimum: MinimumRate | None
    hours: Decimal | None
    minimum_for_period: Decimal | None
    gross_low: Decimal | None
    gross_high: Decimal | None
    shortfall: Decimal | None
    hourly_low: Decimal | None
    deductions_total: Decimal
    housing_cap: Decimal | None
    housing_cap_percent: Decimal | None
    weekly_hours: Decimal | None
    too_many_hours: bool
    cash: bool
    findings: tuple[DeductionFinding, ...]
    sources: tuple[str, ...]


def weekly_hours(period: Period, hours: Decimal) -> Decimal:
    """Hours per week for hours given per day (a 5-day week), week or month."""
    if period is Period.DAY:
        return hours * 5
    if period is Period.MONTH:
        return hours / WEEKS_PER_MONTH
    return hours


def _too_many(period: Period, hours: Decimal, data: WmlData) -> bool:
    if period is Period.DAY:
        return hours > MAX_HOURS_SHIFT
    return weekly_hours(period, hours) > data.max_hours_week


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def check_wage(answers: WageInput, data: WmlData | None = None) -> WageResult:
    """Check pay, hours and deductions of one period against the WML on ``answers.on``."""
    data = data or load()
    minimum = minimum_hourly(answers.on, answers.age, data)
    deductions = {k: v for k, v in answers.deductions.items() if v > 0}
    total_ded = sum(deductions.values(), Decimal(0))
    hours = answers.hours
    sources = [data.deductions_source]
    weekly = weekly_hours(answers.period, hours) if hours is not None else None
    too_many = hours is not None and _too_many(answers.period, hours, data)
    if too_many:
        sources.append(data.hours_source)
    cash = bool(answers.paid_in_cash)
    if minimum is None or hours is None or hours <= 0 or answers.pay is None:
        verdict = (WageVerdict.NOT_APPLICABLE if minimum is None and hours is not None
                   and answers.pay is not None else WageVerdict.UNKNOWN)
        findings = _authorisation(deductions, answers, data)
        return WageResult(verdict=verdict, minimum=minimum, hours=hours,
                          minimum_for_period=None, gross_low=None, gross_high=None,
                          shortfall=None, hourly_low=None, deductions_total=total_ded,
                          housing_cap=None, housing_cap_percent=None, weekly_hours=weekly,
                          too_many_hours=too_many, cash=cash, findings=findings,
                          sources=tuple(sources))
    sources.insert(0, minimum.source)
    owed = minimum.amount * hours
    pay = answers.pay
    if answers.pay_kind is PayKind.GROSS:
        low = high = pay
    else:
        received = pay + total_ded
        low = received if answers.pay_kind is PayKind.NET else pay
        high = received / data.net_floor_share
        sources.append(data.net_floor_source)
    if pay <= 0 and total_ded <= 0:
        verdict = WageVerdict.UNPAID
    elif high < owed:
        verdict = WageVerdict.BELOW
    elif low >= owed:
        verdict = WageVerdict.AT_LEAST
    else:
        verdict = WageVerdict.MAYBE_BELOW
    cap_row = housing_cap_percent(answers.on, data)
    cap = _cents(owed * cap_row.value / 100) if cap_row is not None else None
    if cap_row is not None:
        sources.append(cap_row.source)
    findings = _authorisation(deductions, answers, data)
    findings += _limits(deductions, owed, low, high, cap, data)
    shortfall = _cents(owed - high) if verdict in (WageVerdict.BELOW, WageVerdict.UNPAID) else None
    return WageResult(
        verdict=verdict, minimum=minimum, hours=hours, minimum_for_period=_cents(owed),
        gross_low=_cents(low), gross_high=_cents(high), shortfall=shortfall,
        hourly_low=_cents(low / hours), deductions_total=total_ded, housing_cap=cap,
        housing_cap_percent=cap_row.value if cap_row is not None else None,
        weekly_hours=weekly, too_many_hours=too_many, cash=cash,
        findings=findings, sources=tuple(dict.fromkeys(sources)))


def _authorisation(deductions: dict[str, Decimal], answers: WageInput, data: WmlData
                   ) -> tuple[DeductionFinding, ...]:
    if answers.authorised_kinds is not None:
        # Itemised: each kind without its written authorisation is certainly not allowed.
        kept = sum((v for k, v in deductions.items()
                    if k in data.authorised_only and k not in answers.authorised_kinds),
                   Decimal(0))
        certain = True
    else:
        kept = sum((v for k, v in deductions.items() if k in data.authorised_only),
                   Decimal(0))
        if answers.authorised is True:
            kept = Decimal(0)
        certain = answers.authorised is False
    if kept <= 0:
        return ()
    return (DeductionFinding("no_authorisation", _cents(kept), None, certain,
                             data.deductions_source),)


def _limits(deductions: dict[str, Decimal], owed: Decimal, low: Decimal, high: Decimal,
            cap: Decimal | None, data: WmlData) -> tuple[DeductionFinding, ...]:
    """Deductions that take pay below the minimum further than the law allows.

    Pay above the minimum (``headroom``) may be used for anything agreed; below it, only
    housing up to the cap and health insurance. With only bounds on gross pay, a finding
    is certain when even the highest possible gross leaves no room for it.
    """
    out: list[DeductionFinding] = []
    other = sum((v for k, v in deductions.items() if k in data.never_below_minimum), Decimal(0))
    housing = deductions.get("housing", Decimal(0))
    for gross, certain in ((high, True), (low, False)):
        room = max(Decimal(0), gross - owed)
        if other > room:
            out.append(DeductionFinding("below_minimum", _cents(other), _cents(room), certain,
                                        data.deductions_source))
        left = max(Decimal(0), room - other)
        if cap is not None and housing > cap + left:
            out.append(DeductionFinding("housing_over_cap", _cents(housing), cap, certain,
                                        data.deductions_source))
        if out:
            break
    if deductions.get("fines", Decimal(0)) > 0:
        out.append(DeductionFinding("fines", _cents(deductions["fines"]), None, False,
                                    data.deductions_source))
    return tuple(out)
