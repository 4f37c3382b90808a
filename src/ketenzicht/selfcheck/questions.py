"""The questions, in plain words, grouped by topic. Every answer is optional.

Labels are English msgids marked with ``N_``; templates translate them. Option
values are stable keys: the outcome rules and the tests use them, not the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ketenzicht.selfcheck.i18n import N_


class Kind(StrEnum):
    """How an answer is given."""

    CHOICE = "choice"
    WHOLE = "whole"  # a whole number (age)
    HOURS = "hours"  # a number with decimals
    MONEY = "money"  # euros


@dataclass(frozen=True)
class Option:
    """One answer to a choice question."""

    value: str
    label: str


@dataclass(frozen=True)
class Question:
    """One question of the form."""

    name: str
    label: str
    kind: Kind
    hint: str | None = None
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Section:
    """A group of questions on one topic."""

    key: str
    title: str
    intro: str | None
    questions: tuple[Question, ...]


YES = Option("yes", N_("Yes"))
NO = Option("no", N_("No"))
DONT_KNOW = Option("unknown", N_("I don't know"))

SECTIONS: tuple[Section, ...] = (
    Section("work", N_("Your work and pay"),
            N_("Think of one day, one week or one month of work that you know well."), (
        Question("age", N_("How old are you?"), Kind.WHOLE, N_("In years.")),
        Question("period", N_("Which time do you want to tell us about?"), Kind.CHOICE,
                 options=(Option("day", N_("One day")), Option("week", N_("One week")),
                          Option("month", N_("One month")))),
        Question("hours", N_("How many hours did you work in that time?"), Kind.HOURS,
                 N_("Count all hours, also overtime. For example 45 or 37.5.")),
        Question("pay", N_("How much money did you get for that time?"), Kind.MONEY,
                 N_("In euros. For example 450 or 450.50.")),
        Question("pay_kind", N_("Is that amount before or after tax?"), Kind.CHOICE, options=(
            Option("gross", N_("Before tax: the gross amount on my payslip")),
            Option("net", N_("After tax: what I received in cash or on my bank account")),
            Option("unknown", N_("I don't know")))),
        Question("payslip", N_("Do you get a payslip?"), Kind.CHOICE,
                 N_("A payslip shows your hours, your pay and what was kept back."),
                 (YES, NO)),
        Question("paid_how", N_("How do you get your pay?"), Kind.CHOICE, options=(
            Option("bank", N_("On my bank account")), Option("cash", N_("In cash")),
            Option("mixed", N_("Partly in cash")), Option("none", N_("I do not get paid")))),
    )),
    Section("deductions", N_("Money kept back from your pay"),
            N_("Does your employer or agency keep back money from your pay? Write how much, "
               "for the same day, week or month. Leave empty if nothing is kept back."), (
        Question("ded_housing", N_("For housing"), Kind.MONEY),
        Question("ded_transport", N_("For transport"), Kind.MONEY),
        Question("ded_insurance", N_("For health insurance"), Kind.MONEY),
        Question("ded_fines", N_("For fines"), Kind.MONEY),
        Question("ded_other", N_("For something else"), Kind.MONEY,
                 N_("For example for finding you this job, for tools or for work clothes.")),
        Question("authorised", N_("Did you sign a paper that allows your employer to keep "
                                  "this money back?"), Kind.CHOICE, options=(YES, NO, DONT_KNOW)),
    )),
    Section("documents", N_("Your passport"), None, (
        Question("passport", N_("Who has your passport or ID card now?"), Kind.CHOICE, options=(
            Option("me", N_("I have it myself")),
            Option("employer", N_("My employer, the agency or the landlord")),
            Option("other", N_("Someone else")),
            Option("unsaid", N_("I prefer not to say")))),
    )),
    Section("debts", N_("Money you owe"), None, (
        Question("debt", N_("Do you owe money to your employer, the agency or the person who "
                            "found you this work?"), Kind.CHOICE, options=(
            NO, Option("payable", N_("Yes, and I can pay it back")),
            Option("trapped", N_("Yes, and the debt does not go down, or I cannot pay it "
                                 "back")))),
        Question("fee", N_("Did you pay someone to get this job?"), Kind.CHOICE,
                 options=(YES, NO)),
    )),
    Section("freedom", N_("Your freedom"), None, (
        Question("leave", N_("Can you stop this job and leave if you want to?"), Kind.CHOICE,
                 options=(YES, Option("costly", N_("Yes, but then I lose my home or pay I am "
                                                   "owed")),
                          Option("no", N_("No, I am not allowed to, or I am afraid to")))),
        Question("outside", N_("In your free time, can you go where you want and talk to "
                               "whom you want?"), Kind.CHOICE, options=(YES, NO)),
        Question("threats", N_("Has anyone threatened or hurt you or your family? Or said "
                               "they would report you to the police or immigration?"),
                 Kind.CHOICE, options=(NO, YES)),
    )),
    Section("housing", N_("Where you live"), None, (
        Question("housing", N_("Who arranged the place where you live?"), Kind.CHOICE,
                 options=(Option("self", N_("I did it myself")),
                          Option("employer", N_("My employer or the agency")),
                          Option("workplace", N_("I sleep at my workplace")))),
        Question("housing_lose", N_("If you stop this job, do you lose your home too?"),
                 Kind.CHOICE, options=(NO, YES, DONT_KNOW)),
    )),
    Section("travel", N_("How you came here"), None, (
        Question("travel", N_("Who arranged your travel to the Netherlands?"), Kind.CHOICE,
                 options=(Option("self", N_("I did it myself")),
                          Option("employer", N_("My employer or the agency")),
                          Option("other", N_("A middleman or someone else")),
                          Option("none", N_("I did not travel for this job")))),
        Question("promise", N_("Are the work, the pay and the housing what you were "
                               "promised?"), Kind.CHOICE,
                 options=(YES, Option("worse", N_("No, it is worse than promised")),
                          Option("none", N_("Nobody promised me anything")))),
    )),
)

QUESTIONS: dict[str, Question] = {q.name: q for s in SECTIONS for q in s.questions}
