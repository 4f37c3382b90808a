"""Domain events, collected during a transaction and handed on after it commits.

Services call :func:`emit`; listeners registered with :func:`subscribe` run only
after the session's transaction has committed, so a rolled-back write never
notifies anyone (the pattern of Datasette's events).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ketenzicht.core import clock


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened in a domain; ``name`` like ``"auth.user_created"``."""

    name: str
    payload: dict[str, Any] = field(default_factory=dict)
    at: Any = field(default_factory=clock.now)


Listener = Callable[[DomainEvent], None]
_listeners: dict[str, list[Listener]] = defaultdict(list)
_PENDING = "kz_events"


def subscribe(name: str, listener: Listener) -> None:
    """Call ``listener`` after commit for every event called ``name`` (``"*"`` for all)."""
    _listeners[name].append(listener)


def emit(session: Session, name: str, **payload: Any) -> None:
    """Queue an event on the session's transaction."""
    session.info.setdefault(_PENDING, []).append(DomainEvent(name=name, payload=payload))


@event.listens_for(Session, "after_commit")
def _dispatch(session: Session) -> None:
    pending: list[DomainEvent] = session.info.pop(_PENDING, [])
    for item in pending:
        for listener in (*_listeners.get(item.name, ()), *_listeners.get("*", ())):
            listener(item)


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_PENDING, None)
