"""Events of ``signals`` (``core.events``): delivered after the transaction that routed.

Routing, forwarding and escalating publish :class:`SignalRouted`; ``signals.subscriptions``
tells the people concerned. Telling them after the commit keeps a notification from ever
announcing a routing that was rolled back, and keeps a failing notification from undoing
one that was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ketenzicht.core.events import Event
from ketenzicht.signals.enums import RouteCause


@dataclass(frozen=True, kw_only=True)
class SignalRouted(Event):
    """A signal was handed to an organisation: at intake, by a forward, or by escalation."""

    signal_id: int
    route_id: int
    org_id: int
    purpose: str
    cause: RouteCause
    deadline_at: datetime
    acute: bool
    # The organisation that forwarded it, or whose deadline passed (None at intake).
    from_org_id: int | None = None
    # On escalation: the deadline the organisation before it let pass.
    passed_deadline_at: datetime | None = None
