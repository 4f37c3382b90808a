"""An InfoShield-style template per network: the text its ads share, with slots.

InfoShield (Lee et al., ICDE 2021) explains a cluster of ads by one template whose fixed
words all ads share and whose *slots* hold what changes: the name, the age, the city. Here
the template is built on the ad closest to all others (the medoid, by rapidfuzz): every
other ad is aligned to it word by word (a longest common subsequence, rapidfuzz's Indel
opcodes: the same alignment difflib gives on these texts, at a tenth of the cost), a word
is fixed when most ads keep it, and each run of changing words becomes a slot listing the
values the ads put there.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

MAX_ADS: Final = 8  # aligning more ads adds cost, not insight
KEEP_SHARE: Final = 0.7  # a word is fixed when at least this share of ads has it
MAX_VALUES: Final = 10


@dataclass(frozen=True, slots=True)
class Template:
    """Fixed text with ``{slot1}``, ``{slot2}``... markers, the values per slot, the support."""

    text: str
    slots: list[dict[str, object]] = field(default_factory=list)
    support: int = 0

    def to_json(self) -> dict[str, object]:
        """Plain dict for output and storage."""
        return {"text": self.text, "slots": self.slots, "support": self.support}

    def names_in_slots(self, names: set[str]) -> set[str]:
        """Persona names that fill slots: one template reused with new names."""
        seen: set[str] = set()
        for slot in self.slots:
            for value in slot["values"]:  # type: ignore[attr-defined]
                seen |= {w.strip(",.!") for w in str(value).split()} & names
        return seen


def build(texts: Sequence[str]) -> Template | None:
    """The template of a network's ad texts, or None when they share too little."""
    texts = [t for t in dict.fromkeys(texts) if t.strip()][:MAX_ADS]
    if len(texts) < 2:
        return None
    scores = cdist(texts, texts, scorer=fuzz.ratio)
    medoid = int(scores.sum(axis=1).argmax())
    base = texts[medoid].split()
    if not base:
        return None
    # How many ads keep each base word, as a difference array: +1 where an equal run starts,
    # -1 where it ends, summed up once (a network's ads share long runs).
    runs = [0] * (len(base) + 1)
    fills: dict[int, list[str]] = {}  # base position -> words an ad put there instead
    for i, other in enumerate(texts):
        words = other.split()
        for op in Indel.opcodes(base, words):
            if op.tag == "equal":
                runs[op.src_start] += 1
                runs[op.src_end] -= 1
            elif i != medoid and op.dest_end > op.dest_start:
                # an insertion at a base position fills the slot that opens there
                added = " ".join(words[op.dest_start:op.dest_end])
                fills.setdefault(op.src_start, []).append(added)
    need = KEEP_SHARE * len(texts)
    fixed = [kept >= need for kept in itertools.accumulate(runs[:-1])]
    if sum(fixed) < max(3, len(base) // 3):
        return None
    out: list[str] = []
    slots: list[dict[str, object]] = []
    pos = 0
    while pos < len(base):
        if fixed[pos]:
            out.append(base[pos])
            pos += 1
            continue
        start = pos
        while pos < len(base) and not fixed[pos]:
            pos += 1
        values = Counter([" ".join(base[start:pos])])
        for p in range(start, pos + 1):
            values.update(v for v in fills.get(p, []) if v)
        name = f"slot{len(slots) + 1}"
        slots.append({"slot": name, "values": [v for v, _ in values.most_common(MAX_VALUES)]})
        out.append(f"{{{name}}}")
    return Template(" ".join(out), slots, len(texts))
