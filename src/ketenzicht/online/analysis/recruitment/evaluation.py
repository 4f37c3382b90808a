"""Figures of the detector on a labelled corpus: overall, per sign, per hard-negative kind.

``precision_at_recall`` picks the highest threshold that still finds 80 % of the
recruitment posts and reports the precision there; every slice is then read at that one
threshold, so "per kind" says how many of that kind would land on an analyst's desk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import roc_auc_score

from ketenzicht.online.analysis.recruitment import generator
from ketenzicht.online.analysis.recruitment.detector import Detector

TARGET_RECALL = 0.8


def precision_at_recall(y: npt.NDArray[np.int_], s: npt.NDArray[np.float64],
                        recall: float = TARGET_RECALL) -> tuple[float, float]:
    """``(precision, threshold)`` at the highest threshold reaching ``recall``."""
    order = np.argsort(-s, kind="stable")
    hits = np.cumsum(y[order])
    need = recall * y.sum()
    k = int(np.searchsorted(hits, need))
    return float(hits[k] / (k + 1)), float(s[order][k])


def _auc(y: npt.NDArray[np.int_], s: npt.NDArray[np.float64]) -> float | None:
    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else None


def report(detector: Detector, posts: Sequence[generator.Post]) -> dict[str, Any]:
    """The evaluation report as a JSON-ready dict."""
    scored = detector.score_texts([p.id for p in posts], [p.text for p in posts])
    y = np.array([p.label for p in posts])
    s = np.array([x.score for x in scored])
    precision, threshold = precision_at_recall(y, s)
    negative = y == 0
    out: dict[str, Any] = {
        "caveat": "synthetic corpus from the project's own generator: an upper bound, "
                  "not an estimate for real posts",
        "posts": len(posts), "positives": int(y.sum()),
        "roc_auc": _auc(y, s), "precision_at_recall_0.8": precision,
        "threshold": threshold, "recall_at_0.5": float((s[y == 1] >= 0.5).mean()),
        "precision_at_0.5": float(y[s >= 0.5].mean()) if (s >= 0.5).any() else None,
        "per_sign": {}, "per_negative_kind": {}, "per_register": {},
    }
    for sign in generator.SIGNS:
        with_sign = np.array([p.label == 1 and sign in p.signs for p in posts])
        mask = with_sign | negative
        out["per_sign"][sign] = {
            "posts": int(with_sign.sum()), "roc_auc_vs_all_negatives": _auc(y[mask], s[mask]),
            "recall_at_threshold": float((s[with_sign] >= threshold).mean())
            if with_sign.any() else None}
    for kind in generator.NEGATIVE_KINDS:
        of_kind = np.array([p.kind == kind for p in posts])
        mask = of_kind | (y == 1)
        out["per_negative_kind"][kind] = {
            "posts": int(of_kind.sum()), "roc_auc_vs_all_positives": _auc(y[mask], s[mask]),
            "false_positive_rate_at_threshold": float((s[of_kind] >= threshold).mean())
            if of_kind.any() else None}
    for register in generator.REGISTERS:
        mask = np.array([p.register == register for p in posts])
        out["per_register"][register] = {"posts": int(mask.sum()),
                                         "roc_auc": _auc(y[mask], s[mask])}
    return out
