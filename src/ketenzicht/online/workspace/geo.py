"""Places on the map: the shipped outline of the Netherlands and the gazetteer's points."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

from ketenzicht.online.analysis.extraction.places import gazetteer, municipalities


@lru_cache(maxsize=1)
def base_layer() -> dict[str, Any]:
    """The outline (GeoJSON Feature) and every municipality as ``[name, lat, lon]``."""
    outline = json.loads(files("ketenzicht.online.workspace").joinpath(
        "data/nl-outline.geojson").read_text(encoding="utf-8"))
    points = [[m.name, m.lat, m.lon] for m in municipalities()]
    return {"outline": outline, "municipalities": points}


def locate(city: str) -> tuple[float, float] | None:
    """Latitude and longitude of a place name (a municipality, or a town in one)."""
    found = gazetteer().lookup(city)
    return None if found is None else (found[1].lat, found[1].lon)


def trajectory_points(stops: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Stops ``(city, from, to)`` with coordinates, for the map; unknown places are left out."""
    out = []
    for city, start, end in stops:
        where = locate(city)
        if where is not None:
            out.append({"city": city, "lat": where[0], "lon": where[1], "from": start,
                        "to": end})
    return out
