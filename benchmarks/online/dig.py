"""The DIG phone ground truth (53 real ads, 2016): loading, region hints and scoring.

The file lives in tests/data/online (tests/data/README.md names its source and licence).
Each ad's region follows from the city in its URL (melbourne.backpage.com -> AU);
ads from sites without a city in the URL are North American, so they default to US.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

REPO_ROOT = Path(__file__).resolve().parents[2]
DIG_FILE = REPO_ROOT / "tests" / "data" / "online" / "dig-phone-groundtruth.json"

CITY_REGION = {
    "melbourne": "AU",
    "perth": "AU",
    "sydney": "AU",
    "pune": "IN",
    "hyderabad": "IN",
    "delhi": "IN",
    "mumbai": "IN",
    "london": "GB",
    "toronto": "CA",
    "kitchener": "CA",
    "ontario": "CA",
    "ottawa": "CA",
    "alberta": "CA",
    "moskva": "RU",
    "singapore": "SG",
    "milano": "IT",
    "malaysia": "MY",
    "quito": "EC",
    "frankfurt": "DE",
    "helsinki": "FI",
    "istanbul": "TR",
    "tokyo": "JP",
    "hongkong": "HK",
}


@dataclass(frozen=True)
class DigAd:
    """One ground-truth ad: the input record and the expected E.164 numbers."""

    ad: dict[str, object]
    expected: frozenset[str]


def region_of(url: str) -> str:
    """The region hint for an ad URL: the first host label if it is a known city, else US."""
    host = urlparse(url).hostname or ""
    return CITY_REGION.get(host.split(".")[0], "US")


def load(path: Path = DIG_FILE) -> list[DigAd]:
    """Read the ground truth as input records for the extractor."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for i, row in enumerate(data["jsonlines"]):
        ad = {
            "id": f"dig-{i}",
            "title": row.get("title") or "",
            "text": row.get("body") or "",
            "url": row.get("url") or "",
            "region": region_of(row.get("url") or ""),
        }
        out.append(DigAd(ad, frozenset(row.get("int_ext_gt") or [])))
    return out


def score(found: list[set[str]], expected: list[frozenset[str]]) -> tuple[int, int, int]:
    """True positives, false positives, false negatives over all ads."""
    tp = sum(len(f & e) for f, e in zip(found, expected, strict=True))
    fp = sum(len(f - e) for f, e in zip(found, expected, strict=True))
    fn = sum(len(e - f) for f, e in zip(found, expected, strict=True))
    return tp, fp, fn
