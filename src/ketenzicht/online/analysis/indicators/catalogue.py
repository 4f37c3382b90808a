"""The indicator catalogue: loaded from catalogue.yaml and checked before any ad is scored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

import yaml

from ketenzicht.online.analysis.extraction.normalize import fold_pattern, fold_word
from ketenzicht.online.analysis.extraction.numwords import trie_pattern

Kind = Literal["pattern", "derived"]
SIGNALS: Final = frozenset({"phone_obscured", "minor_age", "origin_stated", "price_below"})
_CODE: Final = re.compile(r"[A-Z][A-Z0-9_]+")


class CatalogueError(ValueError):
    """catalogue.yaml is malformed; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Indicator:
    """One catalogue entry."""

    code: str
    kind: Kind
    weight: float
    source: str
    description_nl: str
    description_en: str
    patterns: tuple[str, ...] = ()
    signal: str | None = None
    params: dict[str, float] = field(default_factory=dict)
    triggers: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All indicators, the source texts they cite, and one regex for all pattern indicators."""

    indicators: tuple[Indicator, ...]
    sources: dict[str, str]
    triggers: re.Pattern[str] | None  # all triggers of all pattern indicators
    by_trigger: dict[str, tuple[str, ...]]  # trigger -> codes it may raise

    def by_code(self, code: str) -> Indicator:
        """Look an indicator up by code."""
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)


def _text(entry: dict[str, Any], where: str, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _indicator(entry: dict[str, Any], sources: dict[str, str], index: int) -> Indicator:
    where = f"indicator #{index} ({entry.get('code', '?')})"
    code = _text(entry, where, "code")
    if not _CODE.fullmatch(code):
        raise CatalogueError(f"{where}: code must be UPPER_SNAKE_CASE")
    kind = entry.get("kind")
    if kind not in ("pattern", "derived"):
        raise CatalogueError(f"{where}: kind must be 'pattern' or 'derived'")
    weight = entry.get("weight")
    if not isinstance(weight, int | float) or not 0 <= float(weight) <= 1:
        raise CatalogueError(f"{where}: weight must be a number from 0 to 1")
    source = _text(entry, where, "source")
    if source not in sources:
        raise CatalogueError(f"{where}: source '{source}' is not listed under sources")
    description = entry.get("description")
    if not isinstance(description, dict):
        raise CatalogueError(f"{where}: description needs 'nl' and 'en'")
    patterns: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    regex = None
    signal = None
    if kind == "pattern":
        raw = entry.get("patterns")
        raw_triggers = entry.get("triggers")
        if not isinstance(raw, list) or not raw:
            raise CatalogueError(f"{where}: a pattern indicator needs a list of patterns")
        if not isinstance(raw_triggers, list) or not raw_triggers:
            raise CatalogueError(f"{where}: a pattern indicator needs a list of triggers")
        patterns = tuple(fold_pattern(str(p)) for p in raw)
        triggers = tuple(fold_word(str(t)) for t in raw_triggers)
        try:
            regex = re.compile("|".join(f"(?:{p})" for p in patterns))
        except re.error as exc:
            raise CatalogueError(f"{where}: bad pattern: {exc}") from exc
    else:
        signal = _text(entry, where, "signal")
        if signal not in SIGNALS:
            raise CatalogueError(f"{where}: unknown signal '{signal}'")
    params = {str(k): float(v) for k, v in (entry.get("params") or {}).items()}
    examples = tuple(str(e) for e in entry.get("examples") or [])
    return Indicator(code, kind, float(weight), source, _text(description, where, "nl"),
                     _text(description, where, "en"), patterns, signal, params, triggers,
                     examples, regex)


def parse(data: Any) -> Catalogue:
    """Validate a parsed catalogue document and compile its patterns."""
    if not isinstance(data, dict):
        raise CatalogueError("catalogue must be a mapping with 'sources' and 'indicators'")
    sources = data.get("sources")
    entries = data.get("indicators")
    if not isinstance(sources, dict) or not isinstance(entries, list):
        raise CatalogueError("catalogue needs 'sources' (mapping) and 'indicators' (list)")
    indicators = tuple(_indicator(e, sources, i) for i, e in enumerate(entries, 1))
    codes = [i.code for i in indicators]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise CatalogueError(f"duplicate indicator codes: {', '.join(duplicates)}")
    by_trigger: dict[str, list[str]] = {}
    for indicator in indicators:
        for trigger in indicator.triggers:
            by_trigger.setdefault(trigger, []).append(indicator.code)
    triggers = re.compile(trie_pattern(sorted(by_trigger))) if by_trigger else None
    return Catalogue(indicators, {str(k): str(v) for k, v in sources.items()}, triggers,
                     {k: tuple(v) for k, v in by_trigger.items()})


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded and validated once."""
    text = resources.files(__package__ or "ketenzicht.online.analysis.indicators").joinpath(
        "catalogue.yaml").read_text(encoding="utf-8")
    return parse(yaml.safe_load(text))
