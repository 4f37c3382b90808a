"""Writes that reach another domain: a conversation into a case's evidence, or a signal.

Export and signal are allowed after the order ended or expired, on purpose: they carry
what was captured under the order to the case; nothing new is captured by them. The
chain must verify before it is exported, and the exported document verifies on its own
(``chain.verify_export``) inside the signed dossier.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.evidence import service as evidence
from ketenzicht.evidence.enums import ItemKind
from ketenzicht.evidence.schemas import ItemCreate
from ketenzicht.evidence.service import EvidenceItem
from ketenzicht.operations import chain, conversations, personas, service
from ketenzicht.signals import service as signals
from ketenzicht.signals.schemas import SignalCreate
from ketenzicht.signals.service import Signal

BROKEN = N_("The conversation's chain does not verify (message %(seq)s: %(reason)s); it "
            "cannot be exported as evidence.")
EMPTY = N_("The conversation has no messages to export.")
ALREADY_SIGNAL = N_("This conversation already produced signal %(id)s.")


def export_to_evidence(session: Session, *, actor: Actor, operation_id: int,
                       conversation_id: int, case_id: int,
                       settings: Settings | None = None) -> EvidenceItem:
    """Add the conversation to a case's evidence as one item, with its whole chain."""
    op, conv = conversations.load(session, actor=actor, operation_id=operation_id,
                                  conversation_id=conversation_id,
                                  action="operations.operate")
    result = chain.verify(session, conv)
    if not result.ok:
        raise Conflict(BROKEN, seq=result.first_broken_seq or 0, reason=result.reason)
    rows = conversations.messages(session, conv)
    if not rows:
        raise ValidationFailed(EMPTY)
    version = service.current(op)
    persona = personas.load(session, op, conv.persona_id)
    document = chain.export_document(conv, rows, {
        "operation_id": op.id, "power": version.power if version else "",
        "order_version": op.current_version, "persona": persona.name,
        "exported_at": clock.now().isoformat(), "exported_by": actor.username})
    content = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1).encode()
    item = evidence.add_item(session, actor=actor, case_id=case_id, content=content,
                             settings=settings, facts={
                                 "operation_id": op.id, "conversation_id": conv.id,
                                 "head_seq": conv.head_seq, "head_hash": conv.head_hash},
                             data=ItemCreate(
                                 kind=ItemKind.DOCUMENT,
                                 title=f"Undercovergesprek {conv.id}: {persona.name} en "
                                       f"{conv.counterpart_handle}"[:200],
                                 source=f"Operatie {op.id}, bevel versie {op.current_version}"
                                        f" ({version.power if version else ''}), "
                                        f"{conv.platform}"[:300],
                                 obtained_on=rows[-1].at.date(),
                                 filename=f"gesprek-{conv.id}.json",
                                 note=f"Hash-keten van {conv.head_seq} berichten, kop "
                                      f"{conv.head_hash}"))
    conv.exported_item_id, conv.exported_case_id = item.id, case_id
    session.flush()
    audit.record(session, actor=actor, action="export", resource_type="operation_conversation",
                 resource_id=conv.id, detail={"case": case_id, "item": item.id,
                                              "head_hash": conv.head_hash})
    return item


def raise_signal(session: Session, *, actor: Actor, operation_id: int, conversation_id: int,
                 data: SignalCreate) -> Signal:
    """Report a signal that came out of a conversation (the counterpart as the lead)."""
    _op, conv = conversations.load(session, actor=actor, operation_id=operation_id,
                                   conversation_id=conversation_id,
                                   action="operations.operate")
    if conv.signal_id is not None:
        raise Conflict(ALREADY_SIGNAL, id=conv.signal_id)
    signal = signals.create_signal(session, data=data, actor=actor)
    conv.signal_id = signal.id
    session.flush()
    audit.record(session, actor=actor, action="signal", resource_type="operation_conversation",
                 resource_id=conv.id, detail={"signal": signal.id})
    return signal
