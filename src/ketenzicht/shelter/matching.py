"""Eligibility-aware matching of one request against many units, explained in words.

Pure computation, no database: ``UnitTable`` holds the units as NumPy columns
(sets as bit masks), so that one request is checked against thousands of units
in a few vectorised steps. Hard filters come first; every failed filter of every
unit becomes a :class:`Reason`. Eligible units get a score out of 100 from
distance, security fit, language, freshness of the figure and 24/7 staffing,
each part explained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from babel import Locale

from ketenzicht.core.i18n import N_, get_locale, gettext
from ketenzicht.shelter.enums import (
    AUTHORITY_LABELS,
    EXPLOITATION_LABELS,
    GENDER_LABELS,
    LEGAL_STATUS_LABELS,
    SECURITY_LABELS,
    SECURITY_RANK,
    Authority,
    Exploitation,
    Gender,
    LegalStatus,
    Security,
    ShelterType,
    Urgency,
)
from ketenzicht.shelter.regions import REGIONS, region_name

Bools = npt.NDArray[np.bool_]
_REGION_INDEX = {code: i for i, code in enumerate(REGIONS)}
Floats = npt.NDArray[np.float64]

# Weights of the score; they add up to 100.
W_DISTANCE, W_SECURITY, W_LANGUAGE, W_FRESH, W_STAFF = 30.0, 15.0, 20.0, 25.0, 10.0
DISTANCE_SCALE_KM = 250.0  # beyond this, distance earns nothing
INELIGIBLE_COST = 1e6


class Term(str):
    """A parameter that is itself a msgid, translated when the reason is shown."""


class Lang(str):
    """A language code, shown as the language's name in the reader's language."""


def _show(value: object) -> str:
    if isinstance(value, Term):
        return gettext(value)
    if isinstance(value, Lang):
        try:
            return Locale.parse(value).get_display_name(get_locale()) or str(value)
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, tuple):
        return ", ".join(_show(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Reason:
    """One sentence of an explanation: an English msgid, its parameters and its points."""

    code: str
    template: str
    params: dict[str, object] = field(default_factory=dict)
    points: float | None = None

    def localized(self) -> str:
        """The sentence in the current language."""
        return gettext(self.template) % {k: _show(v) for k, v in self.params.items()}

    def english(self) -> str:
        """The sentence in English (for the API and the audit log)."""
        return self.template % {k: str(v) if not isinstance(v, tuple) else ", ".join(v)
                                for k, v in self.params.items()}


@dataclass(frozen=True)
class UnitFacts:
    """What matching needs to know about one unit."""

    id: int
    name: str
    location_name: str
    organisation_id: int
    shelter_type: ShelterType
    region: str
    lat: float
    lon: float
    secret: bool
    active: bool
    available: int
    held: int
    updated_at: datetime
    genders: frozenset[str]
    age_min: int
    age_max: int
    accepts_minors: bool
    max_children: int
    children_age_max: int
    exploitation: frozenset[str]
    legal: frozenset[str]
    authorities: frozenset[str]
    security: Security
    staffed: bool
    addiction: bool
    psychiatric: bool
    lvb: bool
    medical: bool
    wheelchair: bool
    pets: bool
    languages: frozenset[str]
    max_stay_days: int | None = None

    @property
    def free(self) -> int:
        """Places that can be offered now."""
        return self.available - self.held


@dataclass(frozen=True)
class Need:
    """What matching needs to know about the person and the request."""

    age_min: int
    age_max: int
    gender: Gender
    legal_status: LegalStatus
    exploitation: Exploitation
    authority: Authority
    urgency: Urgency
    region: str
    exclude_regions: frozenset[str] = frozenset()
    secret: bool = False
    security: Security = Security.BASIS
    languages: tuple[str, ...] = ()
    children_ages: tuple[int, ...] = ()
    pets: bool = False
    addiction: bool = False
    psychiatric: bool = False
    lvb: bool = False
    medical: bool = False
    wheelchair: bool = False


def placing_authority(*, age_min: int, unaccompanied_minor: bool,
                      legal_status: LegalStatus) -> Authority:
    """Who places this person: Nidos for unaccompanied minors, CoMensha in B8, else the gemeente."""
    if age_min < 18 and unaccompanied_minor:
        return Authority.NIDOS
    if legal_status is LegalStatus.B8:
        return Authority.COMENSHA
    return Authority.CENTRUMGEMEENTE


def _bits(values: Sequence[str] | frozenset[str], vocab: dict[str, int]) -> int:
    out = 0
    for v in values:
        index = vocab.setdefault(v, len(vocab))
        if index < 63:  # beyond 63 values of one set, a unit simply does not match that value
            out |= 1 << index
    return out


class UnitTable:
    """Units as columns, built once and matched against many requests."""

    def __init__(self, units: Sequence[UnitFacts]) -> None:
        self.units = list(units)
        self.vocabs: dict[str, dict[str, int]] = {}
        n = len(self.units)
        u = self.units

        def col(get: Callable[[UnitFacts], object], dtype: type) -> npt.NDArray[Any]:
            return np.fromiter((get(x) for x in u), dtype=dtype, count=n)

        self.ids = col(lambda x: x.id, np.int64)
        self.available = col(lambda x: x.available, np.int64)
        self.held = col(lambda x: x.held, np.int64)
        self.active = col(lambda x: x.active, np.bool_)
        self.crisis = col(lambda x: x.shelter_type is ShelterType.CRISIS, np.bool_)
        self.region = col(lambda x: _REGION_INDEX.get(x.region, -1), np.int64)
        self.lat = col(lambda x: x.lat, np.float64)
        self.lon = col(lambda x: x.lon, np.float64)
        self.secret = col(lambda x: x.secret, np.bool_)
        self.updated = col(lambda x: x.updated_at.timestamp(), np.float64)
        self.age_min = col(lambda x: x.age_min, np.int64)
        self.age_max = col(lambda x: x.age_max, np.int64)
        self.minors = col(lambda x: x.accepts_minors, np.bool_)
        self.max_children = col(lambda x: x.max_children, np.int64)
        self.children_age_max = col(lambda x: x.children_age_max, np.int64)
        self.security = col(lambda x: SECURITY_RANK[x.security], np.int64)
        for name in ("staffed", "addiction", "psychiatric", "lvb", "medical", "wheelchair",
                     "pets"):
            setattr(self, name, np.array([getattr(x, name) for x in u], dtype=np.bool_))
        for name in ("genders", "exploitation", "legal", "authorities", "languages"):
            vocab = self.vocabs.setdefault(name, {})
            setattr(self, f"{name}_bits",
                    np.array([_bits(getattr(x, name), vocab) for x in u], dtype=np.int64))

    def __len__(self) -> int:
        return len(self.units)

    def bit(self, name: str, value: str) -> int:
        """The mask of one member of set ``name`` (0 when no unit has it)."""
        index = self.vocabs.get(name, {}).get(value)
        return 0 if index is None or index >= 63 else 1 << index

    def flag(self, name: str) -> Bools:
        """A boolean column by name."""
        column: Bools = getattr(self, name)
        return column

    def has(self, name: str, value: str) -> Bools:
        """Whether each unit's set ``name`` holds ``value``."""
        column: npt.NDArray[np.int64] = getattr(self, f"{name}_bits")
        found: Bools = (column & self.bit(name, value)) != 0
        return found


