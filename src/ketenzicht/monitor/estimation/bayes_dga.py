"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

As R package ``dga`` (``bma.cr``): each decomposable graph on the lists gets a
hyper-Dirichlet prior with parameter ``delta`` per cell of the full table
(``delta * 2**(t - |C|)`` per cell of a clique margin ``C``), the number missed gets a
prior (default proportional to ``1/N``) and the graphs a uniform prior. The marginal
likelihood of a decomposable graph factorises over its cliques and separators, so the
joint posterior of (graph, number missed) is exact on a grid; no sampling is needed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln, logsumexp

from .data import CaptureTable, EstimationInputError
from .jobs import one_blas_thread

__all__ = ["MAX_LISTS", "DgaPosterior", "bma", "decomposable_graphs"]

MAX_LISTS = 6
_DENSE = 2000
_GRID_POINTS = 1500
_GRAPH_CHUNK = 1024
# The grid for the number missed stops at this multiple of the observed count.
_MAX_TOP = 1000


@dataclass(frozen=True, slots=True)
class Graph:
    """A decomposable graph: its edges, maximal cliques and non-empty separators (bit sets)."""

    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]
    separators: tuple[int, ...]


def _mcs_cliques(n: int, adj: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Cliques and separators by maximum cardinality search; None if not chordal."""
    numbered = 0
    order: list[int] = []
    cliques: list[int] = []
    separators: list[int] = []
    for _ in range(n):
        # Next: the unnumbered vertex with most numbered neighbours (lowest index on ties).
        best = max(
            (v for v in range(n) if not numbered >> v & 1),
            key=lambda v: (bin(adj[v] & numbered).count("1"), -v),
        )
        earlier = adj[best] & numbered
        for v in order:
            # In a chordal graph the earlier neighbours of each vertex form a clique.
            if earlier >> v & 1 and (earlier & ~(1 << v)) & ~adj[v]:
                return None
        candidate = earlier | 1 << best
        if cliques and earlier == cliques[-1]:
            cliques[-1] = candidate
        else:
            if cliques or earlier:
                separators.append(earlier)
            cliques.append(candidate)
        order.append(best)
        numbered |= 1 << best
    return tuple(cliques), tuple(s for s in separators if s)


@functools.cache
def decomposable_graphs(n_lists: int) -> tuple[Graph, ...]:
    """All decomposable (chordal) graphs on ``n_lists`` vertices."""
    pairs = [(i, j) for i in range(n_lists) for j in range(i + 1, n_lists)]
    out = []
    for mask in range(1 << len(pairs)):
        edges = tuple(p for k, p in enumerate(pairs) if mask >> k & 1)
        adj = [0] * n_lists
        for i, j in edges:
            adj[i] |= 1 << j
            adj[j] |= 1 << i
        found = _mcs_cliques(n_lists, adj)
        if found is not None:
            out.append(Graph(edges, *found))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class DgaPosterior:
    """Posterior over the number missed (on ``grid``) and over the graphs."""

    grid: NDArray[np.float64]
    mass: NDArray[np.float64]
    graph_prob: NDArray[np.float64]
    graphs: tuple[Graph, ...]
    observed: int
    delta: float
    weights: NDArray[np.float64] | None = None

    def quantile(self, q: float) -> float:
        """Posterior quantile of the population size, interpolated on the grid."""
        cdf = np.cumsum(self.mass)
        return float(self.observed + np.interp(q, cdf, self.grid))

    @property
    def mean(self) -> float:
        """Posterior mean of the population size."""
        return float(self.observed + (self.mass * self.grid).sum())


def _margin_terms(
    table: CaptureTable, delta: float, grid: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Log marginal-likelihood term of every subset of lists, constant and grid parts."""
    t = table.n_lists
    codes = np.arange(1 << t)
    const = np.zeros(1 << t)
    first = np.zeros((1 << t, grid.size))
    for subset in range(1, 1 << t):
        size = bin(subset).count("1")
        d = delta * 2.0 ** (t - size)
        margin = np.zeros(1 << t)
        np.add.at(margin, codes & subset, table.counts)
        cells = margin[[c for c in range(1 << t) if c & ~subset == 0]]
        # The all-absent cell of the margin holds the people missed by every list.
        first[subset] = gammaln(grid + cells[0] + d)
        const[subset] = gammaln(cells[1:] + d).sum() - cells.size * gammaln(d)
    return const, first


def bma(
    table: CaptureTable,
    *,
    delta: float | None = None,
    n_missing: NDArray[np.float64] | None = None,
    log_prior: NDArray[np.float64] | None = None,
    keep_weights: bool = False,
) -> DgaPosterior:
    """Average over all decomposable graphical models, as R ``dga::bma.cr``.

    Parameters
    ----------
    table
        Capture-history table with 3 to 6 lists.
    delta
        Hyper-Dirichlet parameter per cell; default ``2**-t`` (dga's suggestion).
    n_missing
        Grid of values for the number missed; default chosen so the posterior tail
        beyond it is negligible.
    log_prior
        Log prior of each grid value; default ``-log(N)``.
    keep_weights
        Keep the joint posterior (graphs by grid), as ``dga::bma.cr`` returns it.

    Returns
    -------
    DgaPosterior
        Posterior mass on the grid and posterior probability of every graph.
    """
    t = table.n_lists
    if not 3 <= t <= MAX_LISTS:
        raise EstimationInputError(f"BMA over decomposable graphs needs 3 to {MAX_LISTS} lists")
    delta = 2.0**-t if delta is None else delta
    n = table.observed
    if n_missing is not None:
        return _posterior(table, delta, np.asarray(n_missing, float), log_prior, keep_weights)
    top = max(10 * n, 1000)
    while True:
        grid = _grid(top)
        post = _posterior(table, delta, grid, None, keep_weights)
        # Stop once the top tenth of the grid carries almost no posterior mass.
        if post.mass[grid > 0.9 * top].sum() < 1e-6 or top >= _MAX_TOP * n:
            return post
        top = min(top * 4, _MAX_TOP * n)


def _grid(top: int) -> NDArray[np.float64]:
    """Every integer up to ``_DENSE``, then geometric steps: the tail is smooth."""
    dense = np.arange(0, min(top, _DENSE) + 1, dtype=float)
    if top <= _DENSE:
        return dense
    return np.unique(np.concatenate([dense, np.round(np.geomspace(_DENSE, top, _GRID_POINTS))]))


@functools.cache
def _factor_matrix(n_lists: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """+1 per clique and -1 per separator of every graph, and cliques minus separators."""
    graphs = decomposable_graphs(n_lists)
    sign = np.zeros((len(graphs), 1 << n_lists))
    n_factors = np.zeros(len(graphs))
    for g, graph in enumerate(graphs):
        np.add.at(sign[g], list(graph.cliques), 1.0)
        np.subtract.at(sign[g], list(graph.separators), 1.0)
        n_factors[g] = len(graph.cliques) - len(graph.separators)
    return sign, n_factors


def _posterior(
    table: CaptureTable,
    delta: float,
    grid: NDArray[np.float64],
    log_prior: NDArray[np.float64] | None,
    keep_weights: bool = False,
) -> DgaPosterior:
    t, n = table.n_lists, table.observed
    graphs = decomposable_graphs(t)
    sign, n_factors = _factor_matrix(t)
    const, first = _margin_terms(table, delta, grid)
    total = delta * 2.0**t
    denominator = gammaln(total) - gammaln(grid + n + total)
    multinomial = gammaln(grid + n + 1) - gammaln(table.counts[1:] + 1.0).sum() - gammaln(grid + 1)
    prior = -np.log(grid + n) if log_prior is None else np.asarray(log_prior, float)
    # Grid points further apart than 1 stand for the integers around them.
    width = np.gradient(grid) if grid.size > 1 else np.ones(1)
    common = multinomial + prior + np.log(np.maximum(width, 1.0))
    margins = const[:, None] + first
    by_n = []
    by_graph = []
    kept = []
    # Graph by graph blocks keep memory small for six lists (18,154 graphs).
    with one_blas_thread():
        for start in range(0, len(graphs), _GRAPH_CHUNK):
            stop = start + _GRAPH_CHUNK
            logw = sign[start:stop] @ margins + n_factors[start:stop, None] * denominator
            logw += common
            by_n.append(logsumexp(logw, axis=0))
            by_graph.append(logsumexp(logw, axis=1))
            if keep_weights:
                kept.append(logw)
    norm = logsumexp(np.concatenate(by_graph))
    mass = np.exp(logsumexp(np.vstack(by_n), axis=0) - norm)
    graph_prob = np.exp(np.concatenate(by_graph) - norm)
    weights = np.exp(np.vstack(kept) - norm) if keep_weights else None
    return DgaPosterior(grid, mass, graph_prob, graphs, n, delta, weights)


def graph_terms(graph: Graph, lists: Sequence[str]) -> tuple[str, ...]:
    """Cliques of two or more lists as R-style terms, e.g. ``"A:B:C"``."""
    out = []
    for clique in graph.cliques:
        members = [lists[j] for j in range(len(lists)) if clique >> j & 1]
        if len(members) >= 2:
            out.append(":".join(members))
    return tuple(out)


def describe(post: DgaPosterior, lists: Sequence[str], level: float) -> str:
    """Words a professional can check: priors, top graphs and their probabilities."""
    order = np.argsort(-post.graph_prob)
    tops = []
    for i in order[:3]:
        terms = ", ".join(graph_terms(post.graphs[i], lists)) or "independence"
        tops.append(f"[{terms}] {post.graph_prob[i]:.2f}")
    return (
        f"Bayesian model averaging over all {len(post.graphs)} decomposable graphical models "
        f"(Madigan & York 1997, as R dga): hyper-Dirichlet prior with delta = {post.delta:.4g} "
        "per cell, prior on the population proportional to 1/N, equal prior weight per graph. "
        f"Graphs with the highest posterior probability: {'; '.join(tops)}. The estimate is the "
        f"posterior median; the interval holds the central {100 * level:.0f}% of the posterior."
    )
