"""Looking up an active break-the-glass access (used by ``service.load`` and the reads)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.cases.models import EmergencyAccess


def active(session: Session, *, user_id: int, case_id: int, now: datetime
           ) -> EmergencyAccess | None:
    """The user's emergency access to the case that is running at ``now``, if any."""
    return session.scalar(select(EmergencyAccess).where(
        EmergencyAccess.user_id == user_id, EmergencyAccess.case_id == case_id,
        EmergencyAccess.starts_at <= now, EmergencyAccess.expires_at > now,
        EmergencyAccess.ended_at.is_(None)).order_by(EmergencyAccess.id.desc()).limit(1))
