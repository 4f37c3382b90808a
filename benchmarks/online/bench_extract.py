"""Benchmark: throughput of online extraction, and phone recall/precision per obfuscation style.

Run from the repository root:

    .venv/bin/python benchmarks/online/bench_extract.py --n 5000 --seed 7

Throughput is measured in one process on one core (the target is 2,000 ads/s per core on
typical 500-character ads) after a warm-up that builds the lazily loaded parts (lingua, the
gazetteer), as CPU time of the process, so that other work on a shared machine does not
count; wall-clock figures are printed beside it.  The CLI runs ads in batches
(``Pipeline.run_batch``); ad-by-ad figures are shown for comparison.  Quality is measured on
the seeded synthetic corpus (ketenzicht.online.analysis.synthetic.ads) and on the 53 hand-labelled
real ads of the DIG ground truth (tests/data/online).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

import dig  # noqa: E402

from ketenzicht.online.analysis.extraction.intake import parse_line  # noqa: E402
from ketenzicht.online.analysis.extraction.types import Ad  # noqa: E402
from ketenzicht.online.analysis.pipeline import Pipeline  # noqa: E402
from ketenzicht.online.analysis.synthetic import ads as generator  # noqa: E402

Figures = dict[str, dict[str, float]]


def to_ad(record: dict[str, object]) -> Ad:
    """Build an Ad through the same intake as the CLI."""
    ad = parse_line(json.dumps(record).encode())
    assert ad is not None
    return ad


def quality(corpus: list[generator.SyntheticAd], results: list[dict[str, Any]]) -> Figures:
    """Recall, precision and style-label accuracy, overall and per planted style.

    Precision per style counts every number found in the ads that carry that style, so a
    false positive is charged to the styles of the ad it occurred in.
    """
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for syn, res in zip(corpus, results, strict=True):
        found = set(res["phones"])
        styles = {o["phone"]: set(o["styles"]) for o in res["phone_obfuscation"]}
        for key in ({p.style for p in syn.planted} or {"(no phone)"}) | {"all"}:
            per[key]["found"] += len(found)
            per[key]["fp"] += len(found - syn.phones)
        for p in syn.planted:
            expected = set().union(*(generator.EXPECTED[c] for c in p.components))
            hit = p.e164 in found
            for key in (p.style, "all"):
                per[key]["planted"] += 1
                per[key]["tp"] += hit
                per[key]["label_ok"] += hit and expected <= styles.get(p.e164, set())
    out: Figures = {}
    for key, c in per.items():
        out[key] = {
            "planted": c["planted"],
            "found": c["found"],
            "fp": c["fp"],
            "recall": c["tp"] / c["planted"] if c["planted"] else float("nan"),
            "precision": (c["found"] - c["fp"]) / c["found"] if c["found"] else float("nan"),
            "style_label": c["label_ok"] / c["tp"] if c["tp"] else float("nan"),
        }
    return out


def throughput(pipeline: Pipeline, ads: list[Ad], repeat: int, batched: bool) -> list[float]:
    """Ads per CPU-second (and per wall-second) over ``repeat`` full passes."""
    rates = []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        if batched:
            for _result in pipeline.run_many(ads):
                pass
        else:
            for ad in ads:
                pipeline.run(ad)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rates.append((len(ads) / cpu, len(ads) / wall))
    return [r[0] for r in rates] + [max(r[1] for r in rates)]


def print_quality(figures: Figures) -> None:
    """The per-style table."""
    print(f"{'style':<20}{'planted':>8}{'recall':>9}{'precision':>11}{'style ok':>10}{'fp':>5}")
    for key in ("all", *generator.STYLES, "(no phone)"):
        if key in figures:
            f = figures[key]
            print(
                f"{key:<20}{f['planted']:>8.0f}{f['recall']:>9.4f}{f['precision']:>11.4f}"
                f"{f['style_label']:>10.4f}{f['fp']:>5.0f}"
            )


def run_dig(pipeline: Pipeline) -> dict[str, float] | None:
    """Recall and precision on the DIG ground truth, with the ads that differ."""
    if not dig.DIG_FILE.exists():
        print(f"\nDIG ground truth not found at {dig.DIG_FILE}; skipped")
        return None
    rows = dig.load()
    found = [set(pipeline.run(to_ad(r.ad)).to_json()["phones"]) for r in rows]
    tp, fp, fn = dig.score(found, [r.expected for r in rows])
    print(
        f"\nDIG ground truth ({len(rows)} real ads): recall {tp / (tp + fn):.4f}, "
        f"precision {tp / (tp + fp):.4f} (tp {tp}, fp {fp}, fn {fn})"
    )
    for r, f in zip(rows, found, strict=True):
        if f != r.expected:
            print(
                f"  {r.ad['id']} ({r.ad['region']}): expected {sorted(r.expected)}, "
                f"found {sorted(f)}"
            )
    return {"tp": tp, "fp": fp, "fn": fn, "recall": tp / (tp + fn), "precision": tp / (tp + fp)}


def cli_throughput(n: int, seed: int, workers: list[int], repeat: int) -> dict[str, Any]:
    """Whole-process ads/s of ``ketenzicht online extract`` as a user runs it (issue 16).

    The corpus is the independently built market family (median ad about 180 characters,
    ``synthetic.market``); each run is a fresh process, so start-up, imports, reading and
    writing count. Wall time is what a user waits; CPU time is of the process and its workers.
    """
    from ketenzicht.online.analysis.synthetic import market

    exe = shutil.which("ketenzicht") or str(Path(sys.executable).with_name("ketenzicht"))
    out: dict[str, Any] = {"ads": n, "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "ads.jsonl", Path(tmp) / "out.jsonl"
        with source.open("w", encoding="utf-8") as f:
            for item in market.generate(n, seed=seed):
                f.write(json.dumps(item.ad, ensure_ascii=False) + "\n")
        outputs: dict[int, bytes] = {}
        for w in workers:
            walls, cpus = [], []
            for _ in range(repeat):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run([exe, "online", "extract", str(source), "-o", str(target),
                                "--workers", str(w)], check=True, stderr=subprocess.DEVNULL)
                walls.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            outputs[w] = target.read_bytes()
            best = min(walls)
            out["runs"][w] = {"best_wall_s": best, "ads_per_s": n / best,
                              "median_ads_per_s": n / statistics.median(walls),
                              "cpu_s": statistics.median(cpus)}
            print(f"online extract, {n:,} ads, --workers {w}: best {n / best:,.0f} ads/s "
                  f"(wall {best:.2f} s; median {n / statistics.median(walls):,.0f} ads/s; "
                  f"CPU {statistics.median(cpus):.2f} s)")
        same = len(set(outputs.values())) == 1
        out["identical_output"] = same
        print(f"output identical across worker counts: {same}")
    return out


def main() -> None:
    """Generate, extract, score, print."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="synthetic ads to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes")
    parser.add_argument("--show-misses", type=int, default=0, help="print this many misses")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--cli", action="store_true",
                        help="only time the whole `online extract` process, as a user runs it")
    parser.add_argument("--workers", default="1,2", help="worker counts for --cli")
    args = parser.parse_args()
    if args.cli:
        figures_cli = cli_throughput(args.n, args.seed,
                                     [int(w) for w in args.workers.split(",")], args.repeat)
        if args.json:
            args.json.write_text(json.dumps(figures_cli, indent=2))
        return

    corpus = generator.generate(args.n, args.seed)
    ads = [to_ad(s.ad) for s in corpus]
    pipeline = Pipeline()
    start = time.perf_counter()
    pipeline.run(ads[0])
    cold = time.perf_counter() - start
    for _result in pipeline.run_many(ads[:300]):
        pass
    *batched, batched_wall = throughput(pipeline, ads, args.repeat, batched=True)
    *single, _ = throughput(pipeline, ads, 1, batched=False)
    *phones_only, _ = throughput(Pipeline(("phones",)), ads, 1, batched=True)
    results = [r.to_json() for r in pipeline.run_many(ads)]
    figures = quality(corpus, results)

    print(
        f"synthetic corpus: {args.n} ads, seed {args.seed}, "
        f"mean {statistics.mean(len(a.body) for a in ads):.0f} characters"
    )
    print(f"first ad (cold start: builds lingua and the gazetteer): {cold * 1000:.0f} ms")
    print(
        f"throughput, all stages, batched: best {max(batched):,.0f} ads per CPU-second "
        f"(median {statistics.median(batched):,.0f}; best wall-clock {batched_wall:,.0f}/s)"
    )
    print(f"throughput, all stages, ad by ad: {single[0]:,.0f} ads per CPU-second")
    print(f"throughput, phones stage only: {phones_only[0]:,.0f} ads per CPU-second\n")
    print_quality(figures)
    if args.show_misses:
        shown = 0
        for syn, res in zip(corpus, results, strict=True):
            missed, extra = syn.phones - set(res["phones"]), set(res["phones"]) - syn.phones
            if (missed or extra) and shown < args.show_misses:
                shown += 1
                print("---", syn.ad["id"], "missed", missed, "extra", extra)
                print([p.rendered for p in syn.planted])
                print(syn.ad["text"])
    dig_figures = run_dig(pipeline)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"batched": batched, "single": single, "quality": figures, "dig": dig_figures},
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
