"""Deadline arithmetic: hours, calendar days, months and Dutch working days.

Working days skip weekends and the Dutch public holidays (Nieuwjaarsdag, Goede Vrijdag,
Pasen, Koningsdag, Bevrijdingsdag in lustrum years, Hemelvaart, Pinksteren, Kerst).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from holidays import country_holidays

NL = ZoneInfo("Europe/Amsterdam")


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    """The Dutch public holidays of ``year`` on which most chain partners are closed.

    From the ``holidays`` package, which keeps the rules (Koningsdag moving off a
    Sunday, Bevrijdingsdag every fifth year) up to date.
    """
    return frozenset(country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in holidays(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved ``days`` Dutch working days on, at the same local time (UTC out)."""
    local = start.astimezone(NL)
    day = local.date()
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    moved = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=NL)
    return moved.astimezone(start.tzinfo)


def add_months(start: datetime, months: int) -> datetime:
    """``start`` plus calendar months, clamped to the month's last day (B8: 3 months)."""
    local = start.astimezone(NL)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(start.tzinfo)


def due(start: datetime, *, hours: int = 0, days: int = 0, working_days: int = 0,
        months: int = 0) -> datetime:
    """The deadline of an offset from ``start``; the parts add up in that order."""
    at = start + timedelta(hours=hours, days=days)
    if working_days:
        at = add_working_days(at, working_days)
    if months:
        at = add_months(at, months)
    return at
