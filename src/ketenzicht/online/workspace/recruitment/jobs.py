"""The retention job of recruitment posts (declared in ``online``'s manifest)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.config import Settings
from ketenzicht.online.workspace.recruitment import service


def purge(session: Session, settings: Settings) -> dict[str, int]:
    """Posts older than ``KZ_ONLINE_RECRUITMENT_RETENTION_DAYS`` that no signal used go."""
    return service.purge(session, retention_days=settings.online_recruitment_retention_days)
