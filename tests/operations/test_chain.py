"""The per-conversation hash chain: tamper evidence, imports, export into a signed dossier."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ketenzicht.config import get_settings
from ketenzicht.core import clock
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.evidence import dossier
from ketenzicht.evidence import keys as evidence_keys
from ketenzicht.evidence import reads as evidence_reads
from ketenzicht.operations import chain, conversations, flows
from ketenzicht.operations.enums import Direction
from ketenzicht.operations.models import Conversation
from tests.factories.auth import actor
from tests.factories.evidence import make_evidence_case
from tests.factories.operations import Team, make_conversation, make_operation, make_team

LINES = [(Direction.INBOUND, "hoi, wat kost een uurtje?"),
         (Direction.OUTBOUND, "hoi! wat had je in gedachten?"),
         (Direction.INBOUND, "seks, 150 euro"),
         (Direction.OUTBOUND, "150 euro is goed, waar spreken we af?")]


def _setup(db: Session) -> tuple[Team, int, Conversation]:
    team = make_team(db)
    op, persona = make_operation(db, team)
    return team, op.id, make_conversation(db, team, op, persona, LINES)


@contextmanager
def _no_triggers(db: Session) -> Iterator[Connection]:
    """Let a test edit messages as someone with the database owner's rights could."""
    conn = db.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE operation_message DISABLE TRIGGER USER"))
        yield conn
        conn.execute(text("ALTER TABLE operation_message ENABLE TRIGGER USER"))
    else:
        conn.execute(text("DROP TRIGGER operation_message_no_update"))
        conn.execute(text("DROP TRIGGER operation_message_no_delete"))
        yield conn


def test_an_intact_chain_verifies(db: Session) -> None:
    _team, _op, conv = _setup(db)
    result = chain.verify(db, conv)
    assert result.ok and result.checked == 4


def test_the_database_refuses_to_change_or_delete_a_message(db: Session) -> None:
    _setup(db)
    for sql in ("UPDATE operation_message SET text = 'x'", "DELETE FROM operation_message"):
        with pytest.raises(DBAPIError), db.begin_nested():
            db.execute(text(sql))


def test_a_message_altered_in_the_database_breaks_the_chain_and_verify_names_it(
        db: Session) -> None:
    _team, _op, conv = _setup(db)
    with _no_triggers(db) as conn:
        conn.execute(text("UPDATE operation_message SET text = '200 euro' "
                          "WHERE conversation_id = :c AND seq = 3"), {"c": conv.id})
    db.expire_all()
    result = chain.verify(db, conv)
    assert not result.ok
    assert result.first_broken_seq == 3
    assert "altered" in result.reason
    assert result.checked == 2


def test_a_deleted_message_is_named_as_missing(db: Session) -> None:
    _team, _op, conv = _setup(db)
    with _no_triggers(db) as conn:
        conn.execute(text("DELETE FROM operation_message WHERE conversation_id = :c AND seq = 2"),
                     {"c": conv.id})
    result = chain.verify(db, conv)
    assert (result.ok, result.first_broken_seq) == (False, 2)
    assert "missing" in result.reason


def test_the_guard_and_the_confirmation_are_covered_by_the_hash(db: Session) -> None:
    team, op_id, conv = _setup(db)
    flagged = conversations.record(db, actor=actor(team.operator), operation_id=op_id,
                                   conversation_id=conv.id, data=conversations.MessageIn(
                                       direction=Direction.OUTBOUND, text="ik ben 19 jaar",
                                       confirm_reason="typefout, bewust"))
    assert flagged.confirmation is not None
    with _no_triggers(db) as conn:
        conn.execute(text("UPDATE operation_message SET confirmation = NULL WHERE id = :i"),
                     {"i": flagged.id})
    db.expire_all()
    assert chain.verify(db, conv).first_broken_seq == flagged.seq


def test_a_json_export_is_imported_and_chained(db: Session) -> None:
    team, op_id, conv = _setup(db)
    now = clock.now()
    export = json.dumps({"messages": [
        {"at": (now - timedelta(minutes=3)).isoformat(), "direction": "received",
         "text": "ben je er nog?"},
        {"at": (now - timedelta(minutes=2)).isoformat(), "direction": "sent", "text": "ja"}]})
    made = conversations.import_export(db, actor=actor(team.operator), operation_id=op_id,
                                       conversation_id=conv.id, fmt="json", content=export)
    assert (made.count, made.first_seq, made.last_seq) == (2, 5, 6)
    assert str(made.method) == "import_json"
    assert [str(m.capture_method) for m in conversations.messages(db, conv)][-2:] == [
        "import_json", "import_json"]
    assert chain.verify(db, conv).ok


def test_a_csv_export_with_a_bad_line_imports_nothing(db: Session) -> None:
    team, op_id, conv = _setup(db)
    now = clock.now().isoformat()
    csv_text = f"at,direction,text\n{now},in,hoi\nnot-a-time,out,hallo\n"
    with pytest.raises(ValidationFailed, match="Message 3"):
        conversations.import_export(db, actor=actor(team.operator), operation_id=op_id,
                                    conversation_id=conv.id, fmt="csv", content=csv_text)
    good = f"at,direction,text\n{now},in,hoi\n"
    made = conversations.import_export(db, actor=actor(team.operator), operation_id=op_id,
                                       conversation_id=conv.id, fmt="csv", content=good)
    assert (made.first_seq, made.last_seq) == (5, 5)


def test_an_exported_conversation_verifies_inside_a_signed_dossier(db: Session) -> None:
    team, op_id, conv = _setup(db)
    case = make_evidence_case(db, team.operator)
    item = flows.export_to_evidence(db, actor=actor(team.operator), operation_id=op_id,
                                    conversation_id=conv.id, case_id=case.id)
    assert conv.exported_item_id == item.id
    assert item.facts["head_hash"] == conv.head_hash
    settings = get_settings()
    data = evidence_reads.export_zip(db, actor=actor(team.operator), case_id=case.id,
                                     pdf=b"%PDF-1.4 test", settings=settings)
    assert dossier.verify_zip(data, public_keys=evidence_keys.trusted(db)).ok
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        name = next(n for n in zf.namelist() if n.startswith(f"items/{item.id:05d}-"))
        document = json.loads(zf.read(name))
    result = chain.verify_export(document)
    assert result.ok and result.checked == 4
    assert document["head_hash"] == conv.head_hash
    # The same check catches a message altered in the exported copy.
    document["messages"][1]["text"] = "iets anders"
    assert chain.verify_export(document).first_broken_seq == 2


def test_a_broken_chain_is_not_exported(db: Session) -> None:
    team, op_id, conv = _setup(db)
    case = make_evidence_case(db, team.operator)
    with _no_triggers(db) as conn:
        conn.execute(text("UPDATE operation_message SET text = 'x' WHERE conversation_id = :c "
                          "AND seq = 1"), {"c": conv.id})
    db.expire_all()
    with pytest.raises(Exception, match="message 1"):
        flows.export_to_evidence(db, actor=actor(team.operator), operation_id=op_id,
                                 conversation_id=conv.id, case_id=case.id)
