"""The evidence wage check against worked examples (amounts worked out by hand).

Rates come from the WML data the selfcheck ships (selfcheck/wml/data/wml.yaml):
€ 14.06 from 1 January 2025, € 14.40 from 1 July 2025, € 14.71 from 1 January 2026;
the housing cap is 25% of the minimum for the period; youth at 18 is 50%.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from ketenzicht.core.errors import ValidationFailed
from ketenzicht.evidence import wage
from ketenzicht.evidence.schemas import WageCheckIn
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
    # Itemised authorisation: housing signed for, insurance not. 700 is 111.60 above the
    # 588.40 minimum, so the 50 did not cut into the minimum: not WML arrears and no
    # indicator (it is listed apart, see the test below).
    (date(2026, 1, 5), 40, "700", 30, (Deduction("housing", D(100), True),
                                       Deduction("insurance", D(50), False)),
     "at_least", "0.00", [], []),
    # 600 is only 11.60 above 588.40: of an unauthorised 50, 38.40 cuts into the minimum.
    (date(2026, 1, 5), 40, "600", 30, (Deduction("insurance", D(50), False),),
     "at_least", "38.40", [("no_authorisation", "38.40")], ["EX_WAGE_MANIPULATION"]),
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


def test_unauthorised_deduction_above_the_minimum_is_listed_apart() -> None:
    result = _run(date(2026, 1, 5), 40, "700", deductions=(
        Deduction("housing", D(100), True), Deduction("insurance", D(50), False)))
    assert [(n.code, str(n.amount)) for n in result.unauthorised] == [
        ("no_authorisation", "50.00")]
    assert result.facts()["unauthorised_above_minimum"][0]["amount"] == "50.00"
    split = _run(date(2026, 1, 5), 40, "600", deductions=(
        Deduction("insurance", D(50), False),))
    assert [str(n.amount) for n in split.unauthorised] == ["11.60"]  # 600 - 588.40


@pytest.mark.parametrize(("period", "hours"), [(Period.DAY, "30"), (Period.WEEK, "200"),
                                                (Period.WEEK, "168.01"),
                                                (Period.MONTH, "744")])
def test_impossible_hours_are_refused_with_a_message(period: Period, hours: str) -> None:
    with pytest.raises(ValidationFailed, match="impossible: there are only"):
        wage.run(on=date(2026, 3, 2), period=period, hours=D(hours), pay=D(400),
                 pay_kind=PayKind.GROSS, age=30, deductions=[])
    with pytest.raises(ValidationError, match=r"impossible|onmogelijk"):
        WageCheckIn(on=date(2026, 3, 2), period=period, hours=D(hours), pay=D(400))


def test_a_full_week_of_168_hours_is_possible_if_extreme() -> None:
    assert "EX_EXCESSIVE_HOURS" in _run(date(2026, 1, 5), 168, "500").indicators


def test_holiday_allowance_is_eight_percent_of_the_minimum() -> None:
    # 40 × 14.71 = 588.40; 8 % = 47.07 (47.072 rounded); 20 paid leaves 27.07.
    result = wage.run(on=date(2026, 3, 2), period=Period.WEEK, hours=D(40), pay=D(400),
                      pay_kind=PayKind.GROSS, age=30, deductions=[], holiday_paid=D(20))
    assert result.holiday_owed == D("47.07") and result.holiday_arrears == D("27.07")
    assert result.total == D("188.40") + D("27.07")
    assert any("Art. 15 WML" in s for s in result.facts()["sources"])


def test_several_periods_each_at_the_rate_of_its_date() -> None:
    # 30 June 2025: 40 × 14.06 = 562.40, 570 paid: nothing short (holiday 44.99 owed).
    # 1 July 2025: 40 × 14.40 = 576.00, 570 paid: 6.00 short (holiday 46.08 owed).
    periods = [wage.PeriodIn(on=d, period=Period.WEEK, hours=D(40), pay=D(570),
                             pay_kind=PayKind.GROSS, deductions=[])
               for d in (date(2025, 6, 30), date(2025, 7, 1))]
    checks = wage.run_periods(periods, age=30)
    assert [c.arrears for c in checks.checks] == [D("0.00"), D("6.00")]
    assert checks.arrears == D("6.00")
    assert checks.holiday_arrears == D("44.99") + D("46.08")
    facts = checks.facts()
    assert facts["verdict"] == "below" and len(facts["periods"]) == 2
    assert facts["total"] == str(D("6.00") + D("44.99") + D("46.08"))


def test_a_missing_rate_is_named() -> None:
    # The data has no rate from 1 July 2026 yet (the indexation is due then).
    after = _run(date(2026, 7, 6), 40, "600").facts()
    assert after["rate_note"] == (
        "No minimum wage rate from 2026-07-01 is in the data yet; the rate of 2026-01-01 is "
        "used, so the minimum and the arrears for this date are a lower bound.")
    assert _run(date(2026, 6, 29), 40, "600").facts()["rate_note"] is None
    before = _run(date(2020, 1, 6), 40, "600").facts()
    assert before["rate_note"] == ("No minimum wage rate is known for 2020-01-06; this period "
                                   "is not checked.")
