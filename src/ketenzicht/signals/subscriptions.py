"""What ``signals`` hears of: its own routings, told to the people concerned after commit.

Every routing (intake, forward, escalation) publishes ``SignalRouted``; the receiving
organisation's people who may handle signals are told, and on an escalation the
organisation whose deadline passed is told too. Each runs in a transaction of its own
after the routing committed (``core.events``): a notification that fails is logged and
audited as ``event.failed`` and never undoes the routing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.core.events import Event, Handler
from ketenzicht.signals import notices
from ketenzicht.signals.enums import RouteCause
from ketenzicht.signals.events import SignalRouted


def _name(session: Session, org_id: int | None) -> str:
    org = auth_service.organisation(session, org_id) if org_id is not None else None
    return org.name if org is not None else ""


def tell_receiver(session: Session, item: SignalRouted) -> None:
    """The organisation the signal went to: in-app and by e-mail, in each one's language."""
    notices.routed(
        session,
        signal_id=item.signal_id,
        org_id=item.org_id,
        purpose=item.purpose,
        cause=item.cause,
        deadline_at=item.deadline_at,
        acute=item.acute,
        from_org=_name(session, item.from_org_id),
    )


def tell_original(session: Session, item: SignalRouted) -> None:
    """On escalation, the organisation whose deadline passed: it keeps the signal."""
    if item.cause is not RouteCause.ESCALATED or item.from_org_id is None:
        return
    notices.deadline_passed(
        session,
        signal_id=item.signal_id,
        org_id=item.from_org_id,
        deadline_at=item.passed_deadline_at or item.at,
        added_org=_name(session, item.org_id),
        acute=item.acute,
    )


SUBSCRIPTIONS: tuple[tuple[type[Event], Handler], ...] = (
    (SignalRouted, tell_receiver),
    (SignalRouted, tell_original),
)
