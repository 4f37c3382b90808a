"""Watchlists: an investigator watches identifiers or networks and hears of new ads.

New ads reach a watch through :class:`NetworkChanged`: a batch linking run stored, or a
crawled ad linked incrementally into the latest run (``networks.incremental``). Either way
the changed networks' ads are compared with the active watches (``scan_link_run``), each
with its network's identifiers; a match is stored as a :class:`WatchHit` once per watch
and ad, shown in the app and sent through ``notify`` (in-app + e-mail).
Only ads first seen after the watch was made count: watching a number is about what comes
next, not about the ads the investigator already looked at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED, Resource, ResourceRef, enforce, where_allowed
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.notify import service as notify
from ketenzicht.notify.schemas import Msg, Param
from ketenzicht.online import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.online.collection.public import CrawledAd
from ketenzicht.online.workspace.enums import WatchKind
from ketenzicht.online.workspace.events import NetworkChanged
from ketenzicht.online.workspace.models import Watch, WatchHit
from ketenzicht.online.workspace.networks.models import (
    Network,
    NetworkAd,
    NetworkIdentifier,
)
from ketenzicht.online.workspace.search import SearchKind, normalise

NOTIFY_KIND = "online.watch"
MAX_HITS_PER_SCAN = 200
SUBJECT = N_("Watchlist: new ad for %(label)s")
BODY = N_("A new ad links to %(label)s, which you watch.\nNetwork: %(network)s\n"
          "City: %(city)s\nAd: %(title)s\n%(url)s")
UNKNOWN = N_("not yet linked")
NOT_RECOGNISED = N_("No %(kind)s was recognised in '%(value)s'.")


# A watch is its owner's own: nobody else sees it or its hits.
WATCH = Resource(kind="online_watch", owner_org=Watch.owner_org_id, owner_user=Watch.owner_user_id)


def _own(actor: Actor) -> ResourceRef:
    return ResourceRef(kind="online_watch", id=None, owner_org_id=actor.organisation_id,
                       owner_user_id=actor.user_id)


def tag(kind: str, value: str) -> str:
    """The ``kind:value`` form in which identifiers are compared."""
    return f"{kind}:{value}"


def network_identifiers(session: Session, *, network_id: int) -> list[str]:
    """A network's identifiers as ``kind:value`` tags."""
    return [tag(str(k), v) for k, v in session.execute(
        select(NetworkIdentifier.kind, NetworkIdentifier.value)
        .where(NetworkIdentifier.network_id == network_id))]


def add_watch(session: Session, *, actor: Actor, kind: WatchKind, value: str = "",
              label: str = "", network_id: int | None = None) -> Watch:
    """Watch an identifier (normalised like search) or a network; an existing one is kept."""
    enforce(actor, "online.watch", _own(actor))
    identifiers: list[str] = []
    if kind is WatchKind.NETWORK:
        network = session.get(Network, network_id) if network_id else None
        if network is None:
            raise Forbidden(REFUSED)
        value, label = network.key, label or ", ".join(network.names[:3]) or network.key[:12]
        identifiers = network_identifiers(session, network_id=network.id)
    elif kind is WatchKind.IMAGE:
        value = value.strip().lower()
        if len(value) < 8 or any(c not in "0123456789abcdef" for c in value):
            raise ValidationFailed(NOT_RECOGNISED, kind=kind.value, value=value[:80])
    else:
        found = normalise(SearchKind(kind.value), value)
        if not found:
            raise ValidationFailed(NOT_RECOGNISED, kind=kind.value, value=value[:80])
        label, value = label or value.strip(), found[0]
    watch = session.scalars(select(Watch).where(
        Watch.owner_user_id == actor.user_id, Watch.kind == kind, Watch.value == value)).first()
    if watch is None:
        watch = Watch(owner_user_id=actor.user_id, owner_org_id=actor.organisation_id,
                      kind=kind, value=value[:200], label=label[:200], identifiers=identifiers,
                      created_at=clock.now())
        session.add(watch)
    watch.active = True
    session.flush()
    audit.record(session, actor=actor, action="online.watch.add", resource_type="online_watch",
                 resource_id=watch.id, detail={"kind": kind.value})
    return watch


def remove_watch(session: Session, *, actor: Actor, watch_id: int) -> None:
    """Stop watching (the hits stay, for the record)."""
    watch = session.get(Watch, watch_id)
    if watch is None:
        raise Forbidden(REFUSED)
    enforce(actor, "online.watch", WATCH.ref(watch))
    watch.active = False
    session.flush()
    audit.record(session, actor=actor, action="online.watch.remove",
                 resource_type="online_watch", resource_id=watch.id)


def list_watches(session: Session, *, actor: Actor) -> list[tuple[Watch, int]]:
    """The actor's active watches with their number of hits."""
    enforce(actor, "online.watch", _own(actor))
    counts: dict[int, int] = {w: n for w, n in session.execute(
        select(WatchHit.watch_id, func.count()).join(Watch).where(
            where_allowed(actor, "online.watch", WATCH)).group_by(WatchHit.watch_id))}
    watches = session.scalars(select(Watch).where(where_allowed(actor, "online.watch", WATCH),
                                                  Watch.active).order_by(Watch.id.desc()))
    return [(w, counts.get(w.id, 0)) for w in watches]


def list_hits(session: Session, *, actor: Actor, limit: int = 100) -> list[tuple[WatchHit, Watch]]:
    """The actor's latest hits, newest first (reading them is audited)."""
    enforce(actor, "online.watch", _own(actor))
    rows = [(h, w) for h, w in session.execute(
        select(WatchHit, Watch).join(Watch).where(where_allowed(actor, "online.watch", WATCH))
        .order_by(WatchHit.id.desc()).limit(limit))]
    if rows:
        audit.record_read(session, actor=actor, resource_type="online_watch_hit",
                          ids=[h.id for h, _ in rows])
    return rows


