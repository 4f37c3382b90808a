"""Storing and reading linking runs and their networks (CLI ``--db`` and the web app).

A run is stored whole: each network with its ads, reasons, template, trajectories and
identifiers. Ads that came from the crawler are tied to their ``online_ad`` row and to the
capture of their version by the ids their line carries (``online export`` writes "ad_id"
and "capture"), never by URL, so that a network report can cite what the page said. An
incremental re-link (:mod:`.incremental`) rewrites only the networks it touched.
Services ``flush()``; the caller commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock, events
from ketenzicht.online import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.online.analysis.linking.engine import ErrorSink, Line, Linker, LinkResult
from ketenzicht.online.analysis.linking.network import NetworkResult
from ketenzicht.online.collection.public import Capture, CrawledAd
from ketenzicht.online.workspace.events import NetworkChanged
from ketenzicht.online.workspace.networks.enums import IdentifierKind
from ketenzicht.online.workspace.networks.models import (
    LinkRun,
    Network,
    NetworkAd,
    NetworkIdentifier,
    NetworkReason,
    NetworkStop,
    NetworkTemplate,
)

CHUNK: Final = 500
Crawled = tuple[set[int], set[int]]  # ids of online_ad and online_capture rows that exist


def _at(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def _day(ordinal: int) -> datetime:
    d = date.fromordinal(ordinal)
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _known(session: Session, model: type[CrawledAd] | type[Capture], ids: set[int]
           ) -> set[int]:
    """Those of ``ids`` that are rows of ``model`` (a hand-made line may name any number)."""
    found: set[int] = set()
    wanted = sorted(ids)
    for start in range(0, len(wanted), CHUNK):
        found.update(session.scalars(select(model.id).where(
            model.id.in_(wanted[start:start + CHUNK]))))
    return found


def _crawled(session: Session, networks: Sequence[NetworkResult]) -> Crawled:
    """The crawled ads and captures the networks' lines name by id ("ad_id", "capture")."""
    ads = [a for n in networks for a in n.ads]
    return (_known(session, CrawledAd, {a.ad_id for a in ads if a.ad_id is not None}),
            _known(session, Capture, {a.capture_id for a in ads if a.capture_id is not None}))


def _rows(network_id: int, n: NetworkResult, crawled: Crawled
          ) -> dict[str, list[dict[str, Any]]]:
    ads = []
    ad_ids, capture_ids = crawled
    for a in n.ads:
        ads.append({"network_id": network_id, "ad_key": a.key[:200],
                    "ad_id": a.ad_id if a.ad_id in ad_ids else None,
                    "capture_id": a.capture_id if a.capture_id in capture_ids else None,
                    "persona": a.persona, "city": a.city,
                    "site": a.site, "url": a.url, "title": a.title, "text": a.text,
                    "posted_at": None if a.day is None else _day(a.day)})
    reasons = [{"network_id": network_id, "rank": i, "code": r.code, "weight": r.weight,
                "fact": r.fact, "evidence": r.evidence, "params": r.params or None}
               for i, r in enumerate(n.reasons)]
    stops = [{"network_id": network_id, "persona": "", "seq": i, "city": v.city,
              "first_seen": _day(v.first), "last_seen": _day(v.last), "ads": v.ads}
             for i, v in enumerate(n.movement.visits)]
    for persona, trip in n.personas.items():
        stops += [{"network_id": network_id, "persona": persona[:100], "seq": i, "city": v.city,
                   "first_seen": _day(v.first), "last_seen": _day(v.last), "ads": v.ads}
                  for i, v in enumerate(trip)]
    identifiers = [{"network_id": network_id, "kind": IdentifierKind(kind), "value": value[:200],
                    "ads": count}
                   for kind, values in n.identifiers.items() for value, count in values]
    return {"ads": ads, "reasons": reasons, "stops": stops, "identifiers": identifiers}


def _describe(row: Network, n: NetworkResult) -> Network:
    first, last = n.seen()
    row.key, row.score, row.size = n.key, n.score, len(n.ads)
    row.first_seen, row.last_seen = _at(first), _at(last)
    row.phones, row.names, row.cities = n.phones, n.names, n.cities
    row.features = n.movement.to_json()
    return row


_PARTS: Final = (NetworkAd, NetworkReason, NetworkStop, NetworkIdentifier, NetworkTemplate)


