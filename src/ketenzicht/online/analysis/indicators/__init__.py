"""Trafficking indicators for online ads: a data catalogue and the rules that raise its flags.

Every flag carries the span of the ad that raised it, so an analyst can check the machine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from ketenzicht.online.analysis.extraction.types import Context, Evidence, Flag
from ketenzicht.online.analysis.indicators.catalogue import Catalogue, Indicator, catalogue

__all__ = ["Catalogue", "Indicator", "catalogue", "evaluate", "stage"]

ADULT_AGE: Final = 18
# A pattern match contains its trigger, so it lies within this many characters of it.
SPOT_BEFORE: Final = 48
SPOT_AFTER: Final = 64


def _phone_obscured(ctx: Context, indicator: Indicator) -> Evidence | None:
    for phone in ctx.result.phones:
        if phone.styles:
            return phone.evidence
    return None


def _minor_age(ctx: Context, indicator: Indicator) -> Evidence | None:
    minors = [a for a in ctx.result.ages if int(a.value) < ADULT_AGE]
    return min(minors, key=lambda a: int(a.value)).evidence if minors else None


def _origin_stated(ctx: Context, indicator: Indicator) -> Evidence | None:
    return ctx.result.origins[0].evidence if ctx.result.origins else None


def _price_below(ctx: Context, indicator: Indicator) -> Evidence | None:
    limit = indicator.params.get("eur_per_hour_below", 0.0)
    for price in ctx.result.prices:
        if not price.get("assumed_hour") and float(price.get("eur_per_hour")) < limit:
            return price.evidence
    return None


_SIGNALS: Final[dict[str, Callable[[Context, Indicator], Evidence | None]]] = {
    "phone_obscured": _phone_obscured,
    "minor_age": _minor_age,
    "origin_stated": _origin_stated,
    "price_below": _price_below,
}


def _first_match(ctx: Context, regex: re.Pattern[str], spots: list[int]) -> Evidence | None:
    """The first match of ``regex`` near one of the trigger positions, as evidence."""
    text = ctx.folded.text
    for spot in spots:
        m = regex.search(text, max(0, spot - SPOT_BEFORE), spot + SPOT_AFTER)
        if m is not None:
            return ctx.evidence(m.start(), m.end())
    return None


def evaluate(ctx: Context, cat: Catalogue | None = None) -> list[Flag]:
    """Raise the catalogue's flags for one ad whose extraction stages have run."""
    cat = cat or catalogue()
    text = ctx.folded.text
    # Where each candidate indicator's triggers occur; its regexes only search around them.
    spots: dict[str, list[int]] = {}
    if cat.triggers is not None:
        for m in cat.triggers.finditer(text):
            for code in cat.by_trigger[m.group()]:
                spots.setdefault(code, []).append(m.start())
    flags: list[Flag] = []
    for indicator in cat.indicators:
        evidence: Evidence | None = None
        if indicator.kind == "pattern":
            if indicator.code in spots and indicator.regex is not None:
                evidence = _first_match(ctx, indicator.regex, spots[indicator.code])
        else:
            evidence = _SIGNALS[indicator.signal or ""](ctx, indicator)
        if evidence is not None:
            flags.append(Flag(indicator.code, indicator.weight, evidence))
    return flags


def stage(ctx: Context) -> None:
    """Pipeline stage: fill ``result.indicators`` (must run after the extractors)."""
    ctx.result.indicators = evaluate(ctx)
    for flag in ctx.result.indicators:
        ctx.inc(f"indicators/{flag.code}")
