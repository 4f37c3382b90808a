"""Probabilistic linkage of signals with splink (Fellegi-Sunter) on an in-process DuckDB.

Every identifying value is compared through its keyed Bloom-filter encoding (``linkage``),
also when the organisation shared the raw value: one comparison serves organisations that
share identities and those that do not, and no raw value is needed to link. Around the
identifying value the model weighs what the signals say anyway: nationality, gender and age
band for a person; region and sector for an employer; region for an address. Each link keeps
its evidence per field (splink's Bayes factors), so a professional reads why two signals are
taken to concern the same person, and can disagree.

In a batch (``dedupe``, ``find``; the relink command and the benchmark) candidate pairs come
from locality-sensitive hashing on the encodings (Hamming LSH: records that agree on all bits
at a band's fixed positions are compared), so encoded values are blocked without being
decoded. At intake one signal meets the stored ones and ``score`` applies the same
parameters pair by pair.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.blocking_rule_library import CustomRule
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from ketenzicht.signals import linkage
from ketenzicht.signals.enums import LinkKind

# Hamming LSH: BANDS bands of BAND_BITS fixed bit positions each. Set on the synthetic
# benchmark (benchmarks/linkage.py): 94 % of true pairs become candidates while 0.5 % of all
# pairs are compared, at 10k and at 100k records (16 bands of 20 bits: 97 % at 1.3 %).
BANDS = 20
BAND_BITS = 26
_POSITIONS = [random.Random(f"ketenzicht-lsh-{b}").sample(range(linkage.BLOOM_BITS), BAND_BITS)  # noqa: S311
              for b in range(BANDS)]

# A link is made at this probability or above. On the synthetic benchmark (docs/benchmarks.md)
# 0.8 keeps precision near 0.97: a false link only tells two professionals to call each
# other about a signal that turns out to concern someone else, while a missed one leaves the
# coordination that the chain lacks undone. 0.95 would give 0.995 precision at half the recall.
THRESHOLD = 0.8

# What the model weighs besides the identifying value itself, per kind.
CONTEXT: dict[LinkKind, tuple[str, ...]] = {
    LinkKind.PERSON: ("nationality", "gender", "age_band"),
    LinkKind.EMPLOYER: ("region", "sector"),
    LinkKind.ADDRESS: ("region",),
}

# Levels of the identifying value, best first: (code, lowest Dice coefficient).
VALUE_LEVELS: tuple[tuple[str, float], ...] = (
    ("same", 1.0), ("dice_90", 0.90), ("dice_80", 0.80), ("dice_70", 0.70))
# The same on shared plain text, with Jaro-Winkler similarity instead of Dice.
PLAIN_LEVELS: tuple[tuple[str, float], ...] = (
    ("same", 1.0), ("jw_95", 0.95), ("jw_90", 0.90), ("jw_85", 0.85))


@dataclass(frozen=True)
class Params:
    """m and u probabilities of one comparison, best level first, the else level last."""

    m: tuple[float, ...]
    u: tuple[float, ...]


# Fellegi-Sunter parameters, fixed here so that a link does not depend on what else happens
# to be in the database. Person: estimated with splink on the synthetic registrations
# (``benchmarks/linkage.py --train``: u by random sampling, m from the known true pairs) and
# rounded. Employer and address: set by hand in the same proportions (no synthetic set with
# their context yet); re-estimate when the encoding, the generator or real experience differ.
PARAMS: dict[LinkKind, dict[str, Params]] = {
    LinkKind.PERSON: {
        # u of a near match is not set below that of an exact one (estimated 7e-5, because
        # namesakes share a name exactly): a near match must never weigh more than a same one.
        "value": Params(m=(0.47, 0.22, 0.19, 0.08, 0.04),
                        u=(1.7e-4, 1.7e-4, 4e-4, 2.3e-3, 0.99706)),
        "nationality": Params(m=(0.96, 0.04), u=(0.079, 0.921)),
        "gender": Params(m=(0.98, 0.02), u=(0.5, 0.5)),
        "age_band": Params(m=(0.85, 0.15), u=(0.2, 0.8)),
    },
    LinkKind.EMPLOYER: {
        "value": Params(m=(0.6, 0.1, 0.2, 0.07, 0.03), u=(1e-3, 5e-4, 2e-3, 8e-3, 0.9885)),
        # An employer (an agency above all) often works in more than one region.
        "region": Params(m=(0.7, 0.3), u=(0.1, 0.9)),
        "sector": Params(m=(0.85, 0.15), u=(0.1, 0.9)),
    },
    LinkKind.ADDRESS: {
        "value": Params(m=(0.6, 0.25, 0.1, 0.03, 0.02), u=(1e-4, 1e-4, 5e-4, 2e-3, 0.9973)),
        "region": Params(m=(0.95, 0.05), u=(0.1, 0.9)),
    },
}
# Prior: the chance that two signals picked at random concern the same entity.
PRIOR: dict[LinkKind, float] = {LinkKind.PERSON: 1e-4, LinkKind.EMPLOYER: 1e-3,
                                LinkKind.ADDRESS: 1e-3}


@dataclass(frozen=True)
class Record:
    """One identifying value of one signal, with the context the model weighs."""

    record_id: int
    bloom: int
    context: dict[str, str | None]
    norm: str | None = None


@dataclass(frozen=True)
class Evidence:
    """What one field contributed: its level and how much it moved the odds."""

    field: str
    level: str
    bayes_factor: float


@dataclass(frozen=True)
class Match:
    """Two records taken to concern the same entity, with the evidence for it."""

    left: int
    right: int
    probability: float
    dice: float
    evidence: tuple[Evidence, ...]


def _value_sql(code: str, low: float, plain: bool) -> str:
    if plain:
        # Plain text only where both organisations shared it (benchmark and comparison).
        return ("value_norm_l = value_norm_r" if code == "same" else
                f"jaro_winkler_similarity(value_norm_l, value_norm_r) >= {low}")
    return ("value_hex_l = value_hex_r" if code == "same" else
            f"2.0 * bit_count(value_bits_l & value_bits_r) / "
            f"(value_ones_l + value_ones_r) >= {low}")


def _levels(field: str, params: Params, plain: bool
            ) -> list[ComparisonLevelCreator | dict[str, Any]]:
    if field == "value":
        levels = PLAIN_LEVELS if plain else VALUE_LEVELS
        out: list[ComparisonLevelCreator | dict[str, Any]] = [
            cll.NullLevel("value_norm" if plain else "value_hex")]
        for (code, low), m, u in zip(levels, params.m, params.u, strict=False):
            sql = _value_sql(code, low, plain)
            out.append(cll.CustomLevel(sql, label_for_charts=code).configure(
                m_probability=m, u_probability=u))
    else:
        out = [cll.NullLevel(field),
               cll.ExactMatchLevel(field).configure(m_probability=params.m[0],
                                                    u_probability=params.u[0])]
    out.append(cll.ElseLevel().configure(m_probability=params.m[-1],
                                         u_probability=params.u[-1]))
    return out


def level_codes(field: str, *, plain: bool = False) -> list[str]:
    """Level codes of a field, best first, the else level ("different") last."""
    levels = PLAIN_LEVELS if plain else VALUE_LEVELS
    named = [code for code, _low in levels] if field == "value" else ["same"]
    return [*named, "different"]


def level_of(field: str, params: Params, weight: float, *, plain: bool = False) -> str:
    """The level whose weight log2(m/u) is ``weight``; "unknown" for a missing value."""
    for code, m, u in zip(level_codes(field, plain=plain), params.m, params.u, strict=True):
        if abs(math.log2(m / u) - weight) < 1e-6:
            return code
    return "unknown"


LSH_RULES = [f"l.lsh_{b} = r.lsh_{b}" for b in range(BANDS)]
# Compare every new record with every candidate (few, already filtered on similarity).
ALL_PAIRS = ["l.unique_id IS NOT NULL AND r.unique_id IS NOT NULL"]


LinkType = Literal["link_only", "dedupe_only"]


def settings(kind: LinkKind, *, link_type: LinkType = "link_only",
             params: dict[str, Params] | None = None, prior: float | None = None,
             plain: bool = False, blocking: Sequence[str] = tuple(LSH_RULES)
             ) -> SettingsCreator:
    """The splink model of ``kind``: fixed parameters, blocking, per-field evidence."""
    chosen = params or PARAMS[kind]
    comparisons: list[ComparisonCreator | dict[str, Any]] = [
        cl.CustomComparison(_levels(f, chosen[f], plain), output_column_name=f)
        for f in ("value", *CONTEXT[kind])]
    return SettingsCreator(
        link_type=link_type, comparisons=comparisons,
        blocking_rules_to_generate_predictions=[CustomRule(rule) for rule in blocking],
        probability_two_random_records_match=prior or PRIOR[kind],
        retain_intermediate_calculation_columns=True, retain_matching_columns=False)


def frame(kind: LinkKind, records: Sequence[Record]) -> pd.DataFrame:
    """Records as the table splink reads: encoding as hex, shared text, context columns."""
    fields = CONTEXT[kind]
    return pd.DataFrame({
        "unique_id": pd.Series([r.record_id for r in records], dtype="int64"),
        "value_hex": pd.Series([linkage.to_hex(r.bloom) for r in records], dtype="string"),
        "value_norm": pd.Series([r.norm for r in records], dtype="string"),
        **{f: pd.Series([r.context.get(f) for r in records], dtype="string")
           for f in fields}})


def load(con: duckdb.DuckDBPyConnection, name: str, data: pd.DataFrame) -> None:
    """Create table ``name`` with the bit columns and LSH band keys the model compares on."""
    con.register(f"{name}_src", data)
    bands = ", ".join(
        "concat(" + ", ".join(f"get_bit(b, {p})" for p in positions) + f") AS lsh_{i}"
        for i, positions in enumerate(_POSITIONS))
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT *, bit_count(b) AS value_ones, "  # noqa: S608 - names are ours
                f"{bands} FROM (SELECT *, CAST(unhex(value_hex) AS BIT) AS b FROM {name}_src)")
    con.execute(f"ALTER TABLE {name} RENAME COLUMN b TO value_bits")
    con.unregister(f"{name}_src")


def linker(kind: LinkKind, con: duckdb.DuckDBPyConnection, tables: Sequence[str],
           **options: Any) -> Linker:
    """A splink linker of ``kind`` over tables already loaded into ``con``."""
    db_api = DuckDBAPI(connection=con)
    frames = [db_api.register(t, dataset_display_name=t) for t in tables]
    link_type: LinkType = "dedupe_only" if len(frames) == 1 else "link_only"
    made = settings(kind, link_type=link_type, **options)
    return Linker(frames[0] if len(frames) == 1 else frames, made, log_level=logging.WARNING)


def matches(kind: LinkKind, result: pd.DataFrame, params: dict[str, Params] | None = None,
            *, plain: bool = False) -> list[Match]:
    """Scored pairs from splink's prediction as matches with their evidence per field."""
    chosen = params or PARAMS[kind]
    fields = ("value", *CONTEXT[kind])
    out = []
    for row in result.to_dict("records"):
        evidence = tuple(Evidence(f, level_of(f, chosen[f], float(row[f"mw_{f}"]),
                                              plain=plain),
                                  2.0 ** float(row[f"mw_{f}"])) for f in fields)
        out.append(Match(int(row["unique_id_l"]), int(row["unique_id_r"]),
                         float(row["match_probability"]), 0.0, evidence))
    return out


