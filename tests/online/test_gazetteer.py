"""The shipped CBS 2025 gazetteer: complete, consistent, and usable for maps."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ketenzicht.online.analysis.extraction.data import read_text, read_yaml
from ketenzicht.online.analysis.extraction.places import gazetteer, municipalities

# Number of municipalities per province on 1 January 2025 (CBS, Gemeentelijke indeling op
# 1 januari 2025): 342 in total.
PER_PROVINCE = {
    "Groningen": 10, "Fryslân": 18, "Drenthe": 12, "Overijssel": 25, "Flevoland": 6,
    "Gelderland": 51, "Utrecht": 26, "Noord-Holland": 44, "Zuid-Holland": 50, "Zeeland": 13,
    "Noord-Brabant": 56, "Limburg": 31,
}


def test_all_342_municipalities_with_unique_codes_and_names() -> None:
    rows = municipalities()
    assert len(rows) == 342
    assert len({m.code for m in rows}) == 342
    assert len({m.name for m in rows}) == 342
    assert all(m.code.startswith("GM") and len(m.code) == 6 for m in rows)
    assert Counter(m.province for m in rows) == PER_PROVINCE


def test_known_codes() -> None:
    by_name = {m.name: m.code for m in municipalities()}
    assert by_name["Amsterdam"] == "GM0363"
    assert by_name["Rotterdam"] == "GM0599"
    assert by_name["'s-Gravenhage"] == "GM0518"
    assert by_name["Utrecht"] == "GM0344"
    assert by_name["Eindhoven"] == "GM0772"
    # the most recent mergers are in, the municipalities they replaced are out
    assert by_name["Voorne aan Zee"] == "GM1992"  # 2023
    assert by_name["Dijk en Waard"] == "GM1980"  # 2022
    assert by_name["Land van Cuijk"] == "GM1982"
    assert by_name["Maashorst"] == "GM1991"
    assert not {"Weesp", "Beemster", "Hellevoetsluis", "Uden", "Heerhugowaard"} & set(by_name)


def test_centroids_lie_inside_the_netherlands_and_their_province() -> None:
    boxes = {  # rough bounding boxes per province (lat_min, lat_max, lon_min, lon_max)
        "Groningen": (52.8, 53.6, 6.1, 7.3), "Fryslân": (52.7, 53.6, 4.8, 6.5),
        "Drenthe": (52.6, 53.2, 6.1, 7.1), "Overijssel": (52.1, 52.9, 5.7, 7.1),
        "Flevoland": (52.2, 52.9, 5.1, 5.9), "Gelderland": (51.7, 52.6, 5.0, 6.9),
        "Utrecht": (51.9, 52.4, 4.7, 5.7), "Noord-Holland": (52.1, 53.2, 4.4, 5.4),
        "Zuid-Holland": (51.6, 52.4, 3.8, 5.1), "Zeeland": (51.2, 51.8, 3.3, 4.3),
        "Noord-Brabant": (51.2, 51.9, 4.2, 6.1), "Limburg": (50.7, 51.8, 5.5, 6.3),
    }
    for m in municipalities():
        lat_min, lat_max, lon_min, lon_max = boxes[m.province]
        assert lat_min <= m.lat <= lat_max and lon_min <= m.lon <= lon_max, m


def test_source_is_named_next_to_the_data() -> None:
    first_line = read_text("gemeenten-2025.csv").splitlines()[0]
    assert first_line.startswith("#") and "CBS" in first_line and "2025" in first_line
    readme = (Path(__file__).resolve().parents[2] / "src" / "ketenzicht" / "online"
              / "analysis" / "extraction" / "data" / "README.md")  # for developers, not shipped
    assert "Gemeentelijke indeling op 1 januari 2025" in readme.read_text(encoding="utf-8")


def test_every_alias_and_place_points_at_a_real_municipality() -> None:
    codes = {m.code for m in municipalities()}
    extra = read_yaml("places.yaml")
    for section in ("aliases", "places"):
        assert set(extra[section]) <= codes, section
    gaz = gazetteer()
    assert gaz.lookup("Den Haag") is not None
    assert gaz.lookup("Hoofddorp")[1].name == "Haarlemmermeer"  # type: ignore[index]