# --- matching ------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewAd:
    """What a watch is compared with."""

    ad_key: str
    ad_id: int | None
    identifiers: frozenset[str]
    first_seen: datetime
    network_key: str | None = None
    network_id: int | None = None
    city: str | None = None
    title: str = ""
    url: str = ""


def _matches(watch: Watch, ad: NewAd) -> str | None:
    if watch.kind is WatchKind.NETWORK:
        if ad.network_key == watch.value:
            return tag("network", watch.value)
        shared = sorted(ad.identifiers & set(watch.identifiers))
        return shared[0] if shared else None
    wanted = tag(watch.kind.value, watch.value)
    if watch.kind is WatchKind.HANDLE:
        return next((i for i in ad.identifiers if i == wanted or i.endswith(":" + watch.value)),
                    None)
    return wanted if wanted in ad.identifiers else None


def _candidates(session: Session, ad: NewAd) -> list[Watch]:
    values = {i.split(":", 1)[1] for i in ad.identifiers}
    if ad.network_key:
        values.add(ad.network_key)
    by_value = select(Watch).where(Watch.active, Watch.created_at <= ad.first_seen,
                                   or_(Watch.value.in_(values), Watch.kind == WatchKind.NETWORK,
                                       Watch.kind == WatchKind.HANDLE))
    return list(session.scalars(by_value))


def check_ad(session: Session, ad: NewAd) -> list[WatchHit]:
    """Compare one new ad with every active watch; store and send each new hit."""
    hits: list[WatchHit] = []
    for watch in _candidates(session, ad):
        matched = _matches(watch, ad)
        if matched is None:
            continue
        known = session.scalars(select(WatchHit.id).where(
            WatchHit.watch_id == watch.id,
            or_(WatchHit.ad_key == ad.ad_key,
                WatchHit.ad_id == ad.ad_id if ad.ad_id else false()))).first()
        if known is not None:
            continue
        hit = WatchHit(watch_id=watch.id, ad_key=ad.ad_key[:200], ad_id=ad.ad_id,
                       network_key=ad.network_key, network_id=ad.network_id, city=ad.city,
                       title=ad.title[:500], matched=matched[:250], created_at=clock.now(),
                       detail={"url": ad.url})
        session.add(hit)
        session.flush()
        _send(session, watch, hit, ad)
        hits.append(hit)
    return hits


def _send(session: Session, watch: Watch, hit: WatchHit, ad: NewAd) -> None:
    label = watch.label or watch.value
    network: Param = ad.network_key[:12] if ad.network_key else Msg(UNKNOWN)
    link = f"/online/networks/{ad.network_id}" if ad.network_id else "/online/watchlist"
    notify.send(session, actor=None, recipients=[watch.owner_user_id], kind=NOTIFY_KIND,
                subject=Msg(SUBJECT, label=label),
                body=Msg(BODY, label=label, network=network, city=ad.city or "-",
                         title=ad.title or ad.ad_key, url=ad.url),
                link=link)
    audit.record(session, actor=None, action="online.watch.hit", resource_type="online_watch",
                 resource_id=watch.id, detail={"hit": hit.id, "matched": hit.matched})


def scan_link_run(session: Session, *, run_id: int,
                  network_ids: Sequence[int] | None = None) -> list[WatchHit]:
    """Check a run's ads (or those of some of its networks) that are new since each watch."""
    if not session.scalars(select(Watch.id).where(Watch.active).limit(1)).first():
        return []
    oldest = session.scalar(select(func.min(Watch.created_at)).where(Watch.active))
    assert oldest is not None
    tags_by_network: dict[int, set[str]] = {}
    for network_id, kind, value in session.execute(
            select(NetworkIdentifier.network_id, NetworkIdentifier.kind, NetworkIdentifier.value)
            .join(Network, Network.id == NetworkIdentifier.network_id)
            .where(Network.run_id == run_id, *_only(network_ids))):
        tags_by_network.setdefault(network_id, set()).add(tag(str(kind), value))
    rows = session.execute(
        select(NetworkAd, Network.key, CrawledAd.first_seen)
        .join(Network, Network.id == NetworkAd.network_id)
        .outerjoin(CrawledAd, CrawledAd.id == NetworkAd.ad_id)
        .where(Network.run_id == run_id, *_only(network_ids),
               or_(CrawledAd.first_seen >= oldest, NetworkAd.posted_at >= oldest))
        .limit(MAX_HITS_PER_SCAN * 10))
    hits: list[WatchHit] = []
    for member, key, first_seen in rows:
        seen = first_seen or member.posted_at
        if seen is None:
            continue
        hits += check_ad(session, NewAd(
            ad_key=member.ad_key, ad_id=member.ad_id,
            identifiers=frozenset(tags_by_network.get(member.network_id, set())),
            first_seen=seen, network_key=key, network_id=member.network_id, city=member.city,
            title=member.title, url=member.url or ""))
        if len(hits) >= MAX_HITS_PER_SCAN:
            break
    return hits


def _only(network_ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    return [] if network_ids is None else [Network.id.in_(list(network_ids))]


def on_network_changed(session: Session, item: NetworkChanged) -> None:
    """Subscriber of :class:`NetworkChanged` (its own transaction, after the run's commit)."""
    scan_link_run(session, run_id=item.run_id, network_ids=item.network_ids)
