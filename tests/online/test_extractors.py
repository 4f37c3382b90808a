"""E-mails, handles, ages, places, prices, origins and language."""

from __future__ import annotations

import pytest

from ketenzicht.online.analysis.extraction.language import detect
from ketenzicht.online.analysis.extraction.types import Extraction


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        ("mail: Anna.B-1@Gmail.com", ["anna.b-1@gmail.com"]),
        ("anna(at)gmail.com", ["anna@gmail.com"]),
        ("bella [at] hotmail [dot] nl", ["bella@hotmail.nl"]),
        ("carla at gmail dot com", ["carla@gmail.com"]),
        ("meet me at home dot com", []),  # "at" + an unknown provider is prose
        ("kom at the hotel", []),
    ],
)
def test_emails(extract, text: str, emails: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [e.value for e in extract(text).emails] == emails


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("telegram @annaxx99", [("telegram", "annaxx99")]),
        ("t.me/bella_b", [("telegram", "bella_b")]),
        ("Snapchat: cc_xx", [("snapchat", "cc_xx")]),
        ("sc: dd.ee", [("snapchat", "dd.ee")]),
        ("signal: anna.01", [("signal", "anna.01")]),
        ("WhatsApp: 06 12345678", [("whatsapp", "+31612345678")]),
        ("https://wa.me/31612345678", [("whatsapp", "+31612345678")]),
        ("telegram me please", []),
        ("a snap of the fingers", []),
    ],
)
def test_handles(extract, text: str, handles: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert [(h.get("platform"), h.value) for h in extract(text).handles] == handles


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("Ik ben Anna, 23 jaar", [23]),
        ("leeftijd: 24", [24]),
        ("I'm 21, available now", [21]),
        ("19yo petite", [19]),
        ("drieëntwintig jaar oud", [23]),
        ("twenty-one years old", [21]),
        ("veintitrés años", [23]),
        ("douăzeci și doi de ani", [22]),
        ("dwadzieścia trzy lat", [23]),
        ("only 16 years", [16]),  # a minor must reach the indicators
        ("ik ben 24/7 beschikbaar", []),
        ("I'm 100% real", []),
        ("1 uur 150 euro, 170 cm", []),
        ("since 2015 years of experience", []),
    ],
)
def test_ages(extract, text: str, ages: list[int]) -> None:  # type: ignore[no-untyped-def]
    assert extract(text).to_json()["ages"] == ages


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Nieuw in Amsterdam en Rotterdam", ["GM0363", "GM0599"]),
        ("Den Haag centrum, Scheveningen", ["GM0518"]),
        ("incall in Den Bosch", ["GM0796"]),
        ("Hoofddorp bij Schiphol", ["GM0394"]),
        ("Súdwest-Fryslân, Sneek", ["GM1900"]),
        ("Alphen aan den Rijn", ["GM0484"]),
        ("the best service in town", []),  # "Best" is a municipality, but not here
        ("escort in Best en omgeving", ["GM0753"]),
        ("goes without saying, regio Goes", ["GM0664"]),
    ],
)
def test_places(extract, text: str, codes: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [c["code"] for c in extract(text).to_json()["cities"]] == codes


def test_city_field_is_resolved_too(extract) -> None:  # type: ignore[no-untyped-def]
    cities = extract("hallo", city="Den Haag").to_json()["cities"]
    assert cities == [{"name": "'s-Gravenhage", "code": "GM0518",
                       "municipality": "'s-Gravenhage", "province": "Zuid-Holland"}]


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("1 uur €150", "NL", [(150.0, "EUR", 60, 150.0)]),
        ("half uur 90 euro", "NL", [(90.0, "EUR", 30, 180.0)]),
        ("30 min €80", "NL", [(80.0, "EUR", 30, 160.0)]),
        ("€200 per uur", "NL", [(200.0, "EUR", 60, 200.0)]),
        ("150/h", "NL", [(150.0, "EUR", 60, 150.0)]),
        ("120 hh", "US", [(120.0, "USD", 30, 220.8)]),
        ("$250 1 hour", "US", [(250.0, "USD", 60, 230.0)]),
        ("300 lei", "RO", [(300.0, "RON", 60, 60.3)]),
        ("van 10 uur tot 22 uur", "NL", []),
        ("23 jaar, 170 cm", "NL", []),
    ],
)
def test_prices_in_euros_per_hour(  # type: ignore[no-untyped-def]
    extract, text: str, region: str, expected: list[tuple[float, str, int, float]]
) -> None:
    prices = extract(text, region=region).to_json()["prices"]
    got = [(p["amount"], p["currency"], p["minutes"], p["eur_per_hour"]) for p in prices]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "origins"),
    [
        ("Roemeense dame, nieuw", ["RO"]),
        ("soy colombiana", ["CO"]),
        ("sexy Latina girl", ["latina"]),
        ("българка", ["BG"]),
        ("Spanish girl", ["ES"]),
        ("greek and french kissing, Thai massage", []),  # service names, not origins
        ("ik ben Thaise", ["TH"]),
    ],
)
def test_origins(extract, text: str, origins: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [o.value for o in extract(text).origins] == origins


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hoi schatjes, ik ben nieuw in de stad en ontvang je graag in mijn appartement.", "nl"),
        ("Hello gentlemen, I am new in town and would love to meet you tonight.", "en"),
        ("Hola cariño, soy nueva en la ciudad, llámame para una cita.", "es"),
        ("Bună, sunt nouă în oraș, sună-mă pentru o întâlnire frumoasă.", "ro"),
        ("Cześć, jestem nowa w mieście, zadzwoń do mnie na spotkanie.", "pl"),
        ("Здравей, нова съм в града, обади ми се за среща довечера.", "bg"),
        ("06-12345678", None),
    ],
)
def test_language(text: str, lang: str | None) -> None:
    assert detect(text) == lang


def test_every_evidence_quotes_its_field(extract) -> None:  # type: ignore[no-untyped-def]
    title = "Anna 💋 nieuw in Amsterdam"
    text = ("Roemeense dame, 19 jaar, 100% echt. Bel z\u200bero six 1 2 3 4 5 6 7 8 of mail "
            "anna(at)gmail.com. €150 per uur, telegram @annaxx99")
    result: Extraction = extract(text, title=title)
    fields = {"title": title, "text": text}
    items = [p.evidence for p in result.phones] + [f.evidence for f in result.indicators]
    for group in (result.emails, result.handles, result.ages, result.cities, result.prices,
                  result.origins):
        items.extend(f.evidence for f in group)
    assert len(items) >= 10
    for evidence in items:
        assert fields[evidence.field][evidence.start:evidence.end] == evidence.text
