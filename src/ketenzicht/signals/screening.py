"""Explainable screening against the ILO/EC operational indicators (2009): a pure function.

The ILO/EC rules (WCMS_105023 p. 3): a dimension is positive with 2 strong, or 1 strong +
1 medium or weak, or 3 medium, or 2 medium + 1 weak indicators. An adult profile is met with
a positive recruitment dimension AND exploitation AND a positive destination dimension; for
children recruitment and exploitation suffice, because no means are required.

Screening never labels a person: it says whether indicators are present ("de geringste
aanwijzing" is enough to record and alert) and which elements are positive or missing.
Where age or form is unknown, every plausible profile is screened and the result gives the
range ("met in 1 of 2 possible profiles").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ketenzicht.signals.catalogue import Catalogue
from ketenzicht.signals.enums import (
    DESTINATION,
    RECRUITMENT,
    Dimension,
    ExploitationForm,
    Grade,
    Profile,
)

# The four ways a dimension becomes positive, as (strong, medium, weak, either medium-or-weak).
RULES: tuple[tuple[str, int, int, int, int], ...] = (
    ("2 strong", 2, 0, 0, 0),
    ("1 strong + 1 medium or weak", 1, 0, 0, 1),
    ("3 medium", 0, 3, 0, 0),
    ("2 medium + 1 weak", 0, 2, 1, 0),
)

LABOUR_FORMS = frozenset({ExploitationForm.LABOUR, ExploitationForm.CRIMINAL,
                          ExploitationForm.FORCED_BEGGING})
DUTCH = "NL"


@dataclass(frozen=True)
class Shortfall:
    """One cheapest way to make a dimension positive: add this many of each grade."""

    strong: int = 0
    medium: int = 0
    weak: int = 0
    medium_or_weak: int = 0


@dataclass(frozen=True)
class DimensionResult:
    """One dimension in one profile: positive or not, by which indicators, and what is missing."""

    dimension: Dimension
    positive: bool
    rule: str | None
    strong: tuple[str, ...]
    medium: tuple[str, ...]
    weak: tuple[str, ...]
    shortfall: tuple[Shortfall, ...]


@dataclass(frozen=True)
class ProfileResult:
    """One ILO/EC list applied to the signal."""

    profile: Profile
    page: int
    met: bool
    dimensions: tuple[DimensionResult, ...]
    missing_elements: tuple[str, ...]
    not_in_list: tuple[str, ...]


@dataclass(frozen=True)
class ScreeningInput:
    """What screening looks at; nothing identifying."""

    form: ExploitationForm
    minor: bool | None
    nationality: str | None
    acute_danger: bool
    indicators: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    control_methods: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScreeningResult:
    """The explained outcome; ``indicators_present`` is the Dutch threshold."""

    indicators_present: bool
    codes: tuple[str, ...]
    raised_by: dict[str, tuple[str, ...]]
    unscored_items: tuple[str, ...]
    profiles: tuple[ProfileResult, ...]
    met_count: int
    uncertain: tuple[str, ...]
    b8: str
    recommendations: tuple[str, ...]
    source: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (stored with the signal, so the result stays reproducible)."""
        return asdict(self)


def dimension_rule(strong: int, medium: int, weak: int) -> str | None:
    """The ILO/EC rule that makes a dimension with these counts positive, or None."""
    for name, s, m, w, either in RULES:
        if strong >= s and medium >= m and weak >= w and (medium + weak) >= m + w + either:
            return name
    return None


def shortfall(strong: int, medium: int, weak: int) -> tuple[Shortfall, ...]:
    """The cheapest additions that would make the dimension positive (empty when it is)."""
    if dimension_rule(strong, medium, weak):
        return ()
    options = []
    for _name, s, m, w, either in RULES:
        need = Shortfall(strong=max(0, s - strong), medium=max(0, m - medium),
                         weak=max(0, w - weak),
                         medium_or_weak=max(0, m + w + either - (medium + weak)
                                            - max(0, m - medium) - max(0, w - weak)))
        options.append(need)
    best = min(o.strong + o.medium + o.weak + o.medium_or_weak for o in options)
    unique: list[Shortfall] = []
    for option in options:
        total = option.strong + option.medium + option.weak + option.medium_or_weak
        if total == best and option not in unique:
            unique.append(option)
    return tuple(unique)


