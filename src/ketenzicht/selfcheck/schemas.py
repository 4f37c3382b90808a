"""Reading the form: numbers in any common notation, friendly corrections, nothing lost.

The form is parsed by hand rather than by FastAPI's validation, because a wrong
answer must come back as a correction in the worker's language next to the question,
with every other answer kept, never as a 422 in developer words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ketenzicht.selfcheck.i18n import N_
from ketenzicht.selfcheck.questions import QUESTIONS, Kind
from ketenzicht.selfcheck.wml import MAX_HOURS

# The wage check's input kinds, published here for other domains (evidence's wage check).
from ketenzicht.selfcheck.wml import PayKind as PayKind
from ketenzicht.selfcheck.wml import Period as Period

MAX_INPUT = 40  # characters kept of any answer; longer text cannot be a valid one
MIN_AGE, MAX_AGE = 10, 100
MAX_MONEY = Decimal(1_000_000)
_NUMBER = re.compile(r"^-?\d{1,9}(\.\d{1,4})?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")

HOURS_TOO_MANY = {
    Period.DAY: N_("A day has 24 hours. Write at most 24."),
    Period.WEEK: N_("A week has 168 hours. Write at most 168."),
    Period.MONTH: N_("A month has at most 744 hours. Write at most 744."),
}


@dataclass(frozen=True)
class Problem:
    """A correction to show next to a question: an English msgid and its parameters."""

    message: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answers:
    """The answers that could be read; a question left empty is simply absent."""

    choices: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, Decimal] = field(default_factory=dict)

    def choice(self, name: str) -> str | None:
        """The chosen option's value, or None."""
        return self.choices.get(name)

    def number(self, name: str) -> Decimal | None:
        """The number given, or None."""
        return self.numbers.get(name)


@dataclass(frozen=True)
class Parsed:
    """What the form said: the readable answers, the raw text to show again, corrections."""

    answers: Answers
    raw: dict[str, str]
    problems: dict[str, Problem]

    @property
    def ok(self) -> bool:
        """True when nothing needs correcting."""
        return not self.problems


def parse_number(text: str, *, money: bool) -> Decimal | None:
    """Read '37,5', '37.5', '1.250,00', '1,250.00' or '€ 450'; None when empty.

    A lone separator followed by exactly three digits is a thousands separator in an
    amount of money ('1.500' is fifteen hundred euros in Dutch) but a decimal point in
    hours. Raises ValueError for anything else.
    """
    t = re.sub(r"[\s\u00a0\u202f'€]|eur(o|os)?$", "", text.strip().lower())
    if not t:
        return None
    if "," in t and "." in t:
        decimal_sep = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        t = t.replace(thousands, "").replace(decimal_sep, ".")
    elif money and _THOUSANDS.match(t):
        t = t.replace(",", "").replace(".", "")
    else:
        t = t.replace(",", ".")
    if not _NUMBER.match(t):
        raise ValueError(text)
    try:
        return Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - the pattern rules this out
        raise ValueError(text) from exc


def _read(name: str, kind: Kind, text: str) -> tuple[Decimal | str | None, Problem | None]:
    question = QUESTIONS[name]
    if kind is Kind.CHOICE:
        if text in {o.value for o in question.options}:
            return text, None
        return None, Problem(N_("Choose one of the answers."))
    try:
        value = parse_number(text, money=kind is Kind.MONEY)
    except ValueError:
        if kind is Kind.MONEY:
            return None, Problem(N_("Write an amount in euros with numbers only, for example "
                                    "450.50."))
        if kind is Kind.WHOLE:
            return None, Problem(N_("Write your age in numbers, for example 25."))
        return None, Problem(N_("Write the hours in numbers, for example 40."))
    if value is None:
        return None, None
    if value < 0:
        return None, Problem(N_("This cannot be less than zero."))
    if kind is Kind.WHOLE and (value != value.to_integral_value() or
                               not MIN_AGE <= value <= MAX_AGE):
        return None, Problem(N_("Write an age in whole years between %(low)s and %(high)s."),
                             {"low": str(MIN_AGE), "high": str(MAX_AGE)})
    if kind is Kind.MONEY and value > MAX_MONEY:
        return None, Problem(N_("This amount is too large. Check the number."))
    return value, None


def parse_form(form: Mapping[str, str]) -> Parsed:
    """Read every known question from ``form``; unknown fields are ignored."""
    raw: dict[str, str] = {}
    problems: dict[str, Problem] = {}
    choices: dict[str, str] = {}
    numbers: dict[str, Decimal] = {}
    for name, question in QUESTIONS.items():
        text = (form.get(name) or "").strip()[:MAX_INPUT]
        if not text:
            continue
        raw[name] = text
        value, problem = _read(name, question.kind, text)
        if problem is not None:
            problems[name] = problem
        elif isinstance(value, Decimal):
            numbers[name] = value
        elif value is not None:
            choices[name] = value
    hours = numbers.get("hours")
    period = choices.get("period")
    if period is None and ("hours" in raw or "pay" in raw):
        problems["period"] = Problem(N_("Choose a day, a week or a month, so that we know "
                                        "what your hours and pay are for."))
    elif hours is not None and period is not None and hours > MAX_HOURS[Period(period)]:
        problems["hours"] = Problem(HOURS_TOO_MANY[Period(period)])
        del numbers["hours"]
    if "age" in numbers:
        numbers["age"] = numbers["age"].to_integral_value()
    return Parsed(Answers(choices, numbers), raw, problems)
