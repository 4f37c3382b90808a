"""Linking quality and cost of ``ketenzicht online link`` on the labelled synthetic corpus.

    .venv/bin/python benchmarks/online/bench_link.py --n 10000 --workers 2
    .venv/bin/python benchmarks/online/bench_link.py --n 1000000 --workers 2 --keep /tmp/kz1m
    .venv/bin/python benchmarks/online/bench_link.py --n 1000000 --keep /tmp/kz1m --reuse

Writes the corpus (``ketenzicht.online.analysis.synthetic.corpus``) and its labels to a folder, runs
the real CLI under ``/usr/bin/time -v`` (wall time and peak memory of the main process; the
extraction workers are measured the same way and reported separately), then scores the
output: B-cubed F1 of the networks against the planted advertisers (overall, per network
type, per phone obfuscation style, for foreign mobiles) and ROC AUC of the network score
(concern = hopping and salon networks; clubs and independents are the negatives).
``--infoshield DIR`` also writes the corpus as the CSV that InfoShield reads.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ketenzicht.online.analysis.synthetic import corpus, market  # noqa: E402

Labels = dict[str, tuple[str, str, str, bool]]  # id -> (entity, kind, style, foreign mobile)


def write_market(n: int, seed: int, folder: Path) -> tuple[Path, Path, float]:
    """The market corpus (:mod:`...synthetic.market`) as ``ads.jsonl`` and ``labels.tsv``.

    Its labels file has the phenomena (comma-joined) in the style column, so that every
    figure is reported per phenomenon; concern travels in the last column.
    """
    start = time.perf_counter()
    ads = market.generate(n, seed=seed)
    elapsed = time.perf_counter() - start
    folder.mkdir(parents=True, exist_ok=True)
    data, labels = folder / "ads.jsonl", folder / "labels.tsv"
    with data.open("w", encoding="utf-8") as fa, labels.open("w", encoding="utf-8") as fl:
        for a in ads:
            fa.write(json.dumps(a.ad, ensure_ascii=False) + "\n")
            tags = ",".join(a.tags) or "plain"
            fl.write(f"{a.ad['id']}\t{a.entity}\t{a.kind}\t{tags}\t{int(a.concern)}\n")
    return data, labels, elapsed


def write_corpus(n: int, seed: int, folder: Path) -> tuple[Path, Path, float]:
    """Generate and write ``ads.jsonl`` and ``labels.tsv``; returns paths and seconds."""
    start = time.perf_counter()
    ads = corpus.generate(n, seed=seed)
    elapsed = time.perf_counter() - start
    folder.mkdir(parents=True, exist_ok=True)
    data, labels = folder / "ads.jsonl", folder / "labels.tsv"
    with data.open("w", encoding="utf-8") as fa, labels.open("w", encoding="utf-8") as fl:
        for a in ads:
            fa.write(json.dumps(a.ad, ensure_ascii=False) + "\n")
            fl.write(
                f"{a.ad['id']}\t{a.entity}\t{a.kind}\t{a.styles[0]}\t{int(a.foreign_mobile)}\n"
            )
    return data, labels, elapsed


def read_labels(path: Path) -> Labels:
    """The labels file back as a dict."""
    out: Labels = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            ad_id, entity, kind, style, foreign = line.rstrip("\n").split("\t")
            out[ad_id] = (entity, kind, style, foreign == "1")
    return out


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found = re.search(r"VmRSS:\s+(\d+)", status)
        rss[int(entry.name)] = int(found[1]) if found else 0
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(pid, 0) for pid in tree)


def run_cli(data: Path, out: Path, workers: int) -> dict[str, float]:
    """Run the CLI under /usr/bin/time -v: wall and CPU seconds, peak memory in MB.

    ``peak_rss_mb`` is the largest single process (GNU time); ``peak_tree_mb`` the largest
    sum over the main process and its extraction workers, sampled every second.
    """
    # The interpreter running this benchmark, not a .venv assumed inside the checkout (a
    # worktree has none); PYTHONPATH keeps this checkout's code in front.
    cmd = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        "-c",
        "from ketenzicht.cli import main; main()",
        "online",
        "link",
        str(data),
        "-o",
        str(out),
        "--workers",
        str(workers),
        "--stats",
    ]
    with tempfile.TemporaryFile("w+") as err:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)}
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True, env=env)
        tree_peak = 0
        while proc.poll() is None:
            tree_peak = max(tree_peak, _tree_rss_kb(proc.pid))
            time.sleep(1.0)
        err.seek(0)
        stderr = err.read()
    if proc.returncode:
        raise SystemExit(stderr[-3000:])
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)[1])  # type: ignore[index]
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", stderr)[1]  # type: ignore[index]
    seconds = sum(float(p) * 60**i for i, p in enumerate(reversed(wall.split(":"))))
    cpu = sum(
        float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", stderr)[1])  # type: ignore[index]
        for kind in ("User", "System")
    )
    stages = {m[1]: int(m[2]) / 1000 for m in re.finditer(r"  ms/(\w+): (\d+)", stderr)}
    return {
        "stages_s": stages,
        "wall_s": seconds,
        "cpu_s": cpu,
        "peak_rss_mb": rss / 1024,
        "peak_tree_mb": tree_peak / 1024,
    }


def bcubed(
    items: list[str],
    truth: dict[str, str],
    pred: dict[str, str],
    size_t: Counter[str],
    size_p: Counter[str],
    both: Counter[tuple[str, str]],
) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 over ``items`` (clusters counted over all items)."""
    if not items:
        return 0.0, 0.0, 0.0
    p = sum(both[(truth[i], pred[i])] / size_p[pred[i]] for i in items) / len(items)
    r = sum(both[(truth[i], pred[i])] / size_t[truth[i]] for i in items) / len(items)
    return p, r, 2 * p * r / (p + r)


