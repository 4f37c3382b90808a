"""The indicator catalogue and the flags it raises."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest
import yaml

from ketenzicht.online.analysis.extraction.normalize import fold
from ketenzicht.online.analysis.indicators import catalogue
from ketenzicht.online.analysis.indicators.catalogue import CatalogueError, parse


def _raw() -> dict[str, Any]:
    text = resources.files("ketenzicht.online.analysis.indicators").joinpath("catalogue.yaml")
    return yaml.safe_load(text.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_entry_is_complete() -> None:
    cat = catalogue()
    assert len(cat.indicators) >= 8
    for indicator in cat.indicators:
        assert indicator.description_nl and indicator.description_en
        assert 0 <= indicator.weight <= 1
        assert indicator.source in cat.sources


def test_weights_follow_the_evidence() -> None:
    cat = catalogue()
    weight = {i.code: i.weight for i in cat.indicators}
    # predictive in JRSA/NIJ 2022 (1,263 ads with known outcomes)
    predictive = ["PHONE_OBSCURED", "YOUTH_LANGUAGE", "ETHNICITY_STATED", "TRUST_LANGUAGE"]
    assert all(cat.by_code(c).source == "jrsa_nij_2022" for c in predictive)
    # "new in town" / limited-time wording was LESS common in trafficking ads there
    assert weight["NEW_IN_TOWN"] < min(weight[c] for c in predictive)
    assert weight["NEW_IN_TOWN"] <= 0.1
    # unvalidated practitioner signals never outrank the validated ones
    practice = [i.weight for i in cat.indicators if i.source == "practice"]
    assert max(practice) < min(weight[c] for c in predictive)
    assert weight["MINOR_AGE_STATED"] == 1.0
    assert not any("MOVEMENT" in code for code in weight)  # movement is never read from words


def test_examples_match_and_contain_a_trigger() -> None:
    for indicator in catalogue().indicators:
        if indicator.kind != "pattern":
            continue
        assert indicator.examples, indicator.code
        for example in indicator.examples:
            text = fold(f"bla {example} bla").text
            m = indicator.regex.search(text)  # type: ignore[union-attr]
            assert m is not None, (indicator.code, example)
            # the trigger prefilter must never hide a match
            assert any(t in m.group() for t in indicator.triggers), (indicator.code, example)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["indicators"][0].update(weight=1.5), "weight"),
        (lambda d: d["indicators"][0].update(source="nowhere"), "source"),
        (lambda d: d["indicators"][0]["description"].pop("nl"), "nl"),
        (lambda d: d["indicators"].append(copy.deepcopy(d["indicators"][0])), "duplicate"),
        (lambda d: d["indicators"][2].update(patterns=["(unclosed"]), "bad pattern"),
        (lambda d: d["indicators"][2].pop("triggers"), "triggers"),
        (lambda d: d["indicators"][0].update(signal="astrology"), "signal"),
    ],
)
def test_a_broken_catalogue_is_refused(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _raw()
    mutate(data)
    with pytest.raises(CatalogueError, match=message):
        parse(data)


def _codes(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f.code: f.evidence.text for f in result.indicators}


def test_flags_carry_their_evidence(extract) -> None:  # type: ignore[no-untyped-def]
    result = extract(
        "Young latina girl, 17 years, 100% real pics. Just arrived, only a few days! "
        "WhatsApp zero six one two three four five six seven eight. Our girls are 24/7 "
        "available, bareback possible. 30 min 25 euro",
    )
    flags = _codes(result)
    assert flags == {
        "PHONE_OBSCURED": "zero six one two three four five six seven eight",
        "MINOR_AGE_STATED": "17 years",
        "YOUTH_LANGUAGE": "Young latina girl",
        "ETHNICITY_STATED": "latina",
        "TRUST_LANGUAGE": "100% real",
        "NEW_IN_TOWN": "Just arrived",
        "THIRD_PARTY": "Our girls",
        "UNPROTECTED_SERVICES": "bareback",
        "ALWAYS_AVAILABLE": "24/7",
        "PRICE_BELOW_MARKET": "30 min 25 euro",
    }
    weights = {f.code: f.weight for f in result.indicators}
    assert weights["PHONE_OBSCURED"] == 0.7 and weights["NEW_IN_TOWN"] == 0.1


def test_a_plain_ad_raises_nothing(extract) -> None:  # type: ignore[no-untyped-def]
    result = extract("Ontspannende massage in Utrecht. Bel 06-12345678. 1 uur €120.")
    assert result.indicators == []


def test_an_assumed_hour_is_not_called_cheap(extract) -> None:  # type: ignore[no-untyped-def]
    assert "PRICE_BELOW_MARKET" not in _codes(extract("Prijs €40, bel 06-12345678"))
