"""The minimum-wage data and the wage check, against published amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from ketenzicht.selfcheck.wml import (
    PayKind,
    Period,
    WageInput,
    WageVerdict,
    check_wage,
    housing_cap_percent,
    load,
    minimum_hourly,
)

# Published hourly amounts by age (Rijksoverheid, Regeling indexatie WML): 21+, 20 … 15.
PUBLISHED = {
    date(2025, 1, 1): ["14.06", "11.25", "8.44", "7.03", "5.55", "4.85", "4.22"],
    date(2025, 7, 1): ["14.40", "11.52", "8.64", "7.20", "5.69", "4.97", "4.32"],
    # grootheddeaccountants.nl and staffice.nl quoting the regeling per 1 januari 2026
    date(2026, 1, 1): ["14.71", "11.77", "8.83", "7.36", "5.81", "5.07", "4.41"],
}


@pytest.mark.parametrize("on", sorted(PUBLISHED))
def test_youth_amounts_match_the_published_tables(on: date) -> None:
    computed = [str(minimum_hourly(on, age).amount) for age in (21, 20, 19, 18, 17, 16, 15)]
    assert computed == PUBLISHED[on]


@pytest.mark.parametrize(("on", "amount"), [
    (date(2024, 12, 31), "13.68"), (date(2025, 1, 1), "14.06"), (date(2025, 6, 30), "14.06"),
    (date(2025, 7, 1), "14.40"), (date(2026, 1, 1), "14.71"), (date(2026, 6, 30), "14.71"),
])
def test_the_amount_of_the_day_applies(on: date, amount: str) -> None:
    rate = minimum_hourly(on)
    assert rate is not None and rate.amount == D(amount) and rate.source
    assert rate.possibly_outdated is False


def test_past_the_next_indexation_the_last_amount_is_a_lower_bound() -> None:
    rate = minimum_hourly(load().next_indexation)
    assert rate is not None and rate.possibly_outdated and rate.amount == D("14.71")


def test_no_minimum_under_15_or_before_the_data() -> None:
    assert minimum_hourly(date(2026, 1, 1), 14) is None
    assert minimum_hourly(date(2023, 12, 31)) is None


def test_housing_cap_is_dated() -> None:
    cap = housing_cap_percent(date(2026, 3, 1))
    assert cap is not None and cap.value == D(25) and "WML" in cap.source
    assert housing_cap_percent(date(2016, 12, 31)) is None


def _check(**kw: object) -> object:
    base: dict[str, object] = {"on": date(2026, 3, 1), "age": 30, "period": Period.WEEK,
                               "hours": D(40)}
    base.update(kw)
    return check_wage(WageInput(**base))  # type: ignore[arg-type]


@pytest.mark.parametrize(("pay", "kind", "verdict"), [
    ("588.40", PayKind.GROSS, WageVerdict.AT_LEAST),  # 40 × 14.71 exactly
    ("588.39", PayKind.GROSS, WageVerdict.BELOW),
    ("588.40", PayKind.NET, WageVerdict.AT_LEAST),  # received ≥ gross minimum: surely fine
    ("500.00", PayKind.NET, WageVerdict.MAYBE_BELOW),  # tax may explain the difference
    ("370.00", PayKind.NET, WageVerdict.BELOW),  # 370 / 0.63 = 587.30 < 588.40
    ("500.00", PayKind.UNKNOWN, WageVerdict.MAYBE_BELOW),
    ("0", PayKind.GROSS, WageVerdict.UNPAID),
])
def test_verdicts(pay: str, kind: PayKind, verdict: WageVerdict) -> None:
    result = _check(pay=D(pay), pay_kind=kind)
    assert result.verdict is verdict  # type: ignore[attr-defined]
    assert result.minimum_for_period == D("588.40")  # type: ignore[attr-defined]


def test_shortfall_is_explained_in_numbers() -> None:
    result = _check(pay=D("400"), pay_kind=PayKind.GROSS)
    assert result.shortfall == D("188.40")  # type: ignore[attr-defined]
    assert result.hourly_low == D("10.00")  # type: ignore[attr-defined]
    assert any("2026" in s for s in result.sources)  # type: ignore[attr-defined]


def test_housing_above_the_cap_is_found() -> None:
    # Cap: 25% of 588.40 = 147.10; pay at the minimum leaves no room above it.
    result = _check(pay=D("588.40"), pay_kind=PayKind.GROSS,
                    deductions={"housing": D("200")}, authorised=True)
    codes = {f.code: f for f in result.findings}  # type: ignore[attr-defined]
    assert codes["housing_over_cap"].limit == D("147.10") and codes["housing_over_cap"].certain
    ok = _check(pay=D("588.40"), pay_kind=PayKind.GROSS, deductions={"housing": D("140")},
                authorised=True)
    assert ok.findings == ()  # type: ignore[attr-defined]


def test_pay_above_the_minimum_leaves_room_for_agreed_deductions() -> None:
    result = _check(pay=D("900"), pay_kind=PayKind.GROSS, deductions={"transport": D("50")})
    assert result.findings == ()  # type: ignore[attr-defined]


def test_transport_below_the_minimum_and_missing_authorisation() -> None:
    result = _check(pay=D("588.40"), pay_kind=PayKind.GROSS,
                    deductions={"transport": D("30"), "insurance": D("20")}, authorised=False)
    codes = {f.code for f in result.findings}  # type: ignore[attr-defined]
    assert codes == {"below_minimum", "no_authorisation"}


@pytest.mark.parametrize(("period", "hours", "too_many"), [
    (Period.DAY, D(12), False), (Period.DAY, D("12.5"), True), (Period.WEEK, D(60), False),
    (Period.WEEK, D(61), True), (Period.MONTH, D(260), False), (Period.MONTH, D(270), True),
])
def test_working_hours_limits(period: Period, hours: D, too_many: bool) -> None:
    assert _check(period=period, hours=hours, pay=D(5000)).too_many_hours is too_many  # type: ignore[attr-defined]
