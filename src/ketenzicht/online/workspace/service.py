"""Networks as the investigator sees them: list, page, triage status and notes, all audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED, enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed, check_version
from ketenzicht.core.i18n import N_
from ketenzicht.online import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.online.workspace import queries
from ketenzicht.online.workspace.enums import TRIAGE_MACHINE, TriageEventKind, TriageStatus
from ketenzicht.online.workspace.models import Triage, TriageEvent
from ketenzicht.online.workspace.networks.models import Network

NOTE_MAX = 5000
REASON_REQUIRED = N_("Give a reason for the new status.")
SAME_STATUS = N_("The network already has status %(status)s.")


def get_network(session: Session, *, actor: Actor, network_id: int,
                action: str = "online.network.view") -> Network:
    """Load one network; a missing one is refused like a forbidden one. The view is audited."""
    enforce(actor, action)
    network = session.get(Network, network_id)
    if network is None:
        raise Forbidden(REFUSED)
    audit.record_read(session, actor=actor, resource_type="online_network", ids=[network.id])
    return network


def list_networks(session: Session, *, actor: Actor, f: queries.NetworkFilter
                  ) -> tuple[list[queries.NetworkRow], int]:
    """The ranked, filtered list; the ids shown are audited."""
    enforce(actor, "online.network.view")
    rows, total = queries.list_networks(session, f=f)
    audit.record_read(session, actor=actor, resource_type="online_network",
                      ids=[r.network.id for r in rows] or ["none"])
    return rows, total


def detail(session: Session, *, actor: Actor, network_id: int) -> queries.NetworkDetail:
    """The network page (audited as a view of the network)."""
    network = get_network(session, actor=actor, network_id=network_id)
    return queries.network_detail(session, network=network)


def triage_of(session: Session, *, key: str) -> Triage | None:
    """The network's current triage row, or None while it is still ``nieuw``."""
    return session.scalars(select(Triage).where(Triage.network_key == key)).first()


def history(session: Session, *, actor: Actor, key: str) -> list[TriageEvent]:
    """Status changes and notes of a network, newest first."""
    enforce(actor, "online.network.view")
    return list(session.scalars(select(TriageEvent).where(TriageEvent.network_key == key)
                                .order_by(TriageEvent.at.desc(), TriageEvent.id.desc())))


def set_status(session: Session, *, actor: Actor, network_id: int, status: TriageStatus,
               reason: str, version: int | None) -> Triage:
    """Record the team's triage decision with its reason; refuses a stale version (409)."""
    network = get_network(session, actor=actor, network_id=network_id,
                          action="online.network.triage")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(REASON_REQUIRED)
    triage = triage_of(session, key=network.key)
    current = triage.status if triage is not None else TriageStatus.NEW
    if version is not None:
        check_version(triage.version if triage else 0, version)
    if status not in TRIAGE_MACHINE[current]:
        raise ValidationFailed(SAME_STATUS, status=status.value)
    now = clock.now()
    if triage is None:
        triage = Triage(network_key=network.key, status=status, updated_at=now,
                        updated_by=actor.user_id)
        session.add(triage)
    else:
        triage.status, triage.updated_at, triage.updated_by = status, now, actor.user_id
    session.add(TriageEvent(network_key=network.key, kind=TriageEventKind.STATUS,
                            from_status=current, to_status=status, text=reason[:NOTE_MAX],
                            actor_user_id=actor.user_id, actor_org_id=actor.organisation_id,
                            at=now))
    session.flush()
    audit.record(session, actor=actor, action="online.network.triage",
                 resource_type="online_network", resource_id=network.id,
                 detail={"key": network.key, "from": current.value, "to": status.value})
    return triage


def add_note(session: Session, *, actor: Actor, network_id: int, text: str) -> TriageEvent:
    """Add a note to a network's history (notes are never edited, only added)."""
    network = get_network(session, actor=actor, network_id=network_id,
                          action="online.network.triage")
    text = text.strip()
    if not text:
        raise ValidationFailed(N_("A note cannot be empty."))
    event = TriageEvent(network_key=network.key, kind=TriageEventKind.NOTE, text=text[:NOTE_MAX],
                        actor_user_id=actor.user_id, actor_org_id=actor.organisation_id,
                        at=clock.now())
    session.add(event)
    session.flush()
    audit.record(session, actor=actor, action="online.network.note",
                 resource_type="online_network", resource_id=network.id,
                 detail={"key": network.key, "event": event.id})
    return event
