"""Linking rules: identifiers, near-duplicate text, guards against giant components."""

from __future__ import annotations

from typing import Any

import numpy as np

from ketenzicht.online.analysis.linking import candidates, components, features
from ketenzicht.online.analysis.linking.features import AdFeatures
from tests.online.linking.conftest import link, network_of

TEMPLATE = ("Hoi lieverd, ik ben {name}, een speelse en zachte godin van 22 jaar. Ik ontvang je "
            "in mijn sfeervolle penthouse in {city}. Mijn favoriete diensten zijn lingerie show "
            "en voetfetisj. Ik hou van fotografie, yoga en een goed gesprek. Afspraken tot laat "
            "en ook zondag zijn mogelijk. Liefs, je ondeugende {name}.")
OTHER = ("Hallo heren, mijn naam is {name}, 35 jaar, elegante masseuse met een geduldige "
         "karakter. Bij mij kun je kiezen uit duo massage, striptease of overnachting. Mijn "
         "rustige studio heeft een douche en parkeren voor de deur. Ik neem echt de tijd "
         "voor je, overdag of in het weekend. Stuur een bericht en ik reageer snel.")


def ad(i: int, text: str, phone: str, name: str = "Anna", city: str = "Utrecht",
       **extra: Any) -> dict[str, Any]:
    return {"id": f"a{i}", "title": f"{name} in {city}", "city": city,
            "text": text.format(name=name, city=city) + f" Bel {phone}.",
            "posted_at": f"2026-09-{1 + i % 28:02d}", "site": "demo", **extra}


def test_same_number_in_different_spellings_links_the_ads() -> None:
    result, _ = link([ad(1, OTHER, "06 41 23 45 67"), ad(2, TEMPLATE, "nul zes 4123 4567"),
                      ad(3, TEMPLATE.replace("godin", "vrouw"), "0 6 4 1 2 3 4 5 6 8")])
    net = network_of(result)
    assert net["a1"] == net["a2"]  # one number, spelled twice
    assert net["a3"] == net["a2"]  # another number, but the same template
    assert result.networks[0].phones[0] == "+31641234567"


def test_near_duplicate_template_alone_does_not_link_different_numbers() -> None:
    # Stock wording is copied between strangers: a text match between ads with different
    # numbers needs corroboration (issue 16); a number-less ad still links on its text.
    records = [ad(1, TEMPLATE, "0641234567", "Anna", "Utrecht"),
               ad(2, TEMPLATE.replace("speelse", "heel speelse"), "0652345678", "Mia", "Breda"),
               ad(3, OTHER, "0663456789", "Lara", "Utrecht"),
               ad(4, TEMPLATE.replace("speelse", "heel speelse"), "", "Mia", "Breda")]
    net = network_of(link(records)[0])
    assert net["a1"] != net["a2"]
    assert net["a3"] != net["a1"]
    assert net["a4"] == net["a2"]


def test_premium_rate_service_number_links_nothing() -> None:
    footer = " Klantenservice 0900-1234567."
    records = [ad(1, TEMPLATE + footer, "0641234567"), ad(2, OTHER + footer, "0652345678")]
    result, _ = link(records)
    assert len(result.networks) == 2
    assert result.stats.get("blocked/phone/listed") == 1


def test_site_footer_shared_by_many_advertisers_is_boilerplate() -> None:
    footer = (" Geplaatst via Demo Ads, het grootste platform van Nederland voor dames en "
              "heren. Meld misbruik via ons formulier en lees de veiligheidstips.")
    records = [ad(i, f"Ik ben {{name}} en werk in {{city}}. Groetjes.{footer}",
                  f"06{40000000 + i * 1111:08d}", name=name)
               for i, name in enumerate(("Anna", "Bo", "Cato", "Dewi", "Eva", "Fay", "Gwen"))]
    result, _ = link(records)
    assert len(result.networks) == 7
    assert result.stats["boilerplate/sentences"] >= 1


def _features(i: int, phone: str) -> AdFeatures:
    return AdFeatures(key=str(i), lineno=i, site=None, url=None, title="", text="", city=None,
                      day=None, posted_at=None, persona=None, ages=(), phones=(phone,),
                      foreign_phones=(), emails=(), handles=(), images=(), price=None,
                      flags=(), styles=(), tokens="", digest=i, signature=None)


