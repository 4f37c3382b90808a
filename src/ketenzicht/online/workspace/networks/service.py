"""Storing and reading linking runs and their networks (CLI ``--db`` and the web app).

A run is stored whole: each network with its ads, reasons, template, trajectories and
identifiers. Ads that came from the crawler are tied to their ``online_ad`` row and to the
capture of their latest version, so that a network report can cite what the page said.
Services ``flush()``; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.online import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.online.analysis.linking.engine import ErrorSink, Line, Linker, LinkResult
from ketenzicht.online.analysis.linking.network import NetworkResult
from ketenzicht.online.collection.public import AdVersion, CrawledAd
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


def _at(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def _day(ordinal: int) -> datetime:
    d = date.fromordinal(ordinal)
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _crawled(session: Session, urls: Sequence[str]) -> dict[str, tuple[int, int | None]]:
    """url -> (online_ad id, capture id of its latest version) for crawled ads."""
    found: dict[str, tuple[int, int | None]] = {}
    for start in range(0, len(urls), CHUNK):
        rows = session.execute(select(CrawledAd.id, CrawledAd.url).where(
            CrawledAd.url.in_(urls[start:start + CHUNK]))).all()
        ids = {ad_id: url for ad_id, url in rows}
        captures: dict[int, int | None] = {}
        if ids:
            for ad_id, capture_id in session.execute(
                    select(AdVersion.ad_id, AdVersion.capture_id)
                    .where(AdVersion.ad_id.in_(list(ids))).order_by(AdVersion.id)):
                captures[ad_id] = capture_id
        found.update({url: (ad_id, captures.get(ad_id)) for ad_id, url in ids.items()})
    return found


def _rows(network_id: int, n: NetworkResult, crawled: dict[str, tuple[int, int | None]]
          ) -> dict[str, list[dict[str, Any]]]:
    ads = []
    for a in n.ads:
        ad_id, capture_id = crawled.get(a.url or "", (None, None))
        ads.append({"network_id": network_id, "ad_key": a.key[:200], "ad_id": ad_id,
                    "capture_id": capture_id, "persona": a.persona, "city": a.city,
                    "site": a.site, "url": a.url, "title": a.title, "text": a.text,
                    "posted_at": None if a.day is None else _day(a.day)})
    reasons = [{"network_id": network_id, "rank": i, "code": r.code, "weight": r.weight,
                "fact": r.fact, "evidence": r.evidence} for i, r in enumerate(n.reasons)]
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


def save_run(session: Session, *, result: LinkResult, source: str,
             actor: Actor | None) -> LinkRun:
    """Store a linking run and all its networks; audited as one write."""
    if actor is not None:
        enforce(actor, "online.link")
    run = LinkRun(source=source[:500], ads=result.ads, networks=len(result.networks),
                  stats=dict(sorted(result.stats.items())),
                  started_by=actor.user_id if actor else None)
    session.add(run)
    session.flush()
    crawled = _crawled(session, sorted({a.url for n in result.networks for a in n.ads if a.url}))
    for start in range(0, len(result.networks), CHUNK):
        chunk = result.networks[start:start + CHUNK]
        rows = []
        for n in chunk:
            first, last = n.seen()
            rows.append(Network(run_id=run.id, key=n.key, score=n.score, size=len(n.ads),
                                first_seen=_at(first), last_seen=_at(last), phones=n.phones,
                                names=n.names, cities=n.cities, features=n.movement.to_json()))
        session.add_all(rows)
        session.flush()
        batch: dict[str, list[dict[str, Any]]] = {"ads": [], "reasons": [], "stops": [],
                                                  "identifiers": []}
        templates = []
        for row, n in zip(rows, chunk, strict=True):
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
    run.finished_at = clock.now()
    session.flush()
    audit.record(session, actor=actor, action="online.link.run", resource_type="link_run",
                 resource_id=run.id, detail={"ads": run.ads, "networks": run.networks})
    return run


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
