"""The audit log: append-only on both databases, hash-chained, verifiable, searchable."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.audit.models import AuditEntry
from ketenzicht.audit.schemas import AuditQuery
from ketenzicht.auth.enums import Role
from ketenzicht.core import context
from tests.factories.auth import UserFactory, actor


def _write(db: Session, n: int) -> None:
    user = actor(UserFactory())
    for i in range(n):
        audit.record(db, actor=user, action="read", resource_type="thing", resource_id=i)
    db.commit()


def test_entries_are_chained_and_verify(db: Session) -> None:
    context.new_request_id()
    _write(db, 5)
    entries = db.query(AuditEntry).order_by(AuditEntry.id).all()
    assert [e.id for e in entries] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:], strict=False))
    assert entries[0].request_id == context.request_id()
    result = audit.verify(db)
    assert result.ok and result.checked == 5


def test_rolled_back_work_leaves_no_entry(db: Session) -> None:
    user = actor(UserFactory())
    db.commit()
    audit.record(db, actor=user, action="create", resource_type="thing", resource_id=1)
    db.rollback()
    db.commit()
    assert db.query(AuditEntry).count() == 0


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET action = 'nothing' WHERE id = 2",
    "DELETE FROM audit_entry WHERE id = 2",
])
def test_database_refuses_update_and_delete(db: Session, statement: str) -> None:
    _write(db, 3)
    with pytest.raises(DatabaseError, match="append-only"):
        with db.begin_nested():
            db.execute(text(statement))
    assert audit.verify(db).ok


def _disable_guard(connection: Connection) -> None:
    # Only an attacker with DDL rights can do this; verification must still catch it.
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
    else:
        connection.execute(text("DROP TRIGGER audit_entry_no_update"))
        connection.execute(text("DROP TRIGGER audit_entry_no_delete"))


def test_verify_finds_an_altered_entry(db: Session, connection: Connection) -> None:
    _write(db, 4)
    _disable_guard(connection)
    db.execute(text("UPDATE audit_entry SET resource_id = 'x' WHERE id = 3"))
    db.expire_all()
    result = audit.verify(db)
    assert not result.ok
    assert result.first_broken_id == 3
    assert "altered" in result.reason


def test_verify_finds_a_removed_entry(db: Session, connection: Connection) -> None:
    _write(db, 4)
    _disable_guard(connection)
    db.execute(text("DELETE FROM audit_entry WHERE id = 2"))
    db.expire_all()
    result = audit.verify(db)
    assert (result.ok, result.first_broken_id) == (False, 2)


def test_verify_finds_a_truncated_tail(db: Session, connection: Connection) -> None:
    _write(db, 4)
    _disable_guard(connection)
    db.execute(text("DELETE FROM audit_entry WHERE id = 4"))
    db.expire_all()
    result = audit.verify(db)
    assert (result.ok, result.first_broken_id) == (False, 4)
    assert "truncated" in result.reason


def test_search_is_limited_to_own_organisation_unless_national(db: Session) -> None:
    mine = actor(UserFactory(roles=(Role.BEHEERDER,)))
    other = actor(UserFactory())
    audit.record(db, actor=mine, action="read", resource_type="user", resource_id=1)
    audit.record(db, actor=other, action="read", resource_type="user", resource_id=2)
    db.commit()
    own = audit.search(db, query=AuditQuery(), org_id=mine.organisation_id)
    assert {e.actor_username for e in own} == {mine.username}
    everyone = audit.search(db, query=AuditQuery(resource_type="user"), org_id=None)
    assert {e.actor_username for e in everyone} == {mine.username, other.username}
    assert audit.search(db, query=AuditQuery(actor=other.username, limit=1), org_id=None)[0] \
        .resource_id == "2"
