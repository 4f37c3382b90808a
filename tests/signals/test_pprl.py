"""Linkage at the source: key shares, encodings, links, and a frequency attack (no database)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketenzicht.signals.pprl import keys
from ketenzicht.signals.pprl.cli import app
from ketenzicht.signals.pprl.encode import encode_record
from ketenzicht.signals.pprl.link import compare, link
from ketenzicht.signals.pprl.schema import published

SCHEMA = published()
PERSON = {"person": "Ana Popescu", "birth_year": "1994", "phone": "06 12345678"}


def _key(version: str = "2026") -> keys.LinkageKey:
    return keys.combine(keys.keygen(version, 3))


def test_shares_combine_only_when_all_present() -> None:
    shares = keys.keygen("2026", 3)
    key = keys.combine(list(reversed(shares)))
    assert key.version == "2026" and len(key.secret) == 32
    with pytest.raises(keys.ShareError, match="missing"):
        keys.combine(shares[:2])
    with pytest.raises(keys.ShareError, match="different keys"):
        keys.combine([*shares[:2], keys.keygen("2027", 3)[2]])
    with pytest.raises(keys.ShareError, match="year"):
        keys.keygen("next", 3)


def test_two_organisations_with_the_shared_key_link_and_another_version_links_nothing() -> None:
    shares = keys.keygen("2026", 2)
    # Each organisation combines the same shares on its own machine.
    at_police, at_ngo = keys.combine(shares), keys.combine(shares)
    police = encode_record(PERSON, at_police, SCHEMA)
    ngo = encode_record({"person": "popescu, Ána", "birth_year": "1994",
                         "phone": "+31612345678"}, at_ngo, SCHEMA)
    other = encode_record({"person": "Jan de Vries", "birth_year": "1980"}, at_police, SCHEMA)
    assert "Popescu" not in str(police.to_json()) and "612345678" not in str(police.to_json())
    found = link([police, ngo, other], SCHEMA)
    assert [(x.left, x.right) for x in found] == [(0, 1)]
    assert "person: agrees" in found[0].explanation() and "phone: agrees" in found[0].explanation()
    next_year = encode_record(PERSON, _key("2027"), SCHEMA)
    assert link([police, next_year], SCHEMA) == []
    # Even relabelled with the old version, a 2027 encoding shares nothing with a 2026 one.
    relabelled = type(next_year)(next_year.schema_version, "2026", next_year.fields)
    weight, fields = compare(police, relabelled, SCHEMA)
    assert weight == 0.0 and all(not f.agreed for f in fields)


def _population(rng: random.Random, size: int) -> list[dict[str, str]]:
    names = [f"{first} {last}" for first, last in zip(
        ["Ana", "Maria", "Elena", "Olena", "Iryna", "Natalia", "Ioana", "Daria", "Sofia", "Anna",
         "Yulia", "Alina", "Oksana", "Svetlana", "Irina", "Larisa", "Diana", "Roxana", "Vera",
         "Nina"], ["Popescu", "Ionescu", "Shevchenko", "Kowalska", "Nowak", "Bondar", "Popa",
                   "Melnyk", "Kravets", "Horvat", "Dumitru", "Stan", "Lysenko", "Tkachenko",
                   "Moroz", "Rusu", "Marin", "Wojcik", "Petrova", "Ivanova"], strict=True)]
    weights = [1 / (rank + 1) for rank in range(len(names))]  # Zipf, as surnames are
    picked = rng.choices(names, weights=weights, k=size)
    return [{"person": n, "birth_year": str(rng.randint(1960, 2005))} for n in picked]


def _attack(encoded: list[str], truth: list[str], public_ranking: list[str], top: int) -> float:
    """The textbook frequency attack: the i-th most frequent encoding is the i-th commonest name."""
    ranked = [enc for enc, _ in Counter(encoded).most_common(top)]
    owner = {enc: name for enc, name in zip(encoded, truth, strict=True)}
    hits = {public_ranking[i] for i, enc in enumerate(ranked) if owner[enc] == public_ranking[i]}
    return len(hits) / top


def test_frequency_attack_recovers_at_most_20_percent_of_common_names_when_hardened() -> None:
    rng = random.Random(22)
    records = _population(rng, 1500)
    truth = [r["person"] for r in records]
    ranking = [n for n, _ in Counter(truth).most_common()]  # the attacker's public name list
    key = _key()
    unhardened = replace(SCHEMA, hardening=())
    bare = [encode_record(r, key, unhardened).fields["person"] for r in records]
    hard = [encode_record(r, key, SCHEMA).fields["person"] for r in records]
    # Without hardening the attack works (the control); with salting by birth year and
    # XOR-folding it may recover at most N = 20 % of the 10 commonest names.
    assert _attack(bare, truth, ranking, 10) >= 0.8
    assert _attack(hard, truth, ranking, 10) <= 0.2


def test_cli_keygen_combine_and_encode(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["keygen", "--version", "2026", "--parties", "2"])
    assert made.exit_code == 0
    shares = tmp_path / "shares.txt"
    shares.write_text(made.stdout, "utf-8")
    export = tmp_path / "export.csv"
    export.write_text("id,person,birth_year,phone\n7,Ana Popescu,1994,0612345678\n", "utf-8")
    out = runner.invoke(app, ["encode", str(export), "--shares", str(shares)])
    assert out.exit_code == 0 and '"key_version": "2026"' in out.stdout
    assert "Popescu" not in out.stdout and "0612345678" not in out.stdout
    shares.write_text(made.stdout.splitlines()[0], "utf-8")
    bad = runner.invoke(app, ["combine", str(shares)])
    assert bad.exit_code == 2 and "missing" in bad.stderr
