"""Reference data of the chain (data/chain.yaml): which organisation serves which region.

Pure and cached: police units, the national parties, the Veilig Thuis regions with their
centrumgemeente, the places that put a signal in a region, and each organisation's contact
(a named function and a channel; synthetic in the shipped file).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

NEEDS_CHECK = "NEEDS CHECK"


class ChainDataError(ValueError):
    """chain.yaml is malformed; the message names the entry."""


@dataclass(frozen=True)
class Contact:
    """Whom to contact: a function (never a person's name), a phone line and a channel."""

    function: str
    phone: str
    channel: str


@dataclass(frozen=True)
class ChainOrg:
    """One organisation of the reference data, by its code in Ketenzicht."""

    code: str
    name: str
    party: str  # politie, veilig_thuis, zorgcoordinatie, arbeidsinspectie, kmar, comensha
    contact: Contact
    check: str = ""


@dataclass(frozen=True)
class VeiligThuisRegion:
    """A Veilig Thuis region: its police unit, centrumgemeente and places."""

    key: str
    name: str
    police: str
    centrumgemeente: str
    places: tuple[str, ...]
    check: str = ""

    @property
    def folded(self) -> frozenset[str]:
        """The places folded for comparison (computed once per region)."""
        return _folded(self.places)


@dataclass(frozen=True)
class Chain:
    """The whole reference file."""

    date: str
    sources: dict[str, str]
    national: dict[str, ChainOrg]
    police: dict[str, ChainOrg]
    vt_regions: dict[str, VeiligThuisRegion]
    vt_orgs: dict[str, ChainOrg]
    centrumgemeenten: dict[str, ChainOrg]
    border_places: frozenset[str]
    demo: dict[str, tuple[str, ...]]  # a reference code -> the demo codes standing in
    demo_region: str
    demo_organisations: frozenset[str]

    def all_orgs(self) -> list[ChainOrg]:
        """Every organisation of the file."""
        return [*self.national.values(), *self.police.values(), *self.vt_orgs.values(),
                *self.centrumgemeenten.values()]

    def by_code(self, code: str) -> ChainOrg | None:
        """The entry for an organisation code, also for a demo organisation standing in."""
        for org in self.all_orgs():
            if org.code == code or code in self.demo.get(org.code, ()):
                return org
        return None

    def codes(self, code: str) -> tuple[str, ...]:
        """An entry's code and the demo codes that stand in for it."""
        return (code, *self.demo.get(code, ()))

    def region_of(self, police: str, place: str) -> tuple[VeiligThuisRegion | None, bool]:
        """The Veilig Thuis region of a place within a police unit.

        Returns the region and whether it is certain: the place named it, or the unit has
        only one region. A place not listed (or in another unit) falls to the unit's first
        region, with False.
        """
        in_unit = [r for r in self.vt_regions.values() if r.police == police]
        if len(in_unit) == 1:
            return in_unit[0], True
        key = fold(place)
        for region in in_unit:
            if key and key in region.folded:
                return region, True
        return (in_unit[0] if in_unit else None), False

    def region_of_code(self, code: str) -> str | None:
        """The police unit an organisation of the reference data (or of the demo) serves."""
        if code in self.demo_organisations:
            return self.demo_region
        for key, unit in self.police.items():
            if unit.code == code:
                return key
        for vt in self.vt_regions.values():
            if code in (self.vt_orgs[vt.key].code, self.centrumgemeenten[vt.key].code):
                return vt.police
        return None

    def police_of_place(self, place: str) -> str | None:
        """The police unit of a listed place (anywhere in the country), else None."""
        key = fold(place)
        for region in self.vt_regions.values():
            if key in region.folded:
                return region.police
        return None

    def unchecked(self) -> list[str]:
        """Organisations marked NEEDS CHECK, as ``party:code``, sorted."""
        return sorted(f"{o.party}:{o.code}" for o in self.all_orgs() if NEEDS_CHECK in o.check)


def fold(text: str) -> str:
    """A place name for comparison: no accents, case, apostrophes or punctuation."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.replace("'", "")).split())


@cache
def _folded(places: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(p) for p in places)


def slug(text: str) -> str:
    """A code part from a name: ``'s-Hertogenbosch`` -> ``s-hertogenbosch``."""
    return fold(text).replace(" ", "-")


def _contact(raw: dict[str, Any] | None, *, function: str, phone: str, mailbox: str
             ) -> Contact:
    raw = raw or {}
    return Contact(str(raw.get("function", function)), str(raw.get("phone", phone)),
                   str(raw.get("channel", f"Veilig Mailen: {mailbox}")))


def parse(data: dict[str, Any]) -> Chain:
    """Check and build the reference data from its YAML content."""
    national = {}
    for party, raw in data["national"].items():
        national[str(party)] = ChainOrg(
            str(raw["code"]), str(raw["name"]),
            "politie" if party == "landelijke_eenheid" else str(party),
            _contact(raw.get("contact"), function="", phone="", mailbox=""))
    police = {}
    for n, (key, raw) in enumerate(data["police_units"].items(), start=1):
        unit = str(raw["name"]).split("Eenheid ")[-1]
        police[str(key)] = ChainOrg(str(raw["code"]), str(raw["name"]), "politie", _contact(
            raw.get("contact"), function=f"Mensenhandel-coördinator, Eenheid {unit}",
            phone=str(raw.get("phone", f"0800-000 01{n:02d}")),
            mailbox=f"mensenhandel@{key}.politie.example"))
    vt_regions, vt_orgs, centrum = {}, {}, {}
    for n, (key, raw) in enumerate(data["veilig_thuis"].items(), start=1):
        if raw["police"] not in police:
            raise ChainDataError(f"veilig_thuis {key}: unknown police unit {raw['police']}")
        region = VeiligThuisRegion(str(key), str(raw["name"]), str(raw["police"]),
                                   str(raw["centrumgemeente"]),
                                   tuple(str(p) for p in raw.get("places") or ()),
                                   str(raw.get("check", "")))
        vt_regions[region.key] = region
        vt_orgs[region.key] = ChainOrg(f"vt-{key}", region.name, "veilig_thuis", _contact(
            None, function=f"Adviseur/triagist, {region.name}", phone=f"0800-000 03{n:02d}",
            mailbox=f"advies@vt-{key}.example"))
        town = region.centrumgemeente
        centrum[region.key] = ChainOrg(
            f"gemeente-{slug(town)}", f"Gemeente {town}, zorgcoördinatie mensenhandel",
            "zorgcoordinatie", _contact(None, function=f"Zorgcoördinator mensenhandel, "
                                        f"Gemeente {town}", phone=f"0800-000 04{n:02d}",
                                        mailbox=f"zorgcoordinatie@{slug(town)}.gemeente.example"),
            region.check)
    if len(vt_regions) != 25 or len(police) != 10:
        raise ChainDataError("expected 10 police units and 25 Veilig Thuis regions")
    demo = data.get("demo") or {}
    if demo and demo.get("region") not in police:
        raise ChainDataError(f"demo: unknown region {demo.get('region')}")
    return Chain(
        date=str(data["date"]), sources={str(k): str(v) for k, v in data["sources"].items()},
        national=national, police=police, vt_regions=vt_regions, vt_orgs=vt_orgs,
        centrumgemeenten=centrum,
        border_places=frozenset(fold(p) for p in data.get("border_places") or ()),
        demo={str(k): tuple(str(c) for c in v)
              for k, v in (demo.get("stand_in") or {}).items()},
        demo_region=str(demo.get("region", "")),
        demo_organisations=frozenset(str(c) for c in demo.get("organisations") or ()))


@cache
def chain() -> Chain:
    """The shipped reference data."""
    text = resources.files("ketenzicht.signals.data").joinpath("chain.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))
