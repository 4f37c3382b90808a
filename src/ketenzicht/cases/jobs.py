"""The periodic job of ``cases`` (declared in its manifest, run by ``ketenzicht.scheduler``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.cases import escalation
from ketenzicht.config import Settings


def escalate(session: Session, settings: Settings) -> dict[str, int]:
    """Task reminders and escalations, then unanswered referrals, each exactly once."""
    return escalation.run(session)
