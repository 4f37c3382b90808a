"""Reading the form and turning answers into an explained outcome."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from ketenzicht.core import i18n
from ketenzicht.selfcheck.assess import HEADLINES, Level, assess
from ketenzicht.selfcheck.i18n import activate
from ketenzicht.selfcheck.schemas import parse_form, parse_number
from tests.factories.selfcheck import answers

ON = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _english() -> None:
    activate("en")


@pytest.mark.parametrize(("text", "money", "value"), [
    ("37,5", False, "37.5"), ("37.5", False, "37.5"), ("1.250,00", True, "1250.00"),
    ("1,250.00", True, "1250.00"), ("€ 450", True, "450"), ("450 euro", True, "450"),
    ("1.500", True, "1500"), ("1.500", False, "1.500"), ("", True, None),
])
def test_numbers_in_common_notations(text: str, money: bool, value: str | None) -> None:
    assert parse_number(text, money=money) == (D(value) if value else None)


@pytest.mark.parametrize("text", ["twelve", "12abc", "1,2,3.4.5", "--3", "1e9"])
def test_text_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the input itself
        parse_number(text, money=True)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("hours", "-5", "This cannot be less than zero."),
    ("hours", "169", "A week has 168 hours. Write at most 168."),
    ("hours", "veel", "Write the hours in numbers, for example 40."),
    ("age", "abc", "Write your age in numbers, for example 25."),
    ("age", "150", "Write an age in whole years between %(low)s and %(high)s."),
    ("age", "30.5", "Write an age in whole years between %(low)s and %(high)s."),
    ("pay", "lots", "Write an amount in euros with numbers only, for example 450.50."),
    ("passport", "stolen", "Choose one of the answers."),
])
def test_impossible_values_get_a_correction_and_the_rest_is_kept(
        field: str, value: str, message: str) -> None:
    parsed = parse_form(answers(**{field: value}))
    assert list(parsed.problems) == [field]
    assert parsed.problems[field].message == message
    assert parsed.raw[field] == value  # shown again for correction
    assert parsed.answers.choice("passport") in ("me", None)
    assert parsed.raw["threats"] == "no"


def test_hours_need_a_period() -> None:
    parsed = parse_form({"hours": "40"})
    assert "period" in parsed.problems


def test_a_fair_job_has_no_problems() -> None:
    outcome = assess(parse_form(answers()).answers, ON)
    assert outcome.level is Level.NONE and not outcome.problems
    assert [f.code for f in outcome.notes] == ["wage_ok"]


def test_an_empty_form_is_fine_but_says_nothing() -> None:
    outcome = assess(parse_form({}).answers, ON)
    assert outcome.level is Level.NONE and outcome.answered == 0


def test_labour_rights_problems_are_not_called_exploitation() -> None:
    outcome = assess(parse_form(answers(payslip="no", paid_how="cash")).answers, ON)
    assert outcome.level is Level.RIGHTS
    assert {f.code for f in outcome.problems} == {"no_payslip", "cash"}


def test_underpayment_is_serious_and_explained_with_numbers() -> None:
    outcome = assess(parse_form(answers(pay="400")).answers, ON)
    assert outcome.level is Level.EXPLOITATION
    finding = outcome.problems[0]
    assert finding.code == "wage_below"
    assert finding.params["owed"] == "€558.98"  # 38 × 14.71
    assert finding.params["rate"] == "€14.71" and finding.params["high"] == "€400.00"


def test_coercion_with_exploitation_is_named_trafficking() -> None:
    outcome = assess(parse_form(answers(pay="300", passport="employer")).answers, ON)
    assert outcome.level is Level.TRAFFICKING
    assert "victim" in HEADLINES[outcome.level][0]


def test_coercion_alone_is_serious_but_not_trafficking() -> None:
    outcome = assess(parse_form(answers(passport="employer")).answers, ON)
    assert outcome.level is Level.EXPLOITATION


def test_danger_is_flagged() -> None:
    outcome = assess(parse_form(answers(threats="yes")).answers, ON)
    assert outcome.danger and outcome.problems[0].code == "threats"


def test_a_minor_seriously_exploited_is_trafficking_without_coercion() -> None:
    outcome = assess(parse_form(answers(age="16", pay="50")).answers, ON)
    assert outcome.level is Level.TRAFFICKING


def test_only_the_trafficking_level_uses_the_word_victim() -> None:
    for level, (headline, summary) in HEADLINES.items():
        uses = "victim" in (headline + summary).lower()
        assert uses is (level is Level.TRAFFICKING), level


def test_params_follow_the_language() -> None:
    activate("nl")
    outcome = assess(parse_form(answers(pay="400")).answers, ON)
    assert outcome.problems[0].params["owed"] == "€\u00a0558,98"
    assert i18n.get_locale() == "nl"
