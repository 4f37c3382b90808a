"""The evidence wage check: the selfcheck's WML rules, itemised, with arrears and indicators.

The minimum wage, youth percentages, housing cap and deduction rules live once, in
``ketenzicht.selfcheck.wml`` (dated data with sources); this module only asks it per
deduction and adds up what an investigator needs: the arrears in euros, the deductions that
were not allowed, and the ILO/EC indicators they match.

Two findings are kept apart on purpose. *Below the minimum* is WML arrears: the worker got
less than the law's floor (and that is an ILO indicator). A deduction *without written
authorisation* that still leaves pay at or above the minimum breaks the contract, not the
WML: it is listed (to reclaim under civil law) but is neither WML arrears nor an indicator.
The minimum holiday allowance (8 % of the minimum for the period, art. 15 WML) is owed on
top; several periods are checked one by one and added up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.evidence.schemas import IMPOSSIBLE_HOURS, impossible_hours
from ketenzicht.selfcheck.schemas import PayKind, Period
from ketenzicht.selfcheck.service import WageInput, WageResult, WageVerdict, check_wage
from ketenzicht.selfcheck.service import wage_rules as wml_data

CENT = Decimal("0.01")
#: Minimum holiday allowance: 8 % of the minimum wage (art. 15 WML).
HOLIDAY_SHARE = Decimal("0.08")
HOLIDAY_SOURCE = "Art. 15 WML (minimumvakantiebijslag, 8%)"
RATE_MISSING = N_("No minimum wage rate from %(due)s is in the data yet; the rate of "
                  "%(used)s is used, so the minimum and the arrears for this date are a "
                  "lower bound.")
NO_RATE = N_("No minimum wage rate is known for %(on)s; this period is not checked.")

#: ILO/EC operational indicators of trafficking for labour exploitation (ILO 2009), by the
#: finding that matches them; the same codes as the selfcheck's signals.
ILO_INDICATORS: dict[str, str] = {
    "below_minimum_wage": "EX_LOW_SALARY", "unpaid": "EX_LOW_SALARY",
    "no_authorisation": "EX_WAGE_MANIPULATION", "housing_over_cap": "EX_WAGE_MANIPULATION",
    "below_minimum": "EX_WAGE_MANIPULATION", "fines": "EX_WAGE_MANIPULATION",
    "too_many_hours": "EX_EXCESSIVE_HOURS",
}
ILO_SOURCE = ("ILO & European Commission, Operational indicators of trafficking in human "
              "beings (2009), labour exploitation")


@dataclass(frozen=True)
class Deduction:
    """One deduction from pay, and whether the worker signed a written authorisation."""

    kind: str
    amount: Decimal
    authorised: bool


@dataclass(frozen=True)
class NotPermitted:
    """A deduction (or part of it) that the employer was not allowed to keep."""

    code: str
    amount: Decimal
    certain: bool
    source: str


@dataclass(frozen=True)
class WageCheck:
    """The evidence wage check's answer, with the underlying WML result."""

    result: WageResult
    arrears: Decimal | None
    shortfall: Decimal
    not_permitted: tuple[NotPermitted, ...]
    indicators: tuple[str, ...]
    #: Deductions without authorisation that left pay at or above the minimum (not WML).
    unauthorised: tuple[NotPermitted, ...] = ()
    holiday_owed: Decimal | None = None
    holiday_arrears: Decimal | None = None
    #: Why the rate used may be wrong for this date (msgid and its parameters), if it may.
    rate_note: tuple[str, dict[str, str]] | None = None

    @property
    def total(self) -> Decimal | None:
        """Wage arrears plus holiday allowance arrears; None when not checkable."""
        if self.arrears is None:
            return None
        return self.arrears + (self.holiday_arrears or Decimal(0))

    def facts(self) -> dict[str, Any]:
        """A JSON-safe summary (stored with the item and in its content)."""
        r = self.result
        return {
            "verdict": str(r.verdict),
            "minimum_hourly": str(r.minimum.amount) if r.minimum else None,
            "minimum_for_period": str(r.minimum_for_period) if r.minimum_for_period else None,
            "housing_cap": str(r.housing_cap) if r.housing_cap is not None else None,
            "housing_cap_percent": (str(r.housing_cap_percent)
                                    if r.housing_cap_percent is not None else None),
            "arrears": str(self.arrears) if self.arrears is not None else None,
            "shortfall": str(self.shortfall),
            "not_permitted": [{"code": n.code, "amount": str(n.amount), "certain": n.certain,
                               "source": n.source} for n in self.not_permitted],
            "indicators": list(self.indicators), "indicator_source": ILO_SOURCE,
            "unauthorised_above_minimum": [
                {"code": n.code, "amount": str(n.amount), "certain": n.certain,
                 "source": n.source} for n in self.unauthorised],
            "holiday_owed": str(self.holiday_owed) if self.holiday_owed is not None else None,
            "holiday_arrears": (str(self.holiday_arrears)
                                if self.holiday_arrears is not None else None),
            "total": str(self.total) if self.total is not None else None,
            "rate_note": (self.rate_note[0] % self.rate_note[1]) if self.rate_note else None,
            "too_many_hours": r.too_many_hours,
            "sources": [*r.sources, HOLIDAY_SOURCE] if self.holiday_owed is not None
            else list(r.sources),
        }


