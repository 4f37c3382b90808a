"""Reproduce the published and R reference results of multiple-systems estimation.

Reads the tables in tests/data/mse and prints a Markdown
table: data set, method, ours, reference, difference, source. With ``--update FILE``
the table between the ``mse_reproduce`` markers in FILE is replaced.

    .venv/bin/python benchmarks/mse_reproduce.py --update docs/estimation.md
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import gammaln

from ketenzicht.monitor.estimation import CaptureTable, estimate, read_capture_table
from ketenzicht.monitor.estimation.bayes_dga import bma
from ketenzicht.monitor.estimation.bootstrap import Refit, acceleration, bca_quantiles, jackknife
from ketenzicht.monitor.estimation.design import model_spec
from ketenzicht.monitor.estimation.exhaustive import exhaustive
from ketenzicht.monitor.estimation.existence import check_spec
from ketenzicht.monitor.estimation.intervals import wald_interval
from ketenzicht.monitor.estimation.loglinear import fit_model
from ketenzicht.monitor.estimation.selection import stepwise

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "mse"
START, END = "<!-- mse_reproduce:start -->", "<!-- mse_reproduce:end -->"
Row = tuple[str, str, str, str, str, str]


def load(name: str) -> CaptureTable:
    return read_capture_table(DATA / f"{name}.csv")


def model(terms: tuple[str, ...]) -> str:
    return "{" + ", ".join(terms) + "}" if terms else "main effects"


def point_rows() -> list[Row]:
    rows: list[Row] = []
    cases = [
        ("NewOrl", 1183.6922745534566, "{D:E}", "JASA 2021 §4.1; R SparseMSE 2.0.1"),
        ("NewOrl_5", 1034.1510652310533, "main effects", "JASA 2021; R SparseMSE 2.0.1"),
        ("Western", 2483.3839202301301, "{A:E}", "JASA 2021 §4.2; R SparseMSE 2.0.1"),
        ("UKdat", 11417.991091504617, "7 pairs", "R SparseMSE 2.0.1"),
        ("Kosovo", 14341.663800427174, "5 pairs", "2024 Table 6; R"),
    ]
    for name, ref, ref_model, source in cases:
        sel = stepwise(load(name))
        label = model(sel.terms) if len(sel.terms) < 3 else f"{len(sel.terms)} pairs"
        ours = f"{sel.fit.estimate:.4f} {label}"
        rows.append(
            (
                name,
                "stepwise, p < 0.02",
                ours.strip(),
                f"{ref:.4f} {ref_model}",
                f"{sel.fit.estimate - ref:+.1e}",
                source,
            )
        )
    main = fit_model(load("NewOrl"))
    low, high = wald_interval(main)
    rows.append(
        (
            "NewOrl",
            "main effects, conditional 95% CI",
            f"{main.estimate:.0f} ({low:.0f} - {high:.0f})",
            "997 (644 - 1618)",
            f"{main.estimate - 997:+.1f} ({low - 644:+.1f}, {high - 1618:+.1f})",
            "JASA 2021 §4.1",
        )
    )
    for name, ref in (("NewOrl_MSEpkg", 1110), ("NewOrl_5_MSEpkg", 981)):
        est = stepwise(load(name)).fit.estimate
        rows.append(
            (name, "stepwise", f"{est:.1f}", str(ref), f"{est - ref:+.1f}", "index.csv; 2024 paper")
        )
    uk = stepwise(load("UKdat")).fit.estimate
    rows.append(
        (
            "UKdat",
            "stepwise vs published range",
            f"{uk:.0f}",
            "10,000 - 13,000",
            "inside" if 10_000 <= uk <= 13_000 else "OUTSIDE",
            "Silverman 2014",
        )
    )
    korea = exhaustive(load("Korea"), "bic")
    rows.append(
        (
            "Korea",
            "best two-way BIC",
            f"{korea.fit.estimate:.2f} {model(korea.terms)}",
            "157 {b:c, c:d}",
            f"{korea.fit.estimate - 157:+.2f}",
            "2024 Table 6",
        )
    )
    kos = exhaustive(load("Kosovo"), "bic")
    same = "= stepwise" if kos.terms == stepwise(load("Kosovo")).terms else "differs"
    rows.append(
        (
            "Kosovo",
            "best two-way BIC",
            f"{kos.fit.estimate:.4f} {same}",
            "14341.6638 = stepwise",
            f"{kos.fit.estimate - 14341.663800427174:+.1e}",
            "2024 Table 6; R",
        )
    )
    return rows


def existence_rows() -> list[Row]:
    art = load("Artificial_3")
    words = []
    for label, pairs in (
        ("[12,13,23]", [(0, 1), (0, 2), (1, 2)]),
        ("[12,3]", [(0, 1)]),
        ("[13,23]", [(0, 2), (1, 2)]),
    ):
        check = check_spec(model_spec(art, pairs))
        state = (
            "not identifiable"
            if not check.identifiable
            else "no estimate"
            if not check.exists
            else "fine"
        )
        words.append(f"{label}: {state}")
    ours = "; ".join(words)
    ref = "[12,13,23]: not identifiable; [12,3]: no estimate; [13,23]: fine"
    return [
        (
            "Artificial_3",
            "existence, identifiability",
            ours,
            ref,
            "same" if ours == ref else "DIFFERENT",
            "JASA 2021 Table 2",
        )
    ]


def bca_rows() -> list[Row]:
    rows: list[Row] = []
    summary = pd.read_csv(DATA / "bootreps" / "summary_BCa.csv")
    cols = ["q025", "q05", "q10", "q16", "q84", "q90", "q95", "q975"]
    probs = [0.025, 0.05, 0.1, 0.16, 0.84, 0.9, 0.95, 0.975]
    for r in summary.itertuples():
        reps = pd.read_csv(DATA / "bootreps" / f"{r.dataset}_stepwise_p002_nboot1000_seed1234.csv")
        q = bca_quantiles(reps["popest_boot"].to_numpy(), r.popest, r.ahat, probs)
        diff = np.abs(q - np.array([getattr(r, c) for c in cols])).max()
        table = load(r.dataset)
        ahat = acceleration(table.counts, jackknife(table, Refit("stepwise"), n_jobs=1))
        rows.append(
            (
                r.dataset,
                "BCa on R's replicates; jackknife a",
                f"{q[0]:.2f} - {q[-1]:.2f}; a = {ahat:.6f}",
                f"{r.q025:.2f} - {r.q975:.2f}; a = {r.ahat:.6f}",
                f"max {diff:.3f}; a {ahat - r.ahat:+.1e}",
                "bootreps/summary_BCa.csv",
            )
        )
    return rows


def bootstrap_rows() -> list[Row]:
    rows: list[Row] = []
    summary = pd.read_csv(DATA / "bootreps" / "summary_BCa.csv").set_index("dataset")
    for name in ("Western", "Kosovo", "UKdat", "NewOrl_5", "NewOrl"):
        res = estimate(
            load(name),
            ci="bootstrap",
            scheme="multinomial",
            boot_interval="bca",
            n_boot=1000,
            seed=1234,
        )
        assert res.interval is not None
        assert res.interval.high is not None
        ref = summary.loc[name]
        rows.append(
            (
                name,
                "stepwise, BCa bootstrap 1000 (own random stream)",
                f"{res.interval.low:.0f} - {res.interval.high:.0f}",
                f"{ref.q025:.0f} - {ref.q975:.0f}",
                f"{res.interval.low / ref.q025 - 1:+.0%}, {res.interval.high / ref.q975 - 1:+.0%}",
                "summary_BCa.csv (loose: random streams differ)",
            )
        )
    return rows


def dga_rows() -> list[Row]:
    counts = np.array([0, 60, 49, 4, 247, 112, 142, 12], dtype=np.int64)
    missing = np.arange(1, 301, dtype=float)
    n = missing + counts.sum()
    a, b = 13.14, 55.17
    prior = n * np.log(b) - (n + a) * np.log(1 + b) + gammaln(n + a) - gammaln(n + 1) - gammaln(a)
    post = bma(
        CaptureTable(("1", "2", "3"), counts),
        delta=1.0,
        n_missing=missing,
        log_prior=prior,
        keep_weights=True,
    )
    assert post.weights is not None
    top = post.weights[np.argmax(post.graph_prob)]
    avg = post.mass
    top_est = round((top / n).sum() / (top / n**2).sum())
    avg_est = round((avg / n).sum() / (avg / n**2).sum())
    ours = (
        f"p = {post.graph_prob.max():.2f}, {top_est}, {n[np.argmax(top)]:.0f}; "
        f"averaged {avg_est}, {n[np.argmax(avg)]:.0f}"
    )
    ref = "p = 0.37, 731, 729; averaged 731, 728"
    return [
        (
            "Madigan & York 3 lists",
            "BMA (dga): top model p, Bayes est., mode",
            ours,
            ref,
            "same" if ours == ref else "DIFFERENT",
            "dga 2.0.2 tests",
        )
    ]


def markdown(rows: list[Row]) -> str:
    head = (
        "| data set | method | ours | reference | difference | source |\n|---|---|---|---|---|---|"
    )
    return head + "\n" + "\n".join("| " + " | ".join(r) + " |" for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", type=Path, help="Markdown file with mse_reproduce markers")
    parser.add_argument("--skip-bootstrap", action="store_true", help="leave out the slow rows")
    args = parser.parse_args()
    parts: list[Callable[[], list[Row]]] = [point_rows, existence_rows, bca_rows, dga_rows]
    if not args.skip_bootstrap:
        parts.append(bootstrap_rows)
    text = markdown([row for part in parts for row in part()])
    print(text)
    if args.update:
        doc = args.update.read_text()
        block = f"{START}\n{text}\n{END}"
        args.update.write_text(re.sub(f"{START}.*?{END}", lambda _: block, doc, flags=re.S))


if __name__ == "__main__":
    main()