def auc(pos: list[float], neg: list[float]) -> float:
    """ROC AUC by the Mann-Whitney U statistic (ties count half)."""
    if not pos or not neg:
        return float("nan")
    ranked = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        avg = (i + j + 1) / 2
        rank_sum += avg * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def score(
    labels: Labels, clusters: dict[str, str], scores: dict[str, float] | None
) -> dict[str, object]:
    """All quality figures of one clustering (and its network scores, when given)."""
    truth = {i: v[0] for i, v in labels.items()}
    pred = {i: clusters.get(i, f"single:{i}") for i in labels}
    size_t, size_p = Counter(truth.values()), Counter(pred.values())
    both = Counter((truth[i], pred[i]) for i in labels)
    ids = list(labels)
    out: dict[str, object] = {"all": bcubed(ids, truth, pred, size_t, size_p, both)}
    for key, pick in (("kind", 1), ("style", 2)):
        groups: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            groups[str(labels[i][pick])].append(i)
        out[key] = {
            g: bcubed(v, truth, pred, size_t, size_p, both) for g, v in sorted(groups.items())
        }
    out["foreign_mobile"] = bcubed(
        [i for i in ids if labels[i][3]], truth, pred, size_t, size_p, both
    )
    if scores is not None:
        members: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            members[pred[i]].append(labels[i][1])
        kind_of = {net: Counter(k).most_common(1)[0][0] for net, k in members.items()}
        pos = [scores[n] for n, k in kind_of.items() if k in corpus.CONCERN]
        neg = [scores[n] for n, k in kind_of.items() if k not in corpus.CONCERN]
        per = {
            k: auc([scores[n] for n, x in kind_of.items() if x == k], neg)
            if k in corpus.CONCERN
            else auc(pos, [scores[n] for n, x in kind_of.items() if x == k])
            for k in corpus.KINDS
        }
        out["auc"] = {
            "all": auc(pos, neg),
            **per,
            "networks_pos": len(pos),
            "networks_neg": len(neg),
        }
    return out


