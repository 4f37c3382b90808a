"""Linkage of signals about the same person: precision, recall, F1 and speed with splink.

Seeded synthetic registrations (``ketenzicht.signals.synthetic.registrations``): each person
is registered 1-4 times with typos, swapped first and last names, Cyrillic spellings and
other case, and with nationality, gender and age band sometimes missing or wrong. Every pair
of records is scored against the ground truth.

Two modes, one splink model (``ketenzicht.signals.matching``) on DuckDB:

- ``bloom``: the identifying value compared only through keyed Bloom-filter encodings (Dice
  coefficient), with the parameters fixed in ``matching.PARAMS``; this is what intake runs;
- ``plain``: the normalised text compared with Jaro-Winkler, parameters in ``PLAIN_PARAMS``
  below; what linkage could do if every organisation shared raw identities;
- ``source``: as ``bloom``, but each name encoded at the source as the intake page and
  ``ketenzicht linkage encode`` do (``signals/pprl``, schema v1: 2048 bits XOR-folded to
  1024, key per field; the year of birth, the salt, left empty as the synthetic set has none)
  and no normalised value on the server: what intake now runs for withheld identities.

``--train`` re-estimates the parameters (u by random sampling, m from the known true pairs)
on the generated set and prints them, to copy into the code; they were estimated with
``--seed 1`` and are measured on the default seed 7. Each run also prints the prior the
register itself suggests (``expected_others``: EM on the prior alone, no labels) next to the
one assumed in ``matching.EXPECTED_OTHERS`` and the true one of the synthetic set.

    .venv/bin/python benchmarks/linkage.py --records 10000 100000 --mode bloom plain

``--key-cap`` and ``--context-bands`` set ``matching.KEY_CAP`` and ``matching.CONTEXT_BANDS``
(the second blocking rule; 0 turns it off, as before it existed). ``--blocking-only``
counts the candidate pairs and the blocking recall from the keys alone, without splink:
what a register of a million records can afford on this machine.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import time
from collections import Counter
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ketenzicht.signals import linkage, matching, synthetic
from ketenzicht.signals.enums import LinkKind
from ketenzicht.signals.pprl import keys as pprl_keys
from ketenzicht.signals.pprl.encode import encode_record
from ketenzicht.signals.pprl.schema import published

KIND = LinkKind.PERSON
KEY = b"benchmark key"
THRESHOLDS = (0.5, matching.THRESHOLD, 0.95)
# The rule used before splink: link two people whose name encodings reach this Dice
# coefficient, whatever else the signals say.
NAME_ONLY = 0.84
DICE = ("2.0 * bit_count(a.value_bits & b.value_bits) / (a.value_ones + b.value_ones)")
# Estimated with --train --mode plain --records 10000 --seed 1, rounded like matching.PARAMS.
PLAIN_PARAMS: dict[str, matching.Params] = {
    **matching.PARAMS[KIND],
    "value": matching.Params(m=(0.46, 0.35, 0.08, 0.04, 0.01, 0.01, 0.05),
                             u=(1.6e-4, 1.22e-4, 1.1e-4, 5.5e-4, 1.1e-3, 5.9e-3, 0.992058)),
}


def build(n: int, seed: int, source: bool = False
          ) -> tuple[list[matching.Record], dict[int, int]]:
    """``n`` records (2.5 per person on average) and the person each belongs to."""
    regs = synthetic.registrations(max(1, n // 2), seed=seed)[:n]
    records, truth = [], {}
    at_source = pprl_keys.combine(pprl_keys.keygen("2026", 2))
    for i, reg in enumerate(regs):
        norm = linkage.normalise(KIND, reg.name)
        key = linkage.make_key(KIND, reg.name, key=KEY, share=True)
        if key is None or norm is None:
            continue
        bloom: int = key.bloom
        if source:
            bloom = int(encode_record({"person": reg.name}, at_source,
                                      published()).fields["person"], 16)
        records.append(matching.Record(i, bloom, {
            "nationality": reg.nationality, "gender": reg.gender, "age_band": reg.age_band},
            norm=None if source else norm))
        truth[i] = reg.entity
    return records, truth


def true_pairs(truth: dict[int, int]) -> int:
    """How many pairs of records concern the same person."""
    sizes = Counter(truth.values())
    return sum(k * (k - 1) // 2 for k in sizes.values())


def train(model: Any, plain: bool) -> None:
    """Re-estimate u and m on the loaded data and print them as ``Params``."""
    model.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    # The synthetic set knows who is who: m from the true pairs, not from EM, which on this
    # data settles on namesakes rather than on people.
    model.training.estimate_m_from_label_column("entity")
    saved = model.misc.save_model_to_json()
    print("prior", saved["probability_two_random_records_match"])
    for comp in saved["comparisons"]:
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        m = tuple(round(lv.get("m_probability", 0.0), 4) for lv in levels)
        u = tuple(round(lv.get("u_probability", 0.0), 6) for lv in levels)
        print(f'"{comp["output_column_name"]}": Params(m={m}, u={u}),  # plain={plain}')


def run(n: int, mode: str, seed: int, do_train: bool) -> dict[str, Any]:
    """Link ``n`` records in ``mode`` and measure the result."""
    plain = mode == "plain"
    params = PLAIN_PARAMS if plain else matching.PARAMS[KIND]
    records, truth = build(n, seed, source=mode == "source")
    start = time.perf_counter()
    con = duckdb.connect()
    data = matching.frame(KIND, records, matching.Register.of(KIND, records))
    data["entity"] = [truth[r.record_id] for r in records]
    matching.load(con, "records", data)
    model = matching.linker(KIND, con, ["records"], size=len(records), params=params,
                            plain=plain)
    loaded = time.perf_counter()
    if do_train:
        train(model, plain)
    # Every blocked pair is scored; thresholds are applied afterwards, so pairs/s counts all
    # comparisons splink made. The scored pairs stay in DuckDB (100k records give millions).
    scored = model.inference.predict()
    done = time.perf_counter()
    cases = ", ".join(
        f"count(*) FILTER (WHERE p.match_probability >= {t}), "
        f"count(*) FILTER (WHERE p.match_probability >= {t} AND a.entity = b.entity)"
        for t in THRESHOLDS)
    row = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE a.entity = b.entity), {cases}, "
        f"count(*) FILTER (WHERE {DICE} >= {NAME_ONLY - 1e-9}), "
        f"count(*) FILTER (WHERE {DICE} >= {NAME_ONLY - 1e-9} AND a.entity = b.entity) "
        f"FROM {scored.physical_name} p JOIN records a ON p.unique_id_l = a.unique_id "
        "JOIN records b ON p.unique_id_r = b.unique_id").fetchone()
    assert row is not None
    others = expected_others(con, scored.physical_name, len(records))
    con.close()
    positives = true_pairs(truth)
    out: dict[str, Any] = {
        "records": len(records), "mode": mode, "key_cap": matching.KEY_CAP,
        "context_bands": matching.CONTEXT_BANDS, "compared": row[0],
        "per_record": round(row[0] / len(records), 1),
        "all_pairs": len(records) * (len(records) - 1) // 2,
        "blocking_recall": round(row[1] / positives, 4),
        "load_s": round(loaded - start, 2), "predict_s": round(done - loaded, 2),
        "pairs_per_s": round(row[0] / max(done - loaded, 1e-9)),
        "expected_others": {"assumed": matching.EXPECTED_OTHERS[KIND], "em": others,
                            "true": round(2 * positives / len(records), 2)}}
    for i, threshold in enumerate(THRESHOLDS):
        out[f"p>={threshold}"] = _scores(row[2 + 2 * i], row[3 + 2 * i], positives)
    # The name-only rule on the same candidate pairs.
    out["name_only"] = _scores(row[-2], row[-1], positives)
    return out


def blocking(n: int, seed: int) -> dict[str, Any]:
    """Candidate pairs and blocking recall of ``n`` records, from the keys alone."""
    records, truth = build(n, seed)
    start = time.perf_counter()
    keys = matching.band_keys([r.bloom for r in records], matching.contexts(KIND, records))
    keyed = time.perf_counter()
    rows, cols = np.nonzero(keys >= 0)
    con = duckdb.connect()
    con.register("keys", pd.DataFrame({"i": rows, "b": cols, "k": keys[rows, cols]}))
    con.register("who", pd.DataFrame({"i": np.arange(len(records)),
                                      "e": [truth[r.record_id] for r in records]}))
    row = con.execute(
        "WITH p AS (SELECT DISTINCT a.i AS l, c.i AS r FROM keys a JOIN keys c "
        "ON a.b = c.b AND a.k = c.k AND a.i < c.i) "
        "SELECT count(*), count(*) FILTER (WHERE x.e = y.e) FROM p "
        "JOIN who x ON x.i = p.l JOIN who y ON y.i = p.r").fetchone()
    con.close()
    assert row is not None
    return {"records": len(records), "mode": "blocking", "key_cap": matching.KEY_CAP,
            "context_bands": matching.CONTEXT_BANDS, "compared": row[0],
            "per_record": round(row[0] / len(records), 1),
            "blocking_recall": round(row[1] / true_pairs(truth), 4),
            "keys_s": round(keyed - start, 2), "pairs_s": round(time.perf_counter() - keyed, 2)}


def expected_others(con: duckdb.DuckDBPyConnection, table: str, n: int) -> float:
    """What the register itself says of ``matching.EXPECTED_OTHERS``, labels unseen.

    Expectation maximisation of the prior alone, m and u fixed: the prior becomes the mean
    posterior over all pairs (pairs outside the blocks taken as non-matches) until it
    settles. A check on the assumption, not a replacement for it.
    """
    pi = matching.prior(KIND, n)
    base = math.log2(pi / (1 - pi))
    for _ in range(50):
        shift = math.log2(pi / (1 - pi)) - base
        total = con.execute(
            f"SELECT sum(1 / (1 + pow(2, -(match_weight + {shift})))) FROM {table}"
        ).fetchone()
        assert total is not None
        pi = float(total[0]) / (n * (n - 1) / 2)
    return round(pi * (n - 1), 2)


def _scores(chosen: int, tp: int, positives: int) -> dict[str, float]:
    precision = tp / chosen if chosen else 0.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def main() -> None:
    """Parse arguments, run every combination, print one line per run and the machine."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, nargs="+", default=[10_000])
    parser.add_argument("--mode", nargs="+", choices=("bloom", "plain", "source"),
                        default=["bloom", "plain"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--train", action="store_true")
    parser.add_argument("--key-cap", type=int, default=matching.KEY_CAP)
    parser.add_argument("--context-bands", type=int, default=matching.CONTEXT_BANDS)
    parser.add_argument("--blocking-only", action="store_true")
    args = parser.parse_args()
    matching.KEY_CAP, matching.CONTEXT_BANDS = args.key_cap, args.context_bands
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, duckdb {duckdb.__version__}")
    if args.blocking_only:
        for n in args.records:
            print(blocking(n, args.seed), flush=True)
        return
    for n, mode in itertools.product(args.records, args.mode):
        print(run(n, mode, args.seed, args.train), flush=True)


if __name__ == "__main__":
    main()
