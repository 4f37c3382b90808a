"""An organisation's inbox: accept or forward a routed signal in time, or it escalates.

Escalation adds the escalation party beside the organisation whose deadline passed; that
organisation keeps the routing open in its inbox and is told (issue 18: escalation once
closed it, so the police lost a signal without a word). Every new routing publishes
``events.SignalRouted``, and ``signals.subscriptions`` tells the people concerned.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, contains_eager

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import (
    REFUSED,
    Resource,
    ResourceRef,
    authorize,
    enforce,
    where_allowed,
)
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock, events, termijnen
from ketenzicht.core.errors import Forbidden, ValidationFailed, check_version
from ketenzicht.core.formatting import AMSTERDAM
from ketenzicht.core.i18n import N_
from ketenzicht.core.listing import ListQuery, ListSpec, Page, paginate
from ketenzicht.core.statemachine import StateMachine
from ketenzicht.signals import routing as routing_table
from ketenzicht.signals.enums import (
    ESCALATION_PURPOSE,
    ExploitationForm,
    RouteCause,
    RouteStatus,
    SignalStatus,
)
from ketenzicht.signals.events import SignalRouted
from ketenzicht.signals.models import Signal, SignalRoute
from ketenzicht.signals.permissions import HANDLERS
from ketenzicht.signals.schemas import RouteDecision, RouteForward

ROUTE_MACHINE: StateMachine[RouteStatus] = StateMachine.from_pairs("signal routing", [
    (RouteStatus.OPEN, RouteStatus.ACCEPTED),
    (RouteStatus.OPEN, RouteStatus.FORWARDED),
    # No step to ESCALATED: escalation adds a party and leaves the routing open. The status
    # remains for routings that escalation closed before issue 18.
])


def announce(session: Session, route: SignalRoute, *, from_org_id: int | None = None,
             passed_deadline_at: datetime | None = None) -> None:
    """Publish that ``route`` (flushed, with its id) handed its signal to an organisation."""
    events.publish(session, SignalRouted(
        signal_id=route.signal_id, route_id=route.id, org_id=route.org_id,
        purpose=route.purpose, cause=RouteCause(route.cause), deadline_at=route.deadline_at,
        acute=route.signal.acute_danger, from_org_id=from_org_id,
        passed_deadline_at=passed_deadline_at))


# A routing belongs to the organisation it was sent to (its inbox).
ROUTE = Resource(kind="signal_route", owner_org=SignalRoute.org_id)


def route_ref(route: SignalRoute) -> ResourceRef:
    """Authorisation facts of a routing: it belongs to the organisation it was sent to."""
    return ROUTE.ref(route)


def get_route(session: Session, *, actor: Actor, route_id: int) -> SignalRoute:
    """A routing of the actor's organisation; refused alike if elsewhere or missing."""
    return _load(session, actor, route_id)


def _load(session: Session, actor: Actor, route_id: int) -> SignalRoute:
    route = session.get(SignalRoute, route_id)
    if route is None:
        raise Forbidden(REFUSED)
    enforce(actor, "signal.handle", route_ref(route))
    return route


def _settle(signal: Signal) -> None:
    if all(r.status is not RouteStatus.OPEN for r in signal.routes):
        signal.status = SignalStatus.HANDLED


def list_inbox(session: Session, *, actor: Actor, include_closed: bool = False
               ) -> list[SignalRoute]:
    """Routings to the actor's organisation, open ones first by deadline (a pure read).

    Overdue routings are escalated by ``escalate_due``, run from ``ketenzicht signals
    escalate`` or the scheduler, never here: reading an inbox must not change it.
    """
    enforce(actor, "signal.inbox", ResourceRef("signal_route", None, actor.organisation_id))
    stmt = select(SignalRoute).where(where_allowed(actor, "signal.handle", ROUTE))
    if not include_closed:
        stmt = stmt.where(SignalRoute.status == RouteStatus.OPEN)
    routes = list(session.scalars(stmt.order_by(SignalRoute.deadline_at, SignalRoute.id)
                                  .limit(500)))
    audit.record_read(session, actor=actor, resource_type="signal",
                      ids=sorted({r.signal_id for r in routes}))
    return routes