def per_advertiser_auc(
    entity_of: dict[str, str],
    pred: dict[str, str],
    scores: dict[str, float],
    concern: dict[str, bool],
    tags: dict[str, set[str]],
) -> dict[str, object]:
    """ROC AUC counted per TRUE advertiser, overall and per phenomenon.

    Each advertiser is scored by the predicted network that holds most of its ads, so a
    network split into pieces, or merged into a harmless neighbour, costs what it costs in
    the field (per predicted network, a merge of many advertisers counts once). Per
    phenomenon: the advertisers showing it on the side(s) it occurs, against the whole
    other side when it occurs on one side only.
    """
    held: dict[str, Counter[str]] = defaultdict(Counter)
    for ad, ent in entity_of.items():
        held[ent][pred[ad]] += 1
    score_of = {e: scores.get(c.most_common(1)[0][0], 0.0) for e, c in held.items()}
    pos = [score_of[e] for e in score_of if concern[e]]
    neg = [score_of[e] for e in score_of if not concern[e]]
    out: dict[str, object] = {"all": auc(pos, neg), "advertisers_pos": len(pos),
                              "advertisers_neg": len(neg)}
    per: dict[str, float] = {}
    for tag in sorted({t for ts in tags.values() for t in ts}):
        tp = [score_of[e] for e in score_of if concern[e] and tag in tags[e]]
        tn = [score_of[e] for e in score_of if not concern[e] and tag in tags[e]]
        per[tag] = auc(tp or pos, tn or neg)
    out["per_phenomenon"] = per
    return out


def score_market(
    labels: Labels, clusters: dict[str, str], scores: dict[str, float]
) -> dict[str, object]:
    """The market corpus: B-cubed overall, per kind and per phenomenon; per-advertiser AUC."""
    truth = {i: v[0] for i, v in labels.items()}
    pred = {i: clusters.get(i, f"single:{i}") for i in labels}
    size_t, size_p = Counter(truth.values()), Counter(pred.values())
    both = Counter((truth[i], pred[i]) for i in labels)
    ids = list(labels)
    out: dict[str, object] = {"all": bcubed(ids, truth, pred, size_t, size_p, both)}
    kinds: dict[str, list[str]] = defaultdict(list)
    phen: dict[str, list[str]] = defaultdict(list)
    tags: dict[str, set[str]] = defaultdict(set)
    concern: dict[str, bool] = {}
    for i in ids:
        kinds[labels[i][1]].append(i)
        for t in labels[i][2].split(","):
            phen[t].append(i)
            tags[truth[i]].add(t)
        concern[truth[i]] = labels[i][3]
    out["kind"] = {
        k: bcubed(v, truth, pred, size_t, size_p, both) for k, v in sorted(kinds.items())
    }
    out["phenomenon"] = {
        k: bcubed(v, truth, pred, size_t, size_p, both) for k, v in sorted(phen.items())
    }
    out["auc_per_advertiser"] = per_advertiser_auc(truth, pred, scores, concern, tags)
    return out


