"""Probabilistic linkage of signals with splink (Fellegi-Sunter) on an in-process DuckDB.

Every identifying value is compared through its keyed Bloom-filter encoding (``linkage``),
also when the organisation shared the raw value: one comparison serves organisations that
share identities and those that do not, and no raw value is needed to link. Around the
identifying value the model weighs what the signals say anyway: nationality, gender and age
band for a person; region and sector for an employer; region for an address. Each link keeps
its evidence per field (splink's Bayes factors), so a professional reads why two signals are
taken to concern the same person, and can disagree.

Two things follow the register rather than being fixed: the prior (how likely two signals
picked at random concern the same entity falls as the register grows, ``prior``) and how
common the identifying value is (splink's term-frequency adjustment on the encodings,
``Register``): agreeing on a name that half the register shares says less than agreeing on
one that no other signal holds. The m and u probabilities stay fixed, so a link depends on the
register only through its size and the frequency of the value.

In a batch (``dedupe``, ``find``; the relink command and the benchmark) candidate pairs come
from locality-sensitive hashing on the encodings (Hamming LSH: records that agree on all bits
at a band's fixed positions are compared), so encoded values are blocked without being
decoded; a band key that many records hold is refined or dropped (``KEY_CAP``), so that
the pairs compared grow with the register rather than with its square. A second rule keeps a
too-common key for the records that also agree on some context (``CONTEXT_BANDS``), so
that people with common names are still compared with their namesakes of the same
nationality or age band. At intake one signal
meets the stored ones and ``score`` applies the same parameters pair by pair.
"""

from __future__ import annotations

import itertools
import logging
import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.blocking_rule_library import CustomRule
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from ketenzicht.signals import linkage
from ketenzicht.signals.enums import AgeBand, LinkKind

# Hamming LSH: BANDS bands of BAND_BITS fixed bit positions each; two records that agree on
# every position of a band are compared. Set with the frequency cap below on the synthetic
# benchmark (benchmarks/linkage.py; docs/benchmarks.md): 20 bands without a cap made 94 % of
# true pairs candidates at 10k records; 30 with the cap make 95 % at 10k and 92 % at 40k.
BANDS = 30
BAND_BITS = 26
_POSITIONS = [random.Random(f"ketenzicht-lsh-{b}").sample(range(linkage.BLOOM_BITS), BAND_BITS)  # noqa: S311
              for b in range(BANDS)]
# A frequency cap on the band keys (issue 25). With fixed keys a band key is held by a
# share of the register, so the pairs it yields grow with the square of the register (0.5 %
# of all pairs at 10k and at 100k records). A key held by more than KEY_CAP records is
# refined with REFINE_BITS more positions of the same band, up to REFINE_LEVELS times, and
# a key still held by more than KEY_CAP records is dropped: each band then yields at most
# KEY_CAP / 2 pairs per record, so candidate pairs grow with the register rather than its
# square. True pairs agree on most bits, so they keep a refined key far more often than
# strangers do.
KEY_CAP = 20
REFINE_BITS = 6
REFINE_LEVELS = 4
_REFINE = [random.Random(f"ketenzicht-lsh-refine-{b}").sample(  # noqa: S311
    sorted(set(range(linkage.BLOOM_BITS)) - set(_POSITIONS[b])), REFINE_BITS * REFINE_LEVELS)
    for b in range(BANDS)]
# The second blocking rule (issue 25): a coarse band key held by more than KEY_CAP records
# is common because the name is, and identical encodings share every key, so no refinement
# splits them and the cap dropped them: 31 % of the true pairs of a 100k register were never
# compared. CONTEXT_BANDS more columns each keep such a key for the records that also agree
# on one combination of the context (nationality; age band; nationality and gender; ...),
# again capped at KEY_CAP. 0 turns the rule off (the benchmark's ``--context-bands 0``).
CONTEXT_BANDS = 24