DEADLINES = ("overdue", "today", "week")


@lru_cache(maxsize=1)
def inbox_spec() -> ListSpec:
    """What the inbox may be filtered and sorted by; it shows open routings by default."""
    return ListSpec(
        sorts={"deadline": (SignalRoute.deadline_at, SignalRoute.id),
               "received": (SignalRoute.created_at, SignalRoute.id)},
        default_sort="deadline", descending_by_default=frozenset({"received"}),
        filters={"deadline": frozenset(DEADLINES),
                 "form": frozenset(f.value for f in ExploitationForm),
                 "region": frozenset(routing_table.table().regions),
                 "status": frozenset(s.value for s in RouteStatus),
                 "mine": frozenset({"1"})},
        defaults={"status": RouteStatus.OPEN.value})


def page_inbox(session: Session, *, actor: Actor, query: ListQuery, now: datetime | None = None
               ) -> Page[SignalRoute]:
    """One page of the actor's inbox, filtered and sorted by the database; the page is audited.

    ``deadline`` counts from ``now``: *overdue* is past it, *today* before midnight in Dutch
    time, *week* within seven days. ``mine``: signals the actor reported or routings the
    actor decided (a routing has no assignee of its own).
    """
    enforce(actor, "signal.inbox", ResourceRef("signal_route", None, actor.organisation_id))
    now = now or clock.now()
    f = query.filters
    stmt = (select(SignalRoute).join(SignalRoute.signal)
            .where(where_allowed(actor, "signal.handle", ROUTE))
            .options(contains_eager(SignalRoute.signal)))
    if status := f.get("status"):
        stmt = stmt.where(SignalRoute.status == RouteStatus(status))
    if (deadline := f.get("deadline")) == "overdue":
        stmt = stmt.where(SignalRoute.deadline_at < now)
    elif deadline == "today":
        midnight = datetime.combine(now.astimezone(AMSTERDAM).date() + timedelta(days=1),
                                    time(0), tzinfo=AMSTERDAM)
        stmt = stmt.where(SignalRoute.deadline_at >= now, SignalRoute.deadline_at < midnight)
    elif deadline == "week":
        stmt = stmt.where(SignalRoute.deadline_at >= now,
                          SignalRoute.deadline_at < now + timedelta(days=7))
    if form := f.get("form"):
        stmt = stmt.where(Signal.form == ExploitationForm(form))
    if region := f.get("region"):
        stmt = stmt.where(Signal.region == region)
    if f.get("mine"):
        stmt = stmt.where(or_(Signal.reporter_user_id == actor.user_id,
                              SignalRoute.decided_by_user_id == actor.user_id))
    page: Page[SignalRoute] = paginate(session, stmt, query, inbox_spec())
    audit.record_read(session, actor=actor, resource_type="signal",
                      ids=sorted({r.signal_id for r in page.items}))
    return page


def accept(session: Session, *, actor: Actor, route_id: int, data: RouteDecision
           ) -> SignalRoute:
    """Take the signal on: the organisation is now responsible for it."""
    route = _load(session, actor, route_id)
    check_version(route.version, data.version)
    ROUTE_MACHINE.check(route.status, RouteStatus.ACCEPTED)
    route.status, route.decided_at = RouteStatus.ACCEPTED, clock.now()
    route.decided_by_user_id, route.reason = actor.user_id, data.note
    _settle(route.signal)
    session.flush()
    audit.record(session, actor=actor, action="accept", resource_type="signal_route",
                 resource_id=route.id, detail={"signal_id": route.signal_id})
    return route


