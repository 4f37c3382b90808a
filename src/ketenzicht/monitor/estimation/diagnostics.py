"""Warnings about a table and removal of lists that carry no information."""

from __future__ import annotations

import numpy as np

from .data import CaptureTable, EstimationRefusedError
from .design import overlaps, pairs_of, term_name

__all__ = ["data_warnings", "drop_uninformative", "model_warnings"]

SMALL_LIST = 5
FEW_OVERLAPPING = 10


def drop_uninformative(table: CaptureTable) -> tuple[CaptureTable, tuple[str, ...]]:
    """Leave out lists with no case, and say so; refuse a list holding every case.

    A list with no case says nothing about who is missed and would leave even the
    main-effects model without a finite estimate. A list holding every observed case
    would need the same treatment, but dropping it would lose the people seen only on
    it, so the estimate is refused instead (R ``SparseMSE`` drops both only in its
    simulations, ``removenoninformativelists``).
    """
    totals = table.list_totals()
    full = [
        name for name, total in zip(table.lists, totals, strict=True) if total == table.observed
    ]
    if full:
        raise EstimationRefusedError(
            f"list {full[0]!r} holds every observed case, so the data show nothing about who "
            "it misses and no model has a finite estimate; estimate without it, or merge it"
        )
    drop = [j for j, total in enumerate(totals) if total == 0]
    if not drop:
        return table, ()
    notes = tuple(f"list {table.lists[j]!r} has no case and was left out" for j in drop)
    if table.n_lists - len(drop) < 2:
        raise EstimationRefusedError("fewer than 2 lists have a case: " + "; ".join(notes))
    return table.drop(drop), notes


def data_warnings(table: CaptureTable) -> list[str]:
    """Sparse cells, small lists and lists that never overlap, in words."""
    out: list[str] = []
    cells = table.counts[1:]
    empty = int((cells == 0).sum())
    if empty * 2 > cells.size:
        out.append(
            f"sparse table: {empty} of {cells.size} possible capture histories have no case; "
            "the estimate leans heavily on the model"
        )
    for name, total in zip(table.lists, table.list_totals(), strict=True):
        if 0 < total < SMALL_LIST:
            out.append(f"list {name!r} has only {total} case(s)")
    nstar = overlaps(table)
    pairs = pairs_of(table.n_lists)
    never = [term_name(table.lists, p) for p, n in zip(pairs, nstar, strict=True) if n == 0]
    if never:
        # What this means for the estimate depends on the model chosen: see model_warnings.
        out.append("lists never seen together: " + ", ".join(never))
    for j, name in enumerate(table.lists):
        touching = [n for p, n in zip(pairs, nstar, strict=True) if j in p]
        if touching and sum(touching) == 0:
            out.append(f"list {name!r} shares no case with any other list")
    multi = int(cells[np.asarray([bin(c).count("1") >= 2 for c in range(1, cells.size + 1)])].sum())
    if multi < FEW_OVERLAPPING:
        out.append(
            f"only {multi} people are on more than one list; overlap is what the estimate "
            "is built on"
        )
    return out


def model_warnings(table: CaptureTable, minus_inf_terms: tuple[str, ...]) -> list[str]:
    """What the chosen model does with the pairs of lists never seen together.

    Only an interaction the model contains is fitted at minus infinity (its cells are then
    dropped); a never-together pair without one is fitted like any other, dropping nothing.
    """
    nstar = overlaps(table)
    never = [term_name(table.lists, p) for p, n in zip(pairs_of(table.n_lists), nstar,
                                                       strict=True) if n == 0]
    out: list[str] = []
    dropped = [t for t in never if t in minus_inf_terms]
    kept = [t for t in never if t not in minus_inf_terms]
    if dropped:
        out.append("the chosen model fits " + ", ".join(dropped) + " at minus infinity "
                   "(the cells with both lists are dropped)")
    if kept:
        out.append("the chosen model has no interaction for " + ", ".join(kept)
                   + ", so no cells are dropped for them")
    return out
