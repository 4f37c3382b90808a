"""A 0..1 risk score per network, from measured facts, with its reasons in order of weight.

Each reason contributes ``c`` in [0, 1) and the score is ``1 - prod(1 - c)``: several weak
reasons add up, none alone reaches 1, and the reasons can be listed by what they added.
Ad-level indicators count by the share of the network's ads that carry them, scaled by the
catalogue weight (JRSA/NIJ 2022 for the validated ones). The entity-level reasons are what
a single ad cannot show: names rotating on one number, a template reused with new names,
city-hopping, two cities on one day, a foreign mobile for a Dutch city, a price far under
the municipal median. A club (many names, one place, a stable roster) or an independent who
works alone, in one city or two or three, collects few of them and stays low.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any, Final

import yaml

from ketenzicht.online.analysis.linking import wording
from ketenzicht.online.analysis.linking.movement import Movement

SKIP_FLAGS: Final = frozenset({"PRICE_BELOW_MARKET"})  # measured against the municipality instead


@dataclass(frozen=True, slots=True)
class NetworkIndicator:
    """One entry of ``linking/data/network_indicators.yaml``."""

    code: str
    weight: float
    params: dict[str, float]
    source: str
    nl: str
    en: str


@cache
def indicators() -> dict[str, NetworkIndicator]:
    """The network-level indicator catalogue, by code."""
    data = yaml.safe_load(files("ketenzicht.online.analysis.linking").joinpath(
        "data/network_indicators.yaml").read_text(encoding="utf-8"))
    out = {}
    for e in data["indicators"]:
        if e["source"] not in data["sources"]:
            raise ValueError(f"network indicator {e['code']}: unknown source {e['source']}")
        params = {k: float(v) for k, v in (e.get("params") or {}).items()}
        out[e["code"]] = NetworkIndicator(e["code"], float(e["weight"]), params, e["source"],
                                          e["description"]["nl"], e["description"]["en"])
    return out


@cache
def _ad_flag_scaling() -> tuple[float, float]:
    data = yaml.safe_load(files("ketenzicht.online.analysis.linking").joinpath(
        "data/network_indicators.yaml").read_text(encoding="utf-8"))
    return float(data["ad_flag_scale"]), float(data["ad_flag_cap"])


def _w(code: str) -> NetworkIndicator:
    return indicators()[code]


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason, what it adds to the score, the fact in words and its evidence."""

    code: str
    weight: float
    fact: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    # The measured values the fact is worded from (wording.py), so a page can word them in
    # the reader's language.
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def measured(cls, code: str, weight: float, params: dict[str, Any],
                 evidence: list[dict[str, Any]]) -> Reason:
        """A reason whose English fact is worded from ``params``."""
        return cls(code, weight, wording.fact(code, params), evidence, params)

    def to_json(self) -> dict[str, Any]:
        """The ``reasons`` item of ``ketenzicht online link``."""
        return {"code": self.code, "weight": round(self.weight, 3), "fact": self.fact,
                "params": self.params, "evidence": self.evidence}


@dataclass
class Facts:
    """What the scorer needs to know of one network."""

    ads: int
    span_days: int
    movement: Movement
    persona_days: dict[str, int]  # persona -> days between its first and last ad, inclusive
    names_per_phone: dict[str, list[str]]
    ages_per_phone: dict[str, list[int]]
    template_names: list[str]
    foreign: list[dict[str, Any]]  # [{"ad", "phone", "city"}]
    price: float | None  # the network's median euros per hour
    municipal_price: float | None  # the median of its municipalities
    flags: dict[str, tuple[float, int, list[dict[str, Any]]]]  # code -> (weight, ads, examples)


def _rotating(f: Facts) -> Reason | None:
    ind = _w("ROTATING_PERSONAS")
    p = ind.params
    if len(f.persona_days) < p["min_personas"] or f.span_days < p["min_span_days"]:
        return None
    median = statistics.median(f.persona_days.values())
    if median > p["max_median_days"] or median > f.span_days / 2:
        return None
    k = len(f.persona_days)
    extra = p["step"] * min(k - p["min_personas"], p["max_steps"])
    return Reason.measured(ind.code, ind.weight + extra,
                           {"k": k, "span_days": f.span_days, "median_days": median},
                           [{"persona": p, "days": d}
                            for p, d in sorted(f.persona_days.items())])