# A link is made at this probability or above. A false link only tells two professionals to
# call each other about a signal that turns out to concern someone else, while a missed one
# leaves the coordination that the chain lacks undone; docs/benchmarks.md has precision and
# recall at this and other thresholds.
THRESHOLD = 0.8

# What the model weighs besides the identifying value itself, per kind.
CONTEXT: dict[LinkKind, tuple[str, ...]] = {
    LinkKind.PERSON: ("nationality", "gender", "age_band"),
    LinkKind.EMPLOYER: ("region", "sector"),
    LinkKind.ADDRESS: ("region",),
}
# Context fields with an order: a neighbouring value is its own level ("near"), because a
# guessed age lands in the next band far more often than two strangers' ages do.
ORDERED: dict[str, tuple[str, ...]] = {
    "age_band": tuple(b.value for b in AgeBand if b is not AgeBand.UNKNOWN)}

# Levels of the identifying value, best first: (code, lowest Dice coefficient).
# Between 0.8 and 0.9 the share of true pairs rises from 3 % to 32 % on the synthetic set,
# so that range has three levels rather than one.
VALUE_LEVELS: tuple[tuple[str, float], ...] = (
    ("same", 1.0), ("dice_95", 0.95), ("dice_90", 0.90), ("dice_875", 0.875),
    ("dice_85", 0.85), ("dice_80", 0.80), ("dice_70", 0.70))
# The same on shared plain text, with Jaro-Winkler similarity instead of Dice.
PLAIN_LEVELS: tuple[tuple[str, float], ...] = (
    ("same", 1.0), ("jw_97", 0.97), ("jw_95", 0.95), ("jw_92", 0.92), ("jw_90", 0.90),
    ("jw_85", 0.85))


@dataclass(frozen=True)
class Params:
    """m and u probabilities of one comparison, best level first, the else level last."""

    m: tuple[float, ...]
    u: tuple[float, ...]


# Fellegi-Sunter parameters, fixed here so that a link does not depend on what else happens
# to be in the database beyond its size and the frequency of the value. Person: estimated with
# splink on synthetic registrations of another seed than the benchmark's
# (``benchmarks/linkage.py --train --seed 1``: u by random sampling, m from the known true
# pairs) and rounded. Employer and address: set by hand in the same proportions (no synthetic
# set with their context yet; the finer levels split the earlier ones, each keeping the
# Bayes factor of the level it came from); re-estimate when the encoding, the generator or
# real experience differ.
PARAMS: dict[LinkKind, dict[str, Params]] = {
    LinkKind.PERSON: {
        # Where the estimated u of a near level made it weigh more than the level above it
        # (namesakes share a name exactly, so exact agreement is the commoner one among
        # strangers), u is raised until it weighs a little less: a nearer match never
        # weighs less than a further one.
        "value": Params(m=(0.47, 0.14, 0.09, 0.08, 0.05, 0.07, 0.07, 0.03),
                        u=(1.6e-4, 5e-5, 3.3e-5, 3.4e-5, 6.1e-5, 2.7e-4, 2.2e-3, 0.997192)),
        "nationality": Params(m=(0.95, 0.05), u=(0.087, 0.913)),
        "gender": Params(m=(0.98, 0.02), u=(0.5, 0.5)),
        # Estimated: m of a band further off 0.002, because the generator only ever guesses
        # the next band. Set to 0.02 instead: false papers state another age altogether.
        "age_band": Params(m=(0.85, 0.13, 0.02), u=(0.2, 0.28, 0.52)),
    },
    LinkKind.EMPLOYER: {
        # u of an identical business name: 1e-4, not 1e-3. Two different businesses rarely
        # carry the same full trade name once legal forms are dropped, and 1e-3 meant that
        # four signals from three organisations about one "Massagesalon Lotus" stayed apart
        # unless region and sector were both filled in and equal (issue 18). A name many
        # businesses share ("Uitzendbureau") is still weighed down by its frequency.
        "value": Params(m=(0.6, 0.05, 0.05, 0.07, 0.07, 0.06, 0.07, 0.03),
                        u=(1e-4, 2.5e-4, 2.5e-4, 7e-4, 7e-4, 6e-4, 8e-3, 0.9894)),
        # An employer (an agency above all) often works in more than one region.
        "region": Params(m=(0.7, 0.3), u=(0.1, 0.9)),
        "sector": Params(m=(0.85, 0.15), u=(0.1, 0.9)),
    },
    LinkKind.ADDRESS: {
        "value": Params(m=(0.6, 0.15, 0.1, 0.04, 0.03, 0.03, 0.03, 0.02),
                        u=(1e-4, 6e-5, 4e-5, 2e-4, 1.5e-4, 1.5e-4, 2e-3, 0.9973)),
        "region": Params(m=(0.95, 0.05), u=(0.1, 0.9)),
    },
}

