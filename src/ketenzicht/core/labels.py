"""Words for the values of closed vocabularies (enums), shown instead of their codes.

A domain keeps its labels next to its enums (English msgids marked with ``N_``) and
registers them here under a kind ("case_status"); pages, PDFs and e-mails ask
``label(kind, value)`` and get the label in the current language. An unregistered value
comes back as it is, and the untranslated-text test (tests/web/test_daily.py) catches it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ketenzicht.core.i18n import get_locale, gettext

_REGISTRY: dict[str, dict[str, str]] = {}
# Vocabularies whose words live in a data file with a text per language (the online
# indicator catalogues), not in the Babel catalogue: value, locale -> text or None.
_TEXTS: dict[str, Callable[[str, str], str | None]] = {}


def register(kind: str, labels: Mapping[str, str]) -> None:
    """Make ``labels`` (value -> English msgid) the words for ``kind``."""
    _REGISTRY.setdefault(kind, {}).update({str(k): v for k, v in labels.items()})


def register_texts(kind: str, texts: Callable[[str, str], str | None]) -> None:
    """Look the words for ``kind`` up with ``texts(value, locale)``."""
    _TEXTS[kind] = texts


def label(kind: str, value: object) -> str:
    """The label of ``value`` in the current language (the value itself if unknown)."""
    if kind in _TEXTS:
        text = _TEXTS[kind](str(value), get_locale())
        if text:
            return text
    msgid = _REGISTRY.get(kind, {}).get(str(value))
    return gettext(msgid) if msgid else str(value)


def choices(kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs of ``kind`` in registration order, for a select or radio list."""
    return [(value, gettext(msgid)) for value, msgid in _REGISTRY.get(kind, {}).items()]
