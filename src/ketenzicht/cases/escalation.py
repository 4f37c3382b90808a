"""One run of the deadline job: task reminders and escalations, then referrals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ketenzicht.cases import service
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.core import clock


def run(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Remind and escalate overdue tasks and unanswered referrals, each exactly once."""
    at = now or clock.now()
    counts = service.remind(session, now=at)
    counts.update(referrals.escalate(session, now=at))
    return counts
