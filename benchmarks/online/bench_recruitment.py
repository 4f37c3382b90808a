"""Benchmark: ``ketenzicht online recruitment score`` as a user runs it, whole process.

Run from the repository root:

    .venv/bin/python benchmarks/online/bench_recruitment.py --n 20000 --repeat 3

It writes ``--n`` seeded synthetic posts (the generator, seed 99: not the training seed) to a
JSON-lines file, then runs the installed ``ketenzicht`` command in a fresh process on it,
``--repeat`` times, timing each whole process from start to exit (imports, settings,
reading, scoring, writing). With the shipped lexicon the shipped model is used; first the
command also runs once with an analyst's override file (one new term), so that process
trains the detector before scoring: the cost of a lexicon change on its first use.
Posts per second = posts / wall seconds; CPU seconds of the child are printed beside it,
with the 1-minute load average before and after, because the machine is shared. The target
is 2,000 posts/s whole process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
sys.path.insert(0, str(SRC))

from ketenzicht.online.analysis.recruitment import generator  # noqa: E402


def write_posts(path: Path, n: int, seed: int) -> None:
    """The input file: the score command's shape, no truth fields."""
    with path.open("w", encoding="utf-8") as fh:
        for p in generator.generate(seed, generator.Knobs(n=n)):
            fh.write(json.dumps({"id": p.id, "text": p.text, "platform": p.platform,
                                 "posted_at": p.posted_at}, ensure_ascii=False) + "\n")


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    """Parse the options, run, print one JSON object."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bin", default=str(Path(sys.executable).with_name("ketenzicht")))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kz-bench-recruitment-"))
    try:
        posts = work / "posts.jsonl"
        write_posts(posts, args.n, args.seed)
        env = dict(os.environ, PYTHONPATH=str(SRC), KZ_VAR_DIR=str(work / "var"))
        command = [args.bin, "online", "recruitment", "score", str(posts),
                   "-o", str(work / "out.jsonl")]
        override = work / "local.yaml"
        override.write_text('version: "bench"\nsources: {bench: "benchmark"}\nsigns:\n'
                            '  money_hook:\n    terms: [{pattern: "bench ?cash", source: bench}]\n',
                            encoding="utf-8")
        load_before = os.getloadavg()[0]
        cold = run_once(command, dict(env, KZ_ONLINE_RECRUITMENT_LEXICON=str(override)))
        warm = [run_once(command, env) for _ in range(args.repeat)]
        load_after = os.getloadavg()[0]
        lines = sum(1 for _ in (work / "out.jsonl").open(encoding="utf-8"))
        best = min(warm)
        print(json.dumps({
            "posts": args.n, "scored": lines,
            "trains_first_wall_s": round(cold[0], 2), "trains_first_cpu_s": round(cold[1], 2),
            "trains_first_posts_per_s": round(args.n / cold[0]),
            "shipped_wall_s": [round(w, 2) for w, _ in warm],
            "shipped_cpu_s": [round(c, 2) for _, c in warm],
            "shipped_best_posts_per_s": round(args.n / best[0]),
            "shipped_median_posts_per_s": round(
                args.n / sorted(w for w, _ in warm)[len(warm) // 2]),
            "shipped_posts_per_cpu_s": round(args.n / min(c for _, c in warm)),
            "load_1min": [round(load_before, 1), round(load_after, 1)],
        }, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
