"""One network described: identifiers, personas, trajectories, template, score and reasons."""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ketenzicht.online.analysis.linking import movement, template
from ketenzicht.online.analysis.linking.features import AdFeatures
from ketenzicht.online.analysis.linking.movement import Movement, Visit
from ketenzicht.online.analysis.linking.score import Facts, Reason, score

IDENTIFIER_FIELDS = (("phone", "phones"), ("email", "emails"), ("handle", "handles"),
                     ("image", "images"))


@dataclass
class NetworkResult:
    """Everything the linker says about one network."""

    key: str
    ads: list[AdFeatures]
    score: float
    reasons: list[Reason]
    movement: Movement
    personas: dict[str, list[Visit]]
    template: template.Template | None
    identifiers: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def phones(self) -> list[str]:
        """Phone numbers, most used first."""
        return [v for v, _ in self.identifiers.get("phone", [])]

    @property
    def names(self) -> list[str]:
        """Persona names in order of first appearance."""
        return list(self.personas) or sorted({a.persona for a in self.ads if a.persona})

    @property
    def cities(self) -> list[str]:
        """Municipalities in order of first visit."""
        seen = dict.fromkeys(v.city for v in self.movement.visits)
        seen.update(dict.fromkeys(a.city for a in self.ads if a.city))
        return list(seen)

    def seen(self) -> tuple[date | None, date | None]:
        """First and last posting date."""
        days = [a.day for a in self.ads if a.day is not None]
        if not days:
            return None, None
        return date.fromordinal(min(days)), date.fromordinal(max(days))

    def to_json(self) -> dict[str, Any]:
        """One output line of ``ketenzicht online link``."""
        first, last = self.seen()
        return {
            "network": self.key, "ads": [a.key for a in self.ads], "phones": self.phones,
            "names": self.names, "cities": self.cities,
            "first_seen": first.isoformat() if first else None,
            "last_seen": last.isoformat() if last else None,
            "trajectory": [v.to_json() for v in self.movement.visits],
            "personas": {p: [v.to_json() for v in trip] for p, trip in self.personas.items()},
            "movement": self.movement.to_json(),
            "template": self.template.to_json() if self.template else None,
            "score": self.score, "reasons": [r.to_json() for r in self.reasons],
        }


def network_key(ads: Sequence[AdFeatures]) -> str:
    """A key that stays when a network grows: it hashes the network's earliest ad."""
    first = min(ads, key=lambda a: (a.day if a.day is not None else 10**7, a.key))
    return "n-" + hashlib.blake2b(first.key.encode(), digest_size=6).hexdigest()


def _flags(ads: Sequence[AdFeatures]) -> dict[str, tuple[float, int, list[dict[str, Any]]]]:
    out: dict[str, tuple[float, int, list[dict[str, Any]]]] = {}
    for ad in ads:
        for code in dict.fromkeys(c for c, _, _ in ad.flags):
            weight, span = next((w, s) for c, w, s in ad.flags if c == code)
            _, count, examples = out.get(code, (weight, 0, []))
            if len(examples) < 5:
                examples.append({"ad": ad.key, "span": span})
            out[code] = (weight, count + 1, examples)
    return out


def describe(ads: list[AdFeatures], price_medians: dict[str, float]) -> NetworkResult:
    """Measure, template and score one network."""
    ads.sort(key=lambda a: (a.day if a.day is not None else 10**7, a.key))
    sightings = [(a.city, a.day) for a in ads if a.city and a.day is not None]
    moved = movement.measure(sightings)
    by_persona: dict[str, list[tuple[str, int]]] = defaultdict(list)
    persona_days: dict[str, list[int]] = defaultdict(list)
    for a in ads:
        if a.persona:
            days = persona_days[a.persona]
            if a.day is not None:
                days.append(a.day)
            if a.city and a.day is not None:
                by_persona[a.persona].append((a.city, a.day))
    personas = {p: movement.visits(by_persona.get(p, [])) for p in persona_days}
    identifiers = {kind: Counter(v for a in ads for v in getattr(a, attr)).most_common()
                   for kind, attr in IDENTIFIER_FIELDS}
    identifiers = {k: v for k, v in identifiers.items() if v}
    names_per_phone: dict[str, list[str]] = defaultdict(list)
    ages_per_phone: dict[str, set[int]] = defaultdict(set)
    for a in ads:
        for phone in a.phones:
            if a.persona and a.persona not in names_per_phone[phone]:
                names_per_phone[phone].append(a.persona)
            ages_per_phone[phone].update(a.ages)
    tpl = template.build([a.text for a in ads]) if len(ads) >= 2 else None
    names = set(persona_days)
    prices = [a.price for a in ads if a.price]
    local = [price_medians[c] for c in {a.city for a in ads if a.city} if c in price_medians]
    facts = Facts(
        ads=len(ads), span_days=moved.span_days, movement=moved,
        persona_days={p: max(d) - min(d) + 1 if d else 1 for p, d in persona_days.items()},
        names_per_phone=dict(names_per_phone),
        ages_per_phone={p: sorted(a) for p, a in ages_per_phone.items()},
        template_names=sorted(tpl.names_in_slots(names)) if tpl else [],
        foreign=[{"ad": a.key, "phone": p, "city": a.city}
                 for a in ads if a.city for p in a.foreign_phones],
        price=statistics.median(prices) if prices else None,
        municipal_price=statistics.median(local) if local else None,
        flags=_flags(ads))
    total, reasons = score(facts)
    return NetworkResult(network_key(ads), ads, total, reasons, moved, personas, tpl,
                         identifiers)
