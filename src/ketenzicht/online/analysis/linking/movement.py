"""Movement measured across ads: visits per municipality, hops, stays, simultaneity, distance.

Movement is never read from words ("nieuw in de stad"), only measured from where and when
ads of one network or persona were posted. A *visit* is a run of ads in one municipality
without a gap longer than ``GAP_DAYS``; the trajectory is the visits in time order.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Final

from ketenzicht.online.analysis.extraction.places import municipalities

GAP_DAYS: Final = 7
WINDOW_DAYS: Final = 30


@dataclass(frozen=True, slots=True)
class Visit:
    """One stop of a trajectory (``first``/``last`` are date ordinals)."""

    city: str
    first: int
    last: int
    ads: int

    def to_json(self) -> dict[str, object]:
        """The ``trajectory`` item of ``ketenzicht online link``."""
        return {"city": self.city, "from": date.fromordinal(self.first).isoformat(),
                "to": date.fromordinal(self.last).isoformat(), "ads": self.ads}


@dataclass(frozen=True, slots=True)
class Movement:
    """Measured movement features of a trajectory."""

    visits: tuple[Visit, ...]
    municipalities: int
    max_per_30_days: int  # most distinct municipalities in any 30-day window
    hops_per_week: float
    median_stay_days: float
    simultaneous_cities: int  # most municipalities with an ad on one and the same day
    distance_km: float
    span_days: int

    def to_json(self) -> dict[str, object]:
        """Movement features for output and storage."""
        return {"municipalities": self.municipalities, "max_per_30_days": self.max_per_30_days,
                "hops_per_week": round(self.hops_per_week, 2),
                "median_stay_days": self.median_stay_days,
                "simultaneous_cities": self.simultaneous_cities,
                "distance_km": round(self.distance_km, 1), "span_days": self.span_days}


@cache
def _coordinates() -> dict[str, tuple[float, float]]:
    return {m.name: (m.lat, m.lon) for m in municipalities()}


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def visits(sightings: Iterable[tuple[str, int]]) -> list[Visit]:
    """Group (municipality, day) sightings into visits, ordered by start."""
    days: dict[str, list[int]] = defaultdict(list)
    for city, day in sightings:
        days[city].append(day)
    out: list[Visit] = []
    for city, seen in days.items():
        seen.sort()
        start = prev = seen[0]
        count = 1
        for day in seen[1:]:
            if day - prev > GAP_DAYS:
                out.append(Visit(city, start, prev, count))
                start, count = day, 0
            prev = day
            count += 1
        out.append(Visit(city, start, prev, count))
    out.sort(key=lambda v: (v.first, v.last, v.city))
    return out


def measure(sightings: list[tuple[str, int]]) -> Movement:
    """Movement features of one network's or persona's sightings."""
    trip = visits(sightings)
    if not trip:
        return Movement((), 0, 0, 0.0, 0.0, 0, 0.0, 0)
    first = min(v.first for v in trip)
    last = max(v.last for v in trip)
    span = last - first + 1
    per_day: dict[int, set[str]] = defaultdict(set)
    for city, day in sightings:
        per_day[day].add(city)
    days_sorted = sorted(per_day)
    best = 0
    lo = 0
    window: dict[str, int] = defaultdict(int)
    for day in days_sorted:  # sliding 30-day window over posting days
        for city in per_day[day]:
            window[city] += 1
        while days_sorted[lo] <= day - WINDOW_DAYS:
            for city in per_day[days_sorted[lo]]:
                window[city] -= 1
                if not window[city]:
                    del window[city]
            lo += 1
        best = max(best, len(window))
    coords = _coordinates()
    distance = sum(haversine_km(coords[a.city], coords[b.city])
                   for a, b in itertools.pairwise(trip)
                   if a.city in coords and b.city in coords and a.city != b.city)
    hops = sum(1 for a, b in itertools.pairwise(trip) if a.city != b.city)
    return Movement(
        visits=tuple(trip), municipalities=len({v.city for v in trip}), max_per_30_days=best,
        hops_per_week=hops / max(1.0, span / 7), distance_km=distance, span_days=span,
        median_stay_days=float(statistics.median(v.last - v.first + 1 for v in trip)),
        simultaneous_cities=max(len(cities) for cities in per_day.values()))
