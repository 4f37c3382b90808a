"""Read-only queries over the linker's networks, shaped for the list and the network page.

The networks belong to ``online.networks``; this module only reads them. Every list query is
one filtered, score-ordered page of networks followed by a handful of ``IN (...)`` queries
for that page's reasons, cities and triage, so the cost does not grow with the ads behind
them (see benchmarks/online_web.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from ketenzicht.core import clock
from ketenzicht.online.analysis.extraction.places import municipalities
from ketenzicht.online.collection.public import AdVersion, Capture, CrawledAd
from ketenzicht.online.workspace.enums import TriageStatus
from ketenzicht.online.workspace.models import Triage
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

PAGE_SIZE = 50
COUNT_CAP = 1000
TOP_REASONS = 3
RECENT_DAYS = 30
MAX_ADS_SHOWN = 100
_SLOT = re.compile(r"\{([A-Za-z_][\w-]{0,40})\}")


@dataclass(frozen=True)
class NetworkFilter:
    """The list's filters; every field is optional."""

    period_from: date | None = None
    period_to: date | None = None
    municipality: str | None = None
    region: str | None = None  # a province of the gazetteer
    indicator: str | None = None
    site: str | None = None
    min_size: int | None = None
    new_since: date | None = None
    status: TriageStatus | None = None
    page: int = 1


@dataclass
class NetworkRow:
    """One line of the list."""

    network: Network
    status: TriageStatus
    reasons: list[NetworkReason] = field(default_factory=list)
    recent_cities: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def provinces() -> dict[str, frozenset[str]]:
    """Municipality names per province, from the shipped CBS gazetteer."""
    out: dict[str, set[str]] = defaultdict(set)
    for m in municipalities():
        out[m.province].add(m.name)
    return {k: frozenset(v) for k, v in sorted(out.items())}


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.now().tzinfo)


def latest_run(session: Session) -> LinkRun | None:
    """The newest linking run that finished (else the newest at all), or None."""
    run = session.scalars(select(LinkRun).where(LinkRun.finished_at.is_not(None))
                          .order_by(LinkRun.id.desc()).limit(1)).first()
    if run is None:
        run = session.scalars(select(LinkRun).order_by(LinkRun.id.desc()).limit(1)).first()
    return run


def _related(network_id: Any, correlated: bool, *conditions: Any) -> Any:
    """Networks with a related row matching ``conditions`` (EXISTS or IN)."""
    if correlated:
        return exists().where(network_id == Network.id, *conditions)
    return Network.id.in_(select(network_id).where(*conditions))


def _filtered(run_id: int, f: NetworkFilter, *, with_status: bool, for_count: bool
              ) -> Select[Network, TriageStatus | None]:
    # Measured at 100,000 ads (benchmarks/online_web.py): the page, read in score order until
    # 50 match, is fastest with correlated EXISTS; the capped count is fastest with
    # IN (subquery), evaluated once, except for sites, whose column has no index.
    query = select(Network, Triage.status if with_status else literal(None))
    if with_status:
        query = query.outerjoin(Triage, Triage.network_key == Network.key)
    query = query.where(Network.run_id == run_id)
    if f.period_from is not None:
        query = query.where(Network.last_seen >= _start(f.period_from))
    if f.period_to is not None:
        query = query.where(Network.first_seen < _start(f.period_to + timedelta(days=1)))
    if f.new_since is not None:
        query = query.where(Network.first_seen >= _start(f.new_since))
    if f.min_size:
        query = query.where(Network.size >= f.min_size)
    cities: set[str] = set()
    if f.municipality:
        cities.add(f.municipality)
    if f.region:
        in_region = provinces().get(f.region, frozenset())
        cities = (cities & in_region) if f.municipality else set(in_region)
    if f.municipality or f.region:
        query = query.where(_related(NetworkStop.network_id, not for_count,
                                     NetworkStop.persona == "",
                                     NetworkStop.city.in_(sorted(cities) or [""])))
    if f.indicator:
        query = query.where(_related(NetworkReason.network_id, not for_count,
                                     NetworkReason.code == f.indicator))
    if f.site:
        query = query.where(_related(NetworkAd.network_id, True,
                                     NetworkAd.site == f.site))
    if f.status is TriageStatus.NEW:
        query = query.where(or_(Triage.status.is_(None), Triage.status == TriageStatus.NEW))
    elif f.status is not None:
        query = query.where(Triage.status == f.status)
    return query


