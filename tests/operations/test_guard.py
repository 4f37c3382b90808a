"""The entrapment guard: readable rules, and the operator's confirmation before sending."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from ketenzicht.operations import conversations, frame, guard
from ketenzicht.operations.enums import Direction
from ketenzicht.operations.schemas import MessageIn
from tests.factories.auth import actor
from tests.factories.operations import make_conversation, make_operation, make_team

TERMS = guard.OrderTerms(power_allows_purchase=True, persona_age_below=None, persona_age=24,
                         services=("sexual_services", "meeting"))


def _check(text: str, rule: str, *, counterpart_offer: int | None = None,
           terms: guard.OrderTerms = TERMS) -> guard.Check:
    found = guard.classify(frame.load(), text=text, counterpart_offer=counterpart_offer,
                           terms=terms)
    return next(c for c in found if c.rule == rule)


def test_a_decoy_first_offer_is_flagged_with_its_reason() -> None:
    check = _check("100 euro voor een uur seks?", "decoy_first_offer")
    assert check.flagged
    assert check.reason.startswith("The decoy is the first to propose an act or price")
    assert "100 euro" in str(check.params["words"]) and "seks" in str(check.params["words"])


def test_a_counterpart_first_offer_passes_with_its_reason() -> None:
    check = _check("100 euro is goed", "decoy_first_offer", counterpart_offer=3)
    assert not check.flagged
    assert check.reason.startswith("The counterpart proposed an act or price first")
    assert check.params["seq"] == 3


@pytest.mark.parametrize(("text", "rule", "flagged"), [
    ("hoi, hoe gaat het?", "decoy_first_offer", False),
    ("ik ben 24 jaar", "stated_age", False),
    ("ik ben 15", "stated_age", True),
    ("stuur je foto's?", "service_outside_order", True),
    ("zullen we afspreken?", "service_outside_order", False),
    ("ik heb werk voor je", "service_outside_order", True),
])
def test_the_rules_read_as_the_yaml_says(text: str, rule: str, flagged: bool) -> None:
    assert _check(text, rule).flagged is flagged


def test_under_a_power_without_purchase_the_decoy_never_names_a_price() -> None:
    terms = guard.OrderTerms(power_allows_purchase=False, persona_age_below=16, persona_age=14,
                             services=("meeting",))
    check = _check("50 euro", "decoy_first_offer", counterpart_offer=1, terms=terms)
    assert check.flagged and "allows no purchase" in check.reason


def test_a_lokpuber_must_present_below_the_age_of_the_law() -> None:
    terms = guard.OrderTerms(power_allows_purchase=False, persona_age_below=16, persona_age=17,
                             services=("meeting",))
    assert _check("ik ben 17 jaar", "stated_age", terms=terms).flagged


def test_a_flagged_message_is_refused_until_confirmed_and_then_chained(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona, [(Direction.INBOUND, "hoi")])
    offer = MessageIn(direction=Direction.OUTBOUND, text="100 euro per uur?")
    with pytest.raises(conversations.Flagged) as caught:
        conversations.record(db, actor=actor(team.operator), operation_id=op.id,
                             conversation_id=conv.id, data=offer)
    assert "first to propose" in caught.value.message
    assert len(conversations.messages(db, conv)) == 1  # nothing recorded
    confirmed = offer.model_copy(update={"confirm_reason": "Opdracht van de teamleider"})
    message = conversations.record(db, actor=actor(team.operator), operation_id=op.id,
                                   conversation_id=conv.id, data=confirmed)
    assert message.confirmation == {**message.confirmation, "by_user_id": team.operator.id,
                                    "reason": "Opdracht van de teamleider",
                                    "rules": ["decoy_first_offer"]}
    assert [c["rule"] for c in message.checks if c["flagged"]] == ["decoy_first_offer"]


def test_after_the_counterpart_offers_the_same_message_passes(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona,
                             [(Direction.INBOUND, "wat is je prijs voor een uurtje?")])
    message = conversations.record(db, actor=actor(team.operator), operation_id=op.id,
                                   conversation_id=conv.id, data=MessageIn(
                                       direction=Direction.OUTBOUND, text="100 euro per uur"))
    assert message.confirmation is None
    first = next(c for c in message.checks if c["rule"] == "decoy_first_offer")
    assert not first["flagged"] and first["params"]["seq"] == 1


def test_an_import_with_an_unconfirmed_flagged_line_imports_nothing(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona)
    csv_text = "at,direction,text\n" + f"{persona.created_at.isoformat()},out,seks voor 50 euro?\n"
    with pytest.raises(conversations.Flagged):
        conversations.import_export(db, actor=actor(team.operator), operation_id=op.id,
                                    conversation_id=conv.id, fmt="csv", content=csv_text)
    assert conversations.messages(db, conv) == []
