"""Networks as connected components, with oversized components split by edge filtering.

A component bigger than ``max_size`` ads is more likely glue (a stock phrase that slipped
past the boilerplate filter, a shared stock photo) than one advertiser. Such a component is
split again with its weakest evidence removed, step by step: first the looser text matches,
then all text, then image hashes, then handles. Phones and e-mails are kept to the end.
Edge filtering rather than Leiden: it needs no further dependency, it is deterministic, and
the reason a component was split can be said in one sentence.
"""

from __future__ import annotations

import itertools
from typing import Any, Final

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ketenzicht.online.analysis.linking.candidates import HANDLE, IMAGE, TEXT, Edges

MAX_SIZE: Final = 500
# (kind, minimum strength kept) per step; an edge of another kind is always kept.
SPLIT_STEPS: Final = ((TEXT, 0.9), (TEXT, 2.0), (IMAGE, 2.0), (HANDLE, 2.0))


def _labels(n: int, src: Any, dst: Any) -> Any:
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def components(n: int, edges: Edges, stats: dict[str, int],
               max_size: int = MAX_SIZE) -> list[list[int]]:
    """Groups of ad indexes; every ad is in exactly one group (singletons included)."""
    if n == 0:
        return []
    src, dst, kind, strength = edges.arrays()
    labels = _labels(n, src, dst)
    sizes = np.bincount(labels)
    big = np.flatnonzero(sizes > max_size)
    if len(big):
        next_label = int(labels.max()) + 1
        for label in big:
            members = np.flatnonzero(labels == label)
            local = np.full(n, -1, dtype=np.int64)
            local[members] = np.arange(len(members))
            inside = (local[src] >= 0) & (local[dst] >= 0)
            e_src, e_dst = local[src[inside]], local[dst[inside]]
            e_kind, e_strength = kind[inside], strength[inside]
            keep = np.ones(len(e_src), dtype=bool)
            sub = _labels(len(members), e_src, e_dst)
            for step_kind, threshold in SPLIT_STEPS:
                if np.bincount(sub).max() <= max_size:
                    break
                keep &= ~((e_kind == step_kind) & (e_strength < threshold))
                sub = _labels(len(members), e_src[keep], e_dst[keep])
                stats["split/steps"] = stats.get("split/steps", 0) + 1
            labels[members] = sub + next_label
            next_label += int(sub.max()) + 1
            stats["split/components"] = stats.get("split/components", 0) + 1
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1], True])
    return [order[a:b].tolist() for a, b in itertools.pairwise(bounds)]
