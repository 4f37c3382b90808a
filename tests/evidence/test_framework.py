"""The element rules of art. 273f Sr and bill 36 547, including the minors rule."""

from __future__ import annotations

import pytest

from ketenzicht.evidence import framework
from ketenzicht.evidence.enums import Coverage, Strength
from ketenzicht.evidence.framework import Support

S, R, Z = Strength.STERK, Strength.REDELIJK, Strength.ZWAK


def _rows(fw: str, links: list[tuple[str, Strength]], minor: bool | None = None,
          victim: bool = False) -> dict[str, framework.Row]:
    sup = [Support(i, e, s, victim_statement=victim) for i, (e, s) in enumerate(links, 1)]
    rows = framework.evaluate(framework.load(), fw, sup, victim_minor=minor)
    return {r.subclause.key: r for r in rows}


def test_data_names_sources_and_marks_the_bill() -> None:
    law = framework.load()
    current, bill = law.frameworks["273f-sr"], law.frameworks["wetsvoorstel-36547"]
    assert [s.key for s in current.subclauses] == [str(n) for n in range(1, 10)]
    assert current.in_force and not bill.in_force
    assert bill.status == "wetsvoorstel, niet in werking"
    assert "36 547" in bill.source and current.minors_age == 18
    assert all(e.source for e in law.elements.values())
    factors = law.elements["uitbuiting"].factors
    assert set(factors) == {"aard_duur", "beperkingen", "voordeel"}
    assert all("ECLI:NL:HR:2009:BI7099" in src for _t, src in factors.values())


@pytest.mark.parametrize(("fw", "sub", "links", "minor", "complete"), [
    # 1°: act, means and purpose all needed.
    ("273f-sr", "1", [("handeling_werven", S), ("middel", R), ("oogmerk_uitbuiting", S)],
     False, True),
    ("273f-sr", "1", [("handeling_werven", S), ("oogmerk_uitbuiting", S)], False, False),
    # The minors rule: no means needed under 18 ...
    ("273f-sr", "1", [("handeling_werven", S), ("oogmerk_uitbuiting", S)], True, True),
    # ... and not when the age is unknown.
    ("273f-sr", "1", [("handeling_werven", S), ("oogmerk_uitbuiting", S)], None, False),
    # 2°: the minors clause, complete without a means once the victim is a minor.
    ("273f-sr", "2", [("handeling_werven", S), ("oogmerk_uitbuiting", R)], True, True),
    ("273f-sr", "2", [("handeling_werven", S), ("oogmerk_uitbuiting", R)], None, False),
    # A weak link does not cover an element.
    ("273f-sr", "1", [("handeling_werven", Z), ("middel", R), ("oogmerk_uitbuiting", S)],
     False, False),
    # 4°: exploitation may be supported through an HR BI7099 factor.
    ("273f-sr", "4", [("handeling_dwingen", R), ("middel", R), ("uitbuiting.voordeel", S)],
     False, True),
    # 4° keeps its means for a minor under the law in force (only 1° waives it via 2°).
    ("273f-sr", "4", [("handeling_dwingen", R), ("uitbuiting", S)], True, False),
    ("273f-sr", "6", [("voordeel", S), ("uitbuiting", R)], False, True),
    # Bill 36 547: serious disadvantage needs no means.
    ("wetsvoorstel-36547", "ernstige-benadeling",
     [("arbeid_diensten", S), ("ernstige_benadeling", R), ("wetenschap", R)], False, True),
    ("wetsvoorstel-36547", "mensenhandel",
     [("handeling_werven", S), ("oogmerk_uitbuiting", S)], True, True),
    ("wetsvoorstel-36547", "mensenhandel",
     [("handeling_werven", S), ("oogmerk_uitbuiting", S)], False, False),
])
def test_element_rules(fw: str, sub: str, links: list[tuple[str, Strength]],
                       minor: bool | None, complete: bool) -> None:
    assert _rows(fw, links, minor)[sub].complete is complete


def test_minors_clauses_drop_for_an_adult_and_means_shows_as_not_required() -> None:
    adult = _rows("273f-sr", [], minor=False)
    assert {"2", "5", "8"}.isdisjoint(adult)
    minor = _rows("273f-sr", [], minor=True)
    cells = {c.element: c for c in minor["1"].cells}
    assert cells["middel"].coverage is Coverage.NIET_VEREIST
    assert {c.element: c.coverage for c in minor["2"].cells}["minderjarig"] is Coverage.GEDEKT


def test_open_factors_and_victim_only_are_named() -> None:
    rows = _rows("273f-sr", [("uitbuiting.aard_duur", S), ("middel", S)], victim=True)
    cells = {c.element: c for c in rows["4"].cells}
    assert cells["uitbuiting"].open_factors == ("beperkingen", "voordeel")
    assert cells["middel"].victim_only


def test_conclusion_names_the_missing_means() -> None:
    rows = framework.evaluate(framework.load(), "273f-sr", [
        Support(1, "handeling_werven", S), Support(2, "oogmerk_uitbuiting", R)],
        victim_minor=False)
    concl = framework.conclude(rows)
    assert (concl.complete, concl.subclause, concl.missing) == (False, "1", ("middel",))
