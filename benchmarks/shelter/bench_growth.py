"""Benchmark: how matching one request grows with the number of units (issue 25).

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/shelter/bench_growth.py`` (options:
``--units 1000 5000 20000 40000 --repeat 3``). Units and the request come from the seeded
generator of ``bench_matching.py``; the unit table is built once per size, outside the
timings (the batch and the web request build it once too).

Two timings per size, min and median of ``--repeat`` runs:

- ``match``: the call the request page and the API make (filters, scores, ranking, and
  whatever result objects that call builds);
- ``page``: ``match`` plus what the request page then reads: the sentences of the best 25
  eligible units, and why the rest are excluded. On code before issue 25 that is every
  excluded unit's sentences (the page listed them all); after it, the count per reason and
  the sentences of the best 25 excluded units.

The script runs on both shapes of ``match`` (a list of every result before, a ``Matches``
after), so the same file measures the code before and after the change.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_matching import NOW, generate

from ketenzicht.shelter.matching import Need, UnitTable, match

SHOWN = 25


def _times(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return min(out), statistics.median(out)


def _match(table: UnitTable, need: Need) -> Any:
    return match(table, need, now=NOW, stale_hours=24)


def _page(found: Any) -> int:
    """Read what the request page reads; returns how many sentences were built."""
    if isinstance(found, list):  # before issue 25: every unit's result, excluded listed all
        eligible = [m for m in found if m.eligible]
        shown = sum(len(m.reasons) for m in eligible[:SHOWN])
        excluded = [m for m in found if not m.eligible]
        return shown + sum(len(m.reasons) for m in excluded)
    shown = sum(len(m.reasons) for m in found.top(SHOWN))
    counts = found.excluded_counts()
    return shown + len(counts) + sum(len(m.reasons) for m in
                                     found.top(SHOWN, excluded=True))


def main() -> None:
    """Time ``match`` and the page's reading of it at each size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--units", type=int, nargs="+", default=[1000, 5000, 20000, 40000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {np.__version__}, load {os.getloadavg()}")
    print("| Units | Eligible | match min ms | match median ms | page min ms | "
          "page median ms |")
    for n in args.units:
        units, needs = generate(n, 1)
        table = UnitTable(units)
        need = needs[0]
        found = match(table, need, now=NOW, stale_hours=24)
        eligible = (sum(m.eligible for m in found) if isinstance(found, list)
                    else found.eligible_count)
        m_min, m_med = _times(lambda t=table, r=need: _match(t, r), args.repeat)
        p_min, p_med = _times(lambda t=table, r=need: _page(_match(t, r)), args.repeat)
        print(f"| {n:,} | {eligible:,} | {m_min:.1f} | {m_med:.1f} | {p_min:.1f} | "
              f"{p_med:.1f} |", flush=True)


if __name__ == "__main__":
    main()
