"""The selfcheck's own catalogue domain, its languages and locale-aware formatting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from ketenzicht.core import i18n

DOMAIN = "selfcheck"
#: The languages offered, in the order of the language menu.
LOCALES: tuple[str, ...] = ("nl", "en", "pl", "ro", "bg", "uk", "es")
#: The language when the browser asks for one we do not have: labour migrants read
#: English more often than Dutch.
FALLBACK = "en"
#: Written in a catalogue's header comment until a native speaker has checked it.
REVIEW_PENDING = "Review-Status: needs native-speaker review"

N_ = i18n.N_


def gettext(message: str) -> str:
    """Translate ``message`` from the selfcheck catalogue into the current language."""
    return i18n.dgettext(DOMAIN, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form from the selfcheck catalogue."""
    return i18n.dngettext(DOMAIN, singular, plural, n)


_ = gettext


def choose(accept_language: str | None, cookie: str | None, default: str) -> str:
    """The cookie's language, else the browser's, else ``default`` (or English if asked)."""
    fallback = FALLBACK if accept_language else default
    return i18n.pick_locale(accept_language, cookie, fallback, LOCALES)


def activate(locale: str) -> None:
    """Make ``locale`` the language of this request."""
    i18n.set_locale(locale, LOCALES)


@lru_cache(maxsize=16)
def needs_review(locale: str) -> bool:
    """Whether the catalogue of ``locale`` still waits for a native speaker's review."""
    po = i18n.TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return True
    with po.open("rb") as fh:
        return REVIEW_PENDING in (read_po(fh).header_comment or "")


def money(amount: Decimal) -> str:
    """Euros the way the current language writes them."""
    return format_currency(amount, "EUR", locale=i18n.get_locale())


def number(value: Decimal) -> str:
    """A number with at most one decimal, the way the current language writes it."""
    return format_decimal(value, format="#,##0.#", locale=i18n.get_locale())


def long_date(value: date) -> str:
    """A date such as '1 januari 2026'."""
    return format_date(value, format="long", locale=i18n.get_locale())
