"""The legal frame of the procedures, read from ``data/b8.yaml`` and ``data/meldcode.yaml``.

Both files are checked when first read: a missing key or an unknown value is a
``ValueError`` at start-up, not a wrong deadline later. Entries not yet checked against
the text in force carry "NEEDS CHECK" and are listed by :func:`unverified`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ketenzicht.cases.process import Offset, parse_offset

DATA = Path(__file__).resolve().parent / "data"
UNVERIFIED = "NEEDS CHECK"
LOCALES = ("nl", "en")


def _text(raw: Any, where: str) -> dict[str, str]:
    """A text in Dutch and English (both required)."""
    if not isinstance(raw, dict) or any(not str(raw.get(lang) or "").strip()
                                        for lang in LOCALES):
        raise ValueError(f"{where}: needs a text in {', '.join(LOCALES)}")
    return {lang: str(raw[lang]) for lang in LOCALES}


def pick(text: dict[str, str], locale: str) -> str:
    """``text`` in ``locale``, else in Dutch."""
    return text.get(locale) or text["nl"]


@dataclass(frozen=True)
class Variant:
    """Which B8 rules apply to a person: third-country national, Dublin, EU/EEA/Swiss."""

    key: str
    title: dict[str, str]
    period: Offset
    applies: bool
    rule: dict[str, str]
    verification: str


@dataclass(frozen=True)
class Entry:
    """A titled entry (an end reason, a decision) with how it was verified."""

    key: str
    title: dict[str, str]
    verification: str
    next: dict[str, str] | None = None


@dataclass(frozen=True)
class B8Frame:
    """The B8 reflection period as data."""

    version: str
    citation: str
    summary: dict[str, str]
    verification: str
    offered_by: frozenset[str]
    offer_rule: dict[str, str]
    offer_verification: str
    variants: dict[str, Variant]
    minors_rule: dict[str, str]
    minors_verification: str
    requires_guardian: bool
    unknown_age_rule: dict[str, str]
    end_reasons: dict[str, Entry]
    decisions: dict[str, Entry]
    eu_eea_ch: frozenset[str]

    def variant_for(self, nationality: str | None, *, dublin: bool = False) -> Variant:
        """The variant of a nationality: EU/EEA/Swiss, else Dublin when said, else third country."""
        if nationality and nationality.upper() in self.eu_eea_ch:
            return self.variants["eu_eea_ch"]
        return self.variants["dublin" if dublin else "third_country"]

    def unverified(self) -> list[str]:
        """Every B8 entry still marked NEEDS CHECK, by a name a lawyer can look up."""
        checks = [("basis", self.verification), ("offered_by", self.offer_verification),
                  *((f"variants.{k}", v.verification) for k, v in self.variants.items()),
                  ("minors", self.minors_verification),
                  *((f"end_reasons.{k}", e.verification) for k, e in self.end_reasons.items()),
                  *((f"decisions.{k}", e.verification) for k, e in self.decisions.items())]
        return [f"b8.{name}" for name, text in checks if UNVERIFIED in text]


@dataclass(frozen=True)
class Question:
    """One question of the afwegingskader; which answer makes reporting necessary."""

    key: str
    text: dict[str, str]
    report_if: bool | None
    stop_if: bool | None


@dataclass(frozen=True)
class Ground:
    """A legal ground for breaking professional confidentiality."""

    key: str
    citation: str
    text: dict[str, str]
    verification: str


@dataclass(frozen=True)
class MeldcodeFrame:
    """The meldcode's steps, the afwegingskader and the legal grounds, as data."""

    version: str
    steps: tuple[Entry, ...]
    consulted: dict[str, dict[str, str]]
    questions: tuple[Question, ...]
    questions_verification: str
    outcomes: dict[str, dict[str, str]]
    grounds: tuple[Ground, ...]

    @property
    def step_keys(self) -> tuple[str, ...]:
        """The steps in their order."""
        return tuple(s.key for s in self.steps)

    def step(self, key: str) -> Entry:
        """One step by key (``KeyError`` when unknown)."""
        return next(s for s in self.steps if s.key == key)

    def unverified(self) -> list[str]:
        """Every meldcode entry still marked NEEDS CHECK."""
        out = ["meldcode.afwegingskader"] if UNVERIFIED in self.questions_verification else []
        return out + [f"meldcode.grounds.{g.key}" for g in self.grounds
                      if UNVERIFIED in g.verification]


