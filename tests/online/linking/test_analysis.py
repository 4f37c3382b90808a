"""Movement, templates and the risk score, on hand-made cases with known answers."""

from __future__ import annotations

from datetime import date

import pytest

from ketenzicht.online.analysis.linking import movement, template
from ketenzicht.online.analysis.linking.movement import haversine_km
from ketenzicht.online.analysis.linking.score import Facts, score

D0 = date(2026, 9, 1).toordinal()


def test_visits_split_on_gaps_and_sort_by_start() -> None:
    trip = movement.visits([("Utrecht", D0), ("Utrecht", D0 + 2), ("Breda", D0 + 3),
                            ("Utrecht", D0 + 20)])
    assert [(v.city, v.first - D0, v.last - D0, v.ads) for v in trip] == [
        ("Utrecht", 0, 2, 2), ("Breda", 3, 3, 1), ("Utrecht", 20, 20, 1)]


def test_hopping_features() -> None:
    cities = ["Amsterdam", "Utrecht", "Breda", "Arnhem", "Zwolle", "Groningen"]
    sightings = [(c, D0 + 3 * i) for i, c in enumerate(cities)] + [("Utrecht", D0)]
    m = movement.measure(sightings)
    assert m.municipalities == 6
    assert m.max_per_30_days == 6
    assert m.simultaneous_cities == 2  # Amsterdam and Utrecht on day 0
    assert m.span_days == 16
    assert m.hops_per_week == pytest.approx(5 / (16 / 7))  # Utrecht on days 0 and 3 is one visit
    assert m.distance_km > 250


def test_distance_uses_the_gazetteer() -> None:
    # Amsterdam (52.37, 4.90) to Utrecht (52.09, 5.12): about 35 km as the crow flies.
    assert haversine_km((52.37, 4.90), (52.09, 5.12)) == pytest.approx(34.5, abs=1.5)
    m = movement.measure([("Amsterdam", D0), ("Utrecht", D0 + 10)])
    assert 30 < m.distance_km < 40


def test_template_has_name_slots() -> None:
    texts = [f"Hoi ik ben {n}, nieuw in de stad, bel me voor een lieve afspraak vandaag"
             for n in ("Anna", "Mia", "Lara", "Sofia")]
    tpl = template.build(texts)
    assert tpl is not None
    assert tpl.text == "Hoi ik ben {slot1} nieuw in de stad, bel me voor een lieve afspraak vandaag"
    assert set(tpl.slots[0]["values"]) == {"Anna,", "Mia,", "Lara,", "Sofia,"}  # type: ignore[arg-type]
    assert tpl.names_in_slots({"Anna", "Mia", "Kim"}) == {"Anna", "Mia"}


def test_unrelated_texts_have_no_template() -> None:
    assert template.build(["een twee drie vier vijf zes", "zeven acht negen tien elf"]) is None


def _facts(**kw: object) -> Facts:
    base: dict[str, object] = dict(
        ads=10, span_days=60, movement=movement.measure([("Utrecht", D0), ("Utrecht", D0 + 59)]),
        persona_days={"Anna": 60}, names_per_phone={"+31641234567": ["Anna"]},
        ages_per_phone={}, template_names=[], foreign=[], price=150.0, municipal_price=150.0,
        flags={})
    base.update(kw)
    return Facts(**base)  # type: ignore[arg-type]


def test_independent_in_one_city_scores_low_and_club_stays_under_networks() -> None:
    independent, _ = score(_facts())
    club, _ = score(_facts(persona_days={n: 55 for n in "ABCDEFG"},
                           names_per_phone={"+31201234560": list("ABCDEFG")},
                           template_names=list("ABCDEFG")))
    salon, reasons = score(_facts(persona_days={n: 6 for n in "ABCDEFGHI"},
                                  names_per_phone={"+31641234567": list("ABCDEFGHI")},
                                  template_names=list("ABCDEFGHI"), price=60.0))
    assert independent == 0.0
    assert club < 0.4 < salon
    assert reasons[0].code == "ROTATING_PERSONAS"
    assert "9 names over 60 days" in reasons[0].fact
    assert [r.weight for r in reasons] == sorted((r.weight for r in reasons), reverse=True)


def test_independent_working_three_cities_in_turn_is_not_city_hopping() -> None:
    trip = [(c, D0 + d) for d, c in ((0, "Utrecht"), (14, "Breda"), (28, "Zwolle"),
                                     (42, "Utrecht"), (56, "Breda"))]
    total, reasons = score(_facts(movement=movement.measure(trip)))
    assert "CITY_HOPPING" not in {r.code for r in reasons}
    assert total < 0.2


def test_city_hopping_with_several_women_at_once_scores_high() -> None:
    cities = ["Amsterdam", "Utrecht", "Breda", "Arnhem", "Zwolle", "Groningen", "Leiden"]
    trip = [(c, D0 + 3 * i) for i, c in enumerate(cities)]
    trip += [(c, D0 + 3 * i) for i, c in enumerate(reversed(cities))]
    total, reasons = score(_facts(movement=movement.measure(trip),
                                  persona_days={"Anna": 20, "Mia": 20}))
    codes = [r.code for r in reasons]
    assert codes[0] == "CITY_HOPPING" and "SIMULTANEOUS_CITIES" in codes
    assert total > 0.6


def test_every_network_indicator_is_catalogued_in_dutch_and_english() -> None:
    from ketenzicht.online.analysis.linking.score import indicators

    catalogue = indicators()
    assert set(catalogue) == {
        "ROTATING_PERSONAS", "SEVERAL_NAMES_ONE_PHONE", "SEVERAL_AGES_ONE_PHONE",
        "TEMPLATE_NEW_NAMES", "CITY_HOPPING", "SIMULTANEOUS_CITIES", "FOREIGN_MOBILE_NL_CITY",
        "PRICE_FAR_BELOW_MEDIAN"}
    assert all(i.nl and i.en and 0 < i.weight < 1 for i in catalogue.values())