def list_networks(session: Session, *, f: NetworkFilter, run_id: int | None = None
                  ) -> tuple[list[NetworkRow], int]:
    """One page of the latest run's networks, ranked by score, and how many match.

    The number is exact up to ``COUNT_CAP`` networks past the page; a larger one means "more".
    """
    if run_id is None:
        run = latest_run(session)
        if run is None:
            return [], 0
        run_id = run.id
    # The count needs the triage join only when filtering on status, and stops at
    # COUNT_CAP networks past this page: "more than 1,000" is all a reader needs, and
    # counting every network of a large run was most of a page's time.
    page = max(f.page, 1)
    counted = _filtered(run_id, f, with_status=f.status is not None,
                        for_count=True).with_only_columns(
        Network.id).limit((page - 1) * PAGE_SIZE + COUNT_CAP + 1)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    query = _filtered(run_id, f, with_status=True, for_count=False)
    rows = [NetworkRow(n, status or TriageStatus.NEW) for n, status in session.execute(
        query.order_by(Network.score.desc(), Network.id).limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE))]
    by_id = {r.network.id: r for r in rows}
    if by_id:
        for reason in session.scalars(select(NetworkReason).where(
                NetworkReason.network_id.in_(by_id), NetworkReason.rank < TOP_REASONS)
                .order_by(NetworkReason.network_id, NetworkReason.rank)):
            by_id[reason.network_id].reasons.append(reason)
        since = clock.now() - timedelta(days=RECENT_DAYS)
        for network_id, city in session.execute(
                select(NetworkStop.network_id, NetworkStop.city).where(
                    NetworkStop.network_id.in_(by_id), NetworkStop.persona == "",
                    NetworkStop.last_seen >= since).order_by(NetworkStop.seq)):
            cities = by_id[network_id].recent_cities
            if city not in cities:
                cities.append(city)
    return rows, total


_OPTIONS: dict[tuple[str, int, str], dict[str, list[str]]] = {}


def filter_options(session: Session, *, run: LinkRun | None) -> dict[str, list[str]]:
    """Values offered in the list's filters: indicator codes, sites, provinces, municipalities.

    Computed once per linking run (a run never changes once stored; the distinct codes cost
    about 0.1 s at 100,000 ads), keyed by database and run so tests and instances never mix.
    """
    key = (str(session.get_bind().engine.url), run.id if run else 0,
           run.started_at.isoformat() if run else "")
    if key not in _OPTIONS:
        codes = session.scalars(select(NetworkReason.code).distinct()
                                .order_by(NetworkReason.code))
        sites = session.scalars(select(CrawledAd.site).distinct().order_by(CrawledAd.site))
        if len(_OPTIONS) > 32:
            _OPTIONS.clear()
        _OPTIONS[key] = {"indicators": list(codes), "sites": [s for s in sites if s],
                         "regions": list(provinces()),
                         "municipalities": sorted(m.name for m in municipalities())}
    return _OPTIONS[key]


# --- the network page -------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplatePart:
    """A piece of the shared template: literal text, or a slot with the values it took."""

    text: str
    slot: str | None = None
    values: tuple[str, ...] = ()


@dataclass
class AdLine:
    """One ad of the network with its stored versions (each may cite a capture)."""

    member: NetworkAd
    versions: list[AdVersion] = field(default_factory=list)
    captures: dict[int, Capture] = field(default_factory=dict)


@dataclass
class IdentifierLine:
    """A linked identifier and how many other networks of the run it appears in."""

    identifier: NetworkIdentifier
    other_networks: int


@dataclass
class NetworkDetail:
    """Everything the network page shows, loaded in a fixed number of queries."""

    network: Network
    reasons: list[NetworkReason]
    template: NetworkTemplate | None
    template_parts: list[TemplatePart]
    ads: list[AdLine]
    ads_total: int
    trajectory: list[NetworkStop]
    personas: dict[str, list[NetworkStop]]
    identifiers: list[IdentifierLine]
    newer_run: bool


def template_parts(template: NetworkTemplate | None) -> list[TemplatePart]:
    """Split the template at its ``{slot}`` markers (InfoShield's slots, highlighted)."""
    if template is None:
        return []
    values = {str(s.get("slot")): tuple(str(v) for v in s.get("values") or [])
              for s in template.slots or []}
    parts: list[TemplatePart] = []
    pos = 0
    for match in _SLOT.finditer(template.text):
        if match.start() > pos:
            parts.append(TemplatePart(template.text[pos:match.start()]))
        name = match.group(1)
        parts.append(TemplatePart(match.group(0), name, values.get(name, ())))
        pos = match.end()
    if pos < len(template.text):
        parts.append(TemplatePart(template.text[pos:]))
    return parts