# The prior: of N records, each has on average EXPECTED_OTHERS other records of the same
# entity, so two records picked at random match with probability EXPECTED_OTHERS / (N - 1);
# at intake that is the chance that the new signal concerns one given stored signal. An
# assumption about the chain, not an estimate: a person comes to notice through about three
# organisations in all (police, care, shelter, municipality, CoMensha), an employer or agency
# more often. The benchmark prints what a register itself suggests (EM on the prior alone)
# next to the truth of its synthetic set (1.6 other records per record there).
EXPECTED_OTHERS: dict[LinkKind, float] = {
    LinkKind.PERSON: 2.0, LinkKind.EMPLOYER: 3.0, LinkKind.ADDRESS: 1.0}
# A small register is no evidence that its signals concern few entities: below
# EXPECTED_OTHERS / PRIOR_MAX records the prior stays at this.
PRIOR_MAX = 1e-3

# Term frequencies are smoothed with TF_ALPHA pseudo-occurrences in TF_PSEUDO pseudo-records
# (TF_ALPHA / u of the "same" level): in an empty register every value weighs as the fixed u
# says, and the handful of signals in a new register does not make their values look common.
# A half rather than a whole pseudo-occurrence: a value no other entity holds in a large
# register is rarer than one seen once.
TF_ALPHA = 0.5
# How much of the frequency adjustment a near match gets (splink's tf_adjustment_weight).
NEAR_TF_WEIGHT = 1.0
TF_PSEUDO: dict[LinkKind, float] = {
    kind: round(TF_ALPHA / params["value"].u[0]) for kind, params in PARAMS.items()}
# A frequency adjustment between these bounds is reported as "usual", beyond them as "rare"
# or "common" (factors on the odds).
RARE, COMMON = 2.0, 0.5


def prior(kind: LinkKind, size: int) -> float:
    """Probability that two records of a register of ``size`` concern the same entity."""
    return min(PRIOR_MAX, EXPECTED_OTHERS[kind] / max(size - 1, 1))


@dataclass(frozen=True)
class Record:
    """One identifying value of one signal, with the context the model weighs."""

    record_id: int
    bloom: int
    context: dict[str, str | None]
    norm: str | None = None


@dataclass(frozen=True)
class Register:
    """The register a record is scored in: its size and how often each value occurs."""

    kind: LinkKind
    size: int
    blooms: Mapping[int, int]
    norms: Mapping[str, int]
    shared: int

    @classmethod
    def of(cls, kind: LinkKind, records: Iterable[Record]) -> Register:
        """Count the encodings (and shared texts) of ``records``."""
        listed = list(records)
        norms = Counter(r.norm for r in listed if r.norm is not None)
        return cls(kind, len(listed), Counter(r.bloom for r in listed), norms,
                   sum(norms.values()))

    def _smoothed(self, count: int, total: int) -> float:
        # u asks how often a value occurs among *other* entities: the record itself and the
        # EXPECTED_OTHERS records of its own entity are not counted.
        others = max(count - 1 - EXPECTED_OTHERS[self.kind], 0.0)
        return (others + TF_ALPHA) / (total + TF_PSEUDO[self.kind])

    def tf(self, bloom: int) -> float:
        """Smoothed share of the register holding the encoding ``bloom``."""
        return self._smoothed(self.blooms.get(bloom, 0), self.size)

    def tf_norm(self, norm: str) -> float:
        """Smoothed share of the register (shared texts) holding ``norm``."""
        return self._smoothed(self.norms.get(norm, 0), self.shared)


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
        return f"jaro_winkler_similarity(value_norm_l, value_norm_r) >= {low}"
    return (f"2.0 * bit_count(value_bits_l & value_bits_r) / "
            f"(value_ones_l + value_ones_r) >= {low}")


