"""Linking where it used to fail: stock wording between strangers, networks running several
numbers, near-duplicate photos; and the market corpus generator that plants all of these."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from ketenzicht.online.analysis.synthetic import market
from tests.online.linking.conftest import link, network_of

STOCK = ("Hoi, ik ben {name} ({age}), nieuw in {city}. Lief, sexy en discreet, met een warme "
         "glimlach en alle tijd voor jou. Ook in het weekend en tot laat in de avond.")
OWN = ("Hoi, ik ben {name} ({age}) uit {city}. Liefst fluweel en regen in de avond. "
       "Jij bent de bergen en ik ben yoga in het zonnige zuiden.")


def _ad(i: str, text: str, phone: str, day: int, city: str = "Utrecht",
        images: list[str] | None = None) -> dict[str, Any]:
    name = text.split("ik ben ")[1].split(" ")[0]
    return {"id": i, "title": f"{name} {city}", "text": f"{text} Bel {phone}.",
            "city": city, "posted_at": f"2026-09-{day:02d}", "site": "markt-demo",
            "region": "NL", "images": images or []}


def test_stock_wording_does_not_link_strangers() -> None:
    # Three unrelated women copy one stock text (too few to count as a site's boilerplate);
    # only name, age and number differ.
    people = [("Anna", 23), ("Bella", 31), ("Chloe", 27)]
    records = [_ad(f"s{k}-{r}", STOCK.format(name=n, age=a, city="Utrecht"),
                   f"06{k + 1}2345678", 3 + r)
               for k, (n, a) in enumerate(people) for r in range(2)]
    result, errors = link(records)
    assert errors == []
    net = network_of(result)
    for k in range(len(people)):
        assert net[f"s{k}-0"] == net[f"s{k}-1"]  # one woman, one number: linked
    assert len({net[f"s{k}-0"] for k in range(len(people))}) == len(people)


def test_two_numbers_tied_by_the_women_they_advertise_are_one_network() -> None:
    # A network runs two numbers at once; the same women (name and age) appear under both,
    # in the same city, within days. Nothing else ties the numbers.
    # Each number has wording of its own, so no text ties them either.
    own = (OWN, "Hallo, ik ben {name} ({age}) in {city}. Zeilen, sushi en kaarslicht.")
    records = []
    for r, (name, age) in enumerate((("Ioana", 21), ("Kasia", 22))):
        for j, phone in enumerate(("0612345670", "0687654321")):
            records.append(_ad(f"n{r}{j}", own[j].format(name=name, age=age, city="Breda"),
                               phone, 10 + r + j, city="Breda"))
    result, errors = link(records)
    assert errors == []
    assert len(set(network_of(result).values())) == 1


def test_near_duplicate_photo_links_and_a_distant_one_does_not() -> None:
    base = 0x3F150FCA8AECEEB9
    copy = base ^ 0b1011  # three bits: a re-encoded crop
    other = base ^ 0xFFFF_0000_FFFF_0000  # far away
    records = [
        _ad("p0", "Hoi, ik ben Lara (30) uit Gouda. Graag thee.", "0611111111", 5,
            images=[f"{base:016x}"]),
        _ad("p1", "Hoi, ik ben Mara (40) uit Delft. Nooit jazz.", "0622222222", 20,
            images=[f"{copy:016x}"]),
        _ad("p2", "Hoi, ik ben Nora (50) uit Venlo. Altijd wijn.", "0633333333", 25,
            images=[f"{other:016x}"]),
    ]
    net = network_of(link(records)[0])
    assert net["p0"] == net["p1"] != net["p2"]


def test_market_corpus_plants_what_it_promises() -> None:
    ads = market.generate(2500, seed=3)
    assert [a.ad for a in ads[:50]] == [a.ad for a in market.generate(2500, seed=3)[:50]]
    tags = Counter(t for a in ads for t in a.tags)
    assert tags["stock"] / len(ads) >= 0.30
    assert 150 <= statistics.median(len(str(a.ad["text"])) for a in ads) <= 250
    for phenomenon in ("network", "third_person", "agency", "roster", "foreign_format",
                       "photo_near_dup", "no_photo", "scam", "repost", "churn", "recycled",
                       "duo", "booking", "bilingual", "relative_date", "house_style"):
        assert tags[phenomenon] > 0, phenomenon
    texts = " ".join(str(a.ad["text"]) for a in ads)
    assert "/" in texts and "Anvers" in texts and "uur geleden" in texts
    # A network's numbers share women: some persona appears under two of its numbers.
    by_net: dict[str, dict[tuple[str, str], set[str]]] = {}
    for a in ads:
        if a.kind == "network":
            phone = str(a.ad["text"]).rsplit(" ", 1)[-1]
            by_net.setdefault(a.entity, {}).setdefault((str(a.ad["title"]).split()[0], ""),
                                                       set()).add(phone)
    assert any(len(p) > 1 for n in by_net.values() for p in n.values())
