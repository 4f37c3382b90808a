"""Orders: the state machine, immutable versions, expiry and named operators."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.operations import conversations, personas, service
from ketenzicht.operations.enums import Direction, OrderStatus
from ketenzicht.operations.schemas import (
    ConversationCreate,
    End,
    Extend,
    MessageIn,
    OperationCreate,
    PersonaCreate,
)
from tests.factories.auth import actor
from tests.factories.operations import make_conversation, make_operation, make_team, order

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16


def test_issue_makes_version_one_that_the_database_refuses_to_change(db: Session) -> None:
    team = make_team(db)
    op, _persona = make_operation(db, team)
    assert op.status is OrderStatus.ISSUED and op.current_version == 1
    assert service.current(op) is not None
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text("UPDATE operation_order_version SET ends_at = ends_at"))


def test_a_draft_missing_what_the_power_requires_cannot_be_issued(db: Session) -> None:
    team = make_team(db)
    op, _p = make_operation(db, team, issue=False, grounds="")
    with pytest.raises(ValidationFailed, match="grounds"):
        service.issue(db, actor=actor(team.prosecutor), operation_id=op.id)


def test_only_the_named_prosecutor_issues(db: Session) -> None:
    team = make_team(db)
    op, _p = make_operation(db, team, issue=False)
    for who in (team.other_prosecutor, team.leader, team.operator):
        with pytest.raises(Forbidden):
            service.issue(db, actor=actor(who), operation_id=op.id)


def test_an_extension_is_a_new_version_and_the_first_stays(db: Session) -> None:
    team = make_team(db)
    op, _p = make_operation(db, team)
    first_end = service.current(op).ends_at  # type: ignore[union-attr]
    service.extend(db, actor=actor(team.prosecutor), operation_id=op.id,
                   data=Extend(ends_at=first_end + timedelta(days=30), note="verlengd"))
    assert op.status is OrderStatus.EXTENDED
    assert [v.version for v in op.versions] == [1, 2]
    assert op.versions[0].ends_at == first_end
    assert op.versions[1].ends_at == first_end + timedelta(days=30)


def _every_write(db: Session, team: object, op_id: int, persona_id: int,
                 conv_id: int) -> dict[str, object]:
    """Each write under an operation, as a thunk (for the blocked-order tests)."""
    lead, operator, prosecutor = (actor(team.leader), actor(team.operator),  # type: ignore[attr-defined]
                                  actor(team.prosecutor))  # type: ignore[attr-defined]
    later = clock.now() + timedelta(days=90)
    export = json.dumps([{"at": clock.now().isoformat(), "direction": "in", "text": "hoi"}])
    return {
        "persona": lambda: personas.create(db, actor=lead, operation_id=op_id,
                                           data=PersonaCreate(name="Nieuw", stated_age=30)),
        "image": lambda: personas.add_image(db, actor=lead, operation_id=op_id,
                                            persona_id=persona_id, filename="a.png",
                                            provenance="synthetic", note="gegenereerd",
                                            content=PNG),
        "conversation": lambda: conversations.open_conversation(
            db, actor=operator, operation_id=op_id, data=ConversationCreate(
                persona_id=persona_id, platform="Testplatform", counterpart_handle="k2")),
        "message": lambda: conversations.record(
            db, actor=operator, operation_id=op_id, conversation_id=conv_id,
            data=MessageIn(direction=Direction.INBOUND, text="hoi")),
        "import": lambda: conversations.import_export(
            db, actor=operator, operation_id=op_id, conversation_id=conv_id, fmt="json",
            content=export),
        "extend": lambda: service.extend(db, actor=prosecutor, operation_id=op_id,
                                         data=Extend(ends_at=later)),
        "end": lambda: service.end(db, actor=prosecutor, operation_id=op_id,
                                   data=End(reason="klaar")),
    }


def test_an_expired_order_blocks_every_write_and_says_why(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team, days=10)
    conv = make_conversation(db, team, op, persona)
    end = service.current(op).ends_at  # type: ignore[union-attr]
    with clock.frozen(end + timedelta(minutes=1)):
        writes = _every_write(db, team, op.id, persona.id, conv.id)
        for name, write in writes.items():
            with pytest.raises(Conflict) as caught:
                write()  # type: ignore[operator]
            assert "expired on" in caught.value.message, name
            assert end.date().isoformat() in caught.value.message, name
        assert service.effective_status(op) is OrderStatus.EXPIRED
    assert conversations.messages(db, conv) == []


def test_an_ended_order_blocks_every_write_and_gives_the_reason(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona)
    service.end(db, actor=actor(team.prosecutor), operation_id=op.id,
                data=End(reason="verdachte aangehouden"))
    for name, write in _every_write(db, team, op.id, persona.id, conv.id).items():
        with pytest.raises(Conflict, match="verdachte aangehouden"):
            write()  # type: ignore[operator]
        assert name


def test_the_same_writes_pass_while_the_order_is_in_force(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona)
    for write in _every_write(db, team, op.id, persona.id, conv.id).values():
        write()  # type: ignore[operator]
    assert op.status is OrderStatus.ENDED  # the last write ended it


def test_an_operator_not_named_in_the_order_is_refused(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona)
    data = MessageIn(direction=Direction.INBOUND, text="hoi")
    with pytest.raises(Forbidden):
        conversations.record(db, actor=actor(team.colleague), operation_id=op.id,
                             conversation_id=conv.id, data=data)
    # The named operator may; and once an extension drops them, they may not any more.
    conversations.record(db, actor=actor(team.operator), operation_id=op.id,
                         conversation_id=conv.id, data=data)
    later = service.current(op).ends_at + timedelta(days=5)  # type: ignore[union-attr]
    service.extend(db, actor=actor(team.prosecutor), operation_id=op.id,
                   data=Extend(ends_at=later, operator_ids=[team.colleague.id]))
    with pytest.raises(Forbidden):
        conversations.record(db, actor=actor(team.operator), operation_id=op.id,
                             conversation_id=conv.id, data=data)
    conversations.record(db, actor=actor(team.colleague), operation_id=op.id,
                         conversation_id=conv.id, data=data)
    assert len(conversations.messages(db, conv)) == 2


def test_only_officers_of_the_drafting_organisation_can_be_named(db: Session) -> None:
    team = make_team(db)
    with pytest.raises(ValidationFailed, match="operator"):
        service.create(db, actor=actor(team.leader), data=OperationCreate(
            title="Operatie", prosecutor_user_id=team.prosecutor.id,
            order=order(team, operator_ids=[team.prosecutor.id])))


def test_a_persona_not_in_the_order_cannot_act(db: Session) -> None:
    team = make_team(db)
    op, _persona = make_operation(db, team)
    extra = personas.create(db, actor=actor(team.leader), operation_id=op.id,
                            data=PersonaCreate(name="Niet in bevel", stated_age=30))
    with pytest.raises(ValidationFailed, match="not allowed"):
        conversations.open_conversation(db, actor=actor(team.operator), operation_id=op.id,
                                        data=ConversationCreate(
                                            persona_id=extra.id, platform="Testplatform",
                                            counterpart_handle="k"))


def test_a_persona_image_is_stored_under_its_hash_with_its_note(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    image = personas.add_image(db, actor=actor(team.leader), operation_id=op.id,
                               persona_id=persona.id, filename="a.png",
                               provenance="synthetic", note="Gegenereerd met een model",
                               content=PNG)
    import hashlib
    assert image.sha256 == hashlib.sha256(PNG).hexdigest()
    with pytest.raises(ValidationFailed):
        personas.add_image(db, actor=actor(team.leader), operation_id=op.id,
                           persona_id=persona.id, filename="a.exe", provenance="synthetic",
                           note="geen afbeelding", content=base64.b64encode(b"MZ"))


def test_the_draft_names_people_found_by_name_within_their_role(db: Session) -> None:
    # Issue 23: the prosecutor and the operators were typed as account numbers.
    team = make_team(db)
    leader = actor(team.leader)
    prosecutors = {uid for uid, _name in service.nameable(db, actor=leader, role="prosecutor",
                                                          text="gebruiker")}
    assert {team.prosecutor.id, team.other_prosecutor.id} <= prosecutors
    assert team.operator.id not in prosecutors
    operators = service.nameable(db, actor=leader, role="operator", text="gebruiker")
    assert team.operator.id in {uid for uid, _name in operators}
    assert not {team.prosecutor.id, team.other_prosecutor.id} & {uid for uid, _ in operators}
    assert all("(" in name for _uid, name in operators)  # 'Name (organisation)'
    assert service.nameable(db, actor=leader, role="operator", text="x") == []  # 2+ letters
