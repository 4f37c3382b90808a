"""Campaign triggers and message templates, read from ``data/campaigns.yaml``.

A trigger classifies a *counterpart's* message: ``buy_intent`` (asks for a price, a booking
or a meeting, or names a price) and ``age_confirmation`` (confirms or shrugs off that the
persona is a minor). Each hit says why, quoting the words that decided it, so the operator
and later the defence can check why a warning went out. The words and numbers are data;
the sentences are here, through Babel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ketenzicht.core.i18n import N_
from ketenzicht.operations.frame import UNVERIFIED, terms_pattern
from ketenzicht.operations.frame import load as load_frame

CAMPAIGN_FILE = Path(__file__).resolve().parent / "data" / "campaigns.yaml"
#: The selfcheck's languages (``selfcheck.i18n.LOCALES``), in its menu order.
LANGUAGES: tuple[str, ...] = ("nl", "en", "pl", "ro", "bg", "uk", "es")
KINDS = ("buy_intent", "age_confirmation")
OUTREACH = "outreach"

TITLES: dict[str, str] = {
    "buy_intent": N_("intent to buy"),
    "age_confirmation": N_("age confirmation"),
    OUTREACH: N_("outreach"),
}
_REASON_TERMS: dict[str, str] = {
    "buy_intent": N_("The counterpart asks for or names a price, a booking or a meeting "
                     "(%(words)s): an intent to buy."),
    "age_confirmation": N_("The counterpart confirms or dismisses that the persona is a "
                           "minor (%(words)s)."),
}
_REASON_AGE = N_("The counterpart speaks of the age %(age)s, below %(below)s: an age "
                 "confirmation.")


@dataclass(frozen=True)
class Hit:
    """One trigger that fired on one counterpart message, and why."""

    kind: str
    seq: int
    reason: str
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    """A message in one language, and whether a native speaker has checked it."""

    text: str
    verification: str

    @property
    def needs_check(self) -> bool:
        """Whether the translation still waits for a native speaker."""
        return UNVERIFIED in self.verification


@dataclass(frozen=True)
class Rules:
    """The triggers' word lists and thresholds, and the templates per kind and language."""

    terms: dict[str, re.Pattern[str]]
    price: bool
    age_below: int
    age_pattern: re.Pattern[str]
    templates: dict[str, dict[str, Template]]

    def unverified(self) -> list[str]:
        """``kind/language`` of every template still marked NEEDS CHECK."""
        return [f"{k}/{lang}" for k, by in self.templates.items() for lang, t in by.items()
                if t.needs_check]


def parse(raw: dict[str, Any]) -> Rules:
    """Build the rules from the YAML's structure; a missing key fails at start-up."""
    trig = raw["triggers"]
    templates = {kind: {lang: Template(str(t["text"]), str(t["verification"]))
                        for lang, t in by.items()} for kind, by in raw["templates"].items()}
    for kind in (*KINDS, OUTREACH):
        missing = set(LANGUAGES) - set(templates[kind])
        if missing:
            raise ValueError(f"campaign template {kind} lacks {sorted(missing)}")
    return Rules(terms={k: terms_pattern(tuple(trig[k]["terms"])) for k in KINDS},
                 price=bool(trig["buy_intent"].get("price")),
                 age_below=int(trig["age_confirmation"]["age_below"]),
                 age_pattern=re.compile(trig["age_confirmation"]["age_pattern"], re.IGNORECASE),
                 templates=templates)


@cache
def load() -> Rules:
    """The rules in force (read once per process)."""
    return parse(yaml.safe_load(CAMPAIGN_FILE.read_text(encoding="utf-8")))


def classify(text: str, seq: int, kinds: Sequence[str] = KINDS) -> list[Hit]:
    """The triggers among ``kinds`` that fire on one counterpart message."""
    rules = load()
    hits: list[Hit] = []
    if "buy_intent" in kinds:
        words = [m.group(0) for m in rules.terms["buy_intent"].finditer(text)]
        if rules.price:
            words += [m.group(0) for m in load_frame().price_pattern.finditer(text)]
        if words:
            hits.append(Hit("buy_intent", seq, _REASON_TERMS["buy_intent"],
                            {"words": ", ".join(f"'{w}'" for w in words)}))
    if "age_confirmation" in kinds:
        words = [m.group(0) for m in rules.terms["age_confirmation"].finditer(text)]
        ages = [int(next(g for g in m.groups() if g))
                for m in rules.age_pattern.finditer(text)]
        young = [a for a in ages if a < rules.age_below]
        if words:
            hits.append(Hit("age_confirmation", seq, _REASON_TERMS["age_confirmation"],
                            {"words": ", ".join(f"'{w}'" for w in words)}))
        elif young:
            hits.append(Hit("age_confirmation", seq, _REASON_AGE,
                            {"age": young[0], "below": rules.age_below}))
    return hits


def render(kind: str, language: str, *, link: str, selfcheck: str = "") -> str:
    """The template of ``kind`` in ``language`` (English when there is none), filled in."""
    by = load().templates[kind]
    template = by.get(language) or by["en"]
    return template.text.replace("{link}", link).replace("{selfcheck}", selfcheck)
