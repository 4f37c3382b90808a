"""Counterparts and advertised networks, seen from both sides without revealing operations.

When a conversation opens, the counterpart's phone or handle is stored as the online linker
stores identifiers (:class:`CounterpartKey`, normalised by ``online.workspace.public``).
Then the conversation page shows the networks that hold it, and the network page asks,
through the port ``core.ports.COUNTERPARTS_IN_NETWORK`` (the workspace may not import this
domain), which conversations have a counterpart among the network's identifiers. The
answer lists only operations the reader is named on; for anyone else it is empty, so a
network page never says that an operation exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.i18n import gettext
from ketenzicht.online.workspace import public as workspace
from ketenzicht.operations import service
from ketenzicht.operations.models import Conversation, CounterpartKey, Operation


def store_keys(session: Session, conv: Conversation) -> list[CounterpartKey]:
    """Record the counterpart's identifiers of a newly opened conversation."""
    keys = [CounterpartKey(conversation_id=conv.id, kind=kind, value=value[:200])
            for kind, value in workspace.identifiers_of(conv.counterpart_handle)]
    session.add_all(keys)
    session.flush()
    return keys


def keys_of(session: Session, conv: Conversation) -> list[tuple[str, str]]:
    """The conversation's counterpart identifiers as ``(kind, value)``."""
    return [(k, v) for k, v in session.execute(
        select(CounterpartKey.kind, CounterpartKey.value)
        .where(CounterpartKey.conversation_id == conv.id).order_by(CounterpartKey.id))]


def networks_of(session: Session, *, actor: Actor, conv: Conversation
                ) -> list[workspace.NetworkLink]:
    """The advertised networks holding this conversation's counterpart (for the page)."""
    return workspace.networks_for(session, actor=actor, identifiers=keys_of(session, conv))


def counterparts_in_network(session: Session, *, actor: Actor | None,
                            identifiers: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Port handler: the reader's own operations' conversations with a counterpart among
    ``identifiers``; an empty list for everyone not named on them."""
    pairs = list(identifiers)
    if actor is None or not pairs:
        return []
    found: dict[int, Conversation] = {}
    for kind in {k for k, _ in pairs}:
        values = [v for k, v in pairs if k == kind]
        for conv in session.scalars(
                select(Conversation).join(CounterpartKey,
                                          CounterpartKey.conversation_id == Conversation.id)
                .where(CounterpartKey.kind == kind, CounterpartKey.value.in_(values))):
            found[conv.id] = conv
    shown: list[dict[str, Any]] = []
    for conv in sorted(found.values(), key=lambda c: c.id):
        op = session.get(Operation, conv.operation_id)
        if op is None or not service.may_see(op, actor):
            continue
        shown.append({
            "label": gettext("Operation %(op)s, conversation %(conv)s: counterpart "
                             "%(handle)s") % {"op": op.id, "conv": conv.id,
                                              "handle": conv.counterpart_handle},
            "href": f"/operations/{op.id}/conversations/{conv.id}"})
        audit.record_read(session, actor=actor, resource_type="operation_conversation",
                          ids=[conv.id])
    return shown
