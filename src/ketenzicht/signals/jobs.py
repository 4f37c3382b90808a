"""The periodic job of ``signals`` (declared in its manifest, run by ``ketenzicht.scheduler``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.signals import inbox


def escalate(session: Session, settings: Settings) -> dict[str, int]:
    """Escalate every routing past its deadline (reading an inbox never does)."""
    return {"signals_escalated": inbox.escalate_due(session, clock.now())}
