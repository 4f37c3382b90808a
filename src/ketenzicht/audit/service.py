"""Append to, search and verify the audit log.

Services call :func:`record` while they work; the entries are held on the
session and appended to the chain just before the transaction commits, in the
same transaction. So a write and its audit entry last or vanish together, and
a read is logged whenever the request that made it completes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, event, select, update
from sqlalchemy.orm import Session, SessionTransaction

from ketenzicht.audit import anchor
from ketenzicht.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from ketenzicht.audit.schemas import AuditQuery
from ketenzicht.config import Settings, get_settings
from ketenzicht.core import clock, context

_PENDING = "kz_audit_pending"
_HEAD = "kz_audit_head"


class AuditActor(Protocol):
    """What the log needs to know about who acted (``auth.schemas.Actor`` fits)."""

    @property
    def user_id(self) -> int: ...
    @property
    def username(self) -> str: ...
    @property
    def organisation_id(self) -> int: ...
    @property
    def via(self) -> str: ...


@dataclass(frozen=True)
class _Pending:
    at: datetime
    request_id: str | None
    actor_user_id: int | None
    actor_username: str | None
    actor_org_id: int | None
    via: str | None
    action: str
    resource_type: str
    resource_id: str | None
    outcome: str
    detail: dict[str, Any]


def record(
    session: Session,
    *,
    actor: AuditActor | None,
    action: str,
    resource_type: str,
    resource_id: int | str | None = None,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
) -> None:
    """Queue an audit entry on the session; it is chained in when the session commits."""
    if not session.in_transaction():
        # Tie the entry to a transaction, so that a rollback also discards it.
        session.begin()
    session.info.setdefault(_PENDING, []).append(
        _Pending(
            at=clock.now(),
            request_id=context.request_id(),
            actor_user_id=actor.user_id if actor else None,
            actor_username=actor.username if actor else None,
            actor_org_id=actor.organisation_id if actor else None,
            via=actor.via if actor else None,
            action=action,
            resource_type=resource_type,
            resource_id=None if resource_id is None else str(resource_id),
            outcome=outcome,
            detail=detail or {},
        )
    )


def record_read(
    session: Session, *, actor: AuditActor | None, resource_type: str, ids: Sequence[int | str]
) -> None:
    """Log a read of personal data: one entry for a record, one listing the ids for a list."""
    if len(ids) == 1:
        record(session, actor=actor, action="read", resource_type=resource_type,
               resource_id=ids[0])
    elif ids:
        record(session, actor=actor, action="list", resource_type=resource_type,
               detail={"ids": [str(i) for i in ids]})


def pending_count(session: Session) -> int:
    """How many entries wait for the commit (for tests)."""
    return len(session.info.get(_PENDING, []))


def entry_hash(entry: AuditEntry, key: bytes | None = None) -> str:
    """The HMAC-SHA-256 under ``key`` (plain SHA-256 for the legacy prefix, ``key`` None)
    over the previous hash and this entry's canonical content."""
    content = {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "request_id": entry.request_id,
        "actor_user_id": entry.actor_user_id,
        "actor_username": entry.actor_username,
        "actor_org_id": entry.actor_org_id,
        "via": entry.via,
        "action": entry.action,
        "resource_type": entry.resource_type,
        "resource_id": entry.resource_id,
        "outcome": entry.outcome,
        "detail": entry.detail,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    message = (entry.prev_hash + canonical).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def flush_pending(session: Session) -> int:
    """Chain the queued entries into the log; returns how many were written."""
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    if not pending:
        return 0
    # A no-op UPDATE takes the row lock on PostgreSQL and the write lock on
    # SQLite before we read the head, so concurrent appenders queue up here.
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_id=AuditHead.last_id))
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).execution_options(populate_existing=True)
    ).scalar_one()
    last_id, last_hash = head.last_id, head.last_hash
    key = anchor.chain_key(get_settings())
    for item in pending:
        entry = AuditEntry(id=last_id + 1, prev_hash=last_hash, entry_hash="", **item.__dict__)
        entry.entry_hash = entry_hash(entry, key)
        session.add(entry)
        last_id, last_hash = entry.id, entry.entry_hash
    head.last_id, head.last_hash = last_id, last_hash
    session.flush()
    session.info[_HEAD] = anchor.Checkpoint(last_id=last_id, last_hash=last_hash,
                                            legacy_last_id=head.legacy_last_id,
                                            at=clock.now().isoformat())
    return len(pending)


# Not a ``core.events`` subscriber, on purpose: those run after the commit, in a transaction
# of their own, and may fail alone. An audit entry must instead be chained inside the
# transaction of the write it describes, so that both last or vanish together (and the chain
# head is locked by the writer). So the chain is the one hook that runs *before* commit.
@event.listens_for(Session, "before_commit")
def _append_before_commit(session: Session) -> None:
    flush_pending(session)


@event.listens_for(Session, "after_commit")
def _checkpoint_after_commit(session: Session) -> None:
    # Only once the entries are durable in the database may the file vouch for them.
    point = session.info.pop(_HEAD, None)
    if point is not None:
        anchor.write(get_settings(), point)