@dataclass(frozen=True)
class _Check:
    """One hard filter: which units fail it, and the sentence that says so.

    ``need_params`` are the sentence's parameters that come from the request alone. A
    filter whose sentence also quotes the unit's own figures has ``unit_params`` and a
    ``label``: the sentence without them, for counting how many units the filter excludes.
    """

    code: str
    template: str
    fails: Callable[[UnitTable, Need], Bools]
    need_params: Callable[[Need], dict[str, object]] = lambda n: {}
    applies: Callable[[Need], bool] = lambda n: True
    unit_params: Callable[[UnitFacts], dict[str, object]] | None = None
    label: str | None = None

    def reason(self, unit: UnitFacts, need: Need) -> Reason:
        """Why ``unit`` fails this filter for ``need``."""
        params = self.need_params(need)
        if self.unit_params is not None:
            params = params | self.unit_params(unit)
        return Reason(self.code, self.template, params)

    def summary(self, need: Need) -> Reason:
        """The reason worded for every unit this filter excludes."""
        return Reason(self.code, self.label or self.template, self.need_params(need))


def _age(n: Need) -> str:
    return str(n.age_min) if n.age_min == n.age_max else f"{n.age_min}-{n.age_max}"


def _need_flag(unit_col: str) -> Callable[[UnitTable, Need], Bools]:
    return lambda t, n: ~t.flag(unit_col)


