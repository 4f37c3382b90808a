"""The audit chain is keyed and checkpointed outside the database (issue 24, item 14).

Each test plays a database administrator who can switch off the append-only
triggers and rewrite rows, but has neither the key nor the checkpoint file.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from ketenzicht.audit import anchor
from ketenzicht.audit import service as audit
from ketenzicht.audit.models import GENESIS_HASH, AuditEntry
from ketenzicht.config import get_settings
from tests.audit.test_audit import _disable_guard, _write


def _rewrite_head(db: Session, last_id: int, last_hash: str) -> None:
    db.execute(text("UPDATE audit_head SET last_id = :i, last_hash = :h WHERE id = 1"),
               {"i": last_id, "h": last_hash})
    db.expire_all()


def test_an_honest_log_verifies_against_its_checkpoint(db: Session) -> None:
    _write(db, 4)
    audit.checkpoint(db)
    assert audit.verify(db).ok


def test_cutting_the_tail_and_moving_the_head_back_is_named(db: Session,
                                                            connection: Connection) -> None:
    _write(db, 5)
    audit.checkpoint(db)
    _disable_guard(connection)
    third = db.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == 3))
    db.execute(text("DELETE FROM audit_entry WHERE id > 3"))
    assert third is not None
    _rewrite_head(db, 3, third)
    result = audit.verify(db)
    assert not result.ok and result.first_broken_id == 4
    assert "tail was cut and the head moved back" in result.reason


def test_changing_an_entry_and_recomputing_the_chain_is_named(db: Session,
                                                              connection: Connection) -> None:
    _write(db, 4)
    audit.checkpoint(db)
    _disable_guard(connection)
    entries = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    entries[1].resource_id = "forged"
    prev = entries[0].entry_hash
    # The administrator recomputes every hash after the change, as the unkeyed chain allowed.
    for entry in entries[1:]:
        entry.prev_hash = prev
        entry.entry_hash = audit.entry_hash(entry)  # no key: they do not have it
        db.execute(text("UPDATE audit_entry SET resource_id = :r, prev_hash = :p, "
                        "entry_hash = :h WHERE id = :i"),
                   {"r": entry.resource_id, "p": entry.prev_hash, "h": entry.entry_hash,
                    "i": entry.id})
        prev = entry.entry_hash
    _rewrite_head(db, entries[-1].id, prev)
    result = audit.verify(db)
    assert not result.ok and result.first_broken_id == entries[1].id
    assert "recomputed without the key" in result.reason
    # Nor can they pass the rewrite off as part of the unkeyed legacy prefix.
    db.execute(text("UPDATE audit_head SET legacy_last_id = :i WHERE id = 1"),
               {"i": entries[-1].id})
    db.expire_all()
    moved = audit.verify(db)
    assert not moved.ok and "legacy prefix was moved" in moved.reason


def test_wiping_the_log_and_resetting_the_head_is_named(db: Session,
                                                        connection: Connection) -> None:
    _write(db, 3)
    audit.checkpoint(db)
    _disable_guard(connection)
    db.execute(text("DELETE FROM audit_entry"))
    _rewrite_head(db, 0, GENESIS_HASH)
    result = audit.verify(db)
    assert not result.ok and "wiped and its head reset" in result.reason


def test_a_forged_checkpoint_is_refused(db: Session) -> None:
    _write(db, 2)
    audit.checkpoint(db)
    path = anchor.checkpoint_path(get_settings())
    line = json.loads(path.read_text("utf-8").splitlines()[-1])
    line["last_id"] = 1
    path.write_text(json.dumps(line) + "\n", "utf-8")
    result = audit.verify(db)
    assert not result.ok and "wrong MAC" in result.reason


def test_checkpoints_follow_commits(db: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KZ_AUDIT_CHECKPOINT_SECONDS", "0")
    get_settings.cache_clear()
    _write(db, 2)
    point, problems = anchor.latest(get_settings())
    assert problems == [] and point is not None
    assert point.last_id == db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
