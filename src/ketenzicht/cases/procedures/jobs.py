"""The periodic job of the procedures (declared in the cases manifest)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.cases.procedures import regional
from ketenzicht.config import Settings
from ketenzicht.core import clock


def regional_escalation(session: Session, settings: Settings) -> dict[str, int]:
    """Overdue tasks of templates with a regional level: to that level, each once."""
    return regional.escalate(session, now=clock.now())
