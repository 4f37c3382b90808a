"""Time R SparseMSE and ``ketenzicht.monitor.estimation`` side by side, in one run.

Three analyses on the reference tables of tests/data/mse:

* stepwise selection (Chan, Silverman & Vincent 2021, p-threshold 0.02);
* a 1,000-replicate multinomial bootstrap with the jackknife for BCa
  (SparseMSE ``estimatepopulation``);
* an exhaustive AIC search over every two-way model. SparseMSE has no such function, so
  the R side loops over all models with ``modelfit(check=TRUE)`` (existence and
  identifiability checked, +2 AIC per pair never seen together) and keeps the smallest AIC.

Every point estimate must agree to 1e-6 relative; the run stops with an error otherwise.

R comes from Debian (``apt-get install r-base-core r-cran-lpsolve``); SparseMSE and
Rcapture are installed by hand from their CRAN sources into a library outside the
repository, named in ``KZ_BENCH_R_LIBS``. Without R or that library the R columns are
skipped with a message::

    KZ_BENCH_R_LIBS=/tmp/rlib .venv/bin/python benchmarks/mse.py \\
        --update docs/estimation.md --update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ketenzicht.monitor.estimation import estimate, read_capture_table
from ketenzicht.monitor.estimation.exhaustive import exhaustive
from ketenzicht.monitor.estimation.jobs import default_jobs
from ketenzicht.monitor.estimation.selection import stepwise

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "mse"
START, END = "<!-- mse:start -->", "<!-- mse:end -->"
TOLERANCE = 1e-6

# One R process per task; it prints "<seconds> <estimate>". The data frame is read the way
# SparseMSE's own data sets are shaped: 0/1 columns, then the count.
R_SCRIPT = r"""
suppressMessages(library(SparseMSE))
args <- commandArgs(trailingOnly = TRUE)
task <- args[1]; z <- read.csv(args[2]); reps <- as.integer(args[3])
m <- ncol(z) - 1
quiet <- function(expr) { capture.output(v <- suppressWarnings(expr)); v }
# Wall-clock and CPU seconds of one run; the best run is kept.
best <- c(Inf, Inf); est <- NA
took <- function(t0) {
  d <- proc.time() - t0; c(d[["elapsed"]], d[["user.self"]] + d[["sys.self"]])
}
if (task == "stepwise") {
  for (i in seq_len(reps)) {
    t0 <- proc.time()
    est <- quiet(estimatepopulation.0(z, method = "stepwise", quantiles = NULL))$estimate[[1]]
    t <- took(t0); if (t[1] < best[1]) best <- t
  }
} else if (task == "bootstrap") {
  t0 <- proc.time()
  est <- quiet(estimatepopulation(z, nboot = 1000, pthresh = 0.02, iseed = 1234))$popest[[1]]
  best <- took(t0)
} else if (task == "aic") {
  pairs <- t(combn(m, 2)); np <- nrow(pairs); aic <- Inf
  t0 <- proc.time()
  for (mask in 0:(2^np - 1)) {
    sel <- which(bitwAnd(mask, 2^(0:(np - 1))) > 0)
    mX <- if (length(sel) == 0) NULL else t(pairs[sel, , drop = FALSE])
    r <- tryCatch(quiet(modelfit(z, mX, check = TRUE)), error = function(e) NULL)
    if (is.list(r) && r$fit$aic < aic) {
      aic <- r$fit$aic; est <- sum(z[, m + 1]) + exp(r$fit$coefficients[[1]])
    }
  }
  best <- took(t0)
}
cat(sprintf("%.3f %.3f %.10f\n", best[1], best[2], est))
"""


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds (and CPU seconds, ours only) and the point estimate."""

    wall: float
    estimate: float
    cpu: float | None = None


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def ours(repeat: int, work: Callable[[], float]) -> Timing:
    """Best wall-clock time of ``repeat`` runs, with that run's CPU time and estimate."""
    runs = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_seconds()
        value = work()
        runs.append(Timing(time.perf_counter() - start, value, cpu_seconds() - cpu))
    return min(runs, key=lambda t: t.wall)


def r_available() -> tuple[str | None, str]:
    """The R library path to use, or None with the reason R is skipped."""
    lib = os.environ.get("KZ_BENCH_R_LIBS")
    if shutil.which("Rscript") is None:
        return None, "Rscript is not on PATH (apt-get install r-base-core r-cran-lpsolve)"
    if not lib or not (Path(lib) / "SparseMSE").is_dir():
        return None, "KZ_BENCH_R_LIBS does not name an R library holding SparseMSE"
    return lib, ""


