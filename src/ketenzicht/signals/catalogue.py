"""The ILO/EC indicators, the Dutch checklists and HTCDS values, loaded and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ketenzicht.signals.enums import Dimension, Grade, Profile


class CatalogueError(ValueError):
    """A data file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Label:
    """A text in both languages of the platform."""

    nl: str
    en: str

    def text(self, locale: str) -> str:
        """The text in ``locale`` (Dutch unless English is asked for)."""
        return self.en if locale == "en" else self.nl


@dataclass(frozen=True)
class ProfileList:
    """One ILO/EC list: per dimension, the grade of each indicator it contains."""

    profile: Profile
    page: int
    verification: str
    grades: dict[Dimension, dict[str, Grade]]

    def grade_of(self, code: str) -> tuple[Dimension, Grade] | None:
        """The dimension and grade of ``code`` in this profile, or None if it is not listed."""
        for dimension, graded in self.grades.items():
            if code in graded:
                return dimension, graded[code]
        return None


@dataclass(frozen=True)
class ChecklistItem:
    """One tick box of a Dutch checklist or an HTCDS value, with the ILO codes it stands for."""

    code: str
    checklist: str
    cluster: str
    label: Label
    ilo: tuple[str, ...]


@dataclass(frozen=True)
class Cluster:
    """A group of items within a checklist."""

    key: str
    label: Label
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Checklist:
    """A Dutch signal list, with its source."""

    key: str
    label: Label
    source: str
    clusters: tuple[Cluster, ...]


@dataclass(frozen=True)
class Catalogue:
    """Everything the intake form offers and screening scores."""

    source: dict[str, Any]
    dimension_labels: dict[Dimension, Label]
    indicators: dict[str, Label]
    indicator_dimension: dict[str, Dimension]
    profiles: dict[Profile, ProfileList]
    checklists: tuple[Checklist, ...]
    items: dict[str, ChecklistItem]
    control_methods: dict[str, ChecklistItem]
    recruiter_relations: dict[str, Label]
    isic_sections: dict[str, Label]

    def indicators_by_dimension(self) -> dict[Dimension, list[str]]:
        """Indicator codes grouped by dimension, in file order (for the form)."""
        out: dict[Dimension, list[str]] = {d: [] for d in Dimension}
        for code, dimension in self.indicator_dimension.items():
            out[dimension].append(code)
        return out

    def unknown_codes(self, indicators: list[str], items: list[str],
                      control_methods: list[str]) -> list[str]:
        """Codes that are in none of the lists (the intake refuses them)."""
        return sorted({c for c in indicators if c not in self.indicators}
                      | {c for c in items if c not in self.items}
                      | {c for c in control_methods if c not in self.control_methods})


def _label(entry: Any, where: str, allowed: frozenset[str] = frozenset({"nl", "en"})
           ) -> Label:
    if not isinstance(entry, dict) or not entry.get("nl") or not entry.get("en"):
        raise CatalogueError(f"{where}: needs 'nl' and 'en' texts")
    # An unquoted comma inside a YAML flow mapping silently cuts a text and makes the rest
    # a key; refusing unknown keys catches that.
    if set(entry) - allowed:
        raise CatalogueError(f"{where}: unexpected keys {sorted(set(entry) - allowed)} "
                             "(quote texts that contain commas)")
    return Label(nl=str(entry["nl"]), en=str(entry["en"]))


def _load(name: str) -> dict[str, Any]:
    text = resources.files("ketenzicht.signals.data").joinpath(name).read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise CatalogueError(f"{name}: not a mapping")
    return data


def _profiles(data: dict[str, Any], indicators: dict[str, Label],
              dim_of: dict[str, Dimension]) -> dict[Profile, ProfileList]:
    out: dict[Profile, ProfileList] = {}
    for profile in Profile:
        entry = data["profiles"].get(profile.value)
        if not entry or not entry.get("page") or not entry.get("verification"):
            raise CatalogueError(f"profile {profile}: needs 'page' and 'verification'")
        grades: dict[Dimension, dict[str, Grade]] = {}
        for dimension in Dimension:
            graded: dict[str, Grade] = {}
            for grade in Grade:
                for code in entry["dimensions"][dimension.value].get(grade.value) or []:
                    if code not in indicators:
                        raise CatalogueError(f"{profile}/{dimension}: unknown indicator {code}")
                    if dim_of[code] is not dimension:
                        raise CatalogueError(f"{profile}: {code} listed under {dimension}")
                    if code in graded:
                        raise CatalogueError(f"{profile}/{dimension}: {code} graded twice")
                    graded[code] = grade
            grades[dimension] = graded
        out[profile] = ProfileList(profile, int(entry["page"]), str(entry["verification"]),
                                   grades)
    return out


def _item(code: str, entry: dict[str, Any], checklist: str, cluster: str,
          indicators: dict[str, Label]) -> ChecklistItem:
    codes = tuple(entry.get("ilo") or ())
    for ilo in codes:
        if ilo not in indicators:
            raise CatalogueError(f"{checklist}/{code}: unknown ILO code {ilo}")
    return ChecklistItem(code, checklist, cluster,
                         _label(entry, code, frozenset({"nl", "en", "ilo"})), codes)


@cache
def catalogue() -> Catalogue:
    """The catalogue, loaded once and checked for consistency."""
    ilo = _load("ilo_indicators.yaml")
    lists = _load("checklists.yaml")
    dimension_labels: dict[Dimension, Label] = {}
    prefix_to_dim: dict[str, Dimension] = {}
    for dimension in Dimension:
        entry = ilo["dimensions"][dimension.value]
        dimension_labels[dimension] = _label(entry, dimension.value,
                                             frozenset({"nl", "en", "prefix"}))
        prefix_to_dim[str(entry["prefix"])] = dimension
    indicators: dict[str, Label] = {}
    dim_of: dict[str, Dimension] = {}
    for code, entry in ilo["indicators"].items():
        prefix = str(code).split("_", 1)[0]
        if prefix not in prefix_to_dim:
            raise CatalogueError(f"indicator {code}: unknown prefix {prefix}")
        indicators[str(code)] = _label(entry, str(code))
        dim_of[str(code)] = prefix_to_dim[prefix]
    profiles = _profiles(ilo, indicators, dim_of)
    checklists: list[Checklist] = []
    items: dict[str, ChecklistItem] = {}
    for key, entry in lists["checklists"].items():
        clusters = []
        for ckey, centry in entry["clusters"].items():
            made = tuple(_item(str(code), ie, key, ckey, indicators)
                         for code, ie in centry["items"].items())
            for item in made:
                if item.code in items:
                    raise CatalogueError(f"checklist item {item.code} appears twice")
                items[item.code] = item
            clusters.append(Cluster(ckey, _label(centry, ckey, frozenset({"nl", "en", "items"})),
                                    made))
        checklists.append(Checklist(key, _label(entry, key, frozenset(
            {"nl", "en", "source", "clusters"})), str(entry["source"]),
                                    tuple(clusters)))
    control = {str(code): _item(str(code), e, "htcds", "control", indicators)
               for code, e in lists["htcds"]["control_methods"].items()}
    relations = {str(code): _label(e, str(code))
                 for code, e in lists["htcds"]["recruiter_relations"].items()}
    isic = {str(code): _label(e, str(code)) for code, e in lists["isic_sections"].items()}
    return Catalogue(source=dict(ilo["source"]), dimension_labels=dimension_labels,
                     indicators=indicators, indicator_dimension=dim_of, profiles=profiles,
                     checklists=tuple(checklists), items=items, control_methods=control,
                     recruiter_relations=relations, isic_sections=isic)
