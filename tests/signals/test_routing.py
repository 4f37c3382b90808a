"""The routing table: who answers, by when and why, with the version and rules recorded."""

from __future__ import annotations

from typing import Any

import pytest

from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.routing import Decision, RoutingTableError, decide, parse, table


def _decide(form: str, minor: bool | None = False, acute: bool = False, *,
            region: str | None = "amsterdam", place: str = "", victim: bool = False,
            indicators: tuple[str, ...] = ()) -> Decision:
    return decide(table(), form=ExploitationForm(form), minor=minor, acute=acute,
                  region=region, place=place, presumed_victim=victim, indicators=indicators)


def _parties(decision: Decision) -> dict[str, tuple[str, int]]:
    return {t.party: (t.purpose, t.deadline_hours) for t in decision.targets}


@pytest.mark.parametrize(("form", "minor", "acute", "rules", "parties"), [
    ("labour", False, False, "labour+care",
     {"arbeidsinspectie": ("investigate", 72), "zorgcoordinatie": ("care", 120)}),
    ("sexual", False, False, "sexual+care",
     {"politie": ("investigate", 72), "zorgcoordinatie": ("care", 120)}),
    # A minor: the form's route AND police and youth protection (additive).
    ("labour", True, False, "labour+minor+minor-youth",
     {"arbeidsinspectie": ("investigate", 72), "politie": ("investigate", 24),
      "veilig_thuis": ("youth", 24)}),
    # Acute danger shortens every route, care included (not 120 h).
    ("labour", False, True, "labour+acute+care",
     {"arbeidsinspectie": ("investigate", 2), "politie": ("investigate", 2),
      "zorgcoordinatie": ("care", 4)}),
    ("sexual", True, True, "sexual+minor+minor-youth+acute",
     {"politie": ("investigate", 2), "veilig_thuis": ("youth", 2)}),
    ("forced_marriage", False, False, "marriage+marriage-care+care",
     {"politie": ("investigate", 72), "veilig_thuis": ("care", 72),
      "zorgcoordinatie": ("care", 120)}),
    ("unknown", False, False, "form-unknown+care",
     {"comensha": ("investigate", 72), "zorgcoordinatie": ("care", 120)}),
])
def test_decide(form: str, minor: bool | None, acute: bool, rules: str,
                parties: dict[str, tuple[str, int]]) -> None:
    decision = _decide(form, minor, acute)
    assert decision.rule_id == rules
    assert _parties(decision) == parties
    assert decision.version == table().version


def test_an_unknown_age_is_not_a_minor_but_goes_both_ways() -> None:
    # An anonymous labour tip, age unknown: the Arbeidsinspectie investigates (the form route
    # is not cut off by an earlier minor rule), youth protection looks too, and the adult care
    # route stands.
    decision = _decide("labour", None)
    assert decision.rule_ids == ("labour", "age-unknown", "care")
    assert _parties(decision) == {"arbeidsinspectie": ("investigate", 72),
                                  "veilig_thuis": ("youth", 24),
                                  "zorgcoordinatie": ("care", 120)}
    assert "politie" not in _parties(decision)  # that is the minor route, not this one


def test_each_target_says_which_rules_named_it() -> None:
    decision = _decide("sexual", True, True)
    police = next(t for t in decision.targets if t.party == "politie")
    assert police.rule_ids == ("sexual", "minor", "acute")
    for rule_id in police.rule_ids:
        rule = table().rule(rule_id)
        assert rule is not None and rule.reason.nl and rule.reason.en


def test_comensha_is_informed_of_every_presumed_victim() -> None:
    for form in ExploitationForm:
        for minor in (True, False, None):
            decision = _decide(form.value, minor, victim=True)
            assert "comensha" in _parties(decision), (form, minor)
            assert "inform" in next(t for t in decision.targets
                                    if t.party == "comensha").rule_ids
    assert "comensha" not in _parties(_decide("labour", False, victim=False))


def test_care_is_the_regions_care_coordinator_not_the_first_of_two() -> None:
    decision = _decide("labour", region="limburg", place="Maastricht")
    (care,) = [t for t in decision.targets if t.purpose == "care"]
    assert care.party == "zorgcoordinatie" and care.codes[0] == "gemeente-maastricht"
    assert "comensha" not in _parties(decision)


@pytest.mark.parametrize(("place", "indicators", "kmar"), [
    ("Schiphol", (), True),
    ("Hoek van Holland", (), True),
    ("Venlo", ("DR_TRAVEL",), True),       # deceived about travel: moved across a border
    ("Venlo", ("VR_TRAVEL_DIFFICULTY",), True),
    ("Venlo", ("EX_EXCESSIVE_HOURS",), False),
    ("", (), False),
])
def test_kmar_at_the_border(place: str, indicators: tuple[str, ...], kmar: bool) -> None:
    decision = _decide("labour", region="limburg", place=place, indicators=indicators)
    assert ("kmar" in _parties(decision)) is kmar
    if kmar:
        assert "border" in decision.rule_ids


def test_border_indicators_are_catalogue_codes() -> None:
    from ketenzicht.signals.catalogue import catalogue
    assert table().border_indicators <= set(catalogue().indicators)


def test_acute_caps_every_purpose() -> None:
    decision = _decide("labour", None, True, victim=True)
    hours = {t.purpose: t.deadline_hours for t in decision.targets}
    assert hours == {"investigate": 2, "youth": 2, "care": 4, "inform": 24}


def _table(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "version": "t",
        "parties": {"comensha": {"org_type": "comensha", "scope": "national", "nl": "C",
                                 "en": "C"}},
        "rules": [{"id": "all", "when": {}, "targets": ["comensha"], "purpose": "investigate",
                   "deadline_hours": 72, "nl": "a", "en": "a"}],
        "fallback": {"id": "fallback", "targets": ["comensha"], "purpose": "investigate",
                     "deadline_hours": 72, "nl": "f", "en": "f"},
        "acute_deadline_hours": {"investigate": 2, "youth": 2, "care": 4, "inform": 24},
        "forward_deadline_hours": 72,
        "escalation": {"target": "comensha", "deadline_hours": 24}, "regions": {}}
    base.update(changes)
    return base


def _one(**rule: Any) -> list[dict[str, Any]]:
    return [{"id": "x", "targets": ["comensha"], "purpose": "investigate",
             "deadline_hours": 72, "nl": "x", "en": "x", **rule}]


def test_the_test_table_parses() -> None:
    assert parse(_table()).rules[0].id == "all"


@pytest.mark.parametrize("rules", [
    _one(when={"colour": "red"}),
    _one(when={"form": "piracy"}),
    _one(when={"form": ["labour", "piracy"]}),
    _one(when={"minor": "maybe"}),
    _one(targets=[]),
    _one(targets=["sinterklaas"]),
    _one(purpose="tea"),
    [*_one(), *_one()],  # the same id twice
])
def test_a_malformed_table_is_refused(rules: list[dict[str, Any]]) -> None:
    with pytest.raises(RoutingTableError):
        parse(_table(rules=rules))


def test_acute_caps_must_name_every_purpose() -> None:
    with pytest.raises(RoutingTableError):
        parse(_table(acute_deadline_hours={"investigate": 2}))
