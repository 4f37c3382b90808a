"""Events of ``notify`` (``core.events``): delivered after the transaction that queued them."""

from __future__ import annotations

from dataclasses import dataclass

from ketenzicht.core.events import Event


@dataclass(frozen=True, kw_only=True)
class UrgentMailQueued(Event):
    """E-mails that must not wait for the outbox job (a signal with acute danger)."""

    mail_ids: tuple[int, ...]
