"""Candidate pairs of the batch linkage grow with the register, not its square (issue 25)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import duckdb
import numpy as np
import pytest

from ketenzicht.signals import linkage, matching, synthetic
from ketenzicht.signals.enums import LinkKind

KEY = b"test key"


def _blooms(n: int, seed: int = 3) -> list[int]:
    return _register(n, seed)[0]


def _register(n: int, seed: int = 3
              ) -> tuple[list[int], list[dict[str, str | None]], list[int]]:
    """Encodings, contexts and the person of ``n`` generated registrations."""
    regs = synthetic.registrations(n // 2, seed=seed)[:n]
    blooms, contexts = [], []
    for reg in regs:
        key = linkage.make_key(LinkKind.PERSON, reg.name, key=KEY, share=False)
        assert key is not None
        blooms.append(key.bloom)
        contexts.append({"nationality": reg.nationality, "gender": reg.gender,
                         "age_band": reg.age_band})
    return blooms, contexts, [reg.entity for reg in regs]


def _true_pairs(entities: list[int]) -> set[tuple[int, int]]:
    members: dict[int, list[int]] = {}
    for i, e in enumerate(entities):
        members.setdefault(e, []).append(i)
    return {p for m in members.values() for p in combinations(m, 2)}


def _pairs(keys: np.ndarray) -> int:
    """Distinct record pairs sharing a kept key in some band (what splink would compare)."""
    return len(_pair_set(keys))


def _pair_set(keys: np.ndarray) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for b in range(keys.shape[1]):
        groups: dict[int, list[int]] = {}
        for i, k in enumerate(keys[:, b].tolist()):
            if k >= 0:
                groups.setdefault(k, []).append(i)
        for members in groups.values():
            found.update(combinations(members, 2))
    return found


def test_no_band_key_is_held_by_more_records_than_the_cap() -> None:
    blooms = _blooms(3000)
    # The same common name many times over: without the cap it would share every key.
    blooms += [blooms[0]] * (3 * matching.KEY_CAP)
    keys = matching.band_keys(blooms)
    for b in range(matching.BANDS):
        held = Counter(k for k in keys[:, b].tolist() if k >= 0)
        assert max(held.values()) <= matching.KEY_CAP
    # The repeated encoding's keys were all too common: it is left to its refined keys or
    # dropped, never compared with every record that shares a coarse key.
    assert (keys[-1] != matching.band_keys(blooms[:1])[0]).any()
    # A key held by few records is kept as it is.
    rare = matching.band_keys(blooms[:50])
    assert (rare[:, :matching.BANDS] >= 0).all()
    # Without contexts the second rule has nothing to split by: its columns are all dropped.
    assert (matching.band_keys(blooms)[:, matching.BANDS:] < 0).all()


def test_pairs_per_record_stay_bounded_when_the_register_doubles(
        monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = _register(1500), _register(3000)

    def growth() -> tuple[float, float]:
        # Both rules: the LSH bands and the common names split by context.
        per_small = _pairs(matching.band_keys(small[0], small[1])) / len(small[0])
        per_large = _pairs(matching.band_keys(large[0], large[1])) / len(large[0])
        return per_large, per_large / per_small

    # Registers this small hold few keys as common as the real cap: a cap scaled down with
    # them (the same rule) shows the growth of a register a hundred times larger.
    monkeypatch.setattr(matching, "KEY_CAP", 10**9)
    _uncapped, uncapped_growth = growth()
    monkeypatch.setattr(matching, "KEY_CAP", 3)
    per_large, capped_growth = growth()
    # Without a cap the pairs are a fixed share of all pairs: per record they double with
    # the register. With it each band yields at most KEY_CAP / 2 pairs per record.
    assert uncapped_growth > 1.7
    assert capped_growth < 1.3
    assert per_large <= (matching.BANDS + matching.CONTEXT_BANDS) * 3 / 2


def test_the_context_rule_wins_back_the_recall_the_cap_costs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A cap scaled down to a small register (as above) drops common names as the real cap
    # drops them at 100k records: blocking recall 0.68 without the second rule, 0.84 with.
    blooms, contexts, entities = _register(3000)
    truth = _true_pairs(entities)
    monkeypatch.setattr(matching, "KEY_CAP", 3)

    def recall(context_bands: int) -> float:
        monkeypatch.setattr(matching, "CONTEXT_BANDS", context_bands)
        return len(_pair_set(matching.band_keys(blooms, contexts)) & truth) / len(truth)

    bands = matching.CONTEXT_BANDS
    without, with_rule = recall(0), recall(bands)
    # The floor: 0.80 of the true pairs become candidates (0.84 measured, 0.96 uncapped).
    assert with_rule >= 0.80
    assert with_rule > without + 0.1


def test_splink_compares_exactly_the_pairs_that_share_a_kept_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A small cap, so that the second rule's columns hold keys too.
    monkeypatch.setattr(matching, "KEY_CAP", 3)
    blooms, contexts, _entities = _register(600)
    records = [matching.Record(i, b, c) for i, (b, c) in enumerate(zip(blooms, contexts,
                                                                       strict=True))]
    con = duckdb.connect()
    register = matching.Register.of(LinkKind.PERSON, records)
    matching.load(con, "records", matching.frame(LinkKind.PERSON, records, register))
    model = matching.linker(LinkKind.PERSON, con, ["records"], size=len(records))
    scored = model.inference.predict()
    (count,) = con.execute(f"SELECT count(*) FROM {scored.physical_name}").fetchone() or (0,)
    con.close()
    keys = matching.band_keys(blooms, contexts)
    assert (keys[:, matching.BANDS:] >= 0).any()
    assert count == _pairs(keys)
