"""Two-way log-linear models on the observable cells of a capture-history table.

A model is a set of pairs of lists (two-way interactions) on top of the intercept and
the main effects. A pair whose lists share no case has its interaction at minus
infinity: every cell holding both lists is dropped and the pair has no column
(Chan, Silverman & Vincent 2021, section 2.3).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .data import CaptureTable, history_bits

Pair = tuple[int, int]


@functools.cache
def pairs_of(n_lists: int) -> tuple[Pair, ...]:
    """All pairs of lists in R's order: (0,1), (0,2), ..., (1,2), ..."""
    return tuple((i, j) for i in range(n_lists) for j in range(i + 1, n_lists))


@functools.cache
def cell_bits(n_lists: int) -> NDArray[np.int64]:
    """0/1 memberships of the observable cells, codes ``1 .. 2**n_lists - 1``."""
    bits = history_bits(n_lists)[1:]
    bits.flags.writeable = False
    return bits


@functools.cache
def pair_cells(n_lists: int) -> NDArray[np.bool_]:
    """``[k, c]`` is true when observable cell ``c`` holds both lists of pair ``k``."""
    bits = cell_bits(n_lists)
    out = np.array([(bits[:, i] & bits[:, j]) == 1 for i, j in pairs_of(n_lists)], dtype=bool)
    out = out.reshape(len(pairs_of(n_lists)), bits.shape[0])
    out.flags.writeable = False
    return out


def overlaps(table: CaptureTable) -> NDArray[np.int64]:
    """Number of people on both lists of each pair, in :func:`pairs_of` order."""
    pc = pair_cells(table.n_lists)
    return np.asarray(pc.astype(np.int64) @ table.counts[1:], dtype=np.int64)


def term_name(lists: Sequence[str], pair: Pair) -> str:
    """R-style name of an interaction, ``"A:B"``."""
    return f"{lists[pair[0]]}:{lists[pair[1]]}"


def full_design(n_lists: int, pairs: Sequence[Pair]) -> NDArray[np.float64]:
    """Design on all observable cells: intercept, main effects, one column per pair."""
    bits = cell_bits(n_lists)
    columns = [np.ones(bits.shape[0]), *bits.T]
    columns += [bits[:, i] * bits[:, j] for i, j in pairs]
    return np.column_stack(columns).astype(float)


@dataclass(frozen=True, eq=False)
class ModelSpec:
    """A two-way model fitted to one table: the cells kept and the design on them."""

    lists: tuple[str, ...]
    pairs: tuple[Pair, ...]
    finite: tuple[Pair, ...]
    minus_inf: tuple[Pair, ...]
    keep: NDArray[np.bool_]
    design: NDArray[np.float64]
    y: NDArray[np.float64]

    @property
    def n_lists(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def n_params(self) -> int:
        """Parameters counted by AIC and BIC, including those at minus infinity."""
        return 1 + self.n_lists + len(self.pairs)

    @property
    def terms(self) -> tuple[str, ...]:
        """Names of all interactions in the model."""
        return tuple(term_name(self.lists, p) for p in self.pairs)

    @property
    def minus_inf_terms(self) -> tuple[str, ...]:
        """Names of the interactions fixed at minus infinity."""
        return tuple(term_name(self.lists, p) for p in self.minus_inf)


def model_spec(table: CaptureTable, pairs: Iterable[Pair]) -> ModelSpec:
    """Build the design for ``pairs`` on ``table``, moving empty overlaps to minus infinity."""
    n = table.n_lists
    index = {p: k for k, p in enumerate(pairs_of(n))}
    chosen = tuple(sorted({(min(p), max(p)) for p in pairs}, key=lambda p: index[p]))
    nstar = overlaps(table)
    finite = tuple(p for p in chosen if nstar[index[p]] > 0)
    minus_inf = tuple(p for p in chosen if nstar[index[p]] == 0)
    keep = np.ones(cell_bits(n).shape[0], dtype=bool)
    for p in minus_inf:
        keep &= ~pair_cells(n)[index[p]]
    design = full_design(n, finite)[keep]
    y = table.counts[1:][keep].astype(float)
    return ModelSpec(table.lists, chosen, finite, minus_inf, keep, design, y)
