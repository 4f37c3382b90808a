"""The legal frame of B8 and the meldcode as data: its sources, and what is unverified."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from ketenzicht.cases.procedures import legal

# Entries not yet checked against the text in force. When someone checks one, they change
# its `verification` in data/b8.yaml or data/meldcode.yaml and remove it here; a new
# unchecked entry must be added here on purpose, so nothing unverified slips in unnoticed.
STILL_TO_CHECK = [
    "b8.offered_by", "b8.variants.eu_eea_ch", "b8.minors", "b8.end_reasons.left_unknown",
    "b8.end_reasons.public_order", "b8.end_reasons.no_indication", "b8.decisions.aangifte",
    "b8.decisions.afzien", "meldcode.afwegingskader", "meldcode.grounds.meldrecht_wmo",
    "meldcode.grounds.beroepsgeheim_bw", "meldcode.grounds.afwegingskader",
    "meldcode.grounds.conflict_van_plichten"]


def test_the_unverified_entries_are_listed() -> None:
    assert legal.unverified() == STILL_TO_CHECK


def test_b8_names_its_basis_and_its_periods() -> None:
    frame = legal.b8()
    assert "B8/3" in frame.citation and "art. 8 aanhef en onder k" in frame.citation
    assert frame.variants["third_country"].period.months == 3
    assert frame.variants["dublin"].period.days == 30
    assert not frame.variants["eu_eea_ch"].applies
    assert frame.offered_by == {"politie", "kmar"}


@pytest.mark.parametrize(("nationality", "dublin", "variant"), [
    ("RO", False, "eu_eea_ch"), ("no", False, "eu_eea_ch"), ("CH", True, "eu_eea_ch"),
    ("UA", False, "third_country"), ("NG", True, "dublin")])
def test_the_variant_follows_the_nationality(nationality: str, dublin: bool,
                                             variant: str) -> None:
    assert legal.b8().variant_for(nationality, dublin=dublin).key == variant


def test_the_meldcode_has_five_steps_and_its_grounds() -> None:
    frame = legal.meldcode()
    assert frame.step_keys == ("signs", "consult", "talk", "weigh", "decide")
    citations = " ".join(g.citation for g in frame.grounds)
    assert "5.2.6" in citations and "7:457" in citations and "afwegingskader" in citations


def _raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((legal.DATA / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda raw: raw["variants"].pop("dublin"), "variants missing"),
    (lambda raw: raw["eu_eea_ch"].append(False), "two-letter"),
    (lambda raw: raw["variants"]["dublin"]["title"].pop("en"), "nl, en"),
    (lambda raw: raw["variants"]["dublin"].update(period={"weeks": 1}), "offset"),
])
def test_a_bad_b8_file_is_refused_at_load(change: Any, message: str) -> None:
    raw = _raw("b8.yaml")
    change(raw)
    with pytest.raises(ValueError, match=message):
        legal.parse_b8(raw)


def test_a_meldcode_without_its_steps_in_order_is_refused() -> None:
    raw = _raw("meldcode.yaml")
    raw["steps"].reverse()
    with pytest.raises(ValueError, match="numbered"):
        legal.parse_meldcode(raw)