def run(*, on: date, period: Period, hours: Decimal, pay: Decimal, pay_kind: PayKind,
        age: int | None, deductions: list[Deduction],
        holiday_paid: Decimal = Decimal(0)) -> WageCheck:
    """Check one period; deductions are itemised, each with or without authorisation.

    Refuses (``ValidationFailed``) hours no one can work: more than 24 a day, 7 × 24 a week.
    """
    if (problem := impossible_hours(period, hours)) is not None:
        raise ValidationFailed(IMPOSSIBLE_HOURS, **problem)
    amounts: dict[str, Decimal] = {}
    for d in deductions:
        amounts[d.kind] = amounts.get(d.kind, Decimal(0)) + d.amount
    authorised = frozenset(d.kind for d in deductions if d.authorised)
    # A kind is authorised only when every line of it is.
    authorised -= {d.kind for d in deductions if not d.authorised}
    result = check_wage(WageInput(on=on, age=age, period=period, hours=hours, pay=pay,
                                  pay_kind=pay_kind, deductions=amounts,
                                  authorised_kinds=authorised))
    not_permitted, unauthorised = _split_unauthorised(
        result, amounts, _not_permitted(result, amounts,
                                        housing_authorised="housing" in authorised))
    shortfall = result.shortfall if result.shortfall is not None else Decimal(0)
    certain = sum((n.amount for n in not_permitted if n.certain), Decimal(0))
    checkable = result.verdict not in (WageVerdict.UNKNOWN, WageVerdict.NOT_APPLICABLE)
    arrears = (shortfall + certain).quantize(CENT) if checkable else None
    holiday_owed = holiday_arrears = None
    if checkable and result.minimum_for_period is not None:
        holiday_owed = (result.minimum_for_period * HOLIDAY_SHARE).quantize(CENT)
        holiday_arrears = max(Decimal(0), holiday_owed - holiday_paid).quantize(CENT)
    codes = []
    if result.verdict in (WageVerdict.BELOW, WageVerdict.MAYBE_BELOW):
        codes.append(ILO_INDICATORS["below_minimum_wage"])
    if result.verdict is WageVerdict.UNPAID:
        codes.append(ILO_INDICATORS["unpaid"])
    codes += [ILO_INDICATORS[n.code] for n in not_permitted]
    if result.too_many_hours:
        codes.append(ILO_INDICATORS["too_many_hours"])
    return WageCheck(result=result, arrears=arrears, shortfall=shortfall,
                     not_permitted=tuple(not_permitted), indicators=tuple(dict.fromkeys(codes)),
                     unauthorised=tuple(unauthorised), holiday_owed=holiday_owed,
                     holiday_arrears=holiday_arrears, rate_note=_rate_note(result, on))


def _rate_note(result: WageResult, on: date) -> tuple[str, dict[str, str]] | None:
    """Say so when the data has no rate for the date (a due indexation, or none at all)."""
    rate = result.minimum
    if rate is None:
        return (NO_RATE, {"on": on.isoformat()}) if on < wml_data().hourly[0].start else None
    if rate.possibly_outdated:
        return RATE_MISSING, {"due": wml_data().next_indexation.isoformat(),
                              "used": rate.start.isoformat()}
    return None