def find(kind: LinkKind, new: Sequence[Record], existing: Sequence[Record], *,
         threshold: float = THRESHOLD, blocked: bool = True) -> list[Match]:
    """Existing records that match a new one at ``threshold`` or above, best first.

    ``blocked=False`` compares every pair: for a handful of candidates already filtered.
    """
    if kind not in CONTEXT:
        raise ValueError(f"{kind} is linked exactly, not probabilistically")
    if not new or not existing:
        return []
    con = duckdb.connect()
    try:
        load(con, "new_records", frame(kind, new))
        load(con, "existing_records", frame(kind, existing))
        model = linker(kind, con, ["new_records", "existing_records"],
                       blocking=LSH_RULES if blocked else ALL_PAIRS)
        scored = model.inference.predict(threshold_match_probability=threshold)
        result: pd.DataFrame = scored.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    finally:
        con.close()
    blooms = {r.record_id: r.bloom for r in (*new, *existing)}
    new_ids = {r.record_id for r in new}
    found = []
    for match in matches(kind, result):
        left, right = (match.left, match.right) if match.left in new_ids \
            else (match.right, match.left)
        found.append(Match(left, right, match.probability,
                           linkage.dice(blooms[left], blooms[right]), match.evidence))
    return sorted(found, key=lambda m: (-m.probability, m.right))


