"""Shapes that flow through the extraction pipeline: the ad in, the findings out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ketenzicht.online.analysis.extraction.normalize import Folded, fold

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Ad:
    """One ad as read from a JSON line; fields the pipeline does not use are dropped."""

    id: str | int
    text: str
    title: str = ""
    region: str = "NL"
    city: str | None = None
    site: str | None = None
    url: str | None = None
    posted_at: str | None = None

    @property
    def body(self) -> str:
        """Title and text as one string; the title comes first, as readers see it."""
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quoted span of the ad, located in the field it came from."""

    text: str
    field: str  # "title" or "text"
    start: int
    end: int

    def to_json(self) -> JSON:
        """Plain dict for JSON output."""
        return {"evidence": self.text, "field": self.field, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class PhoneHit:
    """A validated phone number, how it was obscured, and where it stood."""

    e164: str
    styles: tuple[str, ...]
    evidence: Evidence
    at: int = 0  # offset of the evidence in the folded text, for stages that look around it


@dataclass(frozen=True, slots=True)
class Found:
    """A generic finding: a normalised value and the evidence behind it."""

    value: str
    evidence: Evidence
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """Read one of the extra attributes."""
        return self.extra.get(key, default)


@dataclass(frozen=True, slots=True)
class Flag:
    """An indicator raised for the ad, with the span that raised it."""

    code: str
    weight: float
    evidence: Evidence

    def to_json(self) -> JSON:
        """Plain dict for JSON output."""
        return {"code": self.code, "weight": self.weight, **self.evidence.to_json()}


@dataclass(slots=True)
class Extraction:
    """Everything the pipeline found in one ad."""

    id: str | int
    phones: list[PhoneHit] = field(default_factory=list)
    emails: list[Found] = field(default_factory=list)
    handles: list[Found] = field(default_factory=list)
    ages: list[Found] = field(default_factory=list)
    cities: list[Found] = field(default_factory=list)
    prices: list[Found] = field(default_factory=list)
    origins: list[Found] = field(default_factory=list)
    language: str | None = None
    indicators: list[Flag] = field(default_factory=list)

    def to_json(self) -> JSON:
        """The output record of ``ketenzicht online extract``."""
        return {
            "id": self.id,
            "phones": [p.e164 for p in self.phones],
            "phone_obfuscation": [
                {"phone": p.e164, "styles": list(p.styles), "evidence": p.evidence.text}
                for p in self.phones
            ],
            "emails": [e.value for e in self.emails],
            "handles": [{"platform": h.get("platform"), "handle": h.value} for h in self.handles],
            "ages": sorted({int(a.value) for a in self.ages}),
            "cities": [
                {"name": c.value, "code": c.get("code"), "municipality": c.get("municipality"),
                 "province": c.get("province")}
                for c in self.cities
            ],
            "prices": [
                {"amount": p.get("amount"), "currency": p.get("currency"),
                 "minutes": p.get("minutes"), "eur_per_hour": p.get("eur_per_hour"),
                 "assumed_hour": p.get("assumed_hour"), "evidence": p.evidence.text}
                for p in self.prices
            ],
            "origins": [{"origin": o.value, "kind": o.get("kind"), "evidence": o.evidence.text}
                        for o in self.origins],
            "language": self.language,
            "indicators": [f.to_json() for f in self.indicators],
        }


@dataclass(slots=True)
class Context:
    """What a stage sees: the ad, its folded text, the result so far and the counters."""

    ad: Ad
    folded: Folded
    result: Extraction
    stats: dict[str, int]

    @classmethod
    def for_ad(cls, ad: Ad, stats: dict[str, int]) -> Context:
        """Fold the ad once; every stage reuses the folded text."""
        return cls(ad, fold(ad.body), Extraction(ad.id), stats)

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for a folded span, located in the title or the text."""
        a, b = self.folded.span(start, end)
        quote = self.folded.original[a:b]
        title_len = len(self.ad.title)
        if self.ad.title and a < title_len:
            return Evidence(quote, "title", a, min(b, title_len))
        offset = title_len + 1 if self.ad.title else 0
        return Evidence(quote, "text", a - offset, b - offset)

    def inc(self, key: str, n: int = 1) -> None:
        """Count something a stage did (Scrapy-style stats)."""
        self.stats[key] = self.stats.get(key, 0) + n
