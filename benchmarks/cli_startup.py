"""Benchmark: whole-process wall-clock time of the ``ketenzicht`` command, as a user runs it.

Run from the repository root (the checkout's ``src`` goes first on the path, so the code of
this checkout is what is timed, whichever copy the virtualenv has installed; ``--src`` times
another checkout's, for a "before" row):

    .venv/bin/python benchmarks/cli_startup.py --repeat 5

Each command runs ``--repeat`` times in a fresh process; the minimum and the median are
printed with the 1-minute load average read just before the first and after the last run
(the machine may be shared: the load says how much other work stretched the figures). The
estimation rows use the MSE tables of ../shared/data/mse (the same files as
benchmarks/mse.py); R's figures beside them are the ones recorded by that script in
docs/benchmarks.md, which time the model search inside a running R (``proc.time``), i.e.
without R's own start-up. ``online extract`` reads a small file of synthetic ads written
here first, so the row is start-up plus a little work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MSE_DATA = ROOT.parent / "shared" / "data" / "mse"
FALLBACK_MSE_DATA = Path("/work/shared/data/mse")

# R SparseMSE 2.0.1, model search only, as recorded in docs/benchmarks.md ("Monitor").
R_RECORDED = {
    "UKdat stepwise": "3.156 s wall, 0.363 s CPU",
    "UKdat_5 aic": "36.473 s wall, 8.274 s CPU",
    "UKdat aic": "1061.506 s wall, 376.348 s CPU",
}


@dataclass(frozen=True)
class Row:
    """One command, its figures and the load around them."""

    label: str
    argv: list[str]
    runs: list[float]
    cpu: list[float]
    load_before: float
    load_after: float
    code: int

    def cells(self) -> str:
        """The Markdown cells of this row."""
        return (f"`{self.label}` | {min(self.runs):.2f} | {statistics.median(self.runs):.2f} | "
                f"{min(self.cpu):.2f} | {self.load_before:.1f} → {self.load_after:.1f} | "
                f"{R_RECORDED.get(self.key, '—')}")

    @property
    def key(self) -> str:
        """The R figure this row compares with, if any."""
        if "estimate" not in self.argv:
            return ""
        name = Path(self.argv[-1]).stem
        method = self.argv[self.argv.index("--method") + 1] if "--method" in self.argv else ""
        return f"{name} {method}"


def ketenzicht() -> list[str]:
    """The console script beside this interpreter, else ``python -c`` on the entry point."""
    script = Path(sys.executable).with_name("ketenzicht")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from ketenzicht.cli import main; main()"]


def load() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]


def time_command(label: str, argv: list[str], repeat: int, env: dict[str, str]) -> Row:
    """Run ``argv`` ``repeat`` times: each run's wall-clock and CPU seconds, the last exit code.

    CPU time (user + system of the child) is stretched far less than wall-clock time by
    other work on a shared machine, so it compares two versions of the code better.
    """
    runs, cpu, code = [], [], 0
    before = load()
    for _ in range(repeat):
        used = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False)
        runs.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - used)
        code = done.returncode
    return Row(label, argv, runs, cpu, before, load(), code)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_ads(path: Path, n: int) -> None:
    """A JSON-lines file of ``n`` synthetic ads (the seeded generator of the online tests)."""
    from ketenzicht.online.analysis.synthetic import ads as generator

    with path.open("w", encoding="utf-8") as out:
        for syn in generator.generate(n, seed=7):
            out.write(json.dumps(syn.ad, ensure_ascii=False) + "\n")


def main() -> None:
    """Time the commands and print a Markdown table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command")
    parser.add_argument("--ads", type=int, default=200, help="ads in the extract input")
    parser.add_argument("--data", type=Path, default=None, help="folder of the MSE tables")
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the source tree to time (e.g. another checkout's, for 'before')")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    data = args.data or (MSE_DATA if MSE_DATA.is_dir() else FALLBACK_MSE_DATA)
    env = {**os.environ, "PYTHONPATH": str(args.src.resolve())}
    cli = ketenzicht()
    with tempfile.TemporaryDirectory() as tmp:
        ads = Path(tmp) / "ads.jsonl"
        write_ads(ads, args.ads)
        zero = Path(tmp) / "zero.csv"
        zero.write_text("A,B,C,count\n1,0,0,0\n0,1,0,0\n0,0,1,0\n", encoding="utf-8")
        env["KZ_VAR_DIR"] = tmp
        commands = [
            ("ketenzicht --help", [*cli, "--help"]),
            ("ketenzicht estimate --help", [*cli, "estimate", "--help"]),
            ("ketenzicht estimate --method stepwise UKdat.csv",
             [*cli, "estimate", "--method", "stepwise", str(data / "UKdat.csv")]),
            ("ketenzicht estimate --method aic UKdat.csv",
             [*cli, "estimate", "--method", "aic", str(data / "UKdat.csv")]),
            # Start-up alone: every import `estimate` makes and the table read, then refused
            # (all counts 0), so no model is fitted.
            ("ketenzicht estimate --method aic zero.csv (start-up only)",
             [*cli, "estimate", "--method", "aic", str(zero)]),
            ("ketenzicht estimate --method aic UKdat_5.csv",
             [*cli, "estimate", "--method", "aic", str(data / "UKdat_5.csv")]),
            (f"ketenzicht online extract ads.jsonl ({args.ads} ads)",
             [*cli, "online", "extract", str(ads), "-o", str(Path(tmp) / "out.jsonl")]),
            ("ketenzicht online link --help", [*cli, "online", "link", "--help"]),
        ]
        rows = [time_command(label, argv, args.repeat, env) for label, argv in commands]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {args.repeat} runs per command; source {args.src}.\n")
    print("| command | wall min (s) | wall median (s) | CPU min (s) | load average (1 min) "
          "| R SparseMSE, recorded |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row.cells()} |")
        if row.code != 0:
            print(f"warning: {row.label} exited {row.code}", file=sys.stderr)


if __name__ == "__main__":
    main()
