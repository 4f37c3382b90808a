"""Translations through Babel catalogues, chosen per request via a context variable.

The ``.po`` files are the source of truth and are compiled in memory at first use,
so no generated ``.mo`` files need to be kept in git.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Collection
from contextvars import ContextVar
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
LOCALES: tuple[str, ...] = ("nl", "en")
DEFAULT_LOCALE = "nl"

_current: ContextVar[str] = ContextVar("kz_locale", default=DEFAULT_LOCALE)


def available_locales(domain: str = "messages") -> tuple[str, ...]:
    """Locales that have a catalogue for ``domain``."""
    found = [p.parent.parent.name for p in TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{domain}.po")]
    return tuple(sorted(found)) or LOCALES


@lru_cache(maxsize=64)
def translations(locale: str, domain: str = "messages") -> _gettext.NullTranslations:
    """The compiled catalogue for ``locale``; a null catalogue falls back to the msgid."""
    po = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{domain}.po"
    if not po.exists():
        return _gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def set_locale(locale: str, locales: Collection[str] = LOCALES) -> None:
    """Make ``locale`` the language of the current request or command.

    ``locales`` is the set it must belong to; a public part with a catalogue domain
    of its own (``selfcheck``) passes its wider set.
    """
    _current.set(locale if locale in locales else DEFAULT_LOCALE)


def get_locale() -> str:
    """The language of the current request or command."""
    return _current.get()


def gettext(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translations(get_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form."""
    return translations(get_locale()).ngettext(singular, plural, n)


_ = gettext


def dgettext(domain: str, message: str) -> str:
    """Translate ``message`` from the catalogue ``domain`` into the current language."""
    return translations(get_locale(), domain).gettext(message)


def dngettext(domain: str, singular: str, plural: str, n: int) -> str:
    """Translate with a plural form from the catalogue ``domain``."""
    return translations(get_locale(), domain).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def pick_locale(accept_language: str | None, cookie: str | None, default: str,
                locales: Collection[str] = LOCALES) -> str:
    """Choose the language: an explicit choice (cookie) wins, then the browser's list."""
    if cookie is not None and cookie in locales:
        return cookie
    if accept_language:
        parts = accept_language.split(",")
        wanted = [part.split(";")[0].strip().replace("-", "_") for part in parts]
        chosen = negotiate_locale([w for w in wanted if w], list(locales))
        if chosen:
            return chosen
    return default


def language_name(locale: str) -> str:
    """The name of a language in that language, e.g. 'Nederlands'."""
    return Locale.parse(locale).get_display_name(locale) or locale
