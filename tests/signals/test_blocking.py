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
    regs = synthetic.registrations(n // 2, seed=seed)[:n]
    out = []
    for reg in regs:
        key = linkage.make_key(LinkKind.PERSON, reg.name, key=KEY, share=False)
        assert key is not None
        out.append(key.bloom)
    return out


def _pairs(keys: np.ndarray) -> int:
    """Distinct record pairs sharing a kept key in some band (what splink would compare)."""
    found: set[tuple[int, int]] = set()
    for b in range(keys.shape[1]):
        groups: dict[int, list[int]] = {}
        for i, k in enumerate(keys[:, b].tolist()):
            if k >= 0:
                groups.setdefault(k, []).append(i)
        for members in groups.values():
            found.update(combinations(members, 2))
    return len(found)


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
    assert (rare >= 0).all()


def test_pairs_per_record_stay_bounded_when_the_register_doubles(
        monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = _blooms(1500), _blooms(3000)

    def growth() -> tuple[float, float]:
        per_small = _pairs(matching.band_keys(small)) / len(small)
        per_large = _pairs(matching.band_keys(large)) / len(large)
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
    assert per_large <= matching.BANDS * 3 / 2


def test_splink_compares_exactly_the_pairs_that_share_a_kept_key() -> None:
    blooms = _blooms(600)
    records = [matching.Record(i, b, {"nationality": None, "gender": None, "age_band": None})
               for i, b in enumerate(blooms)]
    con = duckdb.connect()
    register = matching.Register.of(LinkKind.PERSON, records)
    matching.load(con, "records", matching.frame(LinkKind.PERSON, records, register))
    model = matching.linker(LinkKind.PERSON, con, ["records"], size=len(records))
    scored = model.inference.predict()
    (count,) = con.execute(f"SELECT count(*) FROM {scored.physical_name}").fetchone() or (0,)
    con.close()
    assert count == _pairs(matching.band_keys(blooms))
