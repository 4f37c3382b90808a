"""What the audit log hears of: a subscriber that failed after a commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.audit import service
from ketenzicht.core.events import Event, Handler, HandlerFailed


def record_failure(session: Session, item: HandlerFailed) -> None:
    """Write the failure to the audit log, so that an operator sees what a re-run must redo."""
    service.record(session, actor=None, action="event.failed", resource_type="event",
                   resource_id=item.event, outcome="error",
                   detail={"handler": item.handler, "error": item.error, **item.detail})


SUBSCRIPTIONS: tuple[tuple[type[Event], Handler], ...] = (
    (HandlerFailed, record_failure),
)
