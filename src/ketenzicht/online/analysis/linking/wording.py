"""The fact behind each network reason, in words of the reader's language.

The scorer keeps the measured values of a reason (``Reason.params``) beside its English
``fact``; a page renders the same values in Dutch or English with Babel's number format, so
that "5 namen in 16 dagen" and "5 names over 16 days" come from one set of numbers. The
English ``fact`` that the CLI and the API return is made here too, so the two never drift.
A reason stored before its values were kept (no params) keeps its stored English fact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from babel.numbers import format_decimal

from ketenzicht.core import i18n

# Reasons that have one wording of their own; every other code is an ad-level flag, counted
# as "k of n ads".
ENTITY_CODES = frozenset({
    "ROTATING_PERSONAS", "SEVERAL_NAMES_ONE_PHONE", "SEVERAL_AGES_ONE_PHONE",
    "TEMPLATE_NEW_NAMES", "CITY_HOPPING", "SIMULTANEOUS_CITIES", "FOREIGN_MOBILE_NL_CITY",
    "PRICE_FAR_BELOW_MEDIAN"})
_LIST_MAX = 8  # names, ages or numbers quoted in one fact


def _num(value: float, locale: str, pattern: str = "#,##0.#") -> str:
    return format_decimal(value, format=pattern, locale=locale)


def _items(values: Sequence[object], limit: int = _LIST_MAX) -> str:
    return ", ".join(str(v) for v in list(values)[:limit])


def _rotating(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    return str(tr.ngettext(
        "%(k)s name over %(span)s days, each advertised a median of %(median)s days",
        "%(k)s names over %(span)s days, each advertised a median of %(median)s days",
        p["k"]) % {"k": n(p["k"]), "span": n(p["span_days"]), "median": n(p["median_days"])})


def _names(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    return str(tr.gettext("%(k)s names on %(phone)s: %(names)s") % {
        "k": n(p["k"]), "phone": p["phone"], "names": _items(p["names"])})


def _ages(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    return str(tr.gettext("%(k)s ages on %(phone)s: %(ages)s") % {
        "k": n(p["k"]), "phone": p["phone"], "ages": _items(p["ages"])})


def _template(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    return str(tr.gettext("one text reused with %(k)s names: %(names)s") % {
        "k": n(p["k"]), "names": _items(p["names"])})


def _hopping(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    # The stay has a plural of its own ("1 dag", "1,5 dagen"); a fraction takes the plural.
    stay_days = float(p["median_stay_days"])
    stay = tr.ngettext("median stay %(stay)s day", "median stay %(stay)s days",
                       1 if stay_days == 1 else 2) % {"stay": n(stay_days)}
    return str(tr.gettext(
        "%(k)s municipalities within 30 days, %(hops)s hops a week, %(stay)s, "
        "%(km)s km travelled") % {
        "k": n(p["max_per_30_days"]), "hops": n(p["hops_per_week"], "#,##0.0"),
        "stay": stay, "km": n(p["distance_km"], "#,##0")})


def _simultaneous(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    return str(tr.gettext("ads in %(k)s municipalities on one day") % {
        "k": n(p["simultaneous_cities"])})


def _foreign(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    return str(tr.gettext("foreign mobile %(phones)s advertised for %(city)s") % {
        "phones": _items(p["phones"], 3), "city": p["city"]})


def _price(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    return str(tr.gettext(
        "median €%(price)s/hour against €%(municipal)s/hour in its municipalities") % {
        "price": n(p["price"], "#,##0"), "municipal": n(p["municipal_median"], "#,##0")})


def _flag(p: Mapping[str, Any], tr: Any, n: Callable[..., str]) -> str:
    return str(tr.ngettext("%(k)s of %(n)s ad", "%(k)s of %(n)s ads", p["ads"]) % {
        "k": n(p["count"]), "n": n(p["ads"])})


_WORDINGS: dict[str, Callable[[Mapping[str, Any], Any, Callable[..., str]], str]] = {
    "ROTATING_PERSONAS": _rotating, "SEVERAL_NAMES_ONE_PHONE": _names,
    "SEVERAL_AGES_ONE_PHONE": _ages, "TEMPLATE_NEW_NAMES": _template,
    "CITY_HOPPING": _hopping, "SIMULTANEOUS_CITIES": _simultaneous,
    "FOREIGN_MOBILE_NL_CITY": _foreign, "PRICE_FAR_BELOW_MEDIAN": _price}


def fact(code: str, params: Mapping[str, Any], locale: str = "en") -> str:
    """The fact of reason ``code`` with the measured ``params``, in ``locale``."""
    tr = i18n.translations(locale)

    def n(value: float, pattern: str = "#,##0.#") -> str:
        return _num(value, locale, pattern)

    return _WORDINGS.get(code, _flag)(params, tr, n)


def localised(code: str, params: Mapping[str, Any] | None, stored: str,
              locale: str | None = None) -> tuple[str, str]:
    """(text, language) for a page: the fact in the reader's language when its values were
    kept, else the stored English fact, marked ``en`` so a screen reader reads it as such."""
    locale = locale or i18n.get_locale()
    if not params:
        return stored, "en"
    try:
        return fact(code, params, locale), locale
    except (KeyError, TypeError, ValueError, ArithmeticError):  # an older shape: as stored
        return stored, "en"