def _store(session: Session, *, run: LinkRun, networks: Sequence[NetworkResult],
           rows: Sequence[Network | None] | None = None) -> list[Network]:
    """Write networks (new rows, or the given ``rows`` rewritten) with all their parts."""
    crawled = _crawled(session, networks)
    stored: list[Network] = []
    for start in range(0, len(networks), CHUNK):
        chunk = networks[start:start + CHUNK]
        given: Sequence[Network | None] = (rows[start:start + CHUNK] if rows is not None
                                           else [None] * len(chunk))
        made = [_describe(row or Network(run_id=run.id), n) for row, n in zip(
            given, chunk, strict=True)]
        session.add_all(made)
        session.flush()
        batch: dict[str, list[dict[str, Any]]] = {"ads": [], "reasons": [], "stops": [],
                                                  "identifiers": []}
        templates = []
        for row, n in zip(made, chunk, strict=True):
            for key, values in _rows(row.id, n, crawled).items():
                batch[key].extend(values)
            if n.template:
                templates.append({"network_id": row.id, "text": n.template.text,
                                  "slots": n.template.slots, "support": n.template.support})
        for model, values in ((NetworkAd, batch["ads"]), (NetworkReason, batch["reasons"]),
                              (NetworkStop, batch["stops"]),
                              (NetworkIdentifier, batch["identifiers"]),
                              (NetworkTemplate, templates)):
            if values:
                session.execute(insert(model), values)
        stored += made
    return stored


def save_run(session: Session, *, result: LinkResult, source: str,
             actor: Actor | None) -> LinkRun:
    """Store a linking run and all its networks; audited as one write.

    Publishes :class:`NetworkChanged` for the whole run (the watchlists subscribe).
    """
    if actor is not None:
        enforce(actor, "online.link")
    run = LinkRun(source=source[:500], ads=result.ads, networks=len(result.networks),
                  stats=dict(sorted(result.stats.items())),
                  started_by=actor.user_id if actor else None)
    session.add(run)
    session.flush()
    _store(session, run=run, networks=result.networks)
    run.finished_at = clock.now()
    session.flush()
    audit.record(session, actor=actor, action="online.link.run", resource_type="link_run",
                 resource_id=run.id, detail={"ads": run.ads, "networks": run.networks})
    events.publish(session, NetworkChanged(run_id=run.id))
    return run


def replace_networks(session: Session, *, run: LinkRun, old: Sequence[Network],
                     result: LinkResult) -> list[Network]:
    """Put ``result``'s networks in ``run`` instead of ``old`` (an incremental re-link).

    Each new network takes over the old row it shares the most ads with, id and key
    included, so its page, triage and links stay valid while it grows (even when a new
    version of its earliest ad would hash to another key). An old network merged into
    another is removed; its parts are always rewritten.
    """
    ids, count, ads = [n.id for n in old], len(old), sum(n.size for n in old)
    members: dict[str, int] = {key: nid for key, nid in session.execute(
        select(NetworkAd.ad_key, NetworkAd.network_id).where(NetworkAd.network_id.in_(ids)))}
    free = {n.id: n for n in old}
    kept: list[Network | None] = []
    for n in sorted(result.networks, key=lambda n: -len(n.ads)):
        overlap = Counter(members[a.key] for a in n.ads if members.get(a.key) in free)
        row = free.pop(overlap.most_common(1)[0][0]) if overlap else None
        if row is not None:
            n.key = row.key
        kept.append(row)
    networks = sorted(result.networks, key=lambda n: -len(n.ads))
    for model in _PARTS:
        session.execute(delete(model).where(model.network_id.in_(ids)))
    for gone in free.values():
        session.delete(gone)
    session.flush()
    stored = _store(session, run=run, networks=networks, rows=kept)
    run.networks += len(result.networks) - count  # ``old`` rows were rewritten in place
    run.ads += result.ads - ads
    session.flush()
    return stored


def link(session: Session, *, lines: Iterable[Line], actor: Actor | None, source: str,
         on_error: ErrorSink, workers: int = 1, region: str = "NL") -> tuple[LinkRun, LinkResult]:
    """Link ad lines into networks and store the run (the CLI's ``--db`` and the web app)."""
    if actor is not None:
        enforce(actor, "online.link")
    result = Linker(region=region, workers=workers).run(lines, on_error)
    return save_run(session, result=result, source=source, actor=actor), result


def latest_run(session: Session) -> LinkRun | None:
    """The newest finished linking run."""
    return session.scalars(select(LinkRun).where(LinkRun.finished_at.is_not(None))
                           .order_by(LinkRun.id.desc()).limit(1)).first()


def get_network(session: Session, *, actor: Actor, network_id: int) -> Network | None:
    """One network; the read is audited."""
    enforce(actor, "online.network.view")
    network = session.get(Network, network_id)
    if network is not None:
        audit.record_read(session, actor=actor, resource_type="online_network",
                          ids=[network.id])
    return network


def networks_with(session: Session, *, actor: Actor, kind: IdentifierKind, value: str,
                  run_id: int | None = None) -> list[Network]:
    """Networks of a run (default: the latest) that carry an identifier; audited."""
    enforce(actor, "online.network.view")
    if run_id is None:
        latest = latest_run(session)
        if latest is None:
            return []
        run_id = latest.id
    found = list(session.scalars(
        select(Network).join(NetworkIdentifier, NetworkIdentifier.network_id == Network.id)
        .where(Network.run_id == run_id, NetworkIdentifier.kind == kind,
               NetworkIdentifier.value == value).order_by(Network.score.desc())))
    audit.record_read(session, actor=actor, resource_type="online_network",
                      ids=[n.id for n in found])
    return found
