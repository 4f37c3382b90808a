"""What the workspace publishes to other domains: which advertised networks hold a number.

An undercover operation's counterpart writes from a phone number or a handle; if that
number is in advertised networks, the operation's conversation page shows them. The
identifiers are normalised here exactly as the linker stored them (:func:`identifiers_of`),
and the networks are looked up in the latest linking run, only for a reader the permission
table lets see networks, and audited as a read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import Resource, authorize, where_allowed
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.online.workspace import queries
from ketenzicht.online.workspace.models import Watch, WatchHit
from ketenzicht.online.workspace.networks.enums import IdentifierKind
from ketenzicht.online.workspace.networks.models import Network, NetworkIdentifier
from ketenzicht.online.workspace.search import SearchKind, normalise

__all__ = ["HitItem", "NetworkLink", "WatchHits", "identifiers_of", "networks_for", "watch_hits"]


@dataclass(frozen=True)
class NetworkLink:
    """A network that holds one of the identifiers asked about, and which one."""

    id: int
    size: int
    score: float
    kind: str
    value: str


def identifiers_of(text: str) -> list[tuple[str, str]]:
    """``(kind, value)`` pairs the linker would store for a phone number or handle."""
    found = [(IdentifierKind.PHONE.value, v) for v in normalise(SearchKind.PHONE, text)]
    if not found:
        found = [(IdentifierKind.HANDLE.value, v) for v in normalise(SearchKind.HANDLE, text)]
    return found


def networks_for(session: Session, *, actor: Actor,
                 identifiers: Iterable[tuple[str, str]]) -> list[NetworkLink]:
    """Networks of the latest run holding one of ``identifiers`` (empty for a reader who
    may not see networks); the networks shown are audited."""
    pairs = {(IdentifierKind(k), v) for k, v in identifiers}
    if not pairs or not authorize(actor, "online.network.view").allowed:
        return []
    run = queries.latest_run(session)
    if run is None:
        return []
    links: dict[int, NetworkLink] = {}
    for kind in {k for k, _ in pairs}:
        values = sorted(v for k, v in pairs if k is kind)
        rows = session.execute(
            select(Network.id, Network.size, Network.score, NetworkIdentifier.value)
            .join(NetworkIdentifier, NetworkIdentifier.network_id == Network.id)
            .where(Network.run_id == run.id, NetworkIdentifier.kind == kind,
                   NetworkIdentifier.value.in_(values)).order_by(Network.score.desc()))
        for nid, size, score, value in rows:
            links.setdefault(nid, NetworkLink(nid, size, score, kind.value, value))
    if links:
        audit.record_read(session, actor=actor, resource_type="online_network",
                          ids=list(links))
    return sorted(links.values(), key=lambda n: -n.score)


# -- the start page's watchlist section (issue 18) -----------------------------------------

# The same owner rule as the watchlist itself (``watch.WATCH``): a watch is one person's.
HIT_DAYS = 7
_WATCH = Resource(kind="online_watch", owner_org=Watch.owner_org_id,
                  owner_user=Watch.owner_user_id)


@dataclass(frozen=True)
class HitItem:
    """One new ad that matched one of the reader's watches."""

    id: int
    title: str
    city: str | None
    matched: str
    at: datetime


@dataclass(frozen=True)
class WatchHits:
    """The reader's hits of the last ``HIT_DAYS`` days: how many, and the newest few."""

    recent: int
    items: list[HitItem]


def watch_hits(session: Session, *, actor: Actor, limit: int = 5) -> WatchHits:
    """The actor's hits of the last week, newest first (counted and limited in SQL; the
    hits shown are audited). Empty for a reader who may not watch."""
    if not authorize(actor, "online.watch").allowed:
        return WatchHits(0, [])
    stmt = (select(WatchHit).join(Watch, Watch.id == WatchHit.watch_id)
            .where(where_allowed(actor, "online.watch", _WATCH),
                   WatchHit.created_at >= clock.now() - timedelta(days=HIT_DAYS)))
    rows = list(session.scalars(stmt.order_by(WatchHit.id.desc()).limit(limit)))
    recent = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    if rows:
        audit.record_read(session, actor=actor, resource_type="online_watch_hit",
                          ids=[h.id for h in rows])
    return WatchHits(recent, [HitItem(id=h.id, title=h.title, city=h.city, matched=h.matched,
                                        at=h.created_at) for h in rows])
