"""Conversations: messages appended to a per-conversation hash chain, guarded and verified.

Every decoy-side message is classified by the entrapment guard against the order's rules
(:mod:`ketenzicht.operations.guard`). A flagged message is refused until the operator
confirms it with a reason; the checks and the confirmation go into the chain with the
message. Nothing is appended unless the order is in force and the operator is named in it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings, get_settings
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.core.formatting import format_megabytes
from ketenzicht.core.i18n import N_
from ketenzicht.operations import (
    chain,
    frame,
    guard,
    importers,
    links,
    personas,
    service,
    store,
)
from ketenzicht.operations.enums import CaptureMethod, Direction
from ketenzicht.operations.models import Conversation, Message, Operation, OrderVersion, Persona
from ketenzicht.operations.schemas import ConversationCreate, MessageIn

PERSONA_NOT_ALLOWED = N_("Persona %(id)s is not allowed by the order in force.")
PLATFORM_NOT_ALLOWED = N_("Platform '%(platform)s' is not in the order's scope.")
OUTSIDE_PERIOD = N_("The message's time %(at)s lies outside the order's period.")
NOT_BASE64 = N_("The attachment is not valid base64.")
TOO_LARGE = N_("The attachment is larger than %(mb)s MB; nothing was stored.")
MAX_ATTACHMENT = 20 * 1024 * 1024
IMPORT_BATCH = 5000
# A Core INSERT run as executemany: the ORM's bulk path costs a third of an import.
_INSERT = insert(cast(Table, Message.__table__))


class Flagged(Conflict):
    """The guard flagged a decoy-side message that has no confirmation; nothing stored."""

    def __init__(self, checks: Sequence[guard.Check], line: int | None = None) -> None:
        reasons = "; ".join(c.reason % c.params for c in checks if c.flagged)
        super().__init__(N_("The entrapment guard flagged this decoy message: %(reasons)s. "
                            "Confirm it with a reason to record it as sent."), reasons=reasons)
        self.checks = list(checks)
        self.line = line


def of_operation(session: Session, op: Operation) -> list[Conversation]:
    """The conversations of an operation."""
    return list(session.scalars(select(Conversation).where(Conversation.operation_id == op.id)
                                .order_by(Conversation.id)))


def load(session: Session, *, actor: Actor, operation_id: int, conversation_id: int,
         action: str = "operations.view") -> tuple[Operation, Conversation]:
    """An operation and one of its conversations; refused alike when either is missing."""
    op = service.load(session, actor=actor, operation_id=operation_id, action=action)
    conv = session.get(Conversation, conversation_id)
    if conv is None or conv.operation_id != op.id:
        raise Forbidden(REFUSED)
    return op, conv


def _version(op: Operation) -> OrderVersion:
    service.check_writable(op, acting=True)
    version = service.current(op)
    assert version is not None  # in force implies issued
    return version


def open_conversation(session: Session, *, actor: Actor, operation_id: int,
                      data: ConversationCreate) -> Conversation:
    """Open a chat between an allowed persona and one counterpart, while the order is in force."""
    op = service.load(session, actor=actor, operation_id=operation_id,
                      action="operations.operate")
    version = _version(op)
    persona = personas.load(session, op, data.persona_id)
    if persona.id not in version.persona_ids:
        raise ValidationFailed(PERSONA_NOT_ALLOWED, id=persona.id)
    if version.platforms and data.platform not in version.platforms:
        raise ValidationFailed(PLATFORM_NOT_ALLOWED, platform=data.platform)
    conv = Conversation(operation_id=op.id, persona_id=persona.id, platform=data.platform,
                        counterpart_handle=data.counterpart_handle,
                        opened_by_user_id=actor.user_id)
    session.add(conv)
    session.flush()
    links.store_keys(session, conv)
    audit.record(session, actor=actor, action="create", resource_type="operation_conversation",
                 resource_id=conv.id, detail={"operation": op.id, "persona": persona.id})
    return conv


def messages(session: Session, conv: Conversation) -> list[Message]:
    """The conversation's messages in chain order."""
    return list(session.scalars(select(Message).where(Message.conversation_id == conv.id)
                                .order_by(Message.seq)))


def _terms(op: Operation, version: OrderVersion, persona: Persona) -> guard.OrderTerms:
    power = frame.load().powers[version.power]
    return guard.OrderTerms(power_allows_purchase=power.allows_purchase,
                            persona_age_below=power.persona_age_below,
                            persona_age=persona.stated_age, services=tuple(version.services))


def _counterpart_offer(session: Session, conv: Conversation) -> int | None:
    law = frame.load()
    for seq, text in session.execute(select(Message.seq, Message.text).where(
            Message.conversation_id == conv.id, Message.direction == Direction.INBOUND)
            .order_by(Message.seq)):
        if guard.offers(law, text):
            return int(seq)
    return None


