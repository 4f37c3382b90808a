"""The periodic job of ``cases`` (declared in its manifest, run by ``ketenzicht.scheduler``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.cases import escalation
from ketenzicht.cases.procedures import regional
from ketenzicht.config import Settings
from ketenzicht.core import clock


def escalate(session: Session, settings: Settings) -> dict[str, int]:
    """Task reminders and escalations, then unanswered referrals, each exactly once; then
    the regional level of templates that have one (MDA++ / Zorg- en Veiligheidshuis)."""
    counts = escalation.run(session)
    counts.update(regional.escalate(session, now=clock.now()))
    return counts
