"""Linkage on encodings made at the source: precision, recall, F1, pairs/s, cost of hardening.

Seeded synthetic registrations (``ketenzicht.signals.synthetic.registrations``, 2.5 records per
person with typos, swapped names, Cyrillic spellings). Every record's name is encoded with
the published schema (``signals/pprl/schema_v1.json``) and a combined key, as an organisation
would; the server side then finds candidate pairs by Hamming LSH on the filters (blocklib's
approach: 30 tables, each keyed by 32 sampled bit positions) and compares candidates by Dice.

The synthetic set has no birth year, so the nationality stands in as the salt field: it is
missing in 15 % and wrong in 3 % of the later registrations, which is what salting costs.

    .venv/bin/python benchmarks/pprl.py --records 10000 --hardening none salt-fold fold
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from collections import defaultdict
from dataclasses import replace
from itertools import combinations

from ketenzicht.signals import synthetic
from ketenzicht.signals.pprl import keys
from ketenzicht.signals.pprl.encode import encode_record
from ketenzicht.signals.pprl.schema import published

MODES = {"none": (), "fold": ("xor-fold",), "salt-fold": ("salt", "xor-fold")}
THRESHOLD = 0.8
TABLES, BITS = 30, 32


def run(n: int, mode: str, seed: int) -> dict[str, float]:
    regs = synthetic.registrations(max(1, n // 2), seed=seed)[:n]
    schema = replace(published(), hardening=MODES[mode])
    key = keys.combine(keys.keygen("2026", 2))
    start = time.perf_counter()
    filters = [int(encode_record({"person": r.name, "birth_year": r.nationality or ""},
                                 key, schema).fields["person"], 16) for r in regs]
    encode_s = time.perf_counter() - start
    width = schema.folded_bits if "xor-fold" in schema.hardening else schema.filter_bits
    rng = random.Random(seed)  # reproducible sampling of bit positions
    start = time.perf_counter()
    candidates: set[tuple[int, int]] = set()
    for _ in range(TABLES):
        positions = rng.sample(range(width), BITS)
        buckets: dict[int, list[int]] = defaultdict(list)
        for i, f in enumerate(filters):
            buckets[sum(((f >> p) & 1) << j for j, p in enumerate(positions))].append(i)
        for members in buckets.values():
            if len(members) < 400:  # an all-zero bucket says nothing; skip giant buckets
                candidates.update(combinations(members, 2))
    ones = [f.bit_count() for f in filters]
    found = {(a, b) for a, b in candidates
             if 2 * (filters[a] & filters[b]).bit_count() / (ones[a] + ones[b]) >= THRESHOLD}
    link_s = time.perf_counter() - start
    by_person: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(regs):
        by_person[r.entity].append(i)
    true = {(a, b) for m in by_person.values() for a, b in combinations(sorted(m), 2)}
    tp = len(found & true)
    p = tp / len(found) if found else 0.0
    rc = tp / len(true) if true else 0.0
    return {"records": n, "precision": p, "recall": rc,
            "f1": 2 * p * rc / (p + rc) if p + rc else 0.0, "candidates": len(candidates),
            "pairs_per_s": len(candidates) / link_s, "encode_records_per_s": n / encode_s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, nargs="+", default=[10_000])
    parser.add_argument("--hardening", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"# {platform.node()} {platform.processor() or platform.machine()} "
          f"load {os.getloadavg()[0]:.1f}")
    for n in args.records:
        for mode in args.hardening:
            r = run(n, mode, args.seed)
            print(f"{n:>7} {mode:<10} P {r['precision']:.3f} R {r['recall']:.3f} "
                  f"F1 {r['f1']:.3f} candidates {r['candidates']:.0f} "
                  f"pairs/s {r['pairs_per_s']:,.0f} encode rec/s {r['encode_records_per_s']:,.0f}")


if __name__ == "__main__":
    main()
