"""Routing by region (issue 18): reference data, the region's own organisations, contacts,
the CoMensha registration consent and deadlines by the Algemene termijnenwet."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.models import User
from ketenzicht.core import clock
from ketenzicht.signals import service
from ketenzicht.signals.chain import NEEDS_CHECK, chain
from ketenzicht.signals.enums import RegistrationConsent
from ketenzicht.signals.models import Signal
from ketenzicht.signals.routing import table
from tests.factories.auth import UserFactory, actor, login
from tests.factories.signals import make_signal

# Entries we could not verify from here (chain.yaml says why). Checking one against its
# source means removing its NEEDS CHECK and this line: the list is meant to shrink.
UNCHECKED = [
    "zorgcoordinatie:gemeente-almere", "zorgcoordinatie:gemeente-apeldoorn",
    "zorgcoordinatie:gemeente-arnhem", "zorgcoordinatie:gemeente-breda",
    "zorgcoordinatie:gemeente-emmen", "zorgcoordinatie:gemeente-leiden",
    "zorgcoordinatie:gemeente-maastricht", "zorgcoordinatie:gemeente-utrecht",
    "zorgcoordinatie:gemeente-venlo", "zorgcoordinatie:gemeente-zaanstad",
    "zorgcoordinatie:gemeente-zwolle",
]


def test_reference_data_names_its_sources_and_date() -> None:
    ref = chain()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", ref.date)
    assert "politie.nl" in ref.sources["politie"]
    assert "veiligthuis.nl" in ref.sources["veilig_thuis"]
    assert "CoMensha" in ref.sources["centrumgemeenten"]
    assert len(ref.police) == 10 and "landelijke_eenheid" in ref.national
    assert len(ref.vt_regions) == 25
    assert {"arbeidsinspectie", "kmar", "comensha"} <= set(ref.national)
    # The police units are the routing table's regions, one to one.
    assert set(ref.police) == set(table().regions)
    assert {r.police for r in ref.vt_regions.values()} == set(ref.police)


def test_unchecked_entries_are_listed() -> None:
    assert chain().unchecked() == UNCHECKED
    assert all(NEEDS_CHECK in (chain().by_code(c.split(":")[1]) or _missing()).check
               for c in UNCHECKED)


def _missing() -> object:
    raise AssertionError("an unchecked entry that is not in chain.yaml")


def test_contacts_are_functions_and_channels_and_synthetic() -> None:
    for org in chain().all_orgs():
        c = org.contact
        assert c.function and c.channel, org.code
        assert c.phone.startswith("0800-000 "), (org.code, c.phone)  # clearly not real
        mailbox = c.channel.split(": ")[-1]
        assert mailbox.endswith(".example"), (org.code, mailbox)  # RFC 2606, never real
    codes = [o.code for o in chain().all_orgs()]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(("place", "police", "vt"), [
    ("Venlo", "limburg", "limburg-noord"), ("Maastricht", "limburg", "zuid-limburg"),
    ("Westland", "den-haag", "haaglanden"), ("Tiel", "oost-nederland", "gelderland-zuid"),
    ("Demostad", "midden-nederland", "utrecht"), ("'s-Hertogenbosch", "oost-brabant",
                                                   "brabant-noord"),
    ("den bosch", "oost-brabant", "brabant-noord"), ("Súdwest-Fryslân", "noord-nederland",
                                                     "fryslan"),
])
def test_places_map_to_police_unit_and_veilig_thuis_region(place: str, police: str,
                                                           vt: str) -> None:
    ref = chain()
    assert ref.police_of_place(place) == police
    region, named = ref.region_of(police, place)
    assert region is not None and region.key == vt and named


@pytest.fixture
def limburg_and_demo(db: Session) -> dict[str, User]:
    """The demo's organisations and Limburg's own police unit and Veilig Thuis."""
    users = {code: UserFactory(organisation__org_type=t, organisation__code=code)
             for code, t in (("politie-demo", OrgType.POLITIE), ("gemeente-demo", OrgType.GEMEENTE),
                             ("comensha-demo", OrgType.COMENSHA),
                             ("arbeidsinspectie-demo", OrgType.ARBEIDSINSPECTIE),
                             ("politie-limburg", OrgType.POLITIE),
                             ("vt-limburg-noord", OrgType.GEMEENTE),
                             ("gemeente-venlo", OrgType.GEMEENTE))}
    users["zorg"] = UserFactory(organisation__org_type=OrgType.ZORG)
    db.flush()
    return users


def _routed(db: Session, signal: Signal) -> dict[str, tuple[str, str]]:
    orgs = auth_service.directory(db)
    return {orgs[r.org_id].code: (r.purpose, r.via) for r in signal.routes}


def test_a_limburg_signal_goes_to_limburgs_unit_not_the_demo_city(
        db: Session, limburg_and_demo: dict[str, User]) -> None:
    signal = make_signal(db, limburg_and_demo["zorg"], form="sexual", place="Venlo",
                         region="limburg", age=None)
    routed = _routed(db, signal)
    assert routed["politie-limburg"] == ("investigate", "region")
    assert routed["vt-limburg-noord"] == ("youth", "place")
    assert routed["gemeente-venlo"] == ("care", "place")
    assert "politie-demo" not in routed and "gemeente-demo" not in routed


def test_the_demo_still_routes_in_its_own_region(
        db: Session, limburg_and_demo: dict[str, User]) -> None:
    signal = make_signal(db, limburg_and_demo["zorg"], form="sexual", place="Demostad",
                         region="midden-nederland", age=15)
    routed = _routed(db, signal)
    assert routed["politie-demo"] == ("investigate", "region")
    # gemeente-demo is Veilig Thuis and care coordinator at once: one routing, youth first.
    assert routed["gemeente-demo"] == ("youth", "place")
    assert routed["comensha-demo"] == ("inform", "national")


def test_a_region_without_its_organisation_goes_to_comensha_saying_so(
        db: Session, limburg_and_demo: dict[str, User]) -> None:
    signal = make_signal(db, limburg_and_demo["zorg"], form="sexual", place="Zwolle",
                         region="oost-nederland", age=30)
    routed = _routed(db, signal)
    assert "politie-demo" not in routed and "politie-limburg" not in routed
    assert routed["comensha-demo"][1] == "fallback-coordinator"
    view = service.read_model(db, actor=actor(limburg_and_demo["zorg"]), signal=signal)
    route = next(r for r in view.routes if r.org_type == "comensha")
    assert any("CoMensha" in line for line in route.why)


def test_the_route_shows_why_and_whom_to_contact(
        db: Session, limburg_and_demo: dict[str, User]) -> None:
    signal = make_signal(db, limburg_and_demo["zorg"], form="sexual", place="Venlo",
                         region="limburg")
    view = service.read_model(db, actor=actor(limburg_and_demo["zorg"]), signal=signal)
    police = next(r for r in view.routes if r.party == "politie")
    assert police.contact is not None
    assert police.contact.function == "Mensenhandel-coördinator, Eenheid Limburg"
    assert police.contact.channel.startswith("Veilig Mailen: ")
    assert police.why and "Limburg" in police.why[-1]


@pytest.mark.parametrize(("consent", "hidden"), [
    (RegistrationConsent.YES, False), (RegistrationConsent.NO, True),
    (RegistrationConsent.UNKNOWN, True)])
def test_comensha_reads_an_anonymised_registration_without_consent(
        db: Session, limburg_and_demo: dict[str, User], consent: RegistrationConsent,
        hidden: bool) -> None:
    signal = make_signal(db, limburg_and_demo["zorg"], place="Demostad",
                         region="midden-nederland", registration_consent=consent.value)
    assert signal.registration_consent is consent
    comensha = actor(limburg_and_demo["comensha-demo"])
    assert [r.purpose for r in signal.routes
            if r.org_id == comensha.organisation_id] == ["inform"]
    view = service.read_model(db, actor=comensha, signal=signal)
    assert view.anonymised is hidden
    assert (view.pseudonym is None and view.employer is None and view.seen == "") is hidden
    assert view.form == signal.form and view.nationality == "RO"  # what registration counts
    assert (service.summary(signal, comensha).place == "") is hidden  # lists and inbox too
    # The reporter always reads it in full.
    assert not service.read_model(db, actor=actor(limburg_and_demo["zorg"]),
                                  signal=signal).anonymised


def test_day_deadlines_follow_the_atw(db: Session, limburg_and_demo: dict[str, User]) -> None:
    # Friday 1 May 2026 12:00 UTC + 72 h is Monday 4 May; + 120 h is Wednesday 6 May. The
    # 24 h youth deadline ends Saturday 2 May and runs to Monday 4 May (art. 1 Atw). Acute
    # hours are never moved.
    with clock.frozen(datetime(2026, 5, 1, 12, tzinfo=UTC)):
        signal = make_signal(db, limburg_and_demo["zorg"], place="Venlo", region="limburg",
                             age=None)
        acute = make_signal(db, limburg_and_demo["zorg"], place="Venlo", region="limburg",
                            acute_danger=True)
    by_purpose = {r.purpose: r.deadline_at.astimezone(UTC) for r in signal.routes}
    assert by_purpose["youth"] == datetime(2026, 5, 4, 12, tzinfo=UTC)
    assert by_purpose["care"] == datetime(2026, 5, 6, 12, tzinfo=UTC)
    assert {r.deadline_at.astimezone(UTC) for r in acute.routes
            if r.purpose == "investigate"} == {datetime(2026, 5, 1, 14, tzinfo=UTC)}


def test_a_day_deadline_on_liberation_day_moves_on(
        db: Session, limburg_and_demo: dict[str, User]) -> None:
    # Monday 4 May 2026 10:00 UTC + 24 h ends on Bevrijdingsdag (5 May, not a lustrum year):
    # the youth deadline runs to Wednesday 6 May.
    with clock.frozen(datetime(2026, 5, 4, 10, tzinfo=UTC)):
        signal = make_signal(db, limburg_and_demo["zorg"], place="Venlo", region="limburg",
                             age=None)
    (youth,) = [r for r in signal.routes if r.purpose == "youth"]
    assert youth.deadline_at.astimezone(UTC) == datetime(2026, 5, 6, 10, tzinfo=UTC)


def test_without_region_or_place_the_reporters_region(
        db: Session, limburg_and_demo: dict[str, User]) -> None:
    # The demo's care worker reports without region or place: the demo region's units.
    nurse = UserFactory(organisation__org_type=OrgType.ZORG, organisation__code="zorg-demo")
    signal = make_signal(db, nurse, form="sexual", place="", region=None, age=24)
    routed = _routed(db, signal)
    assert routed["politie-demo"] == ("investigate", "reporter")
    assert routed["comensha-demo"] == ("inform", "national")
    # Another organisation outside the reference data: no region to go by, CoMensha forwards.
    other = make_signal(db, limburg_and_demo["zorg"], form="sexual", place="", region=None)
    assert _routed(db, other)["comensha-demo"][1] == "fallback-coordinator"


def test_page_and_api_show_whom_to_contact(client: TestClient, db: Session,
                                           limburg_and_demo: dict[str, User]) -> None:
    signal = make_signal(db, limburg_and_demo["zorg"], form="sexual", place="Venlo",
                         region="limburg")
    login(client, limburg_and_demo["zorg"].username)
    data = client.get(f"/api/v1/signals/{signal.id}").json()
    police = next(r for r in data["routes"] if r["party"] == "politie")
    assert police["contact"] == {"function": "Mensenhandel-coördinator, Eenheid Limburg",
                                 "phone": "0800-000 0110",
                                 "channel": "Veilig Mailen: mensenhandel@limburg.politie.example"}
    assert police["why"][0] == "Seksuele uitbuiting: de politie onderzoekt"
    page = client.get(f"/signals/{signal.id}").text
    assert "Mensenhandel-coördinator, Eenheid Limburg — telefoon 0800-000 0110" in page
    assert "Zorgcoördinator mensenhandel, Gemeente Venlo" in page


def test_the_emergency_path_names_the_regions_police_contact(
        db: Session, limburg_and_demo: dict[str, User]) -> None:
    signal = make_signal(db, limburg_and_demo["zorg"], place="Venlo", region="limburg",
                         acute_danger=True)
    view = service.read_model(db, actor=actor(limburg_and_demo["zorg"]), signal=signal)
    assert view.emergency is not None and view.emergency.contact is not None
    assert view.emergency.contact.function == "Mensenhandel-coördinator, Eenheid Limburg"
