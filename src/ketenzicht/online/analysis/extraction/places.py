"""Dutch municipalities and places named in an ad, resolved to CBS municipality codes."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from ketenzicht.online.analysis.extraction.data import read_text, read_yaml
from ketenzicht.online.analysis.extraction.normalize import fold_word
from ketenzicht.online.analysis.extraction.numwords import trie_pattern
from ketenzicht.online.analysis.extraction.types import Context, Evidence, Found

GAZETTEER_FILE: Final = "gemeenten-2025.csv"
# "in Best", "regio Goes", "omgeving Huizen": words after which an ambiguous name is a place.
_PLACE_CUE: Final = re.compile(
    r"(?:\bin|\bte|\bbij|\bnabij|\bregio|\bomgeving|\bnear|\bcentrum|\bcentre|\bcenter|\bvan|"
    r"\buit|\bfrom|\baround|\bzone|\bstad)\W{1,3}$"
)


@dataclass(frozen=True, slots=True)
class Municipality:
    """One row of the CBS gazetteer."""

    code: str
    name: str
    province: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Municipalities by code, every folded name that points at one, and the matcher."""

    by_code: dict[str, Municipality]
    names: dict[str, tuple[str, str]]  # folded name -> (display name, municipality code)
    ambiguous: frozenset[str]
    pattern: re.Pattern[str]

    def lookup(self, name: str) -> tuple[str, Municipality] | None:
        """Resolve a free-text place name ("Den Haag", "Hoofddorp") to its municipality."""
        entry = self.names.get(_key(name))
        return None if entry is None else (entry[0], self.by_code[entry[1]])


def municipalities() -> list[Municipality]:
    """All rows of the shipped CBS 2025 gazetteer (also used for maps)."""
    lines = (line for line in io.StringIO(read_text(GAZETTEER_FILE)) if not line.startswith("#"))
    return [
        Municipality(row["cbs_code"], row["name"], row["province"], float(row["lat"]),
                     float(row["lon"]))
        for row in csv.DictReader(lines)
    ]


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", fold_word(name).strip())


def _variants(name: str) -> set[str]:
    """Spellings ads use for one name: with and without hyphens, brackets, "'s-"."""
    key = _key(name)
    out = {key, key.replace("-", " "), re.sub(r"\s*\(.*?\)", "", key)}
    if key.startswith("'s-"):
        out.update({key[1:], key[3:]})
    return {v.strip() for v in out if v.strip()}


@cache
def gazetteer() -> Gazetteer:
    """Build the gazetteer once: CSV rows, aliases, towns, and one trie-shaped regex."""
    extra = read_yaml("places.yaml")
    by_code = {m.code: m for m in municipalities()}
    names: dict[str, tuple[str, str]] = {}
    for m in by_code.values():
        for variant in _variants(m.name):
            names.setdefault(variant, (m.name, m.code))
    for section in ("aliases", "places"):
        for code, words in (extra.get(section) or {}).items():
            if code not in by_code:
                raise ValueError(f"places.yaml: {section} names unknown code {code}")
            for word in words or []:
                display = by_code[code].name if section == "aliases" else str(word).title()
                for variant in _variants(str(word)):
                    names.setdefault(variant, (display, code))
    # Bergen exists twice (NH. and L.); the bare name stays out rather than guessing.
    names.pop("bergen", None)
    ambiguous = frozenset(_key(w) for w in extra.get("ambiguous") or [])
    body = trie_pattern(sorted(names))
    pattern = re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_]|-[^\W\d_])")
    return Gazetteer(by_code, names, ambiguous, pattern)


def stage(ctx: Context) -> None:
    """Pipeline stage: fill ``result.cities`` with distinct municipalities, in order of mention."""
    gaz = gazetteer()
    seen: set[str] = set()
    found: list[Found] = []
    text = ctx.folded.text
    for m in gaz.pattern.finditer(text):
        key = m.group()
        if key in gaz.ambiguous and not _PLACE_CUE.search(text, max(0, m.start() - 14), m.start()):
            ctx.inc("places/ambiguous_skipped")
            continue
        display, code = gaz.names[key]
        if code in seen:
            continue
        seen.add(code)
        found.append(_found(gaz.by_code[code], display, ctx.evidence(m.start(), m.end())))
    if ctx.ad.city:
        hit = gaz.lookup(ctx.ad.city)
        if hit is not None and hit[1].code not in seen:
            found.append(_found(hit[1], hit[0], Evidence(ctx.ad.city, "city", 0, len(ctx.ad.city))))
    ctx.result.cities = found
    ctx.inc("places/found", len(found))


def _found(m: Municipality, display: str, evidence: Evidence) -> Found:
    return Found(display, evidence, {"code": m.code, "municipality": m.name,
                                     "province": m.province, "lat": m.lat, "lon": m.lon})