def profiles_for(form: ExploitationForm, minor: bool | None) -> tuple[list[Profile], list[str]]:
    """The plausible ILO/EC lists for this signal, and why more than one (if so)."""
    uncertain: list[str] = []
    ages = [minor] if minor is not None else [False, True]
    if minor is None:
        uncertain.append("age_unknown")
    if form in LABOUR_FORMS:
        kinds = ["labour"]
    elif form is ExploitationForm.SEXUAL:
        kinds = ["sexual"]
    else:
        kinds = ["labour", "sexual"]
        uncertain.append("organ_removal_not_covered" if form is ExploitationForm.ORGAN_REMOVAL
                         else "form_not_in_ilo_lists")
    out = [Profile(f"{'child' if child else 'adult'}_{kind}") for child in ages for kind in kinds]
    return out, uncertain


def _effective_codes(data: ScreeningInput, cat: Catalogue
                     ) -> tuple[dict[str, list[str]], list[str]]:
    raised: dict[str, list[str]] = {}
    for code in data.indicators:
        raised.setdefault(code, []).append(code)
    unscored: list[str] = []
    for code in (*data.items, *data.control_methods):
        item = cat.items.get(code) or cat.control_methods[code]
        if not item.ilo:
            unscored.append(code)
        for ilo in item.ilo:
            raised.setdefault(ilo, []).append(code)
    return raised, unscored


def _screen_profile(profile: Profile, codes: Iterable[str], cat: Catalogue) -> ProfileResult:
    plist = cat.profiles[profile]
    found: dict[Dimension, dict[Grade, list[str]]] = {
        d: {g: [] for g in Grade} for d in Dimension}
    not_in_list = []
    for code in codes:
        hit = plist.grade_of(code)
        if hit is None:
            not_in_list.append(code)
            continue
        found[hit[0]][hit[1]].append(code)
    dims = []
    for dimension in Dimension:
        by = found[dimension]
        s, m, w = len(by[Grade.STRONG]), len(by[Grade.MEDIUM]), len(by[Grade.WEAK])
        rule = dimension_rule(s, m, w)
        dims.append(DimensionResult(dimension, rule is not None, rule,
                                    tuple(sorted(by[Grade.STRONG])),
                                    tuple(sorted(by[Grade.MEDIUM])),
                                    tuple(sorted(by[Grade.WEAK])), shortfall(s, m, w)))
    positive = {d.dimension for d in dims if d.positive}
    missing = []
    if not positive & set(RECRUITMENT):
        missing.append("recruitment")
    if Dimension.EXPLOITATION not in positive:
        missing.append("exploitation")
    child = profile in (Profile.CHILD_LABOUR, Profile.CHILD_SEXUAL)
    if not child and not positive & set(DESTINATION):
        missing.append("destination")
    return ProfileResult(profile, plist.page, not missing, tuple(dims), tuple(missing),
                         tuple(sorted(not_in_list)))


def _b8(nationality: str | None) -> str:
    if nationality is None:
        return "if_foreign"
    return "not_applicable" if nationality.upper() == DUTCH else "offer"


def screen(data: ScreeningInput, cat: Catalogue) -> ScreeningResult:
    """Screen a signal: which dimensions are positive, by what, what is missing, what to do.

    Unknown codes raise ``KeyError``; callers check codes first (``Catalogue.unknown_codes``).
    """
    unknown = cat.unknown_codes(list(data.indicators), list(data.items),
                                list(data.control_methods))
    if unknown:
        raise KeyError(", ".join(unknown))
    raised, unscored = _effective_codes(data, cat)
    profiles, uncertain = profiles_for(data.form, data.minor)
    results = tuple(_screen_profile(p, raised, cat) for p in profiles)
    present = bool(raised or unscored)
    b8 = _b8(data.nationality) if present else "not_applicable"
    recs: list[str] = []
    if data.acute_danger:
        recs.append("emergency")
    if present:
        recs.append("route")
    if data.minor is not False and present:
        recs.append("youth_protection" if data.minor else "check_age")
    if b8 == "offer":
        recs.append("b8_offer")
    elif b8 == "if_foreign":
        recs.append("b8_if_foreign")
    if any(r.met for r in results):
        recs.append("report_police")
    elif present:
        recs.append("gather_more")
    if present:
        recs.append("care")
    return ScreeningResult(
        indicators_present=present,
        codes=tuple(sorted(raised)),
        raised_by={k: tuple(v) for k, v in sorted(raised.items())},
        unscored_items=tuple(unscored),
        profiles=results,
        met_count=sum(r.met for r in results),
        uncertain=tuple(uncertain),
        b8=b8,
        recommendations=tuple(recs),
        source={"document": cat.source["document"], "rule_page": cat.source["rule_page"]},
    )
