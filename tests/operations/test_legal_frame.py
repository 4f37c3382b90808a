"""The legal frame as data: every power the issue names, Tallon, and what is unverified."""

from __future__ import annotations

import pytest

from ketenzicht.operations import frame
from ketenzicht.operations.schemas import OrderFields

# Entries not yet checked against the text in force. When someone checks one, they change
# its `verification` in legal_frame.yaml and remove it here; a new unchecked entry must be
# added here on purpose, so nothing unverified slips in unnoticed.
STILL_TO_CHECK = ["Art. 126h Sv", "Art. 126i Sv", "Art. 126j Sv", "Art. 126q Sv",
                  "Art. 248e Sr (lokpuber)"]


def test_every_power_of_the_issue_is_in_the_frame() -> None:
    assert set(frame.load().powers) == {"126h", "126i", "126ij", "126j", "126q", "248e"}


@pytest.mark.parametrize("key", ["126h", "126i", "126ij", "126j", "126q", "248e"])
def test_each_power_states_its_order_contents_and_fields_that_exist(key: str) -> None:
    power = frame.load().powers[key]
    assert power.conditions and power.order_contents and power.verification
    assert {"crime", "grounds", "service_nature", "starts_at", "ends_at"} <= set(
        power.order_fields)
    assert set(power.order_fields) <= set(OrderFields.model_fields)


def test_the_civilian_power_requires_the_civilian_and_the_agreement() -> None:
    assert {"civilian", "agreement"} <= set(frame.load().powers["126ij"].order_fields)
    assert frame.load().powers["126ij"].performer == "civilian"


def test_tallon_is_cited_and_codified() -> None:
    tallon = frame.load().tallon
    assert tallon["citation"].startswith("HR 4 december 1979, NJ 1980/356")
    assert "126ij lid 3 Sv" in tallon["codified_in"]


def test_gathering_powers_allow_no_purchase() -> None:
    powers = frame.load().powers
    assert not powers["126j"].allows_purchase and not powers["248e"].allows_purchase
    assert powers["248e"].persona_age_below == 16


def test_the_unverified_entries_are_listed() -> None:
    assert frame.load().unverified() == STILL_TO_CHECK
