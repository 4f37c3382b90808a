"""A network reason's fact is worded from its measured values, in Dutch and in English, and a
reason stored before the values were kept still shows its English fact, marked English."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from ketenzicht.online.analysis.linking import movement, wording
from ketenzicht.online.analysis.linking.score import Facts, Reason, score

D0 = date(2026, 9, 1).toordinal()  # movement counts days as ordinals
CITIES = ("Utrecht", "Amsterdam", "Rotterdam", "Groningen", "Eindhoven", "Maastricht")
# English words of the facts that a Dutch fact must not contain.
ENGLISH = re.compile(r"\b(names?|ages|days|over|municipalities|within|hops|median stay|"
                     r"travelled|one text|reused|foreign|advertised|hour|against|ads?|of)\b")


def _all_reasons() -> list[Reason]:
    """A network that collects every entity-level reason and one ad-level flag."""
    visits = [(CITIES[i % len(CITIES)], D0 + 2 * i) for i in range(14)]
    visits += [("Utrecht", D0), ("Amsterdam", D0)]  # two cities on one day
    facts = Facts(
        ads=12, span_days=28, movement=movement.measure(visits),
        persona_days={n: 2 for n in ("Anna", "Mia", "Eva", "Lisa", "Sara", "Nina")},
        names_per_phone={"+48512345678": ["Anna", "Mia", "Eva", "Lisa", "Sara", "Nina"]},
        ages_per_phone={"+48512345678": [19, 21, 22, 24]},
        template_names=["Anna", "Mia", "Eva", "Lisa"],
        foreign=[{"ad": "a1", "phone": "+48512345678", "city": "Utrecht"}],
        price=60.0, municipal_price=150.0,
        flags={"THIRD_PARTY_CONTROL": (0.5, 3, [{"ad": "a1", "span": "mijn manager"}])})
    _total, reasons = score(facts)
    return reasons


def test_every_reason_keeps_its_values_and_its_english_fact_is_worded_from_them() -> None:
    reasons = _all_reasons()
    codes = {r.code for r in reasons}
    assert codes >= wording.ENTITY_CODES and "THIRD_PARTY_CONTROL" in codes
    for r in reasons:
        stored = json.loads(json.dumps(r.params))  # the values survive the JSON column
        assert r.fact == wording.fact(r.code, stored)
        assert r.to_json()["params"] == r.params


def test_the_dutch_fact_has_dutch_words_and_dutch_numbers() -> None:
    by_code = {r.code: r for r in _all_reasons()}
    for code, r in by_code.items():
        text, lang = wording.localised(code, r.params, r.fact, "nl")
        assert lang == "nl" and text != r.fact
        assert not ENGLISH.search(text), (code, text)
    hop = by_code["CITY_HOPPING"]
    text = wording.fact("CITY_HOPPING", {**hop.params, "hops_per_week": 2.25,
                                         "distance_km": 1234.4}, "nl")
    assert "2,2 verplaatsingen per week" in text and "1.234 km" in text
    one = wording.fact("CITY_HOPPING", {**hop.params, "median_stay_days": 1.0}, "nl")
    assert "mediane verblijfsduur 1 dag," in one
    assert "median stay 1.5 days," in wording.fact(
        "CITY_HOPPING", {**hop.params, "median_stay_days": 1.5}, "en")
    assert wording.fact("X", {"count": 1, "ads": 1}, "nl") == "1 van 1 advertentie"
    assert wording.fact("X", {"count": 3, "ads": 10}, "en") == "3 of 10 ads"
    rotating = by_code["ROTATING_PERSONAS"].params
    assert wording.fact("ROTATING_PERSONAS", rotating, "nl").startswith(
        f"{rotating['k']} namen in {rotating['span_days']} dagen")


@pytest.mark.parametrize("params", [None, {}, {"k": 3}, {"max_per_30_days": "x"}])
def test_a_reason_without_usable_values_shows_its_stored_english_fact(
        params: dict[str, object] | None) -> None:
    assert wording.localised("CITY_HOPPING", params, "5 municipalities", "nl") == (
        "5 municipalities", "en")
