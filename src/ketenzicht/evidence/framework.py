"""The legal framework as data (``data/frameworks.yaml``) and the element rules.

Domain-free: no database, no translations. ``evaluate`` turns the links of one suspect
into a matrix row per sub-clause, with the minors rule applied, and names what is open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ketenzicht.evidence.enums import STRENGTH_ORDER, Coverage, Strength

DEFAULT_FRAMEWORK = "273f-sr"


@dataclass(frozen=True)
class Element:
    """One element to prove, possibly with factors (HR BI7099 for exploitation)."""

    key: str
    label: str
    kind: str
    title: str
    source: str
    factors: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    alternatives: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SubClause:
    """A sub-clause: the elements it requires, and which a minor victim waives."""

    key: str
    title: str
    elements: tuple[str, ...]
    waived_for_minors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Framework:
    """One version of the law (or of a bill), with where it comes from."""

    key: str
    version: str
    title: str
    status: str
    in_force: bool
    verified: str
    source: str
    minors_age: int
    minors_source: str
    subclauses: tuple[SubClause, ...]


@dataclass(frozen=True)
class Law:
    """Every framework and the shared elements."""

    frameworks: Mapping[str, Framework]
    elements: Mapping[str, Element]

    def element_keys(self) -> frozenset[str]:
        """Every key a link may name: elements and ``element.factor``."""
        keys = set(self.elements)
        for el in self.elements.values():
            keys.update(f"{el.key}.{f}" for f in el.factors)
        return frozenset(keys)


@lru_cache(maxsize=1)
def load() -> Law:
    """Read and check the shipped framework data once."""
    text = resources.files("ketenzicht.evidence").joinpath("data/frameworks.yaml").read_text(
        encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    alts = raw.get("alternatives", {})
    elements = {
        key: Element(key=key, label=str(e["label"]), kind=str(e["kind"]), title=str(e["title"]),
                     source=str(e["source"]),
                     factors={f: (str(v["title"]), str(v["source"]))
                              for f, v in (e.get("factors") or {}).items()},
                     alternatives=tuple((str(a["kind"]), str(a["text"]))
                                        for a in alts.get(key, [])))
        for key, e in raw["elements"].items()}
    frameworks: dict[str, Framework] = {}
    for f in raw["frameworks"]:
        subs = tuple(SubClause(key=str(s["key"]), title=str(s["title"]),
                               elements=tuple(s["elements"]),
                               waived_for_minors=frozenset(s.get("waived_for_minors", ())))
                     for s in f["subclauses"])
        for sub in subs:
            unknown = set(sub.elements) - set(elements)
            if unknown:
                raise ValueError(f"frameworks.yaml: {f['key']} {sub.key}: unknown {unknown}")
        frameworks[str(f["key"])] = Framework(
            key=str(f["key"]), version=str(f["version"]), title=str(f["title"]),
            status=str(f["status"]), in_force=bool(f["in_force"]),
            verified=str(f["verified"]), source=str(f["source"]),
            minors_age=int(f["minors_rule"]["age_below"]),
            minors_source=str(f["minors_rule"]["source"]), subclauses=subs)
    return Law(frameworks=frameworks, elements=elements)


@dataclass(frozen=True)
class Support:
    """One item's support for an element, as the rules need it."""

    item_id: int
    element: str
    strength: Strength
    victim_statement: bool = False


@dataclass(frozen=True)
class Cell:
    """One element of one sub-clause for one suspect."""

    element: str
    coverage: Coverage
    items: tuple[Support, ...]
    open_factors: tuple[str, ...] = ()
    #: Covered only by statements of the victim: a gap in practice, as they are often
    #: withdrawn or never given.
    victim_only: bool = False


@dataclass(frozen=True)
class Row:
    """A sub-clause for one suspect: its cells and whether every required one is covered."""

    subclause: SubClause
    cells: tuple[Cell, ...]

    @property
    def complete(self) -> bool:
        """True when every required element is covered (redelijk or sterk)."""
        return all(c.coverage in (Coverage.GEDEKT, Coverage.NIET_VEREIST) for c in self.cells)

    @property
    def gaps(self) -> tuple[Cell, ...]:
        """The required elements that are open or only weakly supported."""
        return tuple(c for c in self.cells if c.coverage in (Coverage.OPEN, Coverage.ZWAK))


def _coverage(supports: list[Support]) -> Coverage:
    if not supports:
        return Coverage.OPEN
    best = max(STRENGTH_ORDER[s.strength] for s in supports)
    return Coverage.GEDEKT if best >= STRENGTH_ORDER[Strength.REDELIJK] else Coverage.ZWAK


def cell(law: Law, element: str, supports: Iterable[Support], *, waived: bool = False) -> Cell:
    """Where one element stands, given every support of one suspect.

    An element with factors is supported by links to itself or to any of its factors; the
    factors without a link are listed, so the matrix shows what the court will weigh.
    """
    el = law.elements[element]
    mine = [s for s in supports
            if s.element == element or s.element.startswith(f"{element}.")]
    if waived:
        return Cell(element, Coverage.NIET_VEREIST, tuple(mine))
    linked = {s.element.split(".", 1)[1] for s in mine if "." in s.element}
    open_factors = tuple(f for f in el.factors if f not in linked)
    strong = [s for s in mine if STRENGTH_ORDER[s.strength] >= STRENGTH_ORDER[Strength.REDELIJK]]
    victim_only = bool(strong) and all(s.victim_statement for s in strong)
    return Cell(element, _coverage(mine), tuple(mine), open_factors, victim_only)


def evaluate(law: Law, framework: str, supports: Iterable[Support], *,
             victim_minor: bool | None) -> tuple[Row, ...]:
    """The matrix rows of one suspect under ``framework`` (minors rule included)."""
    fw = law.frameworks[framework]
    sup = list(supports)
    rows = []
    for sub in fw.subclauses:
        if "minderjarig" in sub.elements and victim_minor is False:
            continue  # a minors clause cannot apply to an adult victim
        cells = []
        for element in sub.elements:
            waived = bool(victim_minor) and element in sub.waived_for_minors
            if element == "minderjarig" and victim_minor:
                cells.append(Cell(element, Coverage.GEDEKT,
                                  tuple(s for s in sup if s.element == element)))
                continue
            cells.append(cell(law, element, sup, waived=waived))
        rows.append(Row(sub, tuple(cells)))
    return tuple(rows)


@dataclass(frozen=True)
class Conclusion:
    """Advice on one suspect: the closest sub-clause, complete or not, and why."""

    complete: bool
    subclause: str | None
    missing: tuple[str, ...]
    weak: tuple[str, ...]
    victim_only: tuple[str, ...]


def conclude(rows: tuple[Row, ...]) -> Conclusion:
    """The sub-clause closest to proof: complete first, then the fewest gaps."""
    if not rows:
        return Conclusion(False, None, (), (), ())

    def score(row: Row) -> tuple[int, int, int]:
        gaps = row.gaps
        return (0 if row.complete else 1, len(gaps),
                sum(c.coverage is Coverage.OPEN for c in gaps))

    best = min(rows, key=score)
    return Conclusion(
        complete=best.complete, subclause=best.subclause.key,
        missing=tuple(c.element for c in best.cells if c.coverage is Coverage.OPEN),
        weak=tuple(c.element for c in best.cells if c.coverage is Coverage.ZWAK),
        victim_only=tuple(c.element for c in best.cells if c.victim_only))
