"""The ILO/EC screening as a table: the dimension rule, adult and child profiles, the range."""

from __future__ import annotations

import pytest

from ketenzicht.signals.catalogue import catalogue
from ketenzicht.signals.enums import Dimension, ExploitationForm, Grade, Profile
from ketenzicht.signals.screening import (
    ScreeningInput,
    Shortfall,
    dimension_rule,
    profiles_for,
    screen,
    shortfall,
)


# WCMS_105023 p. 3: 2 strong, or 1 strong + 1 medium or weak, or 3 medium, or 2 medium + 1 weak.
@pytest.mark.parametrize(("strong", "medium", "weak", "rule"), [
    (0, 0, 0, None),
    (1, 0, 0, None),
    (0, 2, 0, None),
    (0, 1, 1, None),
    (0, 0, 3, None),
    (0, 1, 2, None),
    (2, 0, 0, "2 strong"),
    (1, 1, 0, "1 strong + 1 medium or weak"),
    (1, 0, 1, "1 strong + 1 medium or weak"),
    (0, 3, 0, "3 medium"),
    (0, 2, 1, "2 medium + 1 weak"),
    (3, 3, 3, "2 strong"),
])
def test_dimension_rule(strong: int, medium: int, weak: int, rule: str | None) -> None:
    assert dimension_rule(strong, medium, weak) == rule


@pytest.mark.parametrize(("counts", "cheapest"), [
    ((1, 0, 0), {Shortfall(strong=1), Shortfall(medium_or_weak=1)}),
    ((0, 2, 0), {Shortfall(strong=1), Shortfall(medium=1), Shortfall(weak=1)}),
    ((0, 0, 0), {Shortfall(strong=2), Shortfall(strong=1, medium_or_weak=1)}),
    ((0, 1, 1), {Shortfall(strong=1), Shortfall(medium=1)}),
    ((2, 0, 0), set()),
])
def test_shortfall_names_the_cheapest_completions(counts: tuple[int, int, int],
                                                  cheapest: set[Shortfall]) -> None:
    assert set(shortfall(*counts)) == cheapest


ADULT_LABOUR_MET = ["DR_NATURE_JOB", "DR_WAGES", "EX_EXCESSIVE_HOURS", "EX_LOW_SALARY",
                    "CD_DOCUMENTS", "CD_DEBT"]


def _screen(form: str, minor: bool | None, codes: list[str], nationality: str | None = "RO",
            items: tuple[str, ...] = ()) -> object:
    return screen(ScreeningInput(form=ExploitationForm(form), minor=minor,
                                 nationality=nationality, acute_danger=False,
                                 indicators=tuple(codes), items=items), catalogue())


@pytest.mark.parametrize(("form", "minor", "codes", "met", "missing"), [
    # Recruitment, exploitation and destination all positive: the adult profile is met.
    ("labour", False, ADULT_LABOUR_MET, True, ()),
    # Without a destination dimension an adult profile is not met...
    ("labour", False, ["DR_NATURE_JOB", "DR_WAGES", "EX_EXCESSIVE_HOURS", "EX_LOW_SALARY"],
     False, ("destination",)),
    # ...but for a child recruitment and exploitation suffice (no means required).
    ("labour", True, ["DR_NATURE_JOB", "DR_WAGES", "EX_EXCESSIVE_HOURS", "EX_LOW_SALARY"],
     True, ()),
    # A child's deceptive recruitment about education is strong; for adults it is weak.
    ("labour", True, ["DR_EDUCATION", "DR_NATURE_JOB", "EX_EXCESSIVE_HOURS", "EX_HAZARDOUS"],
     True, ()),
    ("labour", False, ["DR_EDUCATION", "EX_EXCESSIVE_HOURS", "EX_HAZARDOUS", "CD_DOCUMENTS",
                       "CD_DEBT"], False, ("recruitment",)),
    # Excessive hours are strong for adult labour but medium for adult sexual exploitation.
    ("sexual", False, ["CR_VIOLENCE", "CR_DEBT", "EX_EXCESSIVE_HOURS", "EX_LOW_SALARY",
                       "CD_DOCUMENTS", "CD_ISOLATION"], False, ("exploitation",)),
    ("sexual", False, ["CR_VIOLENCE", "CR_DEBT", "EX_EXCESSIVE_HOURS", "EX_LOW_SALARY",
                       "EX_BAD_LIVING", "CD_DOCUMENTS", "CD_ISOLATION"], True, ()),
    # Three medium recruitment-by-vulnerability indicators make that dimension positive.
    ("labour", False, ["VR_ECONOMIC", "VR_ILLEGAL_STATUS", "VR_LACK_INFORMATION",
                       "EX_EXCESSIVE_HOURS", "EX_HAZARDOUS", "VD_DEPENDENCY",
                       "VD_UNKNOWN_AREA", "VD_PAST_DIFFICULTIES"], True, ()),
    ("labour", False, [], False, ("recruitment", "exploitation", "destination")),
])
def test_profiles(form: str, minor: bool, codes: list[str], met: bool,
                  missing: tuple[str, ...]) -> None:
    result = _screen(form, minor, codes)
    (profile,) = result.profiles  # type: ignore[attr-defined]
    assert profile.met is met
    assert profile.missing_elements == missing


def test_every_positive_dimension_names_its_indicators() -> None:
    result = _screen("labour", False, ADULT_LABOUR_MET)
    dims = {d.dimension: d for d in result.profiles[0].dimensions}  # type: ignore[attr-defined]
    assert dims[Dimension.DECEPTIVE_RECRUITMENT].strong == ("DR_NATURE_JOB",)
    assert dims[Dimension.DECEPTIVE_RECRUITMENT].medium == ("DR_WAGES",)
    assert dims[Dimension.COERCION_DESTINATION].rule == "2 strong"
    assert dims[Dimension.COERCIVE_RECRUITMENT].positive is False


