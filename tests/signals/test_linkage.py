"""Linkage on normalised values and on Bloom encodings, measured on a synthetic set."""

from __future__ import annotations

import itertools

import pytest

from ketenzicht.signals import linkage, synthetic
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


def test_bloom_encodings_match_without_revealing_the_value() -> None:
    a = linkage.make_key(LinkKind.PERSON, "Ana Popescu", key=b"k", share=False)
    b = linkage.make_key(LinkKind.PERSON, "Anna Popescu", key=b"k", share=False)
    other = linkage.make_key(LinkKind.PERSON, "Ana Popescu", key=b"another key", share=False)
    assert a is not None and b is not None and other is not None
    assert a.norm is None
    assert linkage.compare(a, b) == (pytest.approx(linkage.dice(a.bloom, b.bloom)), "bloom")
    assert linkage.compare(a, other) is None  # a different key learns nothing


def _measure(kind: str, share: bool) -> tuple[float, float]:
    recs = synthetic.records(kind, 120, seed=11)
    keys = [(r.entity, linkage.make_key(LinkKind(kind), r.value, key=b"k", share=share))
            for r in recs]
    tp = fp = fn = 0
    for (ea, ka), (eb, kb) in itertools.combinations(keys, 2):
        hit = ka is not None and kb is not None and linkage.compare(ka, kb) is not None
        tp += hit and ea == eb
        fp += hit and ea != eb
        fn += (not hit) and ea == eb
    return tp / (tp + fp), tp / (tp + fn)


# Measured on synthetic registrations with typos, name-order swaps, Cyrillic spellings,
# other legal forms and phone notations (signals.synthetic). Precision matters most: a
# false link points someone at another person's signal.
@pytest.mark.parametrize(("kind", "share", "min_precision", "min_recall"), [
    ("person", True, 0.95, 0.80),
    ("person", False, 0.95, 0.80),
    ("employer", True, 0.97, 0.85),
    ("employer", False, 0.97, 0.80),
    ("address", True, 0.99, 0.95),
    ("address", False, 0.99, 0.95),
    ("phone", True, 1.0, 1.0),
    ("vehicle", False, 1.0, 1.0),
])
def test_precision_and_recall_on_the_synthetic_set(kind: str, share: bool,
                                                   min_precision: float,
                                                   min_recall: float) -> None:
    precision, recall = _measure(kind, share)
    assert precision >= min_precision, precision
    assert recall >= min_recall, recall
