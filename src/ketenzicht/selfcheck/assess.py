"""From answers to an outcome: findings with a severity and a reason, and an overall level.

Every finding says *why* in words and numbers. The overall level names a possible
victim of human trafficking only when the answers show both exploitation and being
unable to leave freely (coercion), or serious exploitation of someone under 18, as
in the definition of art. 273f Sr; otherwise it speaks of rights and problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import IntEnum

from ketenzicht.selfcheck.i18n import N_, long_date, money, number
from ketenzicht.selfcheck.schemas import Answers
from ketenzicht.selfcheck.wml import (
    DeductionFinding,
    PayKind,
    Period,
    WageInput,
    WageResult,
    WageVerdict,
    check_wage,
)

ADULT = 18


class Severity(IntEnum):
    """How serious one finding is."""

    INFO = 0  # good to know
    BREACH = 1  # a labour right is broken
    SERIOUS = 2  # a sign of exploitation
    DANGER = 3  # act now


class Level(IntEnum):
    """The overall outcome."""

    NONE = 0
    RIGHTS = 1
    EXPLOITATION = 2
    TRAFFICKING = 3


# The rights a finding refers to (shown under it).
R_MINIMUM = N_("Everyone who works in the Netherlands has a right to at least the minimum "
               "wage. This is also true without a contract or without papers.")
R_PAYSLIP = N_("You have a right to a payslip with your hours, your pay and what was kept "
               "back.")
R_DEDUCT = N_("From the minimum wage, only housing (up to a limit) and health insurance may be "
              "kept back, and only if you signed a paper that allows it.")
R_HOURS = N_("You may work at most 12 hours in one shift and at most 60 hours in one week.")
R_PASSPORT = N_("Your passport is yours. Nobody may keep it from you.")
R_LEAVE = N_("You may always stop working. Pay you have earned stays yours.")
R_SAFETY = N_("Threats and violence are crimes. You can report them, also without giving "
              "your name.")
R_FEE = N_("An agency may not ask you for money for finding you work.")
R_HOUSING = N_("Your rental contract must be separate from your work contract.")
R_YOUNG = N_("Children under 15 may only do light work, such as a small holiday job.")


@dataclass(frozen=True)
class Finding:
    """One thing the answers show, with the reason in words."""

    code: str
    severity: Severity
    title: str
    why: str
    params: dict[str, str] = field(default_factory=dict)
    right: str | None = None
    exploitation: bool = False
    coercion: bool = False


@dataclass(frozen=True)
class Outcome:
    """The whole result of one check."""

    level: Level
    danger: bool
    findings: tuple[Finding, ...]
    wage: WageResult | None
    on: date
    answered: int

    @property
    def problems(self) -> tuple[Finding, ...]:
        """Findings that point to a problem, most serious first."""
        return tuple(f for f in self.findings if f.severity >= Severity.BREACH)

    @property
    def notes(self) -> tuple[Finding, ...]:
        """Findings that are good to know."""
        return tuple(f for f in self.findings if f.severity == Severity.INFO)


HEADLINES = {
    Level.NONE: (N_("We found no problems in your answers."),
                 N_("What you told us is allowed. Below you can read your rights. If your "
                    "situation changes, do this check again.")),
    Level.RIGHTS: (N_("Some things in your work are not allowed."),
                   N_("Your employer breaks some of your labour rights. You can get help to "
                      "put this right, for free.")),
    Level.EXPLOITATION: (N_("Your answers show serious problems."),
                         N_("Some things you told us are signs of labour exploitation. Talk to "
                            "one of the organisations below. They help for free and keep what "
                            "you say confidential.")),
    Level.TRAFFICKING: (N_("You may be a victim of human trafficking."),
                        N_("Your answers show that you are exploited and not free to leave. "
                           "This can be human trafficking. Victims have a right to help and a "
                           "safe place to stay, also without a residence permit.")),
}


def _wage_findings(result: WageResult, answers: Answers) -> list[Finding]:
    out: list[Finding] = []
    m = result.minimum
    if m is not None and result.hours is not None and result.minimum_for_period is not None:
        params = {"hours": number(result.hours), "owed": money(result.minimum_for_period),
                  "rate": money(m.amount), "date": long_date(m.start),
                  "low": money(result.gross_low or Decimal(0)),
                  "high": money(result.gross_high or Decimal(0))}
        if result.verdict is WageVerdict.UNPAID:
            out.append(Finding("unpaid", Severity.SERIOUS, N_("You were not paid for your work."),
                               N_("You worked %(hours)s hours and got no money for it. For "
                                  "these hours you should get at least %(owed)s before tax."),
                               params, R_MINIMUM, exploitation=True))
        elif result.verdict is WageVerdict.BELOW:
            why = (N_("For %(hours)s hours, the minimum wage is %(owed)s before tax: %(rate)s "
                      "an hour for your age, from %(date)s. You got %(high)s before tax.")
                   if answers.choice("pay_kind") == PayKind.GROSS else
                   N_("For %(hours)s hours, the minimum wage is %(owed)s before tax: %(rate)s "
                      "an hour for your age, from %(date)s. Even with the most tax possible, "
                      "what you got is at most %(high)s before tax."))
            out.append(Finding("wage_below", Severity.SERIOUS,
                               N_("Your pay is below the minimum wage."), why, params, R_MINIMUM,
                               exploitation=True))
        elif result.verdict is WageVerdict.MAYBE_BELOW:
            out.append(Finding("wage_maybe", Severity.BREACH,
                               N_("Your pay may be below the minimum wage."),
                               N_("For %(hours)s hours, the minimum wage is %(owed)s before tax. "
                                  "We do not know how much tax was taken, so your pay was "
                                  "between %(low)s and %(high)s before tax. Your payslip shows "
                                  "the exact amount."), params, R_PAYSLIP, exploitation=True))
        elif result.verdict is WageVerdict.AT_LEAST:
            out.append(Finding("wage_ok", Severity.INFO,
                               N_("Your pay is at least the minimum wage."),
                               N_("For %(hours)s hours, the minimum wage is %(owed)s before tax "
                                  "(%(rate)s an hour for your age). You got at least %(low)s "
                                  "before tax."), params))
        if m.possibly_outdated:
            out.append(Finding("rate_outdated", Severity.INFO,
                               N_("The minimum wage has probably gone up."),
                               N_("We used the minimum wage from %(date)s. A newer, higher "
                                  "amount may apply now, so your real minimum can be higher."),
                               params))
    out.extend(_deduction_finding(d) for d in result.findings)
    if result.too_many_hours and result.weekly_hours is not None:
        daily = answers.choice("period") == Period.DAY
        out.append(Finding(
            "hours", Severity.BREACH, N_("You work more hours than the law allows."),
            N_("You worked %(hours)s hours in one day. The law allows at most 12 hours in "
               "one shift.") if daily else
            N_("You work about %(hours)s hours a week. The law allows at most 60 hours in "
               "one week."),
            {"hours": number(result.hours if daily and result.hours is not None
                             else result.weekly_hours)},
            R_HOURS, exploitation=True))
    return out


def _deduction_finding(d: DeductionFinding) -> Finding:
    params = {"amount": money(d.amount), "limit": money(d.limit or Decimal(0))}
    if d.code == "housing_over_cap":
        return Finding("housing_over_cap", Severity.BREACH if not d.certain else Severity.SERIOUS,
                       N_("Too much money is kept back for housing."),
                       N_("%(amount)s was kept back for housing. For your hours, at most "
                          "%(limit)s may be kept back: a quarter of the minimum wage."),
                       params, R_DEDUCT, exploitation=True)
    if d.code == "no_authorisation":
        return Finding("no_authorisation", Severity.BREACH,
                       N_("Money may be kept back without your written permission."),
                       N_("%(amount)s was kept back for housing or health insurance. This is "
                          "only allowed if you signed a paper that allows it.")
                       if d.certain is False else
                       N_("%(amount)s was kept back for housing or health insurance, but you "
                          "did not sign a paper that allows it."),
                       params, R_DEDUCT, exploitation=True)
    if d.code == "below_minimum":
        return Finding("deduction_below_minimum", Severity.BREACH,
                       N_("Money is kept back that may not be kept back."),
                       N_("%(amount)s was kept back for transport, fines or other things. "
                          "This leaves you with less than the minimum wage, and that is not "
                          "allowed.") if d.certain else
                       N_("%(amount)s was kept back for transport, fines or other things. "
                          "This is not allowed if it leaves you with less than the minimum "
                          "wage, and that may be the case."),
                       params, R_DEDUCT, exploitation=True)
    return Finding("fines", Severity.BREACH, N_("You get fines."),
                   N_("A fine is only allowed if it is written in your contract, and it may "
                      "not leave you with less than the minimum wage."), params, R_DEDUCT)


def _wage_input(answers: Answers, on: date) -> WageInput | None:
    hours, pay = answers.number("hours"), answers.number("pay")
    unpaid = answers.choice("paid_how") == "none"
    if hours is None or (pay is None and not unpaid):
        return None
    period = Period(answers.choice("period") or Period.WEEK)
    deductions = {k: answers.number(f"ded_{k}") or Decimal(0)
                  for k in ("housing", "transport", "insurance", "fines", "other")}
    authorised = {"yes": True, "no": False}.get(answers.choice("authorised") or "")
    age = answers.number("age")
    return WageInput(on=on, age=int(age) if age is not None else None, period=period,
                     hours=hours, pay=pay if pay is not None else Decimal(0),
                     pay_kind=PayKind(answers.choice("pay_kind") or PayKind.UNKNOWN),
                     deductions=deductions, authorised=authorised,
                     paid_in_cash=answers.choice("paid_how") in ("cash", "mixed"))


# (question, answer) -> finding, for the questions that need no arithmetic.
SIMPLE: dict[tuple[str, str], Finding] = {
    ("paid_how", "cash"): Finding(
        "cash", Severity.BREACH, N_("You are paid in cash."),
        N_("The minimum wage must be paid into your bank account. With cash it is hard to "
           "prove what you got."), right=R_PAYSLIP),
    ("paid_how", "mixed"): Finding(
        "cash", Severity.BREACH, N_("You are paid in cash."),
        N_("The minimum wage must be paid into your bank account. With cash it is hard to "
           "prove what you got."), right=R_PAYSLIP),
    ("paid_how", "none"): Finding(
        "not_paid", Severity.SERIOUS, N_("You were not paid for your work."),
        N_("You said that you do not get paid."), right=R_MINIMUM, exploitation=True),
    ("payslip", "no"): Finding(
        "no_payslip", Severity.BREACH, N_("You do not get a payslip."),
        N_("Your employer must give you a payslip every time you are paid."), right=R_PAYSLIP),
    ("passport", "employer"): Finding(
        "passport", Severity.SERIOUS, N_("Someone else keeps your passport."),
        N_("Your employer, agency or landlord keeps your passport or ID card. Without it, "
           "it is hard to leave or to get help."), right=R_PASSPORT, coercion=True),
    ("passport", "other"): Finding(
        "passport", Severity.SERIOUS, N_("Someone else keeps your passport."),
        N_("Someone else keeps your passport or ID card. Without it, it is hard to leave or "
           "to get help."), right=R_PASSPORT, coercion=True),
    ("debt", "payable"): Finding(
        "debt", Severity.INFO, N_("You owe money to your employer or the agency."),
        N_("This is allowed, but the repayment may not leave you with less than the minimum "
           "wage."), right=R_DEDUCT),
    ("debt", "trapped"): Finding(
        "debt_bondage", Severity.SERIOUS, N_("You have a debt you cannot pay back."),
        N_("A debt to your employer or to the person who found you work that does not go "
           "down can be used to keep you working."), right=R_LEAVE, coercion=True),
    ("fee", "yes"): Finding(
        "fee", Severity.BREACH, N_("You paid to get this job."),
        N_("You paid someone to find you this work. Agencies may not ask workers for this."),
        right=R_FEE, exploitation=True),
    ("leave", "costly"): Finding(
        "leave_costly", Severity.BREACH, N_("Leaving would cost you your home or your pay."),
        N_("If stopping means losing your home or pay you have earned, it is hard to leave."),
        right=R_LEAVE, coercion=True),
    ("leave", "no"): Finding(
        "cannot_leave", Severity.DANGER, N_("You are not free to leave this job."),
        N_("You said that you are not allowed to stop, or that you are afraid to."),
        right=R_LEAVE, coercion=True),
    ("outside", "no"): Finding(
        "not_free", Severity.SERIOUS, N_("You are not free in your free time."),
        N_("Nobody may decide where you go or whom you talk to in your free time."),
        right=R_LEAVE, coercion=True),
    ("threats", "yes"): Finding(
        "threats", Severity.DANGER, N_("You or your family were threatened or hurt."),
        N_("Someone threatened or hurt you or your family, or threatened to report you."),
        right=R_SAFETY, coercion=True),
    ("housing", "workplace"): Finding(
        "sleeps_at_work", Severity.BREACH, N_("You sleep at your workplace."),
        N_("Then you are never really away from work, and it is often not safe."),
        right=R_HOUSING, exploitation=True),
    ("housing_lose", "yes"): Finding(
        "housing_tied", Severity.BREACH, N_("Your home depends on your job."),
        N_("If you lose your job, you also lose your home. That makes it hard to say no."),
        right=R_HOUSING),
    ("travel", "employer"): Finding(
        "travel_arranged", Severity.INFO, N_("Someone else arranged your travel."),
        N_("This is not wrong in itself. Together with a debt, or a passport kept by others, "
           "it can be a sign of exploitation.")),
    ("travel", "other"): Finding(
        "travel_arranged", Severity.INFO, N_("Someone else arranged your travel."),
        N_("This is not wrong in itself. Together with a debt, or a passport kept by others, "
           "it can be a sign of exploitation.")),
    ("promise", "worse"): Finding(
        "deceived", Severity.BREACH, N_("Your work is worse than you were promised."),
        N_("Promising better work, pay or housing than you get is a way people are lured "
           "into exploitation."), exploitation=True),
}


def _age_findings(age: Decimal | None) -> list[Finding]:
    if age is None or age >= ADULT:
        return []
    if age < 15:
        return [Finding("child_work", Severity.SERIOUS, N_("You are younger than 15."),
                        N_("Children under 15 may not work, apart from light work."),
                        right=R_YOUNG, exploitation=True)]
    return [Finding("young", Severity.INFO, N_("You are younger than 18."),
                    N_("Young workers have extra protection: shorter hours, no night work and "
                       "no dangerous work."))]


def assess(answers: Answers, on: date) -> Outcome:
    """Turn the answers into findings and an overall level, as of the day ``on``."""
    findings: list[Finding] = []
    age = answers.number("age")
    findings.extend(_age_findings(age))
    wage = None
    wage_input = _wage_input(answers, on)
    if wage_input is not None:
        wage = check_wage(wage_input)
        findings.extend(_wage_findings(wage, answers))
    seen = {f.code for f in findings}
    for (name, value), finding in SIMPLE.items():
        if answers.choice(name) == value and finding.code not in seen:
            if finding.code == "not_paid" and "unpaid" in seen:
                continue
            findings.append(finding)
            seen.add(finding.code)
    findings.sort(key=lambda f: -f.severity)
    coercion = any(f.coercion and f.severity >= Severity.SERIOUS for f in findings)
    exploited = any(f.exploitation and f.severity >= Severity.BREACH for f in findings)
    seriously = any(f.exploitation and f.severity >= Severity.SERIOUS for f in findings)
    minor = age is not None and age < ADULT
    if (coercion and exploited) or (minor and seriously):
        level = Level.TRAFFICKING
    elif coercion or seriously:
        level = Level.EXPLOITATION
    elif any(f.severity >= Severity.BREACH for f in findings):
        level = Level.RIGHTS
    else:
        level = Level.NONE
    return Outcome(level=level, danger=any(f.severity is Severity.DANGER for f in findings),
                   findings=tuple(findings), wage=wage, on=on,
                   answered=len(answers.choices) + len(answers.numbers))