def test_unknown_age_gives_a_range_over_adult_and_child() -> None:
    codes = ["DR_NATURE_JOB", "DR_WAGES", "EX_EXCESSIVE_HOURS", "EX_LOW_SALARY"]
    result = _screen("labour", None, codes)
    assert [p.profile for p in result.profiles] == [Profile.ADULT_LABOUR, Profile.CHILD_LABOUR]  # type: ignore[attr-defined]
    assert result.met_count == 1  # type: ignore[attr-defined]
    assert "age_unknown" in result.uncertain  # type: ignore[attr-defined]
    assert "check_age" in result.recommendations  # type: ignore[attr-defined]


@pytest.mark.parametrize(("form", "minor", "expected"), [
    ("labour", False, [Profile.ADULT_LABOUR]),
    ("criminal", True, [Profile.CHILD_LABOUR]),
    ("sexual", True, [Profile.CHILD_SEXUAL]),
    ("forced_marriage", False, [Profile.ADULT_LABOUR, Profile.ADULT_SEXUAL]),
    ("unknown", None, [Profile.ADULT_LABOUR, Profile.ADULT_SEXUAL, Profile.CHILD_LABOUR,
                       Profile.CHILD_SEXUAL]),
])
def test_profiles_for(form: str, minor: bool | None, expected: list[Profile]) -> None:
    assert profiles_for(ExploitationForm(form), minor)[0] == expected


@pytest.mark.parametrize(("nationality", "codes", "b8"), [
    ("RO", ["EX_LOW_SALARY"], "offer"),
    ("NL", ["EX_LOW_SALARY"], "not_applicable"),
    (None, ["EX_LOW_SALARY"], "if_foreign"),
    ("RO", [], "not_applicable"),
])
def test_a_single_indication_is_enough_and_b8_follows(nationality: str | None, codes: list[str],
                                                      b8: str) -> None:
    result = _screen("labour", False, codes, nationality=nationality)
    assert result.indicators_present is bool(codes)  # type: ignore[attr-defined]
    assert result.b8 == b8  # type: ignore[attr-defined]


def test_checklist_items_score_through_their_ilo_codes_and_others_are_recorded() -> None:
    result = _screen("labour", False, [], items=("PO_DOCUMENTS", "YS_RUNAWAY"))
    assert result.codes == ("CD_DOCUMENTS",)  # type: ignore[attr-defined]
    assert result.raised_by["CD_DOCUMENTS"] == ("PO_DOCUMENTS",)  # type: ignore[attr-defined]
    assert result.unscored_items == ("YS_RUNAWAY",)  # type: ignore[attr-defined]
    assert result.indicators_present  # type: ignore[attr-defined]


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(KeyError, match="NOPE"):
        _screen("labour", False, ["NOPE"])


def test_catalogue_holds_four_profiles_with_pages_and_a_child_list_without_weak() -> None:
    cat = catalogue()
    assert cat.source["rule_page"] == 3
    assert {p: cat.profiles[p].page for p in Profile} == {
        Profile.ADULT_LABOUR: 4, Profile.ADULT_SEXUAL: 5, Profile.CHILD_LABOUR: 6,
        Profile.CHILD_SEXUAL: 7}
    for profile in (Profile.CHILD_LABOUR, Profile.CHILD_SEXUAL):
        grades = {g for d in cat.profiles[profile].grades.values() for g in d.values()}
        assert Grade.WEAK not in grades
    # The child labour list leaves out two adult indicators (transcribed from WCMS_105023).
    assert cat.profiles[Profile.CHILD_LABOUR].grade_of("VR_FALSE_LAW_INFO") is None
    assert cat.profiles[Profile.CHILD_LABOUR].grade_of("EX_NO_SOCIAL_PROTECTION") is None
    assert cat.profiles[Profile.ADULT_LABOUR].grade_of("CD_DOCUMENTS") == (
        Dimension.COERCION_DESTINATION, Grade.STRONG)
    assert cat.profiles[Profile.ADULT_LABOUR].grade_of("CR_DOCUMENTS") == (
        Dimension.COERCIVE_RECRUITMENT, Grade.MEDIUM)


def test_adult_labour_list_has_the_published_number_of_indicators_per_dimension() -> None:
    # Counts as published for the adult labour list (10, 10, 16, 9, 15, 7; e.g. Seafish's
    # TESS record of the ILO operational indicators): an independent check on the
    # transcription, since the ILO PDF itself could not be read from here.
    graded = catalogue().profiles[Profile.ADULT_LABOUR].grades
    assert {d: len(graded[d]) for d in graded} == {
        Dimension.DECEPTIVE_RECRUITMENT: 10, Dimension.COERCIVE_RECRUITMENT: 10,
        Dimension.VULNERABILITY_RECRUITMENT: 16, Dimension.EXPLOITATION: 9,
        Dimension.COERCION_DESTINATION: 15, Dimension.VULNERABILITY_DESTINATION: 7}


def test_catalogue_texts_are_whole() -> None:
    # A text cut at an unquoted comma in the YAML would end here without its second half.
    cat = catalogue()
    assert cat.indicators["DR_NATURE_JOB"].en == (
        "Deceived about the nature of the job, location or employer")
    assert cat.items["PO_GUARDED"].label.nl == (
        "Wordt bewaakt, opgesloten of mag niet alleen naar buiten")