def _levels(field: str, params: Params, plain: bool
            ) -> list[ComparisonLevelCreator | dict[str, Any]]:
    out: list[ComparisonLevelCreator | dict[str, Any]]
    if field == "value":
        column = "value_norm" if plain else "value_hex"
        levels = PLAIN_LEVELS if plain else VALUE_LEVELS
        out = [cll.NullLevel(column)]
        for (code, low), m, u in zip(levels, params.m, params.u, strict=False):
            # Every agreeing level is adjusted by how common the value is (the more common
            # of the two for a near match), against the u of the exact level.
            level = cll.ExactMatchLevel(column) if code == "same" else cll.CustomLevel(
                _value_sql(code, low, plain))
            weight = 1.0 if code == "same" else NEAR_TF_WEIGHT
            out.append(level.configure(m_probability=m, u_probability=u,
                                       label_for_charts=code, tf_adjustment_column=column,
                                       tf_adjustment_weight=weight))
    else:
        out = [cll.NullLevel(field),
               cll.ExactMatchLevel(field).configure(m_probability=params.m[0],
                                                    u_probability=params.u[0])]
        if field in ORDERED:
            out.append(cll.CustomLevel(f"abs({field}_rank_l - {field}_rank_r) = 1").configure(
                m_probability=params.m[1], u_probability=params.u[1], label_for_charts="near"))
    out.append(cll.ElseLevel().configure(m_probability=params.m[-1],
                                         u_probability=params.u[-1]))
    return out


def level_codes(field: str, *, plain: bool = False) -> list[str]:
    """Level codes of a field, best first, the else level ("different") last."""
    levels = PLAIN_LEVELS if plain else VALUE_LEVELS
    if field == "value":
        named = [code for code, _low in levels]
    else:
        named = ["same", "near"] if field in ORDERED else ["same"]
    return [*named, "different"]


def level_of(field: str, params: Params, weight: float, *, plain: bool = False) -> str:
    """The level whose weight log2(m/u) is ``weight``; "unknown" for a missing value."""
    for code, m, u in zip(level_codes(field, plain=plain), params.m, params.u, strict=True):
        if abs(math.log2(m / u) - weight) < 1e-6:
            return code
    return "unknown"


def frequency(factor: float) -> Evidence:
    """How common the agreeing value is, as evidence: "rare", "usual" or "common"."""
    level = "rare" if factor >= RARE else "common" if factor <= COMMON else "usual"
    return Evidence("frequency", level, factor)


def lsh_rules() -> list[str]:
    """One blocking rule per column of ``band_keys`` (read when called: the benchmark sets
    ``KEY_CAP`` and ``CONTEXT_BANDS``)."""
    return [f"l.lsh_{b} = r.lsh_{b}" for b in range(BANDS + CONTEXT_BANDS)]



# Compare every new record with every candidate (few, already filtered on similarity).
ALL_PAIRS = ["l.unique_id IS NOT NULL AND r.unique_id IS NOT NULL"]


LinkType = Literal["link_only", "dedupe_only"]