CHECKS: tuple[_Check, ...] = (
    _Check("inactive", N_("the unit is not in use"), lambda t, n: ~t.active),
    _Check("full", N_("no free place (%(available)s free, %(held)s held by open offers)"),
           lambda t, n: (t.available - t.held) < 1,
           unit_params=lambda u: {"available": u.available, "held": u.held},
           label=N_("no free place")),
    _Check("gender", N_("does not take this gender (%(gender)s)"),
           lambda t, n: ~t.has("genders", n.gender),
           lambda n: {"gender": Term(GENDER_LABELS[n.gender])}),
    _Check("minor", N_("does not take minors"),
           lambda t, n: ~t.minors, applies=lambda n: n.age_min < 18),
    _Check("age", N_("age %(age)s is outside its range %(min)s-%(max)s"),
           lambda t, n: (t.age_max < n.age_min) | (t.age_min > n.age_max),
           lambda n: {"age": _age(n)},
           unit_params=lambda u: {"min": u.age_min, "max": u.age_max},
           label=N_("age %(age)s is outside its age range")),
    _Check("children", N_("takes at most %(max)s accompanying children (%(count)s come along)"),
           lambda t, n: t.max_children < len(n.children_ages),
           lambda n: {"count": len(n.children_ages)},
           applies=lambda n: bool(n.children_ages),
           unit_params=lambda u: {"max": u.max_children},
           label=N_("takes fewer accompanying children than the %(count)s who come along")),
    _Check("child_age", N_("takes children up to %(max)s years (a child of %(age)s comes along)"),
           lambda t, n: t.children_age_max < max(n.children_ages),
           lambda n: {"age": max(n.children_ages)},
           applies=lambda n: bool(n.children_ages),
           unit_params=lambda u: {"max": u.children_age_max},
           label=N_("does not take a child of %(age)s, who comes along")),
    _Check("exploitation", N_("does not take victims of %(form)s"),
           lambda t, n: ~t.has("exploitation", n.exploitation),
           lambda n: {"form": Term(EXPLOITATION_LABELS[n.exploitation])}),
    _Check("legal_status", N_("does not take people with residence status: %(status)s"),
           lambda t, n: ~t.has("legal", n.legal_status),
           lambda n: {"status": Term(LEGAL_STATUS_LABELS[n.legal_status])}),
    _Check("authority", N_("takes no placements by %(authority)s, who places this person"),
           lambda t, n: ~t.has("authorities", n.authority),
           lambda n: {"authority": Term(AUTHORITY_LABELS[n.authority])}),
    _Check("region_excluded", N_("lies in %(region)s, a region excluded for safety"),
           lambda t, n: np.isin(t.region, [_REGION_INDEX.get(r, -2) for r in n.exclude_regions]),
           applies=lambda n: bool(n.exclude_regions),
           unit_params=lambda u: {"region": region_name(u.region)},
           label=N_("lies in a region excluded for safety")),
    _Check("secret", N_("has no secret address, which this person needs"),
           lambda t, n: ~t.secret, applies=lambda n: n.secret),
    _Check("security", N_("security level %(level)s is below the %(need)s level needed"),
           lambda t, n: t.security < SECURITY_RANK[n.security],
           lambda n: {"need": Term(SECURITY_LABELS[n.security])},
           applies=lambda n: n.security is not Security.BASIS,
           unit_params=lambda u: {"level": Term(SECURITY_LABELS[u.security])},
           label=N_("security level is below the %(need)s level needed")),
    _Check("addiction", N_("offers no addiction care"), _need_flag("addiction"),
           applies=lambda n: n.addiction),
    _Check("psychiatric", N_("offers no psychiatric care"), _need_flag("psychiatric"),
           applies=lambda n: n.psychiatric),
    _Check("lvb", N_("offers no support for a mild intellectual disability (LVB)"),
           _need_flag("lvb"), applies=lambda n: n.lvb),
    _Check("medical", N_("offers no medical care"), _need_flag("medical"),
           applies=lambda n: n.medical),
    _Check("wheelchair", N_("is not wheelchair accessible"), _need_flag("wheelchair"),
           applies=lambda n: n.wheelchair),
    _Check("pets", N_("does not take pets"), _need_flag("pets"), applies=lambda n: n.pets),
    _Check("crisis_only", N_("crisis beds are kept for emergency placements"),
           lambda t, n: t.crisis, applies=lambda n: n.urgency is Urgency.REGULIER),
)


