"""The legal frame of undercover operations, read from ``data/legal_frame.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FRAME_FILE = Path(__file__).resolve().parent / "data" / "legal_frame.yaml"
UNVERIFIED = "NEEDS CHECK"


@dataclass(frozen=True)
class Power:
    """One statutory power an order can rest on, with what its order must state."""

    key: str
    article: str
    title: str
    performer: str
    allows_purchase: bool
    conditions: tuple[str, ...]
    order_contents: tuple[str, ...]
    order_fields: tuple[str, ...]
    verification: str
    persona_age_below: int | None = None

    @property
    def needs_check(self) -> bool:
        """Whether the entry still waits for a check against the text in force."""
        return UNVERIFIED in self.verification


@dataclass(frozen=True)
class Service:
    """A kind of service an order may cover, and the words that show a message is about it."""

    key: str
    title: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Frame:
    """Powers, the Tallon rule, the service vocabulary and the guard's word lists."""

    version: str
    tallon: dict[str, Any]
    powers: dict[str, Power]
    services: dict[str, Service]
    offer_terms: tuple[str, ...]
    price_pattern: re.Pattern[str]
    age_pattern: re.Pattern[str]
    rules: dict[str, dict[str, str]]

    def unverified(self) -> list[str]:
        """Every entry still marked NEEDS CHECK (the powers and Tallon)."""
        out = [p.article for p in self.powers.values() if p.needs_check]
        if UNVERIFIED in str(self.tallon.get("verification", "")):
            out.append(str(self.tallon["citation"]))
        return out


@cache
def terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of ``terms`` as a whole word or phrase.

    Cached: the guard asks for the same few word lists on every message of an import.
    """
    alts = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)


def parse(raw: dict[str, Any]) -> Frame:
    """Build the frame from the YAML's structure; a missing key is an error at start-up."""
    powers = {}
    for p in raw["powers"]:
        powers[str(p["key"])] = Power(
            key=str(p["key"]), article=p["article"], title=p["title"],
            performer=p["performer"], allows_purchase=bool(p["allows_purchase"]),
            conditions=tuple(p["conditions"]), order_contents=tuple(p["order_contents"]),
            order_fields=tuple(p["order_fields"]), verification=p["verification"],
            persona_age_below=p.get("persona_age_below"))
    services = {k: Service(k, v["title"], tuple(v["terms"])) for k, v in raw["services"].items()}
    guard = raw["guard"]
    return Frame(version=str(raw["version"]), tallon=dict(raw["tallon"]), powers=powers,
                 services=services, offer_terms=tuple(guard["offer_terms"]),
                 price_pattern=re.compile(guard["price_pattern"], re.IGNORECASE),
                 age_pattern=re.compile(guard["age_pattern"], re.IGNORECASE),
                 rules={k: dict(v) for k, v in guard["rules"].items()})


@cache
def load() -> Frame:
    """The frame in force (read once per process)."""
    return parse(yaml.safe_load(FRAME_FILE.read_text(encoding="utf-8")))