def network_detail(session: Session, *, network: Network) -> NetworkDetail:
    """The page of one network."""
    nid = network.id
    reasons = list(session.scalars(select(NetworkReason).where(
        NetworkReason.network_id == nid).order_by(NetworkReason.rank)))
    template = session.scalars(select(NetworkTemplate).where(
        NetworkTemplate.network_id == nid)).first()
    members = list(session.scalars(select(NetworkAd).where(NetworkAd.network_id == nid)
                                   .order_by(NetworkAd.posted_at, NetworkAd.id)
                                   .limit(MAX_ADS_SHOWN)))
    total = session.scalar(select(func.count()).where(NetworkAd.network_id == nid)) or 0
    lines = [AdLine(m) for m in members]
    by_ad = {m.ad_id: line for m, line in zip(members, lines, strict=True) if m.ad_id}
    capture_ids = {m.capture_id for m in members if m.capture_id}
    if by_ad:
        for version in session.scalars(select(AdVersion).where(AdVersion.ad_id.in_(by_ad))
                                       .order_by(AdVersion.id)):
            by_ad[version.ad_id].versions.append(version)
            if version.capture_id:
                capture_ids.add(version.capture_id)
    if capture_ids:
        captures = {c.id: c for c in session.scalars(
            select(Capture).where(Capture.id.in_(capture_ids)))}
        for line in lines:
            line.captures = captures
    stops = list(session.scalars(select(NetworkStop).where(NetworkStop.network_id == nid)
                                 .order_by(NetworkStop.persona, NetworkStop.seq)))
    personas: dict[str, list[NetworkStop]] = defaultdict(list)
    for stop in stops:
        if stop.persona:
            personas[stop.persona].append(stop)
    identifiers = list(session.scalars(select(NetworkIdentifier).where(
        NetworkIdentifier.network_id == nid).order_by(NetworkIdentifier.kind,
                                                      NetworkIdentifier.value)))
    others: dict[tuple[str, str], int] = {}
    if identifiers:
        other = NetworkIdentifier.__table__.alias("other")
        counted = session.execute(
            select(NetworkIdentifier.kind, NetworkIdentifier.value, func.count(other.c.id))
            .join(other, and_(other.c.kind == NetworkIdentifier.kind,
                              other.c.value == NetworkIdentifier.value,
                              other.c.network_id != nid))
            .join(Network, Network.id == other.c.network_id)
            .where(NetworkIdentifier.network_id == nid, Network.run_id == network.run_id)
            .group_by(NetworkIdentifier.kind, NetworkIdentifier.value))
        others = {(str(k), v): n for k, v, n in counted}
    latest = latest_run(session)
    return NetworkDetail(
        network=network, reasons=reasons, template=template,
        template_parts=template_parts(template), ads=lines, ads_total=total,
        trajectory=[s for s in stops if not s.persona], personas=dict(personas),
        identifiers=[IdentifierLine(i, others.get((str(i.kind), i.value), 0))
                     for i in identifiers],
        newer_run=latest is not None and latest.id != network.run_id)


def statuses(session: Session, keys: list[str]) -> dict[str, TriageStatus]:
    """The triage status of each network key; a key never triaged is new."""
    found = dict(session.execute(select(Triage.network_key, Triage.status)
                                 .where(Triage.network_key.in_(keys))).tuples().all())
    return {k: found.get(k, TriageStatus.NEW) for k in keys}


def networks_with(session: Session, *, kind: IdentifierKind, values: list[str], run_id: int,
                  limit: int = 100) -> list[Network]:
    """Networks of a run that hold one of ``values`` as an identifier of ``kind``."""
    if not values:
        return []
    # IN rather than JOIN + DISTINCT: PostgreSQL cannot compare the JSON columns.
    return list(session.scalars(
        select(Network).where(Network.run_id == run_id, Network.id.in_(
            select(NetworkIdentifier.network_id).where(NetworkIdentifier.kind == kind,
                                                       NetworkIdentifier.value.in_(values))))
        .order_by(Network.score.desc()).limit(limit)))