def read_networks(path: Path) -> tuple[dict[str, str], dict[str, float]]:
    """Ad -> network and network -> score from the CLI output."""
    clusters, scores = {}, {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            scores[record["network"]] = record["score"]
            for ad in record["ads"]:
                clusters[ad] = record["network"]
    return clusters, scores


def write_infoshield_csv(data: Path, target: Path) -> None:
    """The corpus as InfoShield's input CSV (id, text with the title in front)."""
    with data.open(encoding="utf-8") as fin, target.open("w", encoding="utf-8", newline="") as fout:
        writer = csv.writer(fout, lineterminator="\n")
        writer.writerow(["id", "text"])
        for line in fin:
            ad = json.loads(line)
            writer.writerow([ad["id"], f"{ad.get('title', '')} {ad['text']}".replace("\n", " ")])


def score_infoshield(run_dir: Path, labels_path: Path) -> dict[str, object]:
    """B-cubed of InfoShield's coarse (LSH label) and fine (template) clusters.

    Ads InfoShield leaves out (LSH label -1, or no template) count as singletons.
    """
    labels = read_labels(labels_path)
    full = next(run_dir.glob("*_full_LSH_labels.csv"))
    coarse: dict[str, str] = {}
    with full.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["LSH label"] not in ("-1", "-1.0"):
                coarse[row["id"]] = f"c{row['LSH label']}"
    fine: dict[str, str] = {}
    with (run_dir / "template_table.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            fine[row["ID"]] = f"t{row['LSH Label']}-{row['Template #']}"
    kept = {i: labels[i] for i in labels if i in _ids(full)}
    return {"coarse": score(kept, coarse, None), "fine": score(kept, fine, None), "ads": len(kept)}


def _ids(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as fh:
        return {row["id"] for row in csv.DictReader(fh)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="folder for corpus and output (kept)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: link the corpus already in that folder (same --n "
                             "and --seed) instead of generating it again")
    parser.add_argument("--infoshield", type=Path, help="also write InfoShield's CSV here")
    parser.add_argument(
        "--score-infoshield",
        type=Path,
        metavar="RUN_DIR",
        help="only score an InfoShield run (its folder) against --labels",
    )
    parser.add_argument(
        "--score-output",
        type=Path,
        metavar="NETWORKS_JSONL",
        help="only score an earlier `online link` output against --labels",
    )
    parser.add_argument("--labels", type=Path, help="labels.tsv of the corpus InfoShield ran on")
    parser.add_argument("--corpus", choices=("own", "market"), default="own",
                        help="own: synthetic.corpus (an upper bound); market: the "
                             "independently structured synthetic.market family")
    args = parser.parse_args()
    if args.score_output:
        clusters, scores = read_networks(args.score_output)
        scorer = score_market if args.corpus == "market" else score
        report = scorer(read_labels(args.labels), clusters, scores)
        print(json.dumps(report, indent=1, default=lambda x: round(x, 4)))
        return
    if args.score_infoshield:
        report = score_infoshield(args.score_infoshield, args.labels)
        print(json.dumps(report, indent=1, default=lambda x: round(x, 4)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kz-link-"))
    if args.reuse and args.keep and (folder / "ads.jsonl").exists():
        data, labels_path, gen_s = folder / "ads.jsonl", folder / "labels.tsv", 0.0
    else:
        writer = write_market if args.corpus == "market" else write_corpus
        data, labels_path, gen_s = writer(args.n, args.seed, folder)
    if args.infoshield:
        write_infoshield_csv(data, args.infoshield)
    out = folder / "networks.jsonl"
    cost = run_cli(data, out, args.workers)
    clusters, scores = read_networks(out)
    labels = read_labels(labels_path)
    assert set(clusters) == set(labels), "every ad must be in exactly one network"
    figures = score_market(labels, clusters, scores) if args.corpus == "market" else score(
        labels, clusters, scores)
    if args.corpus == "own":
        truth = {i: v[0] for i, v in labels.items()}
        figures["auc_per_advertiser"] = per_advertiser_auc(
            truth, {i: clusters[i] for i in labels}, scores,
            {v[0]: v[1] in corpus.CONCERN for v in labels.values()},
            {v[0]: {v[1]} for v in labels.values()})
    report = {
        "corpus": args.corpus,
        "n": args.n,
        "seed": args.seed,
        "workers": args.workers,
        "generate_s": round(gen_s, 1),
        **cost,
        "ads_per_s": args.n / cost["wall_s"],
        "networks": len(scores),
        **figures,
    }
    print(json.dumps(report, indent=1, default=lambda x: round(x, 4)))


if __name__ == "__main__":
    main()
