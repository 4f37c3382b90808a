"""Time the heavy computations against the R timings in ../shared/data/mse/README.md.

R is not installed here; its timings (same 2-core machine) are quoted from the data
README. Each of ours is the best of ``--repeat`` runs, so that other load on the
machine counts as little as possible.

    .venv/bin/python benchmarks/mse_speed.py --update docs/estimation.md
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import time
from collections.abc import Callable
from pathlib import Path

from ketenzicht.monitor.estimation import estimate, read_capture_table
from ketenzicht.monitor.estimation.exhaustive import exhaustive
from ketenzicht.monitor.estimation.jobs import default_jobs

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mse"
START, END = "<!-- mse_speed:start -->", "<!-- mse_speed:end -->"


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def best_of(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    """Best wall-clock time and the CPU time of that run."""
    runs = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_seconds()
        work()
        runs.append((time.perf_counter() - start, cpu_seconds() - cpu))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--update", type=Path, help="Markdown file with mse_speed markers")
    args = parser.parse_args()
    rows = []
    for name, r_seconds in (("UKdat", 375.0), ("NewOrl", 828.0), ("Western", 35.0)):
        table = read_capture_table(DATA / f"{name}.csv")

        def boot(table=table) -> object:  # type: ignore[no-untyped-def]
            return estimate(
                table,
                ci="bootstrap",
                scheme="multinomial",
                boot_interval="bca",
                n_boot=1000,
                seed=1234,
            )

        ours = best_of(args.repeat, boot)
        rows.append(
            (name, "stepwise, 1,000-replicate bootstrap with jackknife (BCa)", r_seconds, ours)
        )
    uk = read_capture_table(DATA / "UKdat.csv")
    for criterion in ("aic", "bic"):
        ours = best_of(args.repeat, lambda c=criterion: exhaustive(uk, c))  # type: ignore[misc]
        rows.append(
            ("UKdat", f"{criterion.upper()} over all 32,768 two-way models (1 process)", 72.0, ours)
        )
    lines = [
        "| data set | task | R (s) | ours, wall (s) | ours, CPU (s) | speed-up (wall) |",
        "|---|---|---|---|---|---|",
    ]
    for name, task, r_s, (wall, cpu) in rows:
        lines.append(
            f"| {name} | {task} | {r_s:.0f} | {wall:.1f} | {cpu:.1f} | {r_s / wall:.0f}x |"
        )
    load = os.getloadavg()[0]
    text = "\n".join(lines) + (
        f"\n\nOurs: best of {args.repeat} runs on {default_jobs()} cores; load average "
        f"{load:.1f} when finished (other work on the machine slows the wall-clock times)."
    )
    print(text)
    if args.update:
        doc = args.update.read_text()
        block = f"{START}\n{text}\n{END}"
        args.update.write_text(re.sub(f"{START}.*?{END}", lambda _: block, doc, flags=re.S))


if __name__ == "__main__":
    main()
