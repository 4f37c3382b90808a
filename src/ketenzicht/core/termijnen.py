"""Dutch working days and the Algemene termijnenwet (Atw), for every domain's deadlines.

Holidays follow art. 3 Atw: Nieuwjaarsdag, Tweede Paasdag, Hemelvaartsdag, Tweede
Pinksterdag, Eerste en Tweede Kerstdag, Koningsdag and 5 May (Bevrijdingsdag, every year).
Goede Vrijdag is not one; Eerste Paas- and Pinksterdag are Sundays anyway. A term of
calendar days or months that ends on a Saturday, Sunday or one of these days runs on to the
next working day (art. 1), and a term of three days or more holds at least two working days
(art. 2).

The ``holidays`` package's NL calendar is not used: it counts Goede Vrijdag and keeps
Bevrijdingsdag for lustrum years only, the opposite of what the Atw counts for deadlines.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

NL = ZoneInfo("Europe/Amsterdam")


def easter(year: int) -> date:
    """Easter Sunday of ``year`` (Gregorian; the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def kings_day(year: int) -> date:
    """Koningsdag: 27 April, or Saturday the 26th when the 27th is a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    """The algemeen erkende feestdagen of art. 3 Atw in ``year``."""
    sunday = easter(year)
    return frozenset({
        date(year, 1, 1),                    # Nieuwjaarsdag
        sunday + timedelta(days=1),          # Tweede Paasdag
        sunday + timedelta(days=39),         # Hemelvaartsdag
        sunday + timedelta(days=50),         # Tweede Pinksterdag
        kings_day(year),                     # Koningsdag
        date(year, 5, 5),                    # Bevrijdingsdag, every year
        date(year, 12, 25), date(year, 12, 26),  # Eerste en Tweede Kerstdag
    })


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a holiday of the Atw."""
    return day.weekday() < 5 and day not in holidays(day.year)


def _at(day: date, local: datetime, tz: object) -> datetime:
    moved = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=NL)
    return moved.astimezone(tz)  # type: ignore[arg-type]


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved ``days`` Dutch working days on, at the same local time (UTC out)."""
    local = start.astimezone(NL)
    day = local.date()
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return _at(day, local, start.tzinfo)


def atw_extend(start: datetime, end: datetime) -> datetime:
    """The end of a term from ``start`` to ``end`` as the Atw extends it.

    Art. 2: a term of three days or more holds at least two working days; art. 1: a term
    ending on a Saturday, Sunday or holiday ends on the next working day. The local time of
    ``end`` is kept.
    """
    local_start, local_end = start.astimezone(NL), end.astimezone(NL)
    first, day = local_start.date(), local_end.date()
    if (day - first).days >= 3:
        while sum(is_working_day(first + timedelta(days=n))
                  for n in range(1, (day - first).days + 1)) < 2:
            day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return end if day == local_end.date() else _at(day, local_end, end.tzinfo)


def term_after(start: datetime, hours: int) -> datetime:
    """The end of a term of ``hours`` from ``start``: 24 hours and more is a term in days,
    which the Atw extends past weekends and holidays (:func:`atw_extend`); a shorter, acute
    term (hours) runs through them."""
    end = start + timedelta(hours=hours)
    return atw_extend(start, end) if hours >= 24 else end