def dedupe(kind: LinkKind, records: Sequence[Record], *, threshold: float = THRESHOLD
           ) -> list[Match]:
    """Every pair of ``records`` taken to match (LSH blocking): the batch linkage."""
    if len(records) < 2:
        return []
    con = duckdb.connect()
    try:
        load(con, "records", frame(kind, records))
        scored = linker(kind, con, ["records"]).inference.predict(
            threshold_match_probability=threshold)
        result: pd.DataFrame = scored.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    finally:
        con.close()
    blooms = {r.record_id: r.bloom for r in records}
    return [Match(m.left, m.right, m.probability, linkage.dice(blooms[m.left], blooms[m.right]),
                  m.evidence) for m in matches(kind, result)]


def _value_level(a: Record, b: Record) -> str:
    if a.bloom == b.bloom:
        return "same"
    similarity = linkage.dice(a.bloom, b.bloom)
    for code, low in VALUE_LEVELS[1:]:
        if similarity >= low - 1e-12:
            return code
    return "different"


def score(kind: LinkKind, new: Record, other: Record) -> Match:
    """One pair scored with the model's parameters, as splink scores it (``find``).

    Intake compares one signal with a handful of candidates; starting DuckDB and building a
    splink linker for that costs 0.3-0.9 s, the arithmetic microseconds. A test holds this
    to splink's own probabilities on the synthetic set.
    """
    params = PARAMS[kind]
    levels = {"value": _value_level(new, other)}
    for field in CONTEXT[kind]:
        left, right = new.context.get(field), other.context.get(field)
        levels[field] = "unknown" if left is None or right is None else (
            "same" if left == right else "different")
    evidence = []
    for field, level in levels.items():
        factor = 1.0
        if level != "unknown":
            i = level_codes(field).index(level)
            factor = params[field].m[i] / params[field].u[i]
        evidence.append(Evidence(field, level, factor))
    odds = PRIOR[kind] / (1 - PRIOR[kind]) * math.prod(e.bayes_factor for e in evidence)
    return Match(new.record_id, other.record_id, odds / (1 + odds),
                 linkage.dice(new.bloom, other.bloom), tuple(evidence))
