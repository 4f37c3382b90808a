"""The routing table (data/routing.yaml, versioned) and the pure decision it makes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ketenzicht.signals.catalogue import Label
from ketenzicht.signals.enums import ExploitationForm

_WHEN_KEYS = frozenset({"form", "minor", "acute", "region"})


class RoutingTableError(ValueError):
    """routing.yaml is malformed; the message names the rule."""


@dataclass(frozen=True)
class Rule:
    """Match ``when`` (missing keys match anything) and hand the signal to ``targets``."""

    id: str
    when: dict[str, Any]
    targets: tuple[str, ...]
    deadline_hours: int

    def matches(self, facts: dict[str, Any]) -> bool:
        """Whether every condition of the rule holds for ``facts``."""
        return all(facts.get(key) == value for key, value in self.when.items())


@dataclass(frozen=True)
class RoutingTable:
    """The whole table: rules, care and escalation parties, units and regions."""

    version: str
    rules: tuple[Rule, ...]
    care_targets: tuple[str, ...]
    care_deadline_hours: int
    escalation_target: str
    escalation_deadline_hours: int
    units: dict[str, Label]
    regions: dict[str, Label]
    region_organisations: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Target:
    """One party that must answer: an organisation type, its unit, a deadline, and why."""

    org_type: str
    deadline_hours: int
    purpose: str  # "investigate" or "care"


@dataclass(frozen=True)
class Decision:
    """The routing of one signal, naming the table version and the rule that decided."""

    version: str
    rule_id: str
    targets: tuple[Target, ...]
    care_candidates: tuple[str, ...]


def _label(entry: dict[str, Any], where: str) -> Label:
    if not entry.get("nl") or not entry.get("en"):
        raise RoutingTableError(f"{where}: needs 'nl' and 'en'")
    return Label(str(entry["nl"]), str(entry["en"]))


def parse(data: dict[str, Any]) -> RoutingTable:
    """Check and build a table from its YAML content."""
    forms = {f.value for f in ExploitationForm}
    rules = []
    for raw in data["rules"]:
        when = dict(raw.get("when") or {})
        if set(when) - _WHEN_KEYS:
            raise RoutingTableError(f"rule {raw.get('id')}: unknown keys {set(when) - _WHEN_KEYS}")
        if "form" in when and when["form"] not in forms:
            raise RoutingTableError(f"rule {raw['id']}: unknown form {when['form']}")
        if not raw.get("targets"):
            raise RoutingTableError(f"rule {raw.get('id')}: no targets")
        rules.append(Rule(str(raw["id"]), when, tuple(raw["targets"]),
                          int(raw.get("deadline_hours", data["default_deadline_hours"]))))
    if rules[-1].when:
        raise RoutingTableError("the last rule must match everything (when: {})")
    regions = {str(k): _label(v, k) for k, v in data["regions"].items()}
    for where, entry in [*data["regions"].items(), *data["units"].items()]:
        if set(entry) - {"nl", "en", "organisations"}:
            raise RoutingTableError(f"{where}: unexpected keys (quote texts with commas)")
    return RoutingTable(
        version=str(data["version"]), rules=tuple(rules),
        care_targets=tuple(data["care"]["targets"]),
        care_deadline_hours=int(data["care"]["deadline_hours"]),
        escalation_target=str(data["escalation"]["target"]),
        escalation_deadline_hours=int(data["escalation"]["deadline_hours"]),
        units={str(k): _label(v, k) for k, v in data["units"].items()},
        regions=regions,
        region_organisations={k: dict(v.get("organisations") or {})
                              for k, v in data["regions"].items()},
    )


@cache
def table() -> RoutingTable:
    """The shipped routing table."""
    text = resources.files("ketenzicht.signals.data").joinpath("routing.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))


def decide(tbl: RoutingTable, *, form: ExploitationForm, minor: bool | None, acute: bool,
           region: str | None) -> Decision:
    """Who must answer this signal and by when.

    An unknown age counts as a minor: in doubt, the chain treats a person as a child.
    """
    facts = {"form": form.value, "minor": minor is not False, "acute": acute, "region": region}
    rule = next(r for r in tbl.rules if r.matches(facts))
    targets = [Target(t, rule.deadline_hours, "investigate") for t in rule.targets]
    return Decision(tbl.version, rule.id, tuple(targets),
                    tuple(t for t in tbl.care_targets if t not in rule.targets))
