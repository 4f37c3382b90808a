"""The national overview: free places, freshness, trend, waiting, declines and bounces.

Aggregates only; no pseudonym or other person data leaves this module.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.shelter.enums import WAITING, OfferStatus, RequestStatus, ShelterType, Urgency
from ketenzicht.shelter.models import (
    AvailabilityLog,
    PlacementRequest,
    ShelterLocation,
    ShelterOffer,
    ShelterUnit,
)
from ketenzicht.shelter.regions import REGIONS


@dataclass
class Cell:
    """Places in one region (or of one type, or in total)."""

    units: int = 0
    capacity: int = 0
    available: int = 0
    held: int = 0
    stale: int = 0

    @property
    def free(self) -> int:
        """Places that can be offered now."""
        return self.available - self.held

    def add(self, unit: ShelterUnit, stale: bool) -> None:
        """Count one unit in."""
        self.units += 1
        self.capacity += unit.capacity
        self.available += unit.available
        self.held += unit.held
        self.stale += int(stale)


@dataclass(frozen=True)
class MapPoint:
    """A location on the map; a secret one only as its region."""

    lat: float
    lon: float
    label: str
    secret: bool
    free: int
    capacity: int


@dataclass(frozen=True)
class Bounces:
    """Offers and placements per person before a stable placement."""

    persons: int
    stable: int
    without_stable: int
    mean_offers_before_stable: float | None
    mean_placements_before_stable: float | None
    distribution: dict[str, int]


@dataclass
class Overview:
    """Everything the national overview shows."""

    stale_hours: float
    by_region: dict[str, dict[ShelterType, Cell]] = field(default_factory=dict)
    region_totals: dict[str, Cell] = field(default_factory=dict)
    type_totals: dict[ShelterType, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)
    median_age_hours: float | None = None
    points: list[MapPoint] = field(default_factory=list)
    trend: list[tuple[date, float | None]] = field(default_factory=list)
    waiting: int = 0
    waiting_emergency: int = 0
    overdue: int = 0
    oldest_wait_hours: float | None = None
    placement_hours_median: float | None = None
    placement_hours_p90: float | None = None
    placed: int = 0
    declines: dict[str, int] = field(default_factory=dict)
    bounces: Bounces | None = None
    trend_days: int = 30
    outflow: dict[str, int] = field(default_factory=dict)
    stay_days_median: float | None = None

    @property
    def trend_known(self) -> list[float]:
        """The days of the trend that have a figure."""
        return [v for _d, v in self.trend if v is not None]


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


TREND_WINDOWS = (7, 30, 90)


def overview(session: Session, *, actor: Actor, stale_hours: float, stable_days: int,
             trend_days: int = 30) -> Overview:
    """Compute the national overview (aggregate figures only); the trend over 7, 30 or 90 days."""
    enforce(actor, "shelter.overview.view")
    if trend_days not in TREND_WINDOWS:
        trend_days = 30
    now = clock.now()
    out = Overview(stale_hours=stale_hours, trend_days=trend_days)
    units = list(session.scalars(select(ShelterUnit).join(ShelterUnit.location)
                                 .where(ShelterUnit.is_active.is_(True))))
    ages: list[float] = []
    per_location: dict[int, tuple[ShelterLocation, Cell]] = {}
    for unit in units:
        age = _hours(now - unit.available_updated_at)
        ages.append(age)
        stale = age > stale_hours
        region = unit.location.region
        out.by_region.setdefault(region, {}).setdefault(unit.shelter_type, Cell()).add(unit, stale)
        out.region_totals.setdefault(region, Cell()).add(unit, stale)
        out.type_totals.setdefault(unit.shelter_type, Cell()).add(unit, stale)
        out.total.add(unit, stale)
        per_location.setdefault(unit.location_id, (unit.location, Cell()))[1].add(unit, stale)
    out.median_age_hours = round(statistics.median(ages), 1) if ages else None
    out.points = [_point(loc, cell) for loc, cell in per_location.values()]
    out.trend = _trend(session, now, trend_days)
    _requests(session, out, now)
    out.declines = dict(Counter(str(r) for r in session.scalars(
        select(ShelterOffer.decline_reason).where(ShelterOffer.status == OfferStatus.DECLINED))))
    out.bounces = bounces(session, now=now, stable_days=stable_days)
    _outflow(session, out)
    return out


def _outflow(session: Session, out: Overview) -> None:
    """Placements that ended (uitstroom), by reason, and how long they lasted."""
    rows = session.execute(select(PlacementRequest.end_reason, PlacementRequest.placed_at,
                                  PlacementRequest.ended_at)
                           .where(PlacementRequest.status == RequestStatus.ENDED,
                                  PlacementRequest.placed_at.is_not(None))).all()
    out.outflow = dict(Counter(str(reason) for reason, _p, _e in rows))
    stays = [_hours(ended - placed) / 24 for _r, placed, ended in rows
             if ended is not None and placed is not None]
    out.stay_days_median = round(statistics.median(stays), 1) if stays else None


def _point(loc: ShelterLocation, cell: Cell) -> MapPoint:
    region = REGIONS.get(loc.region)
    if loc.secret_address or loc.lat is None or loc.lon is None:
        lat, lon = (region.lat, region.lon) if region else (52.1, 5.3)
        label = region.name if region else loc.region
    else:
        lat, lon, label = loc.lat, loc.lon, f"{loc.name} ({loc.gemeente})"
    return MapPoint(lat=lat, lon=lon, label=label, secret=loc.secret_address, free=cell.free,
                    capacity=cell.capacity)


def _trend(session: Session, now: datetime, days: int) -> list[tuple[date, float | None]]:
    """Occupancy at the end of each day, from the last figure each unit reported by then."""
    start = (now - timedelta(days=days - 1)).date()
    since = datetime.combine(start, datetime.min.time(), tzinfo=now.tzinfo)
    stmt = select(AvailabilityLog.unit_id, AvailabilityLog.at, AvailabilityLog.available,
                  AvailabilityLog.capacity)
    # Each unit's last figure before the window opens, then every figure inside it: the
    # log grows forever, and a long window must not mean reading all of it.
    last = (select(AvailabilityLog.unit_id, func.max(AvailabilityLog.at).label("at"))
            .where(AvailabilityLog.at < since).group_by(AvailabilityLog.unit_id).subquery())
    rows = [*session.execute(stmt.join(last, (last.c.unit_id == AvailabilityLog.unit_id)
                                       & (last.c.at == AvailabilityLog.at))
                             .order_by(AvailabilityLog.at, AvailabilityLog.id)).all(),
            *session.execute(stmt.where(AvailabilityLog.at >= since, AvailabilityLog.at <= now)
                             .order_by(AvailabilityLog.at, AvailabilityLog.id)).all()]
    latest: dict[int, tuple[int, int]] = {}
    out: list[tuple[date, float | None]] = []
    i = 0
    for offset in range(days):
        day = start + timedelta(days=offset)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=now.tzinfo)
        while i < len(rows) and rows[i].at < end:
            latest[rows[i].unit_id] = (rows[i].available, rows[i].capacity)
            i += 1
        capacity = sum(c for _a, c in latest.values())
        free = sum(a for a, _c in latest.values())
        out.append((day, round(100 * (1 - free / capacity), 1) if capacity else None))
    return out


def _requests(session: Session, out: Overview, now: datetime) -> None:
    rows = session.execute(select(PlacementRequest.status, PlacementRequest.urgency,
                                  PlacementRequest.submitted_at, PlacementRequest.placed_at,
                                  PlacementRequest.respond_by)).all()
    waits, placements = [], []
    for status, urgency, submitted, placed, respond_by in rows:
        if status in WAITING:
            out.waiting += 1
            out.waiting_emergency += urgency is Urgency.NOODBED
            out.overdue += respond_by < now
            if submitted is not None:
                waits.append(_hours(now - submitted))
        if placed is not None and submitted is not None:
            placements.append(_hours(placed - submitted))
    out.oldest_wait_hours = round(max(waits), 1) if waits else None
    out.placed = len(placements)
    if placements:
        placements.sort()
        out.placement_hours_median = round(statistics.median(placements), 1)
        out.placement_hours_p90 = round(placements[int(0.9 * (len(placements) - 1))], 1)


def bounces(session: Session, *, now: datetime, stable_days: int) -> Bounces:
    """Per person: offers and placements before the first placement that lasted.

    A placement is stable when it lasted (or has lasted so far) ``stable_days``.
    Offers that were declined or expired, and placements that ended sooner,
    are the bounces: the figure that shows whether people are still moved
    back and forth.
    """
    requests = session.execute(select(PlacementRequest.id, PlacementRequest.person_ref,
                                      PlacementRequest.placed_at,
                                      PlacementRequest.ended_at)).all()
    offers = session.execute(select(ShelterOffer.request_id, ShelterOffer.created_at)).all()
    person_of = {r.id: r.person_ref for r in requests}
    events: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for request_id, created in offers:
        events[person_of[request_id]].append((created, "offer"))
    stable_after = timedelta(days=stable_days)
    for r in requests:
        if r.placed_at is not None:
            lasted = (r.ended_at or now) - r.placed_at
            kind = "stable" if lasted >= stable_after else "placement"
            events[r.person_ref].append((r.placed_at, kind))
    before_offers, before_placements, dist = [], [], Counter[str]()
    stable = 0
    for history in events.values():
        history.sort()
        offers_n = placements_n = 0
        reached = False
        for _at, kind in history:
            if kind == "stable":
                reached = True
                break
            offers_n += kind == "offer"
            placements_n += kind == "placement"
        if reached:
            stable += 1
            # The offer that led to the stable placement is not a bounce.
            offers_n = max(0, offers_n - 1)
            before_offers.append(offers_n)
            before_placements.append(placements_n)
            total = offers_n + placements_n
            dist["3+" if total >= 3 else str(total)] += 1
    persons = len(events)
    return Bounces(
        persons=persons, stable=stable, without_stable=persons - stable,
        mean_offers_before_stable=round(statistics.mean(before_offers), 2)
        if before_offers else None,
        mean_placements_before_stable=round(statistics.mean(before_placements), 2)
        if before_placements else None,
        distribution={k: dist.get(k, 0) for k in ("0", "1", "2", "3+")})