@dataclass
class Evaluation:
    """The vectorised outcome for one request over a whole table."""

    table: UnitTable
    need: Need
    failed: list[tuple[_Check, Bools]]
    eligible: Bools
    distance: Floats
    age_hours: Floats
    parts: dict[str, Floats]
    score: Floats
    stale_hours: float

    def cost(self) -> Floats:
        """100 minus the score; ineligible units cost :data:`INELIGIBLE_COST`."""
        return np.where(self.eligible, 100.0 - self.score, INELIGIBLE_COST)


def evaluate(table: UnitTable, need: Need, *, now: datetime, stale_hours: float) -> Evaluation:
    """Apply every hard filter and score every unit, without building sentences."""
    n = len(table)
    failed = [(c, c.fails(table, need)) for c in CHECKS if c.applies(need)]
    eligible = np.ones(n, dtype=np.bool_)
    for _check, mask in failed:
        eligible &= ~mask
    origin = REGIONS.get(need.region)
    if origin is None:
        distance = np.zeros(n)
    else:
        p1, p2 = np.radians(origin.lat), np.radians(table.lat)
        dp, dl = p2 - p1, np.radians(table.lon - origin.lon)
        a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        distance = 2 * 6371.0 * np.arcsin(np.sqrt(a))
    age_hours = np.maximum(0.0, (now.timestamp() - table.updated) / 3600.0)
    fresh = age_hours <= stale_hours
    gap: npt.NDArray[np.int64] = table.security - SECURITY_RANK[need.security]
    if need.languages:
        lang_mask = 0
        for language in need.languages:
            lang_mask |= table.bit("languages", language)
        speaks: Bools = (getattr(table, "languages_bits") & lang_mask) != 0  # noqa: B009
    else:
        speaks = np.ones(n, dtype=np.bool_)
    staffed = table.flag("staffed") if need.urgency is Urgency.NOODBED else np.ones(n, np.bool_)
    parts = {
        "distance": W_DISTANCE * np.clip(1.0 - distance / DISTANCE_SCALE_KM, 0.0, 1.0),
        "security": W_SECURITY * np.clip(1.0 - 0.5 * np.maximum(gap, 0), 0.0, 1.0),
        "language": np.where(speaks, W_LANGUAGE, 0.0),
        # Fresh figures earn between the full weight and half of it; stale earn nothing.
        "freshness": np.where(fresh, W_FRESH * (1.0 - 0.5 * age_hours / stale_hours), 0.0),
        "staffing": np.where(staffed, W_STAFF, 0.0),
    }
    score = np.zeros(n)
    for value in parts.values():
        score += value
    return Evaluation(table, need, failed, eligible, distance, age_hours, parts, score,
                      stale_hours)


