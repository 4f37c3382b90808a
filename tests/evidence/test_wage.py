"""The evidence wage check against worked examples (amounts worked out by hand).

Rates come from the WML data the selfcheck ships (selfcheck/wml/data/wml.yaml):
€ 14.06 from 1 January 2025, € 14.40 from 1 July 2025, € 14.71 from 1 January 2026;
the housing cap is 25% of the minimum for the period; youth at 18 is 50%.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from ketenzicht.evidence import wage
from ketenzicht.evidence.wage import Deduction
from ketenzicht.selfcheck.wml import PayKind, Period


def _run(on: date, hours: int, pay: str, age: int = 30,
         deductions: tuple[Deduction, ...] = ()) -> wage.WageCheck:
    return wage.run(on=on, period=Period.WEEK, hours=D(hours), pay=D(pay),
                    pay_kind=PayKind.GROSS, age=age, deductions=list(deductions))


@pytest.mark.parametrize(("on", "hours", "pay", "age", "deds", "verdict", "arrears",
                          "not_permitted", "indicators"), [
    # 40 × 14.71 = 588.40 owed; 400 paid: 188.40 short.
    (date(2026, 3, 2), 40, "400", 30, (), "below", "188.40", [], ["EX_LOW_SALARY"]),
    # 1 July changes the rate: 40 × 14.06 = 562.40 (ok) on 30 June 2025, 40 × 14.40 = 576.00
    # (6.00 short) on 1 July 2025.
    (date(2025, 6, 30), 40, "570", 30, (), "at_least", "0.00", [], []),
    (date(2025, 7, 1), 40, "570", 30, (), "below", "6.00", [], ["EX_LOW_SALARY"]),
    # 1 January: 40 × 14.71 = 588.40 on 1 January 2026, so 580 is short by 8.40.
    (date(2025, 12, 31), 40, "580", 30, (), "at_least", "0.00", [], []),
    (date(2026, 1, 1), 40, "580", 30, (), "below", "8.40", [], ["EX_LOW_SALARY"]),
    # Housing 200, authorised, on 562.40 owed and 600 gross: cap 140.60 plus the 37.60
    # above the minimum leaves 21.80 not permitted.
    (date(2025, 3, 3), 40, "600", 30, (Deduction("housing", D(200), True),), "at_least",
     "21.80", [("housing_over_cap", "21.80")], ["EX_WAGE_MANIPULATION"]),
    # Itemised authorisation: housing signed for, insurance not: the 50 is not permitted.
    (date(2026, 1, 5), 40, "700", 30, (Deduction("housing", D(100), True),
                                       Deduction("insurance", D(50), False)),
     "at_least", "50.00", [("no_authorisation", "50.00")], ["EX_WAGE_MANIPULATION"]),
    (date(2026, 1, 5), 40, "700", 30, (Deduction("housing", D(100), True),
                                       Deduction("insurance", D(50), True)),
     "at_least", "0.00", [], []),
    # Youth wage at 18: 50% of 14.71 = 7.36 (rounded half up); 30 × 7.36 = 220.80.
    (date(2026, 1, 5), 30, "200", 18, (), "below", "20.80", [], ["EX_LOW_SALARY"]),
    # The demo's case: 60 × 14.71 = 882.60 owed, 420 paid (462.60 short), housing 150 kept
    # without authorisation and transport 40 taken below the minimum: 652.60 in all.
    (date(2026, 3, 2), 60, "420", 34, (Deduction("housing", D(150), False),
                                       Deduction("transport", D(40), True)),
     "below", "652.60", [("no_authorisation", "150.00"), ("below_minimum", "40.00")],
     ["EX_LOW_SALARY", "EX_WAGE_MANIPULATION"]),
])
def test_worked_examples(on: date, hours: int, pay: str, age: int,
                         deds: tuple[Deduction, ...], verdict: str, arrears: str,
                         not_permitted: list[tuple[str, str]], indicators: list[str]) -> None:
    result = _run(on, hours, pay, age, deds)
    assert str(result.result.verdict) == verdict
    assert result.arrears == D(arrears)
    assert [(n.code, str(n.amount)) for n in result.not_permitted] == not_permitted
    assert list(result.indicators) == indicators


def test_facts_carry_sources_and_the_housing_cap_of_the_date() -> None:
    facts = _run(date(2026, 1, 5), 40, "700").facts()
    assert facts["housing_cap_percent"] == "25"
    assert facts["housing_cap"] == "147.10"  # 25% of 588.40
    assert any("1 januari 2026" in s for s in facts["sources"])
    assert facts["indicator_source"].startswith("ILO")


def test_excessive_hours_is_an_indicator() -> None:
    assert "EX_EXCESSIVE_HOURS" in _run(date(2026, 1, 5), 70, "2000").indicators
