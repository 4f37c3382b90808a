"""Normalisation and Bloom encodings of identifying values, on a synthetic set."""

from __future__ import annotations

import itertools

import pytest

from ketenzicht.signals import linkage, matching, synthetic
from ketenzicht.signals.enums import LinkKind


@pytest.mark.parametrize(("kind", "a", "b"), [
    (LinkKind.PERSON, "Ana Popescu", "POPESCU ana"),
    (LinkKind.PERSON, "Олена Коваленко", "Olena Kovalenko"),
    (LinkKind.PERSON, "Agnieszka Wiśniewski", "agnieszka wisniewski"),
    (LinkKind.EMPLOYER, "Kas Vers B.V.", "kas vers"),
    (LinkKind.PHONE, "06-12345678", "+31 6 1234 5678"),
    (LinkKind.PHONE, "0031612345678", "0612345678"),
    (LinkKind.VEHICLE, "ab-123-c", "AB123C"),
    (LinkKind.ADDRESS, "Kerkstraat 12, 1234 AB Demostad", "kerkstr. 12 1234ab demostad"),
])
def test_normalisation_makes_variants_equal(kind: LinkKind, a: str, b: str) -> None:
    assert linkage.normalise(kind, a) == linkage.normalise(kind, b)


@pytest.mark.parametrize(("kind", "value"), [
    (LinkKind.PHONE, "not a number"), (LinkKind.VEHICLE, "---"), (LinkKind.PERSON, "  !! ")])
def test_values_with_nothing_comparable_are_not_encoded(kind: LinkKind, value: str) -> None:
    assert linkage.make_key(kind, value, key=b"k", share=True) is None


def test_bloom_encodings_match_without_revealing_the_value() -> None:
    a = linkage.make_key(LinkKind.PERSON, "Ana Popescu", key=b"k", share=False)
    b = linkage.make_key(LinkKind.PERSON, "Anna Popescu", key=b"k", share=False)
    other = linkage.make_key(LinkKind.PERSON, "Ana Popescu", key=b"another key", share=False)
    assert a is not None and b is not None and other is not None
    assert a.norm is None
    assert linkage.dice(a.bloom, b.bloom) >= 0.8
    assert linkage.dice(a.bloom, other.bloom) < 0.5  # a different key learns nothing
    assert linkage.from_hex(linkage.to_hex(a.bloom)) == a.bloom


def _pairs(kind: str) -> tuple[list[float], list[float]]:
    """Dice coefficients of pairs of the same entity and of different entities."""
    recs = synthetic.records(kind, 120, seed=11)
    keys = [(r.entity, linkage.make_key(LinkKind(kind), r.value, key=b"k", share=False))
            for r in recs]
    same, different = [], []
    for (ea, ka), (eb, kb) in itertools.combinations(keys, 2):
        assert ka is not None and kb is not None
        (same if ea == eb else different).append(linkage.dice(ka.bloom, kb.bloom))
    return same, different


# The encoding must keep registrations of one entity (typos, name order, Cyrillic, legal
# forms, notations) within reach of the linkage model's lowest similarity level, so that the
# candidate filter in ``links`` loses (almost) none of them.
@pytest.mark.parametrize(("kind", "min_reach"), [
    ("person", 0.95), ("employer", 0.95), ("address", 0.99)])
def test_encodings_of_one_entity_stay_similar(kind: str, min_reach: float) -> None:
    same, different = _pairs(kind)
    lowest = matching.VALUE_LEVELS[-1][1]
    assert sum(d >= lowest for d in same) / len(same) >= min_reach
    assert sum(d >= 0.9 for d in different) / len(different) < 0.01


@pytest.mark.parametrize("kind", ["phone", "vehicle"])
def test_exact_kinds_encode_equal_values_equally(kind: str) -> None:
    same, different = _pairs(kind)
    assert all(d == 1.0 for d in same)
    assert not any(d == 1.0 for d in different)
