"""The per-conversation hash chain, shaped like the audit log's (``audit.service``).

Each message's ``entry_hash`` is the SHA-256 of the previous message's hash and this
message's canonical content; the conversation row holds the head (last seq and hash).
:func:`verify` walks the chain and names the first message that does not fit, so an edit
in the database (past the triggers, by someone with the database's owner rights) shows.
The same check runs on an exported conversation's JSON (:func:`verify_export`), so the
copy inside a signed dossier can be checked without the platform's database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.operations.models import GENESIS_HASH, Conversation, Message

#: The fields a message's hash covers, in the export as in the database.
HASHED = ("conversation_id", "seq", "at", "direction", "platform", "counterpart_handle",
          "text", "attachment_sha256", "attachment_name", "capture_method",
          "operator_user_id", "order_version", "checks", "confirmation", "recorded_at")


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def content_from(values: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed content, as plain JSON values, of a message's column values."""
    return {
        "conversation_id": values["conversation_id"], "seq": values["seq"],
        "at": _time(values["at"]), "direction": str(values["direction"]),
        "platform": values["platform"], "counterpart_handle": values["counterpart_handle"],
        "text": values["text"], "attachment_sha256": values["attachment_sha256"],
        "attachment_name": values["attachment_name"],
        "capture_method": str(values["capture_method"]),
        "operator_user_id": values["operator_user_id"], "order_version": values["order_version"],
        "checks": values["checks"], "confirmation": values["confirmation"],
        "recorded_at": _time(values["recorded_at"]),
    }


def content_of(message: Message) -> dict[str, Any]:
    """A message's hashed content as plain JSON values."""
    return content_from({k: getattr(message, k) for k in HASHED})


def digest(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical JSON of ``content``."""
    canonical = json.dumps({k: content[k] for k in HASHED}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def lock_head(session: Session, conversation_id: int) -> Conversation:
    """The conversation row, locked, so that two appenders never fork the chain."""
    return session.execute(select(Conversation).where(Conversation.id == conversation_id)
                           .with_for_update().execution_options(populate_existing=True)
                           ).scalar_one()


def seal(conversation: Conversation, message: Message) -> Message:
    """Give ``message`` the next seq and its hashes, and move the head past it."""
    message.conversation_id = conversation.id
    message.seq = conversation.head_seq + 1
    message.prev_hash = conversation.head_hash
    message.entry_hash = digest(message.prev_hash, content_of(message))
    conversation.head_seq, conversation.head_hash = message.seq, message.entry_hash
    return message


def seal_values(conversation: Conversation, values: dict[str, Any]) -> dict[str, Any]:
    """:func:`seal` for a message's column values (a bulk import inserts these as rows)."""
    values["conversation_id"] = conversation.id
    values["seq"] = conversation.head_seq + 1
    values["prev_hash"] = conversation.head_hash
    values["entry_hash"] = digest(values["prev_hash"], content_from(values))
    conversation.head_seq, conversation.head_hash = values["seq"], values["entry_hash"]
    return values


@dataclass(frozen=True)
class Verification:
    """The outcome of a chain check: where it first breaks, and why."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    first_broken_id: int | None = None
    reason: str = ""


def _walk(rows: Iterable[tuple[int | None, Mapping[str, Any], str, str]], head_seq: int,
          head_hash: str) -> Verification:
    expected, prev, checked = 1, GENESIS_HASH, 0
    for row_id, content, prev_hash, entry_hash in rows:
        seq = int(content["seq"])
        if seq != expected:
            return Verification(False, checked, expected, row_id,
                                f"message {expected} is missing (next is {seq})")
        if prev_hash != prev:
            return Verification(False, checked, seq, row_id,
                                "its previous-hash does not match the message before it")
        if digest(prev_hash, content) != entry_hash:
            return Verification(False, checked, seq, row_id,
                                "its content does not match its hash (altered)")
        prev, expected, checked = entry_hash, expected + 1, checked + 1
    if checked != head_seq or prev != head_hash:
        return Verification(False, checked, checked + 1, None,
                            f"the chain ends at {checked} but its head says {head_seq} "
                            "(truncated)")
    return Verification(True, checked)


_COLUMNS = [getattr(Message, name) for name in HASHED]


def _rows(session: Session, conversation_id: int, batch: int = 10000
          ) -> Iterator[tuple[int | None, Mapping[str, Any], str, str]]:
    # Plain column rows, a page at a time: no ORM objects, so memory stays flat.
    after = 0
    while True:
        page = session.execute(select(Message.id, Message.prev_hash, Message.entry_hash,
                                      *_COLUMNS).where(
            Message.conversation_id == conversation_id, Message.seq > after)
            .order_by(Message.seq).limit(batch)).all()
        if not page:
            return
        for row in page:
            yield row.id, content_from(dict(row._mapping)), row.prev_hash, row.entry_hash
        after = page[-1].seq


def verify(session: Session, conversation: Conversation) -> Verification:
    """Walk the conversation's chain from its first message; name the first that breaks."""
    return _walk(_rows(session, conversation.id), conversation.head_seq,
                 conversation.head_hash)


def export_document(conversation: Conversation, messages: Iterable[Message],
                    meta: Mapping[str, Any]) -> dict[str, Any]:
    """The conversation as a self-verifying JSON document (hashes and all)."""
    return {"format": "ketenzicht-operation-conversation/1", **meta,
            "conversation_id": conversation.id, "head_seq": conversation.head_seq,
            "head_hash": conversation.head_hash,
            "messages": [{**content_of(m), "prev_hash": m.prev_hash,
                          "entry_hash": m.entry_hash} for m in messages]}


def verify_export(document: Mapping[str, Any]) -> Verification:
    """Check an exported conversation's chain from the document alone."""
    rows = ((None, m, str(m["prev_hash"]), str(m["entry_hash"]))
            for m in document["messages"])
    return _walk(rows, int(document["head_seq"]), str(document["head_hash"]))
