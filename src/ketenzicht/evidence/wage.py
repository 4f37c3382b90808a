"""The evidence wage check: the selfcheck's WML rules, itemised, with arrears and indicators.

The minimum wage, youth percentages, housing cap and deduction rules live once, in
``ketenzicht.selfcheck.wml`` (dated data with sources); this module only asks it per
deduction and adds up what an investigator needs: the arrears in euros, the deductions that
were not allowed, and the ILO/EC indicators they match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ketenzicht.selfcheck.schemas import PayKind, Period
from ketenzicht.selfcheck.service import WageInput, WageResult, WageVerdict, check_wage
from ketenzicht.selfcheck.service import wage_rules as wml_data

CENT = Decimal("0.01")

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
            "too_many_hours": r.too_many_hours, "sources": list(r.sources),
        }


def run(*, on: date, period: Period, hours: Decimal, pay: Decimal, pay_kind: PayKind,
        age: int | None, deductions: list[Deduction]) -> WageCheck:
    """Check one period; deductions are itemised, each with or without authorisation."""
    amounts: dict[str, Decimal] = {}
    for d in deductions:
        amounts[d.kind] = amounts.get(d.kind, Decimal(0)) + d.amount
    authorised = frozenset(d.kind for d in deductions if d.authorised)
    # A kind is authorised only when every line of it is.
    authorised -= {d.kind for d in deductions if not d.authorised}
    result = check_wage(WageInput(on=on, age=age, period=period, hours=hours, pay=pay,
                                  pay_kind=pay_kind, deductions=amounts,
                                  authorised_kinds=authorised))
    not_permitted = _not_permitted(result, amounts, housing_authorised="housing" in authorised)
    shortfall = result.shortfall if result.shortfall is not None else Decimal(0)
    certain = sum((n.amount for n in not_permitted if n.certain), Decimal(0))
    arrears = None if result.verdict in (WageVerdict.UNKNOWN, WageVerdict.NOT_APPLICABLE) \
        else (shortfall + certain).quantize(CENT)
    codes = []
    if result.verdict in (WageVerdict.BELOW, WageVerdict.MAYBE_BELOW):
        codes.append(ILO_INDICATORS["below_minimum_wage"])
    if result.verdict is WageVerdict.UNPAID:
        codes.append(ILO_INDICATORS["unpaid"])
    codes += [ILO_INDICATORS[n.code] for n in not_permitted]
    if result.too_many_hours:
        codes.append(ILO_INDICATORS["too_many_hours"])
    return WageCheck(result=result, arrears=arrears, shortfall=shortfall,
                     not_permitted=tuple(not_permitted), indicators=tuple(dict.fromkeys(codes)))


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
