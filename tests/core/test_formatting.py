"""Dates, times, numbers and money through Babel, in Dutch local time (core/formatting.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

import ketenzicht.cases.enums  # noqa: F401  (registers the case labels, as the app does on import)
from ketenzicht.core import i18n
from ketenzicht.core.formatting import (
    LocalTime,
    format_datetime,
    format_day,
    format_megabytes,
    format_money,
    format_number,
    format_share,
)
from ketenzicht.core.labels import label
from ketenzicht.notify.messages import Msg
from ketenzicht.web.templating import templates

WINTER = datetime(2026, 11, 27, 13, 5, tzinfo=UTC)  # CET, UTC+1
SUMMER = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # CEST, UTC+2: the next day in Amsterdam


@pytest.fixture(params=["nl", "en"])
def locale(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_locale(request.param)
    yield request.param
    i18n.set_locale(i18n.DEFAULT_LOCALE)


@pytest.mark.parametrize(("value", "nl", "en"), [
    (WINTER, "27-11-2026 14:05", "11/27/26, 2:05\u202fPM"),
    (SUMMER, "02-07-2026 00:30", "7/2/26, 12:30\u202fAM"),
    (None, "—", "—"),
])
def test_times_are_amsterdam_local_time(locale: str, value: datetime | None, nl: str,
                                        en: str) -> None:
    assert format_datetime(value) == (nl if locale == "nl" else en)


def test_the_zone_is_named_only_when_asked(locale: str) -> None:
    assert "+01:00" in format_datetime(WINTER, with_zone=True)
    assert "UTC" not in format_datetime(WINTER)


@pytest.mark.parametrize(("call", "nl", "en"), [
    (lambda: format_number(0.84), "0,84", "0.84"),
    (lambda: format_number(1200), "1.200", "1,200"),
    (lambda: format_number(0.8, 2), "0,80", "0.80"),
    (lambda: format_money(Decimal("14.71")), "€\xa014,71", "€14.71"),
    (lambda: format_share(0.125, 1), "12,5%", "12.5%"),
    (lambda: format_day(date(2026, 11, 27)), "27-11-2026", "Nov 27, 2026"),
    (lambda: format_day(SUMMER), "02-07-2026", "Jul 2, 2026"),
    (lambda: format_megabytes(25_000_000), "25", "25"),  # a limit in a message, not bytes
    (lambda: format_megabytes(64_000), "0,064", "0.064"),
])
def test_numbers_money_and_days(locale: str, call: object, nl: str, en: str) -> None:
    assert callable(call)
    assert call() == (nl if locale == "nl" else en)


def test_the_jinja_environment_has_the_filters(locale: str) -> None:
    # One environment for pages, PDFs and e-mails: the filters are there for all of them.
    rendered = templates.env.from_string(
        "{{ t|datetime }} {{ n|number }} {{ m|money }} {{ s|label('case_status') }}").render(
        t=WINTER, n=1200, m=14.71, s="in_behandeling")
    assert rendered == ("27-11-2026 14:05 1.200 €\xa014,71 In behandeling" if locale == "nl"
                        else "11/27/26, 2:05\u202fPM 1,200 €14.71 In progress")


def test_a_notification_writes_the_time_in_each_readers_language() -> None:
    msg = Msg("Due %(due)s.", due=LocalTime(WINTER))
    assert msg.text("nl") == "Uiterlijk 27-11-2026 14:05."
    assert msg.text("en") == "Due 11/27/26, 2:05\u202fPM."


def test_an_unknown_value_keeps_its_code_for_the_page_test_to_catch(locale: str) -> None:
    assert label("case_status", "no_such_status") == "no_such_status"