def _entries(raw: dict[str, Any], where: str) -> dict[str, Entry]:
    return {k: Entry(key=k, title=_text(v["title"], f"{where}.{k}"),
                     verification=str(v["verification"]),
                     next=_text(v["next"], f"{where}.{k}.next") if "next" in v else None)
            for k, v in raw.items()}


def parse_b8(raw: dict[str, Any]) -> B8Frame:
    """Check and build the B8 frame; raise ``ValueError`` naming the fault."""
    variants = {k: Variant(key=k, title=_text(v["title"], f"variants.{k}"),
                           period=parse_offset(v["period"], f"variants.{k}"),
                           applies=bool(v["applies"]), rule=_text(v["rule"], f"variants.{k}"),
                           verification=str(v["verification"]))
                for k, v in raw["variants"].items()}
    missing = {"third_country", "dublin", "eu_eea_ch"} - set(variants)
    if missing:
        raise ValueError(f"b8: variants missing {sorted(missing)}")
    decisions = _entries(raw["decisions"], "decisions")
    if set(decisions) != {"aangifte", "medewerking", "afzien"}:
        raise ValueError("b8: decisions are aangifte, medewerking and afzien")
    codes = frozenset(str(c).upper() for c in raw["eu_eea_ch"])
    if "NL" in codes or any(len(c) != 2 for c in codes):
        raise ValueError("b8: eu_eea_ch lists two-letter codes other than NL")
    minors = raw["minors"]
    offered = raw["offered_by"]
    return B8Frame(
        version=str(raw["version"]), citation=str(raw["basis"]["citation"]),
        summary=_text(raw["basis"]["summary"], "basis"),
        verification=str(raw["basis"]["verification"]),
        offered_by=frozenset(str(t) for t in offered["org_types"]),
        offer_rule=_text(offered["rule"], "offered_by"),
        offer_verification=str(offered["verification"]), variants=variants,
        minors_rule=_text(minors["rule"], "minors"),
        minors_verification=str(minors["verification"]),
        requires_guardian=bool(minors["requires_guardian"]),
        unknown_age_rule=_text(minors["unknown_age"], "minors.unknown_age"),
        end_reasons=_entries(raw["end_reasons"], "end_reasons"), decisions=decisions,
        eu_eea_ch=codes)


def parse_meldcode(raw: dict[str, Any]) -> MeldcodeFrame:
    """Check and build the meldcode frame; raise ``ValueError`` naming the fault."""
    steps = tuple(Entry(key=str(s["key"]), title=_text(s["title"], f"steps.{s['key']}"),
                        verification="") for s in raw["steps"])
    if [s["number"] for s in raw["steps"]] != list(range(1, len(steps) + 1)):
        raise ValueError("meldcode: steps are numbered 1, 2, 3, ... in order")
    if {s.key for s in steps} != {"signs", "consult", "talk", "weigh", "decide"}:
        raise ValueError("meldcode: the five steps are signs, consult, talk, weigh, decide")
    frame = raw["afwegingskader"]
    questions = tuple(Question(key=str(q["key"]), text=_text(q["text"], f"questions.{q['key']}"),
                               report_if=q.get("report_if"), stop_if=q.get("stop_if"))
                      for q in frame["questions"])
    if any(q.report_if is None and q.stop_if is None for q in questions):
        raise ValueError("meldcode: every question says report_if or stop_if")
    outcomes = {k: _text(v, f"outcomes.{k}") for k, v in raw["outcomes"].items()}
    if set(outcomes) != {"report", "help", "report_and_help", "close"}:
        raise ValueError("meldcode: outcomes are report, help, report_and_help and close")
    grounds = tuple(Ground(key=str(g["key"]), citation=str(g["citation"]),
                           text=_text(g["text"], f"grounds.{g['key']}"),
                           verification=str(g["verification"])) for g in raw["grounds"])
    if not grounds:
        raise ValueError("meldcode: at least one legal ground")
    return MeldcodeFrame(
        version=str(raw["version"]), steps=steps,
        consulted={k: _text(v, f"consulted.{k}") for k, v in raw["consulted"].items()},
        questions=questions, questions_verification=str(frame["verification"]),
        outcomes=outcomes, grounds=grounds)


def _load(name: str) -> dict[str, Any]:
    with (DATA / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@cache
def b8() -> B8Frame:
    """The packaged B8 frame, checked once."""
    return parse_b8(_load("b8.yaml"))


@cache
def meldcode() -> MeldcodeFrame:
    """The packaged meldcode frame, checked once."""
    return parse_meldcode(_load("meldcode.yaml"))


def unverified() -> list[str]:
    """Every entry of both frames still marked NEEDS CHECK."""
    return b8().unverified() + meldcode().unverified()
