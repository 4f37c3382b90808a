"""Deadlines follow the Algemene termijnenwet (issue 18), not the ``holidays`` NL calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ketenzicht.core import termijnen


@pytest.mark.parametrize(("day", "holiday"), [
    (date(2026, 5, 5), True),    # Bevrijdingsdag in a year that is no lustrum
    (date(2027, 5, 5), True),
    (date(2026, 4, 3), False),   # Goede Vrijdag is no Atw holiday
    (date(2026, 4, 6), True),    # Tweede Paasdag
    (date(2026, 5, 14), True),   # Hemelvaartsdag
    (date(2026, 5, 25), True),   # Tweede Pinksterdag
    (date(2025, 4, 26), True),   # Koningsdag 2025: the 27th was a Sunday -> Saturday 26th
    (date(2025, 4, 27), False),
    (date(2026, 4, 27), True),
    (date(2026, 12, 26), True),
    (date(2026, 1, 1), True),
    (date(2024, 3, 31), False),  # Eerste Paasdag: a Sunday, not listed
])
def test_atw_holidays(day: date, holiday: bool) -> None:
    assert (day in termijnen.holidays(day.year)) is holiday


def test_easter_dates() -> None:
    assert [termijnen.easter(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28)]


@pytest.mark.parametrize(("start", "end", "expected"), [
    # Art. 1: a term ending on Bevrijdingsdag (Tuesday 5 May 2026) ends on the 6th.
    (datetime(2026, 5, 2, 10, tzinfo=UTC), datetime(2026, 5, 5, 10, tzinfo=UTC),
     datetime(2026, 5, 6, 10, tzinfo=UTC)),
    # Ending on Good Friday 3 April 2026: a working day under the Atw, it stands.
    (datetime(2026, 3, 31, 10, tzinfo=UTC), datetime(2026, 4, 3, 10, tzinfo=UTC),
     datetime(2026, 4, 3, 10, tzinfo=UTC)),
    # Ending on Saturday 26 April 2025 (Koningsdag): Monday the 28th.
    (datetime(2025, 4, 22, 10, tzinfo=UTC), datetime(2025, 4, 26, 10, tzinfo=UTC),
     datetime(2025, 4, 28, 10, tzinfo=UTC)),
    # Ending on a Sunday: Monday.
    (datetime(2026, 11, 26, 9, tzinfo=UTC), datetime(2026, 11, 29, 9, tzinfo=UTC),
     datetime(2026, 11, 30, 9, tzinfo=UTC)),
    # Art. 2: Christmas Eve 2026 (Thursday) + 3 days ends Sunday 27th; Monday 28th is only
    # the first working day of the term, so it runs to Tuesday 29th.
    (datetime(2026, 12, 24, 9, tzinfo=UTC), datetime(2026, 12, 27, 9, tzinfo=UTC),
     datetime(2026, 12, 29, 9, tzinfo=UTC)),
])
def test_atw_extends_a_term(start: datetime, end: datetime, expected: datetime) -> None:
    assert termijnen.atw_extend(start, end) == expected
