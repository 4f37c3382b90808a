"""The 25 safety regions (veiligheidsregio's), their police unit and an approximate centre.

Coordinates are those of each region's main city (WGS84), accurate enough for a
distance score between regions; a location's own coordinates are used when known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A safety region and the police unit (eenheid) it lies in."""

    code: str
    name: str
    police_unit: str
    lat: float
    lon: float


REGIONS: dict[str, Region] = {r.code: r for r in (
    Region("vr01", "Groningen", "Noord-Nederland", 53.219, 6.567),
    Region("vr02", "Fryslân", "Noord-Nederland", 53.201, 5.799),
    Region("vr03", "Drenthe", "Noord-Nederland", 52.993, 6.564),
    Region("vr04", "IJsselland", "Oost-Nederland", 52.517, 6.083),
    Region("vr05", "Twente", "Oost-Nederland", 52.221, 6.894),
    Region("vr06", "Noord- en Oost-Gelderland", "Oost-Nederland", 52.211, 5.969),
    Region("vr07", "Gelderland-Midden", "Oost-Nederland", 51.985, 5.899),
    Region("vr08", "Gelderland-Zuid", "Oost-Nederland", 51.842, 5.853),
    Region("vr09", "Utrecht", "Midden-Nederland", 52.091, 5.122),
    Region("vr10", "Noord-Holland Noord", "Noord-Holland", 52.632, 4.749),
    Region("vr11", "Zaanstreek-Waterland", "Noord-Holland", 52.438, 4.826),
    Region("vr12", "Kennemerland", "Noord-Holland", 52.387, 4.646),
    Region("vr13", "Amsterdam-Amstelland", "Amsterdam", 52.370, 4.895),
    Region("vr14", "Gooi en Vechtstreek", "Midden-Nederland", 52.223, 5.176),
    Region("vr15", "Haaglanden", "Den Haag", 52.070, 4.300),
    Region("vr16", "Hollands Midden", "Den Haag", 52.160, 4.497),
    Region("vr17", "Rotterdam-Rijnmond", "Rotterdam", 51.924, 4.478),
    Region("vr18", "Zuid-Holland Zuid", "Rotterdam", 51.813, 4.690),
    Region("vr19", "Zeeland", "Zeeland-West-Brabant", 51.499, 3.611),
    Region("vr20", "Midden- en West-Brabant", "Zeeland-West-Brabant", 51.571, 4.768),
    Region("vr21", "Brabant-Noord", "Oost-Brabant", 51.697, 5.304),
    Region("vr22", "Brabant-Zuidoost", "Oost-Brabant", 51.441, 5.470),
    Region("vr23", "Limburg-Noord", "Limburg", 51.370, 6.172),
    Region("vr24", "Zuid-Limburg", "Limburg", 50.851, 5.691),
    Region("vr25", "Flevoland", "Midden-Nederland", 52.518, 5.471),
)}

REGION_CODES: tuple[str, ...] = tuple(REGIONS)


def region_name(code: str) -> str:
    """The region's name, or the code itself when unknown."""
    region = REGIONS.get(code)
    return region.name if region else code


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