class MatchResult:
    """One unit's outcome: eligible with a score and its explanation, or excluded with why.

    The sentences are built when first read, so ranking thousands of units stays cheap;
    which filters failed is already known (a bit per check, computed vectorised).
    """

    __slots__ = ("_ev", "_failed", "_i", "_reasons", "age_hours", "distance_km", "eligible",
                 "score", "stale", "unit")

    def __init__(self, ev: Evaluation, i: int, *, eligible: bool, score: float,
                 age_hours: float, distance_km: float, failed: int) -> None:
        self.unit: UnitFacts = ev.table.units[i]
        self.eligible, self.score = eligible, score
        self.age_hours, self.distance_km = age_hours, distance_km
        self.stale = age_hours > ev.stale_hours
        self._ev, self._i, self._failed = ev, i, failed
        self._reasons: list[Reason] | None = None

    @property
    def unit_id(self) -> int:
        """The unit's id."""
        return self.unit.id

    @property
    def reasons(self) -> list[Reason]:
        """Why excluded (every failed filter), or the explained parts of the score."""
        if self._reasons is None:
            if self.eligible:
                self._reasons = _explain(self._ev, self._i)
            else:
                self._reasons = [c.reason(self.unit, self._ev.need)
                                 for k, (c, _mask) in enumerate(self._ev.failed)
                                 if self._failed >> k & 1]
        return self._reasons


def _explain(ev: Evaluation, i: int) -> list[Reason]:
    u, need, p = ev.table.units[i], ev.need, ev.parts
    out = [Reason("distance", N_("about %(km)s km from %(region)s"),
                  {"km": round(float(ev.distance[i])), "region": region_name(need.region)},
                  float(p["distance"][i]))]
    gap = SECURITY_RANK[u.security] - SECURITY_RANK[need.security]
    level: dict[str, object] = {"level": Term(SECURITY_LABELS[u.security])}
    out.append(Reason("security", N_("security level %(level)s fits the need"), level,
                      float(p["security"][i])) if gap == 0 else
               Reason("security", N_("security level %(level)s is higher than needed: a scarcer "
                                     "place"), level, float(p["security"][i])))
    if not need.languages:
        out.append(Reason("language", N_("no language need given"), {}, float(p["language"][i])))
    else:
        spoken = tuple(Lang(x) for x in need.languages if x in u.languages)
        out.append(Reason("language", N_("staff speak %(languages)s"), {"languages": spoken},
                          float(p["language"][i])) if spoken else
                   Reason("language", N_("no staff speak %(languages)s: an interpreter is "
                                         "needed"),
                          {"languages": tuple(Lang(x) for x in need.languages)}, 0.0))
    hours = round(float(ev.age_hours[i]))
    if ev.age_hours[i] <= ev.stale_hours:
        out.append(Reason("freshness", N_("figure updated %(hours)s hours ago"),
                          {"hours": hours}, float(p["freshness"][i])))
    else:
        out.append(Reason("freshness", N_("figure is %(hours)s hours old (stale): call to "
                                          "confirm"), {"hours": hours}, 0.0))
    if need.urgency is Urgency.NOODBED:
        out.append(Reason("staffing", N_("staffed 24/7: can receive someone at night"), {},
                          float(p["staffing"][i])) if u.staffed else
                   Reason("staffing", N_("not staffed 24/7: arrange arrival in office hours"),
                          {}, 0.0))
    else:
        out.append(Reason("staffing", N_("a regular placement needs no arrival at night"), {},
                          float(p["staffing"][i])))
    return out


