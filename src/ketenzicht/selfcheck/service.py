"""The selfcheck's public face for other domains and for its views.

Nothing here stores anything: a check is a pure function of the answers and the day.
The evidence domain's wage check must call :func:`check_wage` from here, so that the
minimum-wage rules exist once.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from ketenzicht.core import clock
from ketenzicht.selfcheck.assess import Outcome, assess
from ketenzicht.selfcheck.schemas import Parsed, parse_form
from ketenzicht.selfcheck.wml import (
    WageInput,
    WageResult,
    WageVerdict,
    check_wage,
    minimum_hourly,
)
from ketenzicht.selfcheck.wml import load as wage_rules

__all__ = ["WageInput", "WageResult", "WageVerdict", "check_wage", "minimum_hourly",
           "run_check", "today", "wage_rules"]


def today() -> date:
    """The date in the Netherlands that the rules apply to (from the injectable clock)."""
    return clock.now().astimezone(ZoneInfo("Europe/Amsterdam")).date()


def run_check(form: dict[str, str], on: date | None = None) -> tuple[Parsed, Outcome | None]:
    """Read the form and, if nothing needs correcting, assess it."""
    parsed = parse_form(form)
    if not parsed.ok:
        return parsed, None
    return parsed, assess(parsed.answers, on or today())
