"""Intake profiles: the first 8–12 signs a professional sees, in the words of their work.

Healthcare workers, labour inspectors, shelter staff and the police each meet trafficking
through different signs; a form that opens with 122 boxes from every list makes the signs of
their own work hard to find. A profile is data (``data/intake_profiles.yaml``): each sign
stands for items of the full lists, and ticking it ticks those items. Screening and its
explanation therefore do not change with the profile; only what is shown first does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ketenzicht.signals.catalogue import CatalogueError, Label, catalogue

#: The fields of the intake a sign may tick, as the form and ``SignalCreate`` name them.
TICK_FIELDS = ("checklist_items", "indicators", "control_methods")
MAX_SIGNS = 12  # the "8–12 signs": more is the full list again


@dataclass(frozen=True)
class Sign:
    """One sign of a profile and the items of the full lists it ticks."""

    key: str
    label: Label
    ticks: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class IntakeProfile:
    """The signs one kind of professional sees first, with the sources they paraphrase."""

    key: str
    label: Label
    org_types: tuple[str, ...]
    source: str
    signs: tuple[Sign, ...]


def _known(field: str) -> Mapping[str, object]:
    cat = catalogue()
    known: dict[str, Mapping[str, object]] = {
        "checklist_items": cat.items, "indicators": cat.indicators,
        "control_methods": cat.control_methods}
    return known[field]


def _sign(key: str, entry: Mapping[str, Any], profile: str) -> Sign:
    if not isinstance(entry, Mapping) or not entry.get("nl") or not entry.get("en"):
        raise CatalogueError(f"intake profile {profile}/{key}: needs 'nl' and 'en'")
    unknown = set(entry) - {"nl", "en", *TICK_FIELDS}
    if unknown:
        raise CatalogueError(f"intake profile {profile}/{key}: unknown keys {sorted(unknown)}")
    ticks: dict[str, tuple[str, ...]] = {}
    for field in TICK_FIELDS:
        codes = tuple(str(c) for c in entry.get(field) or ())
        missing = [c for c in codes if c not in _known(field)]
        if missing:
            raise CatalogueError(f"intake profile {profile}/{key}: unknown {field} {missing}")
        if codes:
            ticks[field] = codes
    if not ticks:
        raise CatalogueError(f"intake profile {profile}/{key}: ticks nothing")
    return Sign(key, Label(str(entry["nl"]), str(entry["en"])), ticks)


@cache
def profiles() -> dict[str, IntakeProfile]:
    """Every intake profile, loaded once and checked against the catalogue."""
    text = resources.files("ketenzicht.signals").joinpath("data/intake_profiles.yaml")
    data = yaml.safe_load(text.read_text(encoding="utf-8"))
    out: dict[str, IntakeProfile] = {}
    seen: set[str] = set()
    for key, entry in data["profiles"].items():
        signs = tuple(_sign(str(k), e, key) for k, e in entry["signs"].items())
        if not 1 <= len(signs) <= MAX_SIGNS:
            raise CatalogueError(f"intake profile {key}: {len(signs)} signs, not 1 to "
                                 f"{MAX_SIGNS}")
        for sign in signs:
            if sign.key in seen:
                raise CatalogueError(f"intake sign {sign.key} appears twice")
            seen.add(sign.key)
        out[str(key)] = IntakeProfile(
            str(key), Label(str(entry["nl"]), str(entry["en"])),
            tuple(str(t) for t in entry.get("org_types") or ()), " ".join(
                str(entry["source"]).split()), signs)
    return out


def profile_for(org_type: str, asked: str | None = None) -> IntakeProfile | None:
    """The profile asked for, else the one of the organisation type, else none."""
    known = profiles()
    if asked and asked in known:
        return known[asked]
    return next((p for p in known.values() if org_type in p.org_types), None)


def expand(signs: Iterable[str], payload: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The tick fields of ``payload`` with the items of every ticked sign added, in order.

    A sign that is no profile's is refused by the caller (``unknown_signs``), never dropped.
    """
    by_key = {s.key: s for p in profiles().values() for s in p.signs}
    out = {field: list(payload.get(field) or []) for field in TICK_FIELDS}
    for key in signs:
        sign = by_key.get(key)
        if sign is None:
            continue
        for field, codes in sign.ticks.items():
            out[field].extend(c for c in codes if c not in out[field])
    return out


def unknown_signs(signs: Iterable[str]) -> list[str]:
    """Sign keys that are no profile's (a tampered or outdated form)."""
    keys = {s.key for p in profiles().values() for s in p.signs}
    return sorted({s for s in signs if s not in keys})