def run_r(lib: str, task: str, name: str, reps: int) -> Timing:
    """Time one task in a fresh R process."""
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as script:
        script.write(R_SCRIPT)
    try:
        out = subprocess.run(
            ["Rscript", "--vanilla", script.name, task, str(DATA / f"{name}.csv"), str(reps)],
            env={**os.environ, "R_LIBS": lib}, capture_output=True, text=True, check=True,
        ).stdout.split()
    finally:
        os.unlink(script.name)
    return Timing(float(out[-3]), float(out[-1]), float(out[-2]))


def our_task(task: str, name: str) -> Callable[[], float]:
    """The same analysis in our library, returning the point estimate."""
    table = read_capture_table(DATA / f"{name}.csv")
    if task == "stepwise":
        return lambda: stepwise(table, 0.02).fit.estimate
    if task == "aic":
        return lambda: exhaustive(table, "aic", n_jobs=1).fit.estimate
    return lambda: estimate(
        table, ci="bootstrap", scheme="multinomial", boot_interval="bca", n_boot=1000, seed=1234
    ).estimate


def _cells(theirs: Timing | None, mine: Timing) -> str:
    """R wall, R CPU, ours wall, ours CPU, and the two speed-ups."""
    cpu = mine.cpu or 0.0
    if theirs is None:
        return f"— | — | {mine.wall:.3f} | {cpu:.3f} | — | —"
    r_cpu = theirs.cpu or 0.0
    cpu_speed = f"{r_cpu / cpu:.0f}x" if cpu > 0 else "—"
    return (f"{theirs.wall:.3f} | {r_cpu:.3f} | {mine.wall:.3f} | {cpu:.3f} | "
            f"{theirs.wall / mine.wall:.0f}x | {cpu_speed}")


TASKS = {
    "stepwise": "stepwise selection",
    "bootstrap": "stepwise + 1,000-replicate bootstrap + jackknife (BCa)",
    "aic": "exhaustive AIC over all two-way models (1 process)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours (best kept)")
    parser.add_argument("--stepwise", nargs="*", default=["UKdat", "NewOrl", "Western"])
    parser.add_argument("--bootstrap", nargs="*", default=["Western", "NewOrl_5"])
    parser.add_argument("--aic", nargs="*", default=["Western", "UKdat_5", "UKdat"])
    parser.add_argument("--update", type=Path, action="append", default=[],
                        help="Markdown file with mse:start/end markers (repeatable)")
    args = parser.parse_args()
    lib, why = r_available()
    if lib is None:
        print(f"R skipped: {why}", file=sys.stderr)
    lines = [
        "| data set | task | SparseMSE wall (s) | SparseMSE CPU (s) | ours wall (s) "
        "| ours CPU (s) | speed-up wall | speed-up CPU | estimate (both) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for task, label in TASKS.items():
        for name in getattr(args, task):
            mine = ours(args.repeat, our_task(task, name))
            theirs = run_r(lib, task, name, args.repeat) if lib else None
            if theirs and abs(theirs.estimate - mine.estimate) > TOLERANCE * mine.estimate:
                sys.exit(f"{name} {task}: estimates differ, R {theirs.estimate} "
                         f"ours {mine.estimate}")
            lines.append(f"| {name} | {label} | {_cells(theirs, mine)} | {mine.estimate:.2f} |")
            print(lines[-1], flush=True)
    r_version = "R not run"
    if lib:
        found = subprocess.run(["R", "--version"], capture_output=True, text=True).stdout
        r_version = found.splitlines()[0] if found else "R"
    text = "\n".join(lines) + (
        f"\n\nMachine: {platform.machine()}, {os.cpu_count()} cores "
        f"(ours uses {default_jobs()} processes for the bootstrap, 1 for the AIC search; R "
        f"is single-threaded), Python {platform.python_version()}, {r_version}, SparseMSE "
        f"from its CRAN source. Ours: best of {args.repeat} runs; R: best of {args.repeat} "
        f"for stepwise, one run otherwise. CPU counts our worker processes too. Load "
        f"average {os.getloadavg()[0]:.1f} when finished: other work on the shared machine "
        "stretches wall-clock times, so the CPU columns compare the code better."
    )
    print(text)
    block = f"{START}\n{text}\n{END}"
    for path in args.update:
        doc = path.read_text()
        if START not in doc:
            sys.exit(f"{path} has no {START} marker")
        path.write_text(re.sub(f"{START}.*?{END}", lambda _m: block, doc, flags=re.S))


if __name__ == "__main__":
    main()