class _Appender:
    """Appends messages to one conversation's chain under the head lock, guard first."""

    def __init__(self, session: Session, op: Operation, conv: Conversation, actor: Actor,
                 method: CaptureMethod) -> None:
        self.session, self.actor, self.method = session, actor, method
        self.version = _version(op)
        self.conv = chain.lock_head(session, conv.id)
        self.terms = _terms(op, self.version, personas.load(session, op, conv.persona_id))
        self.frame = frame.load()
        self.offer = _counterpart_offer(session, self.conv)

    def build(self, *, at: datetime, direction: Direction, text: str, confirm_reason: str,
              attachment: tuple[str, str] | None = None, line: int | None = None
              ) -> dict[str, Any]:
        """The next message's column values, guarded and sealed into the chain."""
        if not self.version.starts_at <= at <= self.version.ends_at:
            raise ValidationFailed(OUTSIDE_PERIOD, at=at.isoformat())
        checks: list[dict[str, Any]] = []
        confirmation = None
        if direction is Direction.OUTBOUND:
            found = guard.classify(self.frame, text=text, counterpart_offer=self.offer,
                                   terms=self.terms)
            checks = [c.as_json() for c in found]
            if guard.flagged(found):
                if not confirm_reason.strip():
                    raise Flagged(found, line)
                confirmation = {"by_user_id": self.actor.user_id, "reason": confirm_reason,
                                "at": clock.now().isoformat(),
                                "rules": [c.rule for c in guard.flagged(found)]}
        values = chain.seal_values(self.conv, {
            "at": at, "direction": direction, "platform": self.conv.platform,
            "counterpart_handle": self.conv.counterpart_handle, "text": text,
            "attachment_sha256": attachment[0] if attachment else None,
            "attachment_name": attachment[1] if attachment else None,
            "capture_method": self.method, "operator_user_id": self.actor.user_id,
            "order_version": self.version.version, "checks": checks,
            "confirmation": confirmation, "recorded_at": clock.now()})
        if (direction is Direction.INBOUND and self.offer is None
                and guard.offers(self.frame, text)):
            self.offer = values["seq"]
        return values


def record(session: Session, *, actor: Actor, operation_id: int, conversation_id: int,
           data: MessageIn, settings: Settings | None = None) -> Message:
    """Record one message; a flagged decoy message needs the operator's reason first."""
    op, conv = load(session, actor=actor, operation_id=operation_id,
                    conversation_id=conversation_id, action="operations.operate")
    appender = _Appender(session, op, conv, actor, CaptureMethod.MANUAL)
    attachment = None
    if data.attachment_base64:
        if len(data.attachment_base64) > MAX_ATTACHMENT * 4 // 3 + 4:
            raise ValidationFailed(TOO_LARGE, mb=format_megabytes(MAX_ATTACHMENT))
        try:
            content = base64.b64decode(data.attachment_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(NOT_BASE64) from None
        sha = store.put(store.root(settings or get_settings()), content)
        attachment = (sha, data.attachment_name or "attachment.bin")
    message = Message(**appender.build(at=data.at or clock.now(), direction=data.direction,
                                       text=data.text, confirm_reason=data.confirm_reason,
                                       attachment=attachment))
    session.add(message)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="operation_message",
                 resource_id=message.id, detail={"conversation": conv.id, "seq": message.seq,
                                                 "flagged": message.confirmation is not None})
    return message


@dataclass(frozen=True)
class Imported:
    """What an import appended: how many messages, the seqs they took, and how captured."""

    count: int
    first_seq: int
    last_seq: int
    method: CaptureMethod
    sources: tuple[importers.WarcSource, ...] = ()


def _rows_of(fmt: str, content: str | bytes
             ) -> tuple[list[importers.Row], list[importers.WarcSource], CaptureMethod]:
    if fmt == "warc":
        data = content if isinstance(content, bytes) else content.encode()
        rows, sources = importers.read_warc(data)
        return rows, sources, CaptureMethod.IMPORT_WARC
    text = content if isinstance(content, str) else content.decode("utf-8", errors="replace")
    method = CaptureMethod.IMPORT_JSON if fmt == "json" else CaptureMethod.IMPORT_CSV
    return importers.read(fmt, text), [], method


def import_export(session: Session, *, actor: Actor, operation_id: int, conversation_id: int,
                  fmt: str, content: str | bytes) -> Imported:
    """Append every message of a chat export or WARC capture, or none (a bad or
    unconfirmed line refuses all).

    The rows are guarded and hashed in one pass and inserted in batches as plain rows (no
    ORM object per message): 100,000 messages fit in one transaction and little memory.
    """
    op, conv = load(session, actor=actor, operation_id=operation_id,
                    conversation_id=conversation_id, action="operations.operate")
    rows, sources, method = _rows_of(fmt, content)
    appender = _Appender(session, op, conv, actor, method)
    first = appender.conv.head_seq + 1
    batch: list[dict[str, Any]] = []
    for r in rows:
        batch.append(appender.build(at=r.at, direction=r.direction, text=r.text,
                                    confirm_reason=r.confirm_reason, line=r.line))
        if len(batch) >= IMPORT_BATCH:
            session.execute(_INSERT, batch)
            batch = []
    if batch:
        session.execute(_INSERT, batch)
    session.flush()  # the head moved: the conversation row is written with the messages
    audit.record(session, actor=actor, action="import", resource_type="operation_conversation",
                 resource_id=conv.id, detail={
                     "messages": len(rows), "format": fmt, "head_seq": appender.conv.head_seq,
                     "warc_records": [{"id": s.record_id, "url": s.url, "date": s.date,
                                       "sha256": s.sha256, "messages": s.messages}
                                      for s in sources][:200]})
    return Imported(len(rows), first, appender.conv.head_seq, method, tuple(sources))


def verify(session: Session, *, actor: Actor, operation_id: int,
           conversation_id: int) -> chain.Verification:
    """Check the conversation's chain (a read: allowed after the order ended too)."""
    _op, conv = load(session, actor=actor, operation_id=operation_id,
                     conversation_id=conversation_id)
    result = chain.verify(session, conv)
    audit.record(session, actor=actor, action="verify", resource_type="operation_conversation",
                 resource_id=conv.id, outcome="ok" if result.ok else "broken",
                 detail={"checked": result.checked, "first_broken_seq": result.first_broken_seq})
    return result
