"""Dates, times, numbers and money in the reader's language, through Babel.

Times are stored in UTC and shown as Dutch wall-clock time (Europe/Amsterdam): everyone
in the chain works in that zone, so a deadline "vóór 14:05" means what it says. The zone
is named only where the text leaves the chain (a PDF report, an evidence dossier) or a
reader could be elsewhere: ``with_zone=True`` adds the UTC offset ("+01:00").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from ketenzicht.core.i18n import get_locale

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EMPTY = "—"

Number = int | float | Decimal


def local(value: datetime) -> datetime:
    """``value`` in Dutch local time (a naive value is taken to be UTC, as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(AMSTERDAM)


def format_datetime(value: datetime | None, *, seconds: bool = False,
                    with_zone: bool = False, locale: str | None = None) -> str:
    """'27-11-2026 14:05' (nl) or '11/27/2026, 2:05 PM' (en), in Dutch local time."""
    if value is None:
        return EMPTY
    when = local(value)
    locale = locale or get_locale()
    text = (f"{_format_date(when.date(), 'short', locale=locale)} "
            f"{_format_datetime(when, 'HH:mm:ss' if seconds else 'HH:mm', locale=locale)}"
            if locale == "nl" else
            _format_datetime(when, "medium" if seconds else "short", locale=locale))
    if with_zone:
        text += f" ({_format_datetime(when, 'xxx', locale=locale)})"
    return text


def format_day(value: date | datetime | None) -> str:
    """A calendar day: '27-11-2026' (nl), '11/27/26' (en); a time counts in local time."""
    if value is None:
        return EMPTY
    day = local(value).date() if isinstance(value, datetime) else value
    return _format_date(day, "short" if get_locale() == "nl" else "medium", locale=get_locale())


def format_number(value: Number | None, digits: int | None = None) -> str:
    """'1.200', '0,84' (nl); ``digits`` fixes the decimals shown."""
    if value is None:
        return EMPTY
    if digits is None:
        return format_decimal(value, locale=get_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=get_locale())


def format_megabytes(size: int) -> str:
    """A byte count as megabytes for a limit in a message: '25', '0,064' (nl)."""
    return format_number(round(size / 1_000_000, 3))


def format_money(value: Number | None, currency: str = "EUR") -> str:
    """'€ 14,71' (nl), '€14.71' (en)."""
    if value is None:
        return EMPTY
    return format_currency(value, currency, locale=get_locale())


def format_share(value: Number | None, digits: int = 0) -> str:
    """A fraction as a percentage: 0.125 -> '12,5%' with ``digits=1``."""
    if value is None:
        return EMPTY
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(value, format=pattern, locale=get_locale())


class LocalTime:
    """A time handed to a notification (``notify.Msg``): written in each reader's language."""

    __slots__ = ("value",)

    def __init__(self, value: datetime) -> None:
        self.value = value

    def text(self, locale: str) -> str:
        """The time in ``locale``, Dutch local time."""
        return format_datetime(self.value, locale=locale)

    def __repr__(self) -> str:
        return f"LocalTime({self.value.isoformat()})"


class Lazy:
    """Text made when it is shown, in the language of that moment (a plural in an error).

    ``DomainError`` translates its sentence when the answer is written; a parameter such as
    ``Lazy(lambda: ngettext("%(num)s second", "%(num)s seconds", n) % {"num": n})`` is
    written then too, so "1 seconde" and "5 seconden" each get their own form.
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], str]) -> None:
        self.make = make

    def __str__(self) -> str:
        return self.make()