class Matches(Sequence[MatchResult]):
    """Every unit's outcome for one request, ranked, with result objects built on demand.

    Eligible units come first by score (best first), then the excluded ones by the score
    they would have had; ties keep the table's order. Indexing or slicing builds the
    :class:`MatchResult` of the units asked for only, so a page that shows the best 25 of
    40,000 units builds 25 objects; iterating builds them all. Why the rest are excluded is
    counted per reason from the filters' masks (``excluded_counts``), and any one unit can
    still be explained in full (``explain``).
    """

    def __init__(self, ev: Evaluation) -> None:
        self.evaluation = ev
        self.eligible_count = int(np.count_nonzero(ev.eligible))
        self._order: npt.NDArray[np.intp] | None = None
        self._failed: npt.NDArray[np.int64] | None = None

    def __len__(self) -> int:
        return len(self.evaluation.table)

    @property
    def excluded_count(self) -> int:
        """How many units cannot take this person."""
        return len(self) - self.eligible_count

    def _ranked(self) -> npt.NDArray[np.intp]:
        if self._order is None:
            ev = self.evaluation
            self._order = np.lexsort((-ev.score, ~ev.eligible))
        return self._order

    def _failed_bits(self) -> npt.NDArray[np.int64]:
        if self._failed is None:
            failed = np.zeros(len(self), dtype=np.int64)
            for k, (_check, mask) in enumerate(self.evaluation.failed):
                failed |= mask.astype(np.int64) << k
            self._failed = failed
        return self._failed

    def _result(self, i: int) -> MatchResult:
        ev = self.evaluation
        eligible = bool(ev.eligible[i])
        return MatchResult(ev, i, eligible=eligible,
                           score=round(float(ev.score[i]), 1) if eligible else 0.0,
                           age_hours=float(ev.age_hours[i]),
                           distance_km=float(ev.distance[i]),
                           failed=int(self._failed_bits()[i]))

    @overload
    def __getitem__(self, index: int) -> MatchResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[MatchResult]: ...

    def __getitem__(self, index: int | slice) -> MatchResult | list[MatchResult]:
        order = self._ranked()
        if isinstance(index, slice):
            return [self._result(int(i)) for i in order[index]]
        return self._result(int(order[index]))

    def top(self, k: int, *, offset: int = 0, excluded: bool = False) -> list[MatchResult]:
        """The best ``k`` eligible units from ``offset`` on (or excluded ones, ranked)."""
        first = self.eligible_count if excluded else 0
        last = len(self) if excluded else self.eligible_count
        begin = min(first + max(offset, 0), last)
        return self[begin:min(begin + max(k, 0), last)]

    def explain(self, unit_id: int) -> MatchResult | None:
        """The outcome of one unit asked for by id (None when the table has no such unit)."""
        found = np.flatnonzero(self.evaluation.table.ids == unit_id)
        return self._result(int(found[0])) if len(found) else None

    def excluded_counts(self) -> list[ExclusionCount]:
        """For each filter that excludes a unit, how many units it excludes (largest first).

        A unit that fails several filters counts under each, as its own explanation lists
        each; the sentence is worded without any one unit's figures.
        """
        ev, out = self.evaluation, []
        for check, mask in ev.failed:
            count = int(np.count_nonzero(mask))
            if count:
                out.append(ExclusionCount(check.summary(ev.need), count))
        return sorted(out, key=lambda c: -c.count)


@dataclass(frozen=True)
class ExclusionCount:
    """How many units one filter excludes, with the filter's sentence."""

    reason: Reason
    count: int


def results(ev: Evaluation) -> Matches:
    """Every unit's outcome, ranked: eligible ones by score (best first), then the rest."""
    return Matches(ev)


def match(units: Sequence[UnitFacts] | UnitTable, need: Need, *, now: datetime,
          stale_hours: float) -> Matches:
    """Check ``need`` against every unit; explanations are built for the units read."""
    table = units if isinstance(units, UnitTable) else UnitTable(units)
    return results(evaluate(table, need, now=now, stale_hours=stale_hours))


def ineligibility(unit: UnitFacts, need: Need) -> list[Reason]:
    """Why one unit cannot take this person now (empty when it can)."""
    table = UnitTable([unit])
    return [c.reason(unit, need)
            for c in CHECKS if c.applies(need) and bool(c.fails(table, need)[0])]
