"""Deadline arithmetic: hours, calendar days, months and Dutch working days.

Working days and holidays are those of the Algemene termijnenwet (``core.termijnen``); a
term in calendar days or months is extended as the Atw prescribes.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from ketenzicht.core.termijnen import (
    NL,
    add_working_days,
    atw_extend,
    easter,
    holidays,
    is_working_day,
    kings_day,
)

__all__ = ["NL", "add_months", "add_working_days", "atw_extend", "due", "easter", "holidays",
           "is_working_day", "kings_day"]


def add_months(start: datetime, months: int) -> datetime:
    """``start`` plus calendar months, clamped to the month's last day (B8: 3 months)."""
    local = start.astimezone(NL)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(start.tzinfo)


def due(start: datetime, *, hours: int = 0, days: int = 0, working_days: int = 0,
        months: int = 0) -> datetime:
    """The deadline of an offset from ``start``; the parts add up in that order.

    A term in calendar days or months is extended as the Atw prescribes (``atw_extend``);
    a term in hours only is not a term of the Atw and stands as it is.
    """
    at = start + timedelta(hours=hours, days=days)
    if working_days:
        at = add_working_days(at, working_days)
    if months:
        at = add_months(at, months)
    if days or months:
        at = atw_extend(start, at)
    return at