def _names(f: Facts) -> list[Reason]:
    out = []
    names_ind, ages_ind, tpl_ind = (_w("SEVERAL_NAMES_ONE_PHONE"), _w("SEVERAL_AGES_ONE_PHONE"),
                                    _w("TEMPLATE_NEW_NAMES"))
    many = {p: n for p, n in f.names_per_phone.items()
            if len(n) >= names_ind.params["min_names"]}
    if many:
        phone, names = max(many.items(), key=lambda kv: len(kv[1]))
        out.append(Reason.measured(names_ind.code, names_ind.weight,
                                   {"k": len(names), "phone": phone, "names": names[:8]},
                                   [{"phone": p, "names": n} for p, n in sorted(many.items())]))
    ages = {p: a for p, a in f.ages_per_phone.items() if len(a) >= ages_ind.params["min_ages"]}
    if ages:
        phone, values = max(ages.items(), key=lambda kv: len(kv[1]))
        out.append(Reason.measured(ages_ind.code, ages_ind.weight,
                                   {"k": len(values), "phone": phone, "ages": values[:8]},
                                   [{"phone": p, "ages": a} for p, a in sorted(ages.items())]))
    if len(f.template_names) >= tpl_ind.params["min_names"]:
        out.append(Reason.measured(tpl_ind.code, tpl_ind.weight,
                                   {"k": len(f.template_names), "names": f.template_names[:8]},
                                   [{"names": f.template_names}]))
    return out


def _movement(f: Facts) -> list[Reason]:
    m = f.movement
    out = []
    hop, sim = _w("CITY_HOPPING"), _w("SIMULTANEOUS_CITIES")
    if m.max_per_30_days >= hop.params["min_per_30_days"]:
        out.append(Reason.measured(
            hop.code, min(hop.params["cap"],
                          hop.weight * (m.max_per_30_days - hop.params["per_municipality_over"])),
            {"max_per_30_days": m.max_per_30_days, "hops_per_week": m.hops_per_week,
             "median_stay_days": m.median_stay_days, "distance_km": m.distance_km},
            [v.to_json() for v in m.visits[:20]]))
    if m.simultaneous_cities >= sim.params["min_cities"]:
        several = len(f.persona_days) >= 2
        out.append(Reason.measured(
            sim.code, min(sim.params["cap"], sim.weight * (m.simultaneous_cities - 1))
            if several else sim.params["single_persona"],
            {"simultaneous_cities": m.simultaneous_cities},
            [{"simultaneous_cities": m.simultaneous_cities}]))
    return out


def _market(f: Facts) -> list[Reason]:
    out = []
    foreign, price = _w("FOREIGN_MOBILE_NL_CITY"), _w("PRICE_FAR_BELOW_MEDIAN")
    if f.foreign:
        phones = sorted({x["phone"] for x in f.foreign})
        out.append(Reason.measured(foreign.code, foreign.weight,
                                   {"phones": phones[:3], "city": f.foreign[0]["city"]},
                                   f.foreign[:10]))
    if f.price and f.municipal_price and f.price <= price.params["ratio"] * f.municipal_price:
        values = {"price": f.price, "municipal_median": f.municipal_price}
        out.append(Reason.measured(price.code, price.weight, values, [values]))
    return out


def _flags(f: Facts) -> list[Reason]:
    out = []
    scale, cap = _ad_flag_scaling()
    for code, (weight, count, examples) in f.flags.items():
        if code in SKIP_FLAGS:
            continue
        share = count / max(1, f.ads)
        c = min(cap, scale * weight * share)
        if c > 0:
            out.append(Reason.measured(code, c, {"count": count, "ads": f.ads}, examples[:5]))
    return out


def score(facts: Facts) -> tuple[float, list[Reason]]:
    """The risk score and its reasons, heaviest first."""
    reasons = [r for r in (_rotating(facts),) if r is not None]
    reasons += _names(facts) + _movement(facts) + _market(facts) + _flags(facts)
    reasons.sort(key=lambda r: (-r.weight, r.code))
    total = 1.0 - math.prod(1.0 - r.weight for r in reasons)
    return round(total, 4), reasons
