"""Screening results in words, in the current language. Never "victim": "indicators present"."""

from __future__ import annotations

from typing import Any

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_, get_locale, gettext
from ketenzicht.signals.catalogue import Catalogue
from ketenzicht.signals.enums import Dimension, Profile

HEADLINE_PRESENT = N_("Indicators present")
HEADLINE_NONE = N_("No indicators recorded")

PROFILE_NAMES = {
    Profile.ADULT_LABOUR: N_("adults, labour exploitation"),
    Profile.ADULT_SEXUAL: N_("adults, sexual exploitation"),
    Profile.CHILD_LABOUR: N_("children, labour exploitation"),
    Profile.CHILD_SEXUAL: N_("children, sexual exploitation"),
}
ELEMENTS = {
    "recruitment": N_("a positive recruitment dimension"),
    "exploitation": N_("positive exploitative conditions"),
    "destination": N_("a positive dimension at destination (coercion or abuse of vulnerability)"),
}
UNCERTAIN = {
    "age_unknown": N_("The age is unknown, so both the adult and the child lists were applied."),
    "form_not_in_ilo_lists": N_("The ILO/EC lists cover labour and sexual exploitation; both "
                                "were applied."),
    "organ_removal_not_covered": N_("The ILO/EC lists do not cover organ removal; both lists "
                                    "were applied, consult CoMensha for this form."),
}
RECOMMENDATIONS = {
    "emergency": N_("Acute danger: call 112 first and ask for the police."),
    "route": N_("The slightest indication is enough: the signal goes to the responsible party "
                "now."),
    "youth_protection": N_("A minor: involve youth protection (Veilig Thuis) as well as the "
                           "police."),
    "check_age": N_("The age is unknown: in doubt, treat the person as a minor."),
    "b8_offer": N_("A foreign presumed victim: offer the reflection period (B8/3 "
                   "Vreemdelingencirculaire, three months) without conditions."),
    "b8_if_foreign": N_("If the person is not Dutch, offer the reflection period (B8/3 "
                        "Vreemdelingencirculaire)."),
    "report_police": N_("The ILO/EC elements are present: advise a report to the police and "
                        "register with CoMensha."),
    "gather_more": N_("Record what else you see; the explanation shows what is missing."),
    "care": N_("Arrange care and shelter through the care coordinator or CoMensha."),
}
# The marker data/ilo_indicators.yaml puts on a list not yet checked against the source.
UNVERIFIED = "NEEDS CHECK"
GRADES = {"strong": N_("strong"), "medium": N_("medium"), "weak": N_("weak")}


def headline(result: dict[str, Any]) -> str:
    """"Indicators present" or "No indicators recorded"."""
    return gettext(HEADLINE_PRESENT if result["indicators_present"] else HEADLINE_NONE)


def _item_text(cat: Catalogue, code: str, locale: str) -> str:
    item = cat.items.get(code) or cat.control_methods.get(code)
    return item.label.text(locale) if item is not None else code


def _codes(cat: Catalogue, codes: list[str], locale: str) -> str:
    return "; ".join(cat.indicators[c].text(locale) for c in codes)


def _shortfall(option: dict[str, int]) -> str:
    parts = []
    for key, msg in (("strong", N_("%(n)s strong")), ("medium", N_("%(n)s medium")),
                     ("weak", N_("%(n)s weak")),
                     ("medium_or_weak", N_("%(n)s medium or weak"))):
        if option.get(key):
            parts.append(gettext(msg) % {"n": option[key]})
    return " + ".join(parts)


def dimension_lines(result: dict[str, Any], cat: Catalogue, profile: dict[str, Any]
                    ) -> list[str]:
    """Per dimension: positive by which indicators, or what would make it positive."""
    locale = get_locale()
    lines = []
    for dim in profile["dimensions"]:
        label = cat.dimension_labels[Dimension(dim["dimension"])].text(locale)
        found = [*dim["strong"], *dim["medium"], *dim["weak"]]
        if dim["positive"]:
            lines.append(gettext(N_("%(dimension)s: positive (%(rule)s): %(indicators)s."))
                         % {"dimension": label, "rule": labels.label("screening_rule", dim["rule"]),
                            "indicators": _codes(cat, found, locale)})
        elif found:
            options = " / ".join(_shortfall(o) for o in dim["shortfall"])
            lines.append(gettext(N_("%(dimension)s: not positive; found %(indicators)s; "
                                    "needs %(options)s more."))
                         % {"dimension": label, "indicators": _codes(cat, found, locale),
                            "options": options})
    return lines


def explanation(result: dict[str, Any], cat: Catalogue) -> list[str]:
    """The whole result as sentences: range, per profile the elements, what to do."""
    lines: list[str] = []
    profiles = result["profiles"]
    if not result["indicators_present"]:
        lines.append(gettext(N_("No indicators or signals were ticked. The signal is recorded; "
                                "add what you saw when you can.")))
    else:
        lines.append(gettext(N_("The ILO/EC elements are met in %(met)s of %(total)s possible "
                                "indicator lists.")) % {"met": result["met_count"],
                                                        "total": len(profiles)})
    for reason in result["uncertain"]:
        lines.append(gettext(UNCERTAIN[reason]))
    for profile in profiles:
        name = gettext(PROFILE_NAMES[Profile(profile["profile"])])
        if cat.profiles[Profile(profile["profile"])].verification.startswith(UNVERIFIED):
            lines.append(gettext(N_("The grades of list %(name)s have not yet been checked "
                                    "line by line against the ILO/EC publication; weigh this "
                                    "list's result with that in mind.")) % {"name": name})
        if profile["met"]:
            lines.append(gettext(N_("List %(name)s (p. %(page)s): all elements present."))
                         % {"name": name, "page": profile["page"]})
        else:
            missing = ", ".join(gettext(ELEMENTS[m]) for m in profile["missing_elements"])
            lines.append(gettext(N_("List %(name)s (p. %(page)s): missing %(missing)s."))
                         % {"name": name, "page": profile["page"], "missing": missing})
        lines.extend(dimension_lines(result, cat, profile))
    if result["unscored_items"]:
        lines.append(gettext(N_("Recorded but not scored (no ILO/EC indicator): %(items)s."))
                     % {"items": "; ".join(_item_text(cat, c, get_locale())
                                           for c in result["unscored_items"])})
    lines.extend(gettext(RECOMMENDATIONS[r]) for r in result["recommendations"])
    return lines


def grade_name(grade: str) -> str:
    """A grade in the current language."""
    return gettext(GRADES[grade])
