"""The linker on the labelled generator: deterministic corpus, networks found, ranked right.

The full-size figures (10k to 1M ads) are in docs/benchmarks.md; this keeps a small corpus
honest in CI with bounds below the benchmark targets, so a regression fails here first.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from ketenzicht.online.analysis.linking.engine import LinkResult
from ketenzicht.online.analysis.synthetic import corpus


def bcubed_f1(truth: dict[str, str], predicted: dict[str, str]) -> float:
    """B-cubed F1 (Bagga and Baldwin 1998) of a clustering against the truth."""
    by_truth: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for item in truth:
        by_truth[truth[item]].add(item)
        by_pred[predicted[item]].add(item)
    precision = recall = 0.0
    for item in truth:
        shared = len(by_truth[truth[item]] & by_pred[predicted[item]])
        precision += shared / len(by_pred[predicted[item]])
        recall += shared / len(by_truth[truth[item]])
    precision, recall = precision / len(truth), recall / len(truth)
    return 2 * precision * recall / (precision + recall)


def test_bcubed_matches_a_hand_computed_case() -> None:
    # truth {a,b,c} {d}; predicted {a,b} {c,d}: P = (1+1+.5+.5)/4, R = (2/3+2/3+1/3+1)/4
    truth = {"a": "x", "b": "x", "c": "x", "d": "y"}
    pred = {"a": "1", "b": "1", "c": "2", "d": "2"}
    p, r = 0.75, (2 / 3 + 2 / 3 + 1 / 3 + 1) / 4
    assert abs(bcubed_f1(truth, pred) - 2 * p * r / (p + r)) < 1e-12


def test_generator_is_seeded_and_plants_every_kind() -> None:
    first = corpus.generate(300, seed=5)
    assert [a.ad for a in first] == [a.ad for a in corpus.generate(300, seed=5)]
    assert [a.ad for a in first] != [a.ad for a in corpus.generate(300, seed=6)]
    kinds = Counter(a.kind for a in corpus.generate(2000, seed=5))
    assert set(kinds) == set(corpus.KINDS)
    assert len(first) == 300 and len({a.ad["id"] for a in first}) == 300


def test_generator_gives_every_advertiser_numbers_of_its_own(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Force collisions: a tiny number space makes the generator redraw, never share.
    draws = iter(["0612345678", "0612345678", "0612345679"] * 10)
    rng = random.Random(1)
    monkeypatch.setattr(rng, "choices", lambda *a, **k: list(next(draws)[3:]))
    monkeypatch.setattr(rng, "randint", lambda a, b: 1)
    taken: set[str] = set()
    first = corpus._phone(rng, "nl", taken)
    second = corpus._phone(rng, "nl", taken)
    assert first[0] != second[0] and taken == {first[0], second[0]}
    owners: dict[str, set[str]] = defaultdict(set)
    for a in corpus.generate(5000, seed=3):
        for phone in a.phones:
            owners[phone].add(a.entity)
    assert max(len(e) for e in owners.values()) == 1


def test_linking_recovers_the_planted_advertisers(labelled: list[corpus.LabelledAd],
                                                  labelled_result: LinkResult) -> None:
    truth = {str(a.ad["id"]): a.entity for a in labelled}
    predicted = {a.key: n.key for n in labelled_result.networks for a in n.ads}
    assert set(predicted) == set(truth)
    assert bcubed_f1(truth, predicted) >= 0.9


def test_networks_of_concern_rank_above_clubs_and_independents(
        labelled: list[corpus.LabelledAd], labelled_result: LinkResult) -> None:
    kind = {str(a.ad["id"]): a.kind for a in labelled}
    positives, negatives = [], []
    for network in labelled_result.networks:
        majority = Counter(kind[a.key] for a in network.ads).most_common(1)[0][0]
        (positives if majority in corpus.CONCERN else negatives).append(network.score)
    assert positives and negatives
    wins = sum((p > q) + 0.5 * (p == q) for p in positives for q in negatives)
    assert wins / (len(positives) * len(negatives)) >= 0.9  # ROC AUC