def checkpoint(session: Session) -> anchor.Checkpoint:
    """Write a checkpoint of the current head now (``ketenzicht audit verify`` does)."""
    head = session.get(AuditHead, 1)
    assert head is not None
    point = anchor.Checkpoint(last_id=head.last_id, last_hash=head.last_hash,
                              legacy_last_id=head.legacy_last_id, at=clock.now().isoformat())
    anchor.write(get_settings(), point, force=True)
    return point


@event.listens_for(Session, "after_soft_rollback")
def _discard_after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    # Entries queued in a rolled-back transaction describe nothing that happened.
    # A rolled-back SAVEPOINT (one bad item in a batch) keeps the outer entries.
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_HEAD, None)


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of :func:`verify`."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def _iter_entries(session: Session, batch: int = 2000) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > after).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id
        session.expunge_all()


def verify(session: Session, *, settings: Settings | None = None) -> VerifyResult:
    """Walk the chain from the start with the key, then hold it against the last checkpoint.

    Names each way a database administrator could have rewritten the log: an entry
    altered (its keyed hash no longer fits, even if the chain was recomputed without
    the key), a gap, a cut tail with the head moved back, and the log wiped with the
    head reset (both: the chain ends before the checkpoint), and a rewritten history
    up to the checkpoint (its hash differs).
    """
    settings = settings or get_settings()
    key = anchor.chain_key(settings)
    head = session.get(AuditHead, 1)
    legacy = head.legacy_last_id if head is not None else 0
    point, problems = anchor.latest(settings)
    if problems:
        return VerifyResult(False, 0, None, "; ".join(problems))
    if point is not None and point.legacy_last_id != legacy:
        return VerifyResult(False, 0, min(point.legacy_last_id, legacy) + 1,
                            f"the unkeyed legacy prefix was moved from {point.legacy_last_id} "
                            f"to {legacy} (entries rewritten without the key)")
    expected_id, prev = 1, GENESIS_HASH
    checked = 0
    hash_at_point: str | None = None
    for entry in _iter_entries(session):
        if entry.id != expected_id:
            return VerifyResult(False, checked, expected_id,
                                f"entry {expected_id} is missing (next is {entry.id})")
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.id,
                                "its previous-hash does not match the entry before it")
        if entry_hash(entry, None if entry.id <= legacy else key) != entry.entry_hash:
            return VerifyResult(False, checked, entry.id,
                                "its content does not match its keyed hash (altered, and "
                                "the chain recomputed without the key)"
                                if entry.id > legacy else
                                "its content does not match its hash (altered)")
        if point is not None and entry.id == point.last_id:
            hash_at_point = entry.entry_hash
        prev, expected_id = entry.entry_hash, expected_id + 1
        checked += 1
    if head is None or head.last_id != checked or head.last_hash != prev:
        last = head.last_id if head else 0
        return VerifyResult(False, checked, checked + 1,
                            f"the chain ends at {checked} but its head says {last} (truncated)")
    if point is not None and point.last_id > checked:
        if checked == 0:
            return VerifyResult(False, 0, 1,
                                f"the log was wiped and its head reset: the checkpoint of "
                                f"{point.at} vouches for {point.last_id} entries")
        return VerifyResult(False, checked, checked + 1,
                            f"the tail was cut and the head moved back: the chain ends at "
                            f"{checked} but the checkpoint of {point.at} vouches for "
                            f"{point.last_id} entries")
    if point is not None and point.last_id and hash_at_point != point.last_hash:
        return VerifyResult(False, checked, point.last_id,
                            f"entry {point.last_id} differs from the checkpoint of {point.at} "
                            f"(history rewritten)")
    return VerifyResult(True, checked)


def _filtered(query: AuditQuery, org_id: int | None) -> Select[AuditEntry]:
    stmt = select(AuditEntry)
    if org_id is not None:
        stmt = stmt.where(AuditEntry.actor_org_id == org_id)
    if query.actor:
        stmt = stmt.where(AuditEntry.actor_username == query.actor)
    if query.action:
        stmt = stmt.where(AuditEntry.action == query.action)
    if query.resource_type:
        stmt = stmt.where(AuditEntry.resource_type == query.resource_type)
    if query.resource_id:
        stmt = stmt.where(AuditEntry.resource_id == query.resource_id)
    if query.request_id:
        stmt = stmt.where(AuditEntry.request_id == query.request_id)
    if query.since:
        stmt = stmt.where(AuditEntry.at >= query.since)
    if query.until:
        stmt = stmt.where(AuditEntry.at < query.until)
    return stmt


def search(session: Session, *, query: AuditQuery, org_id: int | None) -> list[AuditEntry]:
    """Entries matching ``query``, newest first; ``org_id`` limits to one organisation's actors."""
    stmt = _filtered(query, org_id).order_by(AuditEntry.id.desc())
    stmt = stmt.offset(query.offset).limit(query.limit)
    return list(session.scalars(stmt))