def forward(session: Session, *, actor: Actor, route_id: int, data: RouteForward
            ) -> SignalRoute:
    """Hand the signal to another organisation, with the reason; it gets a fresh deadline."""
    route = _load(session, actor, route_id)
    check_version(route.version, data.version)
    ROUTE_MACHINE.check(route.status, RouteStatus.FORWARDED)
    orgs = auth_service.directory(session)
    target = orgs.get(data.to_org_id)
    if target is None or not target.is_active or target.org_type not in HANDLERS \
            or target.id == route.org_id:
        raise ValidationFailed(N_("Signals can be forwarded only to another active "
                                  "organisation that handles signals."))
    now = clock.now()
    route.status, route.decided_at = RouteStatus.FORWARDED, now
    route.decided_by_user_id, route.reason = actor.user_id, data.reason
    hours = routing_table.table().forward_deadline_hours
    successor = SignalRoute(org_id=target.id, purpose=route.purpose, previous_route_id=route.id,
                            cause=RouteCause.FORWARDED,
                            # The same rule as at intake: a term of days follows the Atw.
                            deadline_at=termijnen.term_after(now, hours))
    route.signal.routes.append(successor)
    session.flush()
    audit.record(session, actor=actor, action="forward", resource_type="signal_route",
                 resource_id=route.id,
                 detail={"signal_id": route.signal_id, "to_org_id": target.id})
    announce(session, successor, from_org_id=route.org_id)
    return route


def escalate_due(session: Session, now: datetime) -> int:
    """Add the escalation party to every open routing past its deadline; returns how many.

    The routing stays open in its organisation's inbox, marked ``escalated_at``: escalation
    adds a party, it never takes the signal away. Idempotent: a marked routing is not
    escalated again. The caller owns the transaction (CLI command or periodic job); this
    only flushes, and the notifications follow its commit (``signals.subscriptions``).
    """
    tbl = routing_table.table()
    overdue = list(session.scalars(select(SignalRoute).where(
        SignalRoute.status == RouteStatus.OPEN, SignalRoute.deadline_at < now,
        SignalRoute.escalated_at.is_(None)).order_by(SignalRoute.id)))
    if not overdue:
        return 0
    orgs = auth_service.directory(session)
    targets = sorted((o for o in orgs.values()
                      if o.is_active and o.org_type == tbl.escalation_target), key=lambda o: o.id)
    added: list[tuple[SignalRoute, SignalRoute]] = []
    for route in overdue:
        escalate_to = next((o for o in targets if o.id != route.org_id), None)
        if escalate_to is None:
            continue  # already at the escalation party: it stays open and shows as overdue
        route.escalated_at = now
        successor = SignalRoute(org_id=escalate_to.id, purpose=ESCALATION_PURPOSE,
                                previous_route_id=route.id, cause=RouteCause.ESCALATED,
                                deadline_at=termijnen.term_after(
                                    now, tbl.escalation_deadline_hours))
        route.signal.routes.append(successor)
        audit.record(session, actor=None, action="escalate", resource_type="signal_route",
                     resource_id=route.id,
                     detail={"signal_id": route.signal_id, "to_org_id": escalate_to.id,
                             "kept_by_org_id": route.org_id})
        added.append((route, successor))
    session.flush()
    for route, successor in added:
        announce(session, successor, from_org_id=route.org_id,
                 passed_deadline_at=route.deadline_at)
    return len(added)


def worklist(session: Session, *, actor: Actor, limit: int = 5,
             now: datetime | None = None) -> tuple[list[SignalRoute], int, int]:
    """The open routings of the actor's organisation, most urgent first (the first ``limit``),
    with how many are open and how many overdue; counted in SQL, the rows shown audited.

    Empty for an actor without an inbox, so the start page can ask for every reader.
    """
    if not authorize(actor, "signal.inbox",
                     ResourceRef("signal_route", None, actor.organisation_id)).allowed:
        return [], 0, 0
    now = now or clock.now()
    stmt = select(SignalRoute).where(where_allowed(actor, "signal.handle", ROUTE),
                                     SignalRoute.status == RouteStatus.OPEN)
    rows = list(session.scalars(stmt.join(SignalRoute.signal)
                                .options(contains_eager(SignalRoute.signal))
                                .order_by(SignalRoute.deadline_at, SignalRoute.id)
                                .limit(limit)))

    def count(where: Select[SignalRoute]) -> int:
        return int(session.scalar(select(func.count()).select_from(where.subquery())) or 0)

    if rows:
        audit.record_read(session, actor=actor, resource_type="signal",
                          ids=sorted({r.signal_id for r in rows}))
    return rows, count(stmt), count(stmt.where(SignalRoute.deadline_at < now))
