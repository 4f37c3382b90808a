"""Pure rules: the status table, deadline arithmetic with Dutch holidays, the templates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ketenzicht.cases import workdays
from ketenzicht.cases.enums import CASE_MACHINE, CaseStatus
from ketenzicht.cases.process import parse, templates
from ketenzicht.core.errors import ValidationFailed

S = CaseStatus
ALLOWED = {
    (S.AANGEMELD, S.IN_BEHANDELING), (S.AANGEMELD, S.AFGESLOTEN),
    (S.IN_BEHANDELING, S.OPSPORING), (S.IN_BEHANDELING, S.HULPVERLENING),
    (S.IN_BEHANDELING, S.OPSPORING_EN_HULPVERLENING), (S.IN_BEHANDELING, S.AFGESLOTEN),
    (S.OPSPORING, S.OPSPORING_EN_HULPVERLENING), (S.HULPVERLENING, S.OPSPORING_EN_HULPVERLENING),
    (S.OPSPORING_EN_HULPVERLENING, S.OPSPORING), (S.OPSPORING_EN_HULPVERLENING, S.HULPVERLENING),
    (S.OPSPORING, S.AFGESLOTEN), (S.HULPVERLENING, S.AFGESLOTEN),
    (S.OPSPORING_EN_HULPVERLENING, S.AFGESLOTEN), (S.AFGESLOTEN, S.HEROPEND),
    (S.HEROPEND, S.IN_BEHANDELING), (S.HEROPEND, S.OPSPORING), (S.HEROPEND, S.HULPVERLENING),
    (S.HEROPEND, S.OPSPORING_EN_HULPVERLENING),
}


@pytest.mark.parametrize("source", list(CaseStatus))
@pytest.mark.parametrize("target", list(CaseStatus))
def test_transition_table(source: CaseStatus, target: CaseStatus) -> None:
    if (source, target) in ALLOWED:
        CASE_MACHINE.check(source, target)
    else:
        with pytest.raises(ValidationFailed):
            CASE_MACHINE.check(source, target)


def test_dutch_holidays_2026() -> None:
    # The Algemene termijnenwet: no Goede Vrijdag (3 April), Bevrijdingsdag every year.
    assert workdays.holidays(2026) == {
        date(2026, 1, 1), date(2026, 4, 6), date(2026, 4, 27), date(2026, 5, 5),
        date(2026, 5, 14), date(2026, 5, 25), date(2026, 12, 25), date(2026, 12, 26)}
    # Koningsdag 2025: the 27th was a Sunday, so Saturday the 26th.
    assert date(2025, 4, 26) in workdays.holidays(2025)
    assert date(2025, 5, 5) in workdays.holidays(2025)


@pytest.mark.parametrize(("start", "days", "expected"), [
    # Thursday before Easter 2026 + 2 working days: Good Friday counts (Atw), then the
    # weekend and Easter Monday are skipped.
    (datetime(2026, 4, 2, 10, tzinfo=UTC), 2, datetime(2026, 4, 7, 10, tzinfo=UTC)),
    # Friday + 1 working day is Monday.
    (datetime(2026, 11, 27, 9, tzinfo=UTC), 1, datetime(2026, 11, 30, 9, tzinfo=UTC)),
    # Christmas Eve 2026 (Thursday) + 2: skip 25, 26 (weekend days too), 27 -> Tue 29th.
    (datetime(2026, 12, 24, 9, tzinfo=UTC), 2, datetime(2026, 12, 29, 9, tzinfo=UTC)),
    # Ten working days around Ascension 2026 (14 May) and Whit Monday (25 May).
    (datetime(2026, 5, 11, 8, tzinfo=UTC), 10, datetime(2026, 5, 27, 8, tzinfo=UTC)),
])
def test_working_days(start: datetime, days: int, expected: datetime) -> None:
    assert workdays.add_working_days(start, days) == expected


def test_working_days_keep_local_time_over_dst() -> None:
    # 27 March 2026 09:00 CET is 08:00 UTC; two working days on, 09:00 CEST is 07:00 UTC.
    start = datetime(2026, 3, 27, 8, tzinfo=UTC)
    assert workdays.add_working_days(start, 2) == datetime(2026, 3, 31, 7, tzinfo=UTC)


def test_months_clamp_to_month_end() -> None:
    start = datetime(2026, 11, 30, 11, tzinfo=UTC)
    assert workdays.add_months(start, 3) == datetime(2027, 2, 28, 11, tzinfo=UTC)


def test_packaged_templates_hold_the_agreements() -> None:
    tpl = templates()["standaard"]
    tasks = {t.key: t for t in tpl.tasks}
    assert tasks["safety_assessment"].due.hours == 24
    assert tasks["care_contact"].due.working_days == 2
    assert tasks["b8_end"].due.months == 3
    assert tasks["case_conference"].due.working_days == 10


@pytest.mark.parametrize("bad", [
    {"owner_role": "koning"}, {"due": {}}, {"due": {"weeks": 1}}, {"due": {"hours": -1}},
    {"trigger": "whenever"}])
def test_bad_templates_are_refused(bad: dict[str, object]) -> None:
    task = {"key": "a", "title": {"nl": "a"}, "owner_role": "regievoerder",
            "trigger": "case_opened", "due": {"hours": 1}, "escalate_after": {"hours": 1},
            **bad}
    with pytest.raises(ValueError, match=r"\S"):
        parse({"version": "x", "templates": {"t": {"title": {"nl": "t"}, "tasks": [task]}}})
