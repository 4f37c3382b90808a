"""The routing table (data/routing.yaml, versioned) and the pure decision it makes.

Routing is additive: every matching rule adds its parties, each with its reason; a party
named twice gets one target with the most pressing purpose and the shortest deadline.
Which organisation is a party for a signal's region and place comes from ``chain``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ketenzicht.signals.catalogue import Label
from ketenzicht.signals.chain import Chain, chain, fold
from ketenzicht.signals.enums import ExploitationForm

# ``minor`` takes three values: True, False and "unknown" (an unknown age is no minor, but
# goes both the adult route and to youth protection).
_WHEN_KEYS = frozenset({"form", "minor", "acute", "region", "border", "presumed_victim"})
UNKNOWN_AGE = "unknown"
# Most pressing first: when rules give one party several purposes, the first one wins.
PURPOSES = ("investigate", "youth", "care", "inform")
SCOPES = frozenset({"national", "police", "veilig_thuis", "centrumgemeente"})


class RoutingTableError(ValueError):
    """routing.yaml is malformed; the message names the rule."""


@dataclass(frozen=True)
class Party:
    """Who a rule can name: an organisation type and how its organisation is found."""

    key: str
    org_type: str
    scope: str
    unit: Label


@dataclass(frozen=True)
class Rule:
    """Match ``when`` (missing keys match anything, a list any of its values)."""

    id: str
    when: dict[str, Any]
    targets: tuple[str, ...]
    purpose: str
    deadline_hours: int
    reason: Label

    def matches(self, facts: dict[str, Any]) -> bool:
        """Whether every condition of the rule holds for ``facts``."""
        for key, wanted in self.when.items():
            options = wanted if isinstance(wanted, list) else [wanted]
            # ``True == 1`` in Python: compare by type too, so "unknown" never equals True.
            if not any(type(o) is type(facts.get(key)) and o == facts.get(key)
                       for o in options):
                return False
        return True


@dataclass(frozen=True)
class RoutingTable:
    """The whole table: parties, rules, acute caps, escalation and regions."""

    version: str
    parties: dict[str, Party]
    rules: tuple[Rule, ...]
    fallback: Rule
    acute_deadline_hours: dict[str, int]
    border_indicators: frozenset[str]
    forward_deadline_hours: int
    escalation_target: str
    escalation_deadline_hours: int
    regions: dict[str, Label]

    def rule(self, rule_id: str) -> Rule | None:
        """A rule by its id (the fallback included)."""
        return next((r for r in (*self.rules, self.fallback) if r.id == rule_id), None)


@dataclass(frozen=True)
class Target:
    """One party that must answer: its organisation codes, a deadline, and why.

    ``codes`` are the organisations that are this party for the signal (the region's, and
    demo organisations standing in); ``fallback_codes`` are tried next (the Landelijke
    Eenheid for the police). ``via`` says how the region was found: ``national``, ``region``
    (the police unit), ``place`` (the place named a Veilig Thuis region), ``unit-default``
    (the place did not: the unit's first region), ``reporter`` (no region or listed place:
    the reporting organisation's region) or ``no-region``.
    """

    party: str
    org_type: str
    deadline_hours: int
    purpose: str  # investigate, youth, care or inform
    rule_ids: tuple[str, ...]
    codes: tuple[str, ...]
    fallback_codes: tuple[str, ...]
    via: str
    area: str  # the name of the region or organisation the codes serve ("" if none)


@dataclass(frozen=True)
class Decision:
    """The routing of one signal, naming the table version and the rules that decided."""

    version: str
    rule_id: str  # the matching rules' ids joined by "+", as stored on the signal
    rule_ids: tuple[str, ...]
    targets: tuple[Target, ...]


def _label(entry: dict[str, Any], where: str) -> Label:
    if not entry.get("nl") or not entry.get("en"):
        raise RoutingTableError(f"{where}: needs 'nl' and 'en'")
    return Label(str(entry["nl"]), str(entry["en"]))


def _rule(raw: dict[str, Any], parties: dict[str, Party], forms: set[str]) -> Rule:
    rid = str(raw.get("id"))
    when = dict(raw.get("when") or {})
    if set(when) - _WHEN_KEYS:
        raise RoutingTableError(f"rule {rid}: unknown keys {set(when) - _WHEN_KEYS}")
    wanted_forms = when.get("form", [])
    for form in wanted_forms if isinstance(wanted_forms, list) else [wanted_forms]:
        if form not in forms:
            raise RoutingTableError(f"rule {rid}: unknown form {form}")
    minors = when.get("minor", [])
    for value in minors if isinstance(minors, list) else [minors]:
        if value not in (True, False, UNKNOWN_AGE):
            raise RoutingTableError(f"rule {rid}: minor is true, false or unknown")
    targets = tuple(raw.get("targets") or ())
    if not targets:
        raise RoutingTableError(f"rule {rid}: no targets")
    if set(targets) - set(parties):
        raise RoutingTableError(f"rule {rid}: unknown parties {set(targets) - set(parties)}")
    if raw.get("purpose") not in PURPOSES:
        raise RoutingTableError(f"rule {rid}: purpose is one of {', '.join(PURPOSES)}")
    return Rule(rid, when, targets, str(raw["purpose"]), int(raw["deadline_hours"]),
                _label(raw, f"rule {rid}"))


def parse(data: dict[str, Any]) -> RoutingTable:
    """Check and build a table from its YAML content."""
    forms = {f.value for f in ExploitationForm}
    parties = {}
    for key, raw in data["parties"].items():
        if raw.get("scope") not in SCOPES:
            raise RoutingTableError(f"party {key}: scope is one of {sorted(SCOPES)}")
        parties[str(key)] = Party(str(key), str(raw["org_type"]), str(raw["scope"]),
                                  _label(raw, f"party {key}"))
    rules = tuple(_rule(raw, parties, forms) for raw in data["rules"])
    if len({r.id for r in rules}) != len(rules):
        raise RoutingTableError("rule ids must be unique")
    caps = {str(k): int(v) for k, v in (data.get("acute_deadline_hours") or {}).items()}
    if set(caps) != set(PURPOSES):
        raise RoutingTableError(f"acute_deadline_hours names each of {', '.join(PURPOSES)}")
    regions = {}
    for key, entry in data["regions"].items():
        if set(entry) - {"nl", "en"}:
            raise RoutingTableError(f"{key}: unexpected keys (quote texts with commas)")
        regions[str(key)] = _label(entry, key)
    return RoutingTable(
        version=str(data["version"]), parties=parties, rules=rules,
        fallback=_rule(data["fallback"], parties, forms), acute_deadline_hours=caps,
        border_indicators=frozenset(data.get("border_indicators") or ()),
        forward_deadline_hours=int(data["forward_deadline_hours"]),
        escalation_target=str(data["escalation"]["target"]),
        escalation_deadline_hours=int(data["escalation"]["deadline_hours"]),
        regions=regions)


@cache
def table() -> RoutingTable:
    """The shipped routing table."""
    text = resources.files("ketenzicht.signals.data").joinpath("routing.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))


def age_fact(minor: bool | None) -> bool | str:
    """The ``minor`` fact: True, False, or "unknown" (never taken for a minor)."""
    return UNKNOWN_AGE if minor is None else minor


def is_border(tbl: RoutingTable, ref: Chain, *, place: str, indicators: tuple[str, ...]
              ) -> bool:
    """A border post as the place, or an indicator of being moved across a border."""
    return fold(place) in ref.border_places or bool(tbl.border_indicators & set(indicators))


def _where(party: Party, ref: Chain, region: str | None, place: str
           ) -> tuple[tuple[str, ...], tuple[str, ...], str, str]:
    """Codes, fallback codes, ``via`` and the area for one party."""
    if party.scope == "national":
        org = ref.national[party.key]
        return ref.codes(org.code), (), "national", org.name
    fallback = ref.codes(ref.national["landelijke_eenheid"].code) \
        if party.scope == "police" else ()
    if region is None or region not in ref.police:
        return (), fallback, "no-region", ""
    if party.scope == "police":
        unit = ref.police[region]
        return ref.codes(unit.code), fallback, "region", unit.name
    vt, named = ref.region_of(region, place)
    if vt is None:
        return (), fallback, "no-region", ""
    org = ref.vt_orgs[vt.key] if party.scope == "veilig_thuis" else ref.centrumgemeenten[vt.key]
    return ref.codes(org.code), fallback, "place" if named else "unit-default", org.name


def _locate(ref: Chain, region: str | None, place: str, reporter_region: str | None
            ) -> tuple[str | None, bool]:
    """The police unit to route in, and whether it is the reporter's (nothing else said)."""
    if region is not None:
        return region, False
    by_place = ref.police_of_place(place)
    if by_place is not None:
        return by_place, False
    return reporter_region, reporter_region is not None


def area(party: Party, region: str | None, place: str, ref: Chain | None = None,
         reporter_region: str | None = None) -> str:
    """The name of the region or organisation ``party`` is for this region and place."""
    ref = ref or chain()
    where, _reporter = _locate(ref, region, place, reporter_region)
    return _where(party, ref, where, place)[3]


def decide(tbl: RoutingTable, *, form: ExploitationForm, minor: bool | None, acute: bool,
           region: str | None, place: str = "", indicators: tuple[str, ...] = (),
           presumed_victim: bool = False, reporter_region: str | None = None,
           ref: Chain | None = None) -> Decision:
    """Who must answer this signal, by when and why; every matching rule adds its parties.

    The region is the signal's; else the police unit of its place; else the reporting
    organisation's (``reporter_region``), and the targets say so (``via="reporter"``).
    """
    ref = ref or chain()
    facts: dict[str, Any] = {
        "form": form.value, "minor": age_fact(minor), "acute": acute, "region": region,
        "border": is_border(tbl, ref, place=place, indicators=indicators),
        "presumed_victim": presumed_victim}
    matched = [r for r in tbl.rules if r.matches(facts)] or [tbl.fallback]
    merged: dict[str, dict[str, Any]] = {}
    for rule in matched:
        for party in rule.targets:
            hours = rule.deadline_hours
            if acute:
                hours = min(hours, tbl.acute_deadline_hours[rule.purpose])
            entry = merged.setdefault(party, {"purpose": rule.purpose, "hours": hours,
                                              "rules": []})
            if PURPOSES.index(rule.purpose) < PURPOSES.index(entry["purpose"]):
                entry["purpose"] = rule.purpose
            entry["hours"] = min(entry["hours"], hours)
            entry["rules"].append(rule.id)
    where, reporter = _locate(ref, region, place, reporter_region)
    targets = []
    for key, entry in merged.items():
        spec = tbl.parties[key]
        codes, fallback, via, served = _where(spec, ref, where, place)
        if reporter and via != "national":
            via = "reporter"
        targets.append(Target(key, spec.org_type, entry["hours"], entry["purpose"],
                              tuple(entry["rules"]), codes, fallback, via, served))
    targets.sort(key=lambda t: (PURPOSES.index(t.purpose), t.deadline_hours))
    ids = tuple(r.id for r in matched)
    return Decision(tbl.version, "+".join(ids), ids, tuple(targets))