def _split_unauthorised(result: WageResult, amounts: dict[str, Decimal],
                        found: list[NotPermitted]) -> tuple[list[NotPermitted],
                                                            list[NotPermitted]]:
    """Keep of an unauthorised deduction as WML arrears only what cuts into the minimum.

    Pay above the minimum (less what deductions that may never touch the minimum already
    took from it) could have paid the deduction without breaking the WML: that part is
    listed apart, as a contract matter, not as arrears.
    """
    data = wml_data()
    owed = result.minimum_for_period or Decimal(0)
    other = sum((v for k, v in amounts.items() if k in data.never_below_minimum), Decimal(0))
    wml: list[NotPermitted] = []
    civil: list[NotPermitted] = []
    for n in found:
        if n.code != "no_authorisation":
            wml.append(n)
            continue
        gross = (result.gross_high if n.certain else result.gross_low) or Decimal(0)
        headroom = max(Decimal(0), gross - owed - other)
        above = min(n.amount, headroom).quantize(CENT)
        if n.amount - above > 0:
            wml.append(NotPermitted(n.code, (n.amount - above).quantize(CENT), n.certain,
                                    n.source))
        if above > 0:
            civil.append(NotPermitted(n.code, above, n.certain, n.source))
    return wml, civil


@dataclass(frozen=True)
class PeriodIn:
    """One period of work to check (the age is the same for every period)."""

    on: date
    period: Period
    hours: Decimal
    pay: Decimal
    pay_kind: PayKind
    deductions: list[Deduction]
    holiday_paid: Decimal = Decimal(0)


@dataclass(frozen=True)
class WageChecks:
    """Several periods checked one by one, and what is owed over all of them."""

    checks: tuple[WageCheck, ...]

    @property
    def arrears(self) -> Decimal | None:
        """WML arrears over the periods that could be checked; None when none could."""
        known = [c.arrears for c in self.checks if c.arrears is not None]
        return sum(known, Decimal(0)) if known else None

    @property
    def holiday_arrears(self) -> Decimal:
        """Holiday allowance still owed over all periods."""
        return sum((c.holiday_arrears or Decimal(0) for c in self.checks), Decimal(0))

    @property
    def verdict(self) -> WageVerdict:
        """The most serious verdict of any period."""
        order = [WageVerdict.UNPAID, WageVerdict.BELOW, WageVerdict.MAYBE_BELOW,
                 WageVerdict.AT_LEAST, WageVerdict.UNKNOWN, WageVerdict.NOT_APPLICABLE]
        return min((c.result.verdict for c in self.checks), key=order.index)

    def facts(self) -> dict[str, Any]:
        """The first period's facts (the one-period shape), each period's, and the totals."""
        first = self.checks[0].facts()
        arrears = self.arrears
        return {**first, "verdict": str(self.verdict),
                "arrears": str(arrears) if arrears is not None else None,
                "holiday_arrears": str(self.holiday_arrears),
                "total": str(arrears + self.holiday_arrears) if arrears is not None else None,
                "indicators": list(dict.fromkeys(i for c in self.checks for i in c.indicators)),
                "rate_notes": [f for c in self.checks if (f := c.facts()["rate_note"])],
                "periods": [c.facts() for c in self.checks]}


def run_periods(periods: list[PeriodIn], *, age: int | None) -> WageChecks:
    """Check each period (at the rate of its own date) and add them up."""
    if not periods:
        raise ValueError("at least one period")
    return WageChecks(tuple(run(on=p.on, period=p.period, hours=p.hours, pay=p.pay,
                                pay_kind=p.pay_kind, age=age, deductions=p.deductions,
                                holiday_paid=p.holiday_paid) for p in periods))


def _not_permitted(result: WageResult, amounts: dict[str, Decimal], *,
                   housing_authorised: bool) -> list[NotPermitted]:
    """The part of each finding that must be paid back.

    Housing kept without authorisation is wholly not permitted, so its cap excess is not
    counted a second time. Housing over the cap may still be paid from pay above the
    minimum that other deductions left, so only what exceeds both counts.
    """
    data = wml_data()
    other = sum((v for k, v in amounts.items() if k in data.never_below_minimum), Decimal(0))
    owed = result.minimum_for_period or Decimal(0)
    out: list[NotPermitted] = []
    for f in result.findings:
        if f.code in ("no_authorisation", "fines"):
            out.append(NotPermitted(f.code, f.amount, f.certain, f.source))
        elif f.code == "housing_over_cap" and f.limit is not None and housing_authorised:
            gross = (result.gross_high if f.certain else result.gross_low) or Decimal(0)
            left = max(Decimal(0), max(Decimal(0), gross - owed) - other)
            out.append(NotPermitted(f.code, (f.amount - f.limit - left).quantize(CENT),
                                    f.certain, f.source))
        elif f.code == "below_minimum" and f.limit is not None:
            out.append(NotPermitted(f.code, (f.amount - f.limit).quantize(CENT), f.certain,
                                    f.source))
    return out