def test_an_identifier_over_the_degree_cap_is_generic() -> None:
    cap = candidates.degree_cap(200)
    ads = [_features(i, "+31641234567") for i in range(cap + 1)]
    edges, stats = candidates.Edges(), {}  # type: ignore[var-annotated]
    candidates.identifier_edges(ads, edges, stats)
    assert edges.src == [] and stats == {"blocked/phone/degree": 1}
    edges = candidates.Edges()
    candidates.identifier_edges(ads[:cap], edges, stats)
    assert len(edges.src) == cap - 1


def test_oversized_component_is_split_by_dropping_weak_text_edges() -> None:
    edges = candidates.Edges()
    for a in range(9):  # two phone chains of five, glued by one weak text edge
        if a != 4:
            edges.add(a, a + 1, candidates.PHONE, 1.0)
    edges.add(4, 5, candidates.TEXT, 0.82)
    stats: dict[str, int] = {}
    assert [len(g) for g in components.components(10, edges, stats, max_size=20)] == [10]
    groups = components.components(10, edges, stats, max_size=6)
    assert sorted(map(sorted, groups)) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert stats["split/components"] == 1


def test_every_ad_is_in_exactly_one_network_and_singletons_exist() -> None:
    records = [ad(i, OTHER if i % 2 else TEMPLATE, f"06{41000000 + i:08d}",
                  name=("Anna", "Mia", "Lara")[i % 3]) for i in range(12)]
    records.append({"id": "loner", "text": "Rustige dame in Zwolle, alleen op afspraak."})
    result, _ = link(records)
    keys = [a.key for n in result.networks for a in n.ads]
    assert sorted(keys) == sorted(r["id"] for r in records)
    assert any(len(n.ads) == 1 and n.ads[0].key == "loner" for n in result.networks)


def test_band_keys_depend_on_every_row() -> None:
    sig = np.arange(64, dtype=np.uint32).reshape(1, 64).repeat(2, axis=0)
    sig[1, 1] += 1  # only the first band differs
    keys = candidates._band_keys(sig)
    assert keys[0, 0] != keys[1, 0] and (keys[0, 1:] == keys[1, 1:]).all()


def test_a_stock_photo_in_many_advertisers_ads_links_nothing() -> None:
    records = [ad(i, OTHER if i % 2 else TEMPLATE, f"06{41000000 + 7919 * i:08d}",
                  name=("Anna", "Mia", "Lara", "Eva", "Bo")[i], images=["aa55aa55aa55aa55"])
               for i in range(5)]
    records[0]["text"] = "Rustige dame, alleen op afspraak. Bel 0641000000."
    records[1]["text"] = "Sportieve meid in Breda, bel 0641007919."
    own = [ad(9, "Echt een heel andere tekst hier over niets.", "0698765432",
              images=["aa55aa55aa55aa55", "0123456789abcdef"]),
           ad(10, "Weer iets anders, niets gedeeld behalve de foto.", "0687654321",
              images=["0123456789abcdef"])]
    result, _ = link(records + own)
    net = network_of(result)
    assert net["a9"] == net["a10"]  # one photo of her own
    assert len({net[f"a{i}"] for i in range(5)}) >= 4  # the stock photo joined none of them
    assert result.stats.get("blocked/image/phones") == 1


def test_batched_minhashes_equal_datasketch_signatures() -> None:
    # minhashes() reimplements datasketch's affine32 arithmetic over a batch; if datasketch
    # changes its scheme or mixing, this catches it before signatures silently diverge.
    rng = np.random.default_rng(5)
    lists = [[rng.bytes(int(rng.integers(1, 20))) for _ in range(int(rng.integers(1, 60)))]
             for _ in range(200)]
    batched = features.minhashes(lists)
    assert len(batched) == len(lists)
    for shingles, signature in zip(lists, batched, strict=True):
        assert signature.dtype == np.uint32
        assert np.array_equal(signature, features.minhash(shingles))
    assert features.minhashes([]) == []


def test_bucket_pairs_are_every_pair_inside_each_bucket() -> None:
    rng = np.random.default_rng(9)
    keys = rng.integers(0, 40, size=300)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    shared = sizes > 1
    got = candidates._bucket_pairs(order, starts[shared], sizes[shared], 300)
    expected = {(min(a, b), max(a, b)) for a in range(300) for b in range(300)
                if a != b and keys[a] == keys[b]}
    assert sorted(got.tolist()) == sorted(lo * 300 + hi for lo, hi in expected)
    assert len(got) == len(expected)  # each pair once


def test_sorted_unique_matches_numpy_unique() -> None:
    codes = np.random.default_rng(2).integers(0, 50, size=1000)
    assert np.array_equal(candidates._sorted_unique(codes.copy()), np.unique(codes))
    assert len(candidates._sorted_unique(np.zeros(0, dtype=np.int64))) == 0