def settings(kind: LinkKind, *, size: int, link_type: LinkType = "link_only",
             params: dict[str, Params] | None = None, plain: bool = False,
             blocking: Sequence[str] | None = None) -> SettingsCreator:
    """The splink model of ``kind`` for a register of ``size`` records."""
    chosen = params or PARAMS[kind]
    comparisons: list[ComparisonCreator | dict[str, Any]] = [
        cl.CustomComparison(_levels(f, chosen[f], plain), output_column_name=f)
        for f in ("value", *CONTEXT[kind])]
    return SettingsCreator(
        link_type=link_type, comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            CustomRule(rule) for rule in (lsh_rules() if blocking is None else blocking)],
        probability_two_random_records_match=prior(kind, size),
        retain_intermediate_calculation_columns=True, retain_matching_columns=False)


def _words(blooms: Sequence[int]) -> npt.NDArray[np.uint64]:
    """Encodings as rows of 64-bit words (bit ``p`` in word ``p // 64``)."""
    size = linkage.BLOOM_BITS // 8
    raw = b"".join(b.to_bytes(size, "little") for b in blooms)
    return np.frombuffer(raw, dtype="<u8").reshape(len(blooms), size // 8)


def _key(words: npt.NDArray[np.uint64], positions: Sequence[int]) -> npt.NDArray[np.int64]:
    key = np.zeros(len(words), dtype=np.int64)
    for j, p in enumerate(positions):
        bit = (words[:, p // 64] >> np.uint64(p % 64)) & np.uint64(1)
        key |= bit.astype(np.int64) << j
    return key


def _counts(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """For each key, how many rows hold it."""
    _unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    found: npt.NDArray[np.int64] = counts[inverse.reshape(-1)]
    return found


def _context_codes(contexts: Sequence[Mapping[str, str | None]],
                   fields: Sequence[str]) -> npt.NDArray[np.int64]:
    """A code per record for its values of ``fields``; -1 where one of them is missing."""
    codes: dict[tuple[str | None, ...], int] = {}
    out = np.full(len(contexts), -1, dtype=np.int64)
    for i, context in enumerate(contexts):
        values = tuple(context.get(f) for f in fields)
        if all(v is not None for v in values):
            out[i] = codes.setdefault(values, len(codes))
    return out


def _combinations(contexts: Sequence[Mapping[str, str | None]]) -> list[tuple[str, ...]]:
    """The context combinations of the second rule: each field, then each two of them."""
    fields = sorted({f for c in contexts for f in c})
    return [*((f,) for f in fields), *itertools.combinations(fields, 2)]


def band_keys(blooms: Sequence[int],
              contexts: Sequence[Mapping[str, str | None]] | None = None
              ) -> npt.NDArray[np.int64]:
    """The blocking keys of each encoding, frequency-capped; -1 where dropped.

    One column per LSH band (``BANDS``), then one per band of the second rule
    (``CONTEXT_BANDS``, all dropped without ``contexts``). Counted over ``blooms``, which is
    the whole register being linked: a key is as common as the register makes it (``KEY_CAP``,
    ``REFINE_BITS``).
    """
    words = _words(blooms)
    combos = _combinations(contexts) if contexts is not None and CONTEXT_BANDS else []
    out = np.full((len(blooms), BANDS + CONTEXT_BANDS), -1, dtype=np.int64)
    coarse = []
    for b in range(BANDS):
        key = _key(words, _POSITIONS[b])
        coarse.append(key)
        rows = np.arange(len(blooms))
        for level in range(REFINE_LEVELS + 1):
            if level:
                # A refined key keeps the coarser one and is marked with its level, so it
                # never equals a key of another level.
                extra = _REFINE[b][(level - 1) * REFINE_BITS:level * REFINE_BITS]
                key = (key | (_key(words[rows], extra) << (BAND_BITS + (level - 1) * REFINE_BITS))
                       | (level << 58))
            common = _counts(key) > KEY_CAP
            out[rows[~common], b] = key[~common]
            rows, key = rows[common], key[common]
            if not len(rows):
                break
    if combos and contexts is not None:
        codes = [_context_codes(contexts, c) for c in combos]
        full = _context_codes(contexts, sorted({f for c in combos for f in c}))
        for c in range(CONTEXT_BANDS):
            out[:, BANDS + c] = _context_key(coarse[c % BANDS], codes[c % len(codes)], full)
    return out


def _context_key(coarse: npt.NDArray[np.int64], code: npt.NDArray[np.int64],
                 full: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The second rule's key: a too-common coarse band key together with some context.

    Records that share a common name are compared with the namesakes of the same
    nationality, say, rather than with none; a spelling variant of that name that keeps the
    coarse key meets them too. Each context band takes another combination, so a true pair
    with one wrong or missing context value still meets in another. A group still above
    the cap is split by the whole context (``full``), then dropped.
    """
    out = np.full(len(coarse), -1, dtype=np.int64)
    rows = np.flatnonzero(_counts(coarse) > KEY_CAP)
    for level, by in enumerate((code, full)):
        rows = rows[by[rows] >= 0]
        if not len(rows):
            break
        _unique, group = np.unique(np.stack([coarse[rows], by[rows]], axis=1), axis=0,
                                   return_inverse=True)
        group = group.reshape(-1).astype(np.int64)
        kept = _counts(group) <= KEY_CAP
        # Marked with its level, so that a key of one level equals none of the other.
        out[rows[kept]] = group[kept] | (level << 58)
        rows = rows[~kept]
    return out


def contexts(kind: LinkKind, records: Sequence[Record]) -> list[dict[str, str | None]]:
    """The context of each record that the blocking may split a common key by."""
    return [{f: r.context.get(f) for f in CONTEXT[kind]} for r in records]


def frame(kind: LinkKind, records: Sequence[Record], register: Register,
          bands: npt.NDArray[np.int64] | None = None) -> pd.DataFrame:
    """Records as the table splink reads: encoding, shared text, their frequencies, context.

    The frequencies are given as the ``tf_`` columns splink would otherwise count itself, so
    that they are smoothed (``Register``) and the same at intake as in a batch. ``bands``
    are the records' band keys counted over the whole register (``band_keys``); by default
    they are counted over ``records``.
    """
    fields = CONTEXT[kind]
    ranks = {f: {v: i for i, v in enumerate(ORDERED[f])} for f in fields if f in ORDERED}
    keys = band_keys([r.bloom for r in records], contexts(kind, records)) \
        if bands is None else bands
    return pd.DataFrame({
        "unique_id": pd.Series([r.record_id for r in records], dtype="int64"),
        "value_hex": pd.Series([linkage.to_hex(r.bloom) for r in records], dtype="string"),
        "value_norm": pd.Series([r.norm for r in records], dtype="string"),
        "tf_value_hex": pd.Series([register.tf(r.bloom) for r in records], dtype="float64"),
        "tf_value_norm": pd.Series([None if r.norm is None else register.tf_norm(r.norm)
                                    for r in records], dtype="float64"),
        **{f: pd.Series([r.context.get(f) for r in records], dtype="string")
           for f in fields},
        **{f"{f}_rank": pd.Series([order.get(r.context.get(f) or "") for r in records],
                                  dtype="Int64") for f, order in ranks.items()},
        **{f"lsh_{b}": pd.Series(keys[:, b], dtype="Int64").mask(keys[:, b] < 0)
           for b in range(keys.shape[1])}})


def load(con: duckdb.DuckDBPyConnection, name: str, data: pd.DataFrame) -> None:
    """Create table ``name`` with the bit columns the model compares on."""
    con.register(f"{name}_src", data)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT *, bit_count(b) AS value_ones "  # noqa: S608 - names are ours
                f"FROM (SELECT *, CAST(unhex(value_hex) AS BIT) AS b FROM {name}_src)")
    con.execute(f"ALTER TABLE {name} RENAME COLUMN b TO value_bits")
    con.unregister(f"{name}_src")


def linker(kind: LinkKind, con: duckdb.DuckDBPyConnection, tables: Sequence[str], *,
           size: int, **options: Any) -> Linker:
    """A splink linker of ``kind`` over tables already loaded into ``con``."""
    db_api = DuckDBAPI(connection=con)
    frames = [db_api.register(t, dataset_display_name=t) for t in tables]
    link_type: LinkType = "dedupe_only" if len(frames) == 1 else "link_only"
    made = settings(kind, size=size, link_type=link_type, **options)
    return Linker(frames[0] if len(frames) == 1 else frames, made, log_level=logging.WARNING)


def matches(kind: LinkKind, result: pd.DataFrame, params: dict[str, Params] | None = None,
            *, plain: bool = False) -> list[Match]:
    """Scored pairs from splink's prediction as matches with their evidence per field."""
    chosen = params or PARAMS[kind]
    fields = ("value", *CONTEXT[kind])
    out = []
    for row in result.to_dict("records"):
        evidence = [Evidence(f, level_of(f, chosen[f], float(row[f"mw_{f}"]), plain=plain),
                             2.0 ** float(row[f"mw_{f}"])) for f in fields]
        if evidence[0].level not in ("different", "unknown"):
            evidence.insert(1, frequency(2.0 ** float(row["mw_tf_adj_value"])))
        out.append(Match(int(row["unique_id_l"]), int(row["unique_id_r"]),
                         float(row["match_probability"]), 0.0, tuple(evidence)))
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
    register = Register.of(kind, [*new, *existing])
    bands = band_keys([r.bloom for r in (*new, *existing)], contexts(kind, [*new, *existing]))
    con = duckdb.connect()
    try:
        load(con, "new_records", frame(kind, new, register, bands[:len(new)]))
        load(con, "existing_records", frame(kind, existing, register, bands[len(new):]))
        model = linker(kind, con, ["new_records", "existing_records"], size=register.size,
                       blocking=lsh_rules() if blocked else ALL_PAIRS)
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
    register = Register.of(kind, records)
    con = duckdb.connect()
    try:
        load(con, "records", frame(kind, records, register))
        scored = linker(kind, con, ["records"], size=register.size).inference.predict(
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


def _context_level(field: str, left: str | None, right: str | None) -> str:
    if left is None or right is None:
        return "unknown"
    if left == right:
        return "same"
    order = ORDERED.get(field)
    if order and left in order and right in order \
            and abs(order.index(left) - order.index(right)) == 1:
        return "near"
    return "different"


def score(kind: LinkKind, new: Record, other: Record, register: Register) -> Match:
    """One pair scored with the model's parameters, as splink scores it (``find``).

    ``register`` holds both records. Intake compares one signal with a handful of
    candidates; starting DuckDB and building a splink linker for that costs 0.3-0.9 s, the
    arithmetic microseconds. A test holds this to splink's own probabilities.
    """
    params = PARAMS[kind]
    levels = {"value": _value_level(new, other)}
    for field in CONTEXT[kind]:
        levels[field] = _context_level(field, new.context.get(field), other.context.get(field))
    evidence = []
    for field, level in levels.items():
        factor = 1.0
        if level != "unknown":
            i = level_codes(field).index(level)
            factor = params[field].m[i] / params[field].u[i]
        evidence.append(Evidence(field, level, factor))
    if levels["value"] != "different":
        common = max(register.tf(new.bloom), register.tf(other.bloom))
        weight = 1.0 if levels["value"] == "same" else NEAR_TF_WEIGHT
        evidence.insert(1, frequency((params["value"].u[0] / common) ** weight))
    odds = prior(kind, register.size) / (1 - prior(kind, register.size)) * math.prod(
        e.bayes_factor for e in evidence)
    return Match(new.record_id, other.record_id, odds / (1 + odds),
                 linkage.dice(new.bloom, other.bloom), tuple(evidence))
