"""Linking on encodings only, each link with its explanation.

The server holds encodings and their key version, nothing else. Bloom fields are compared by
the Dice coefficient (as anonlink does), HMAC fields by equality; the evidence of a pair is the
sum of the weights of the fields that agreed (the schema's weights), and the explanation names
each field, its similarity and its weight.
"""

from __future__ import annotations

from dataclasses import dataclass

from ketenzicht.signals.pprl.encode import Encoded
from ketenzicht.signals.pprl.schema import Schema

DICE_AGREE = 0.8
MIN_WEIGHT = 4.0


@dataclass(frozen=True)
class FieldAgreement:
    """One encoded field of a pair: how similar, and the weight it adds when it agrees."""

    field: str
    similarity: float
    weight: float
    agreed: bool


@dataclass(frozen=True)
class EncodedLink:
    """A link between two encoded records, with why."""

    left: int
    right: int
    weight: float
    fields: tuple[FieldAgreement, ...]

    def explanation(self) -> str:
        """In words a professional can check (fields, similarity, weight)."""
        parts = [f"{f.field}: {'agrees' if f.agreed else 'differs'} "
                 f"(similarity {f.similarity:.2f}, weight {f.weight:+.1f})" for f in self.fields]
        return f"total weight {self.weight:.1f}; " + "; ".join(parts)


def dice_hex(a: str, b: str) -> float:
    """Dice coefficient of two hex-encoded Bloom filters."""
    x, y = int(a, 16), int(b, 16)
    total = x.bit_count() + y.bit_count()
    return 2 * (x & y).bit_count() / total if total else 0.0


def compare(a: Encoded, b: Encoded, schema: Schema) -> tuple[float, tuple[FieldAgreement, ...]]:
    """The weight and field agreements of two encodings; nothing when key versions differ."""
    if a.key_version != b.key_version or a.schema_version != b.schema_version:
        return 0.0, ()
    agreements = []
    total = 0.0
    for spec in schema.fields:
        left, right = a.fields.get(spec.name), b.fields.get(spec.name)
        if left is None or right is None:
            continue
        sim = (1.0 if left == right else 0.0) if spec.encoding == "hmac" \
            else dice_hex(left, right)
        agreed = sim >= (1.0 if spec.encoding == "hmac" else DICE_AGREE)
        if agreed:
            total += spec.weight
        agreements.append(FieldAgreement(spec.name, sim, spec.weight, agreed))
    return total, tuple(agreements)


def link(records: list[Encoded], schema: Schema, *,
         min_weight: float = MIN_WEIGHT) -> list[EncodedLink]:
    """All pairs whose agreeing fields weigh at least ``min_weight`` (exhaustive; small sets)."""
    out = []
    for i, a in enumerate(records):
        for j in range(i + 1, len(records)):
            weight, fields = compare(a, records[j], schema)
            if weight >= min_weight:
                out.append(EncodedLink(i, j, weight, fields))
    return out
