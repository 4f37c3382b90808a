"""Domain events: typed, published on a transaction, delivered after it commits.

A domain defines its events as frozen dataclasses in ``<domain>/events.py`` (subclasses of
:class:`Event`) and a service calls :func:`publish` while it works. The event waits on the
session's transaction; when the outermost transaction commits, every subscriber of its type
runs, each in a transaction of its own on the database the event was committed to. So:

* a rolled-back write publishes nothing (a rolled-back SAVEPOINT drops only its own events);
* a subscriber that fails is rolled back alone: the committed write stays, the failure is
  logged and published as :class:`HandlerFailed` (the audit log records it), and a later
  batch run can catch up;
* a subscriber may publish in turn (a crawled ad changes a network, a changed network
  reaches the watchlists).

Subscribers are ``(event type, handler)`` pairs that a domain lists in its
``subscriptions.py`` (``SUBSCRIPTIONS``) and that :func:`install` registers once, at start.
Scrapy's signals and Datasette's events are the models. This is the one after-commit
mechanism; the audit chain alone is written *before* commit (``audit.service``), because an
audit entry must last or vanish with the write it describes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, SessionTransaction

from ketenzicht.core import clock, deferred

_log = logging.getLogger(__name__)
_PENDING = "kz_events"


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened in a domain; subclasses add the fields that say what."""

    at: datetime = field(default_factory=clock.now)


E = TypeVar("E", bound=Event)
Handler = Callable[[Session, Any], None]
"""A subscriber: called with a fresh session (its own transaction) and the event."""
Subscriptions = tuple[tuple[type[Event], Handler], ...]


@dataclass(frozen=True, kw_only=True)
class HandlerFailed(Event):
    """A subscriber raised; its transaction was rolled back, the published write stands."""

    event: str  # the failed event's class name
    handler: str  # module.function of the subscriber
    error: str
    detail: dict[str, Any] = field(default_factory=dict)


_handlers: dict[type[Event], list[Handler]] = {}


def install(*subscriptions: Iterable[tuple[type[Event], Handler]]) -> None:
    """Register ``(event type, handler)`` pairs; installing a pair twice keeps one."""
    for group in subscriptions:
        for kind, handler in group:
            known = _handlers.setdefault(kind, [])
            if handler not in known:
                known.append(handler)


def uninstall(*subscriptions: Iterable[tuple[type[Event], Handler]]) -> None:
    """Remove pairs registered with :func:`install` (tests that add a subscriber)."""
    for group in subscriptions:
        for kind, handler in group:
            if handler in _handlers.get(kind, []):
                _handlers[kind].remove(handler)


def handlers_for(kind: type[Event]) -> list[Handler]:
    """The subscribers of ``kind`` and of its base classes, in registration order."""
    return [h for base in kind.__mro__ for h in _handlers.get(base, [])]


def publish(session: Session, item: Event) -> None:
    """Queue ``item`` on the session's current transaction (begun if there is none)."""
    for loader in deferred.take():  # the CLI's subscribers, installed on first use
        install(loader())
    if not session.in_transaction():
        session.begin()
    current = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((current, item))


def pending(session: Session) -> list[Event]:
    """The events waiting for the session's commit (for tests)."""
    return [item for _, item in session.info.get(_PENDING, [])]


def _within(tx: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while tx is not None:
        if tx is ended:
            return True
        tx = tx.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, previous_transaction: SessionTransaction) -> None:
    # A rolled-back SAVEPOINT (one bad item of a batch) drops only what it published.
    queued: list[tuple[SessionTransaction, Event]] = session.info.get(_PENDING, [])
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
    elif queued:
        session.info[_PENDING] = [(tx, e) for tx, e in queued
                                  if not _within(tx, previous_transaction)]


@event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    # after_commit also fires when a SAVEPOINT is released; only the outermost commit counts.
    if session.in_nested_transaction():
        return
    queued: list[tuple[SessionTransaction, Event]] = session.info.pop(_PENDING, [])
    if not queued:
        return
    bind = session.get_bind()
    for _, item in queued:
        for handler in handlers_for(type(item)):
            _run(bind, handler, item)


def _name(handler: Handler) -> str:
    return f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', handler)}"


def _session(bind: Engine | Connection) -> Session:
    # On an Engine a fresh connection; on a Connection (the tests' outer transaction) a
    # SAVEPOINT of it, so that a failing handler rolls back to the point it started from.
    return Session(bind=bind, join_transaction_mode="create_savepoint", expire_on_commit=False)


def _run(bind: Engine | Connection, handler: Handler, item: Event) -> None:
    try:
        with _session(bind) as session, session.begin():
            handler(session, item)
    except Exception as exc:  # a subscriber never undoes the committed write
        _log.exception("subscriber %s failed on %s", _name(handler), type(item).__name__)
        if isinstance(item, HandlerFailed):
            return  # recording a failure failed: the log above is all there is
        failed = HandlerFailed(event=type(item).__name__, handler=_name(handler),
                               error=f"{type(exc).__name__}: {exc}"[:500],
                               detail={k: str(v)[:200] for k, v in vars(item).items()
                                       if k != "at"})
        for recorder in handlers_for(HandlerFailed):
            _run(bind, recorder, failed)
