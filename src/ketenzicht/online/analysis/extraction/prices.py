"""Prices, normalised to euros per hour: "€150 per uur", "30 min 100", "1 hour $250", "80/hh".

A bare amount with a currency ("€150") is taken as the price of one hour, the usual unit of
escort ads, and marked ``assumed_hour`` so that nobody mistakes the assumption for a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from ketenzicht.online.analysis.extraction.data import read_yaml
from ketenzicht.online.analysis.extraction.normalize import fold_pattern
from ketenzicht.online.analysis.extraction.types import Context, Found

_DUR: Final = (
    r"(?:(?P<n>[0-9]{1,3}|een|1/2|half|halve|halbe|anderhalf|one|two|twee|1,5|1\.5)\s?"
    r"(?P<u>minuten|minutes|minuut|minute|mins|min|uren|uur|hours|hour|hrs|hr|h|u|ore|ora"
    r"|godz|stunden?|std)\b|(?P<bare>halfuur|half hour|half uur|hh|qv|quickie|fh|per hour|per uur"
    r"|hourly|hour|uur|hr))"
)
# Every price has a number; finding numbers first (a digit class, which ``re`` scans for
# quickly) and looking around each one is far cheaper than one big alternation.
_AMOUNT: Final = re.compile(r"[0-9]{2,4}(?:[.,][0-9]{2})?(?![0-9])")
_CUR_BEFORE: Final = re.compile(fold_pattern(
    r"(?<![^\W\d_])(€|euros?|eur|\$|usd|£|gbp|lei|ron|pln|zl|лв|bgn|chf)\s?$"))
_CUR_AFTER: Final = re.compile(fold_pattern(
    r"\s?(€|euros?\b|eur\b|,-|\$|usd\b|dollars?\b|£|gbp\b|pounds?\b|lei\b|ron\b|pln\b"
    r"|zl\b|лв|bgn\b|chf\b)"))
_AFTER: Final = re.compile(
    rf"\s*(?:/|per|p/?|p\.|a|an|voor|for|x|pro)?\s*(?:{_DUR}|(?P<ph>ph|pu|p/u|p\.u\.)\b)")
_RATE_AFTER: Final = re.compile(
    r"\s?(?:(?:/|per|p/?)\s?(?P<u1>uur|u|h|hr|hour)|(?P<u2>hh|qv|fh|hr|ph|pu|p/u))\b")
_BEFORE: Final = re.compile(rf"{_DUR}\s*[:=\-]?\s*$")
_HOUR_WORDS: Final = {"uur", "uren", "hours", "hour", "hrs", "hr", "h", "u", "ore", "ora", "godz",
                      "stunde", "stunden", "std", "fh", "per hour", "per uur", "hourly", "ph",
                      "pu", "p/u", "p.u."}
_HALF: Final = {"half", "halve", "halbe", "1/2"}
@dataclass(frozen=True, slots=True)
class Rates:
    """Currency table from currencies.yaml."""

    to_eur: dict[str, float]
    symbols: dict[str, str]
    region_currency: dict[str, str]


@cache
def rates() -> Rates:
    """Load the currency table once."""
    data = read_yaml("currencies.yaml")
    symbols = {fold_pattern(str(k)): str(v) for k, v in data["symbols"].items()}
    return Rates({str(k): float(v) for k, v in data["to_eur"].items()}, symbols,
                 {str(k): str(v) for k, v in data["region_currency"].items()})


def _minutes(n: str | None, unit: str | None, bare: str | None) -> int | None:
    if bare:
        if bare in ("halfuur", "half hour", "half uur", "hh"):
            return 30
        if bare in ("qv", "quickie"):
            return 15
        return 60
    if unit is None:
        return None
    count = 1.0
    if n in _HALF:
        count = 0.5
    elif n in ("anderhalf", "1,5", "1.5"):
        count = 1.5
    elif n in ("een", "one"):
        count = 1
    elif n in ("two", "twee"):
        count = 2
    elif n is not None:
        count = float(n)
    if unit.startswith("min"):
        return int(count) if 5 <= count <= 600 else None
    if unit in _HOUR_WORDS or unit.startswith("stund"):
        return int(count * 60) if 0 < count <= 12 else None
    return None


def _duration(m: re.Match[str] | None) -> int | None:
    if m is None:
        return None
    return _minutes(m.group("n"), m.group("u"), m.group("bare"))


def stage(ctx: Context) -> None:
    """Pipeline stage: fill ``result.prices`` (amount, currency, minutes, euros per hour)."""
    text = ctx.folded.text
    table = rates()
    default_currency = table.region_currency.get(ctx.ad.region, "EUR")
    found: list[Found] = []
    for m in _AMOUNT.finditer(text):
        start, end = m.span()
        if start and text[start - 1] in "0123456789.,":
            continue  # part of a longer number
        currency = None
        before = _CUR_BEFORE.search(text, max(0, start - 6), start)
        after = _CUR_AFTER.match(text, end)
        if before is not None:
            currency, start = table.symbols.get(before.group(1)), before.start()
        elif after is not None:
            currency, end = table.symbols.get(after.group(1)), after.end()
        minutes: int | None = None
        following = _AFTER.match(text, end)
        if following is not None and currency is not None:
            minutes = 60 if following.group("ph") else _duration(following)
            if minutes is not None:
                end = following.end()
        if currency is None:
            rate = _RATE_AFTER.match(text, end)
            if rate is not None:  # "150/h", "120 hh", "95hr": a rate without currency
                unit = rate.group("u1") or rate.group("u2")
                minutes = _minutes(None, None, unit) if unit in ("hh", "qv", "fh") else 60
                end = rate.end()
        if minutes is None:
            preceding = _BEFORE.search(text, max(0, start - 24), start)
            if preceding is not None:
                minutes = _duration(preceding)
                start = preceding.start() if minutes is not None else start
        if currency is None and minutes is None:
            continue  # a bare number: an age, a house number, not a price
        _add(ctx, found, table, m.group(), currency or default_currency, minutes, start, end)
    ctx.result.prices = found
    ctx.inc("prices/found", len(found))


def _add(ctx: Context, found: list[Found], table: Rates, amount_text: str, currency: str,
         minutes: int | None, start: int, end: int) -> None:
    amount = float(amount_text.replace(",", "."))
    assumed = minutes is None
    minutes = 60 if minutes is None else minutes
    per_hour = amount * table.to_eur.get(currency, 1.0) * 60 / minutes
    if 10 <= amount <= 10000 and 5 <= per_hour <= 5000:
        found.append(Found(f"{per_hour:.2f}", ctx.evidence(start, end), {
            "amount": amount, "currency": currency, "minutes": minutes,
            "eur_per_hour": round(per_hour, 2), "assumed_hour": assumed}))
