"""The map of the national overview: the outline of the Netherlands and where locations lie.

No tiles and no third-party host (the Content-Security-Policy allows none): the
outline is a small shipped file, ``data/nl_outline.json`` (Natural Earth 1:50m,
public domain; its ``source`` field says where it was taken from), drawn as an
SVG path. Points are projected equirectangularly with the longitude scaled by
the cosine of the middle latitude, which keeps the country's shape at this size.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

WEST, EAST, SOUTH, NORTH = 3.3, 7.3, 50.7, 53.7
WIDTH = 400.0
_K = math.cos(math.radians((SOUTH + NORTH) / 2))
_SCALE = WIDTH / ((EAST - WEST) * _K)
HEIGHT = round((NORTH - SOUTH) * _SCALE)


def project(lat: float, lon: float) -> tuple[float, float]:
    """SVG x, y of a WGS84 point on the WIDTH × HEIGHT canvas."""
    return (round((lon - WEST) * _K * _SCALE, 1), round((NORTH - lat) * _SCALE, 1))


@dataclass(frozen=True)
class Outline:
    """The country as one SVG path (even-odd fill keeps the IJsselmeer open), and its source."""

    path: str
    source: str


@cache
def outline() -> Outline:
    """The shipped outline, projected once."""
    raw: dict[str, Any] = json.loads(
        resources.files("ketenzicht.shelter").joinpath("data/nl_outline.json").read_text("utf-8"))
    parts = []
    for polygon in raw["coordinates"]:
        for ring in polygon:
            points = [project(lat, lon) for lon, lat in ring]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return Outline(path=" ".join(parts), source=str(raw["source"]))
