"""The periodic job of ``operations`` (declared in its manifest, run by the scheduler)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.operations import notices


def warn(session: Session, settings: Settings) -> dict[str, int]:
    """Orders ending in 7 days or 1 day are warned about once; ended ones marked expired."""
    return notices.warn_due(session, now=clock.now())
