"""Intake profiles (issue 18): each line of work sees its own 8–12 signs first, in its words;
a sign ticks items of the full lists, so screening does not depend on the profile."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.signals import intake
from ketenzicht.signals.catalogue import CatalogueError
from ketenzicht.signals.models import Signal, SignalDraft
from tests.factories.auth import UserFactory, login


def _visible_boxes(html: str) -> list[str]:
    """Tick boxes outside the folded full lists (what a professional sees at first)."""
    folded = re.sub(r'<details id="full-lists".*?id="full-lists-end">', "",
                    html, flags=re.S)
    assert folded != html, "the full lists are not folded"
    return re.findall(r'type="checkbox"[^>]*name="(\w+)"|name="(\w+)"[^>]*type="checkbox"',
                      folded)


def test_every_profile_has_8_to_12_signs_and_each_ticks_known_items() -> None:
    found = intake.profiles()
    assert set(found) == {"zorg", "arbeid", "opvang", "politie"}
    for profile in found.values():
        assert 8 <= len(profile.signs) <= 12, profile.key
        assert profile.source
    for org_type in (OrgType.ZORG, OrgType.ARBEIDSINSPECTIE, OrgType.OPVANG,
                     OrgType.POLITIE, OrgType.KMAR):
        assert intake.profile_for(org_type.value) is not None, org_type
    assert intake.profile_for(OrgType.GEMEENTE.value) is None  # they choose one, or the lists


def test_a_sign_pointing_at_an_unknown_item_is_refused_at_load() -> None:
    with pytest.raises(CatalogueError, match="unknown checklist_items"):
        intake._sign("x", {"nl": "x", "en": "x", "checklist_items": ["PO_NOPE"]}, "test")
    with pytest.raises(CatalogueError, match="ticks nothing"):
        intake._sign("x", {"nl": "x", "en": "x"}, "test")


def _post(client: TestClient, **data: object) -> object:
    client.get("/signals/new")
    return client.post("/signals/new", data={"csrf_token": client.cookies.get("kz_csrf"),
                                             **data}, follow_redirects=False)


def test_a_nurse_sees_the_care_signs_first_and_the_lists_folded(client: TestClient,
                                                               db: Session) -> None:
    nurse = UserFactory(organisation__org_type=OrgType.ZORG)
    login(client, nurse.username)
    page = client.get("/signals/new").text
    assert "Signalen in uw werk: Zorg" in page
    assert "Iemand anders voert het woord of laat de patiënt niet alleen" in page
    boxes = [a or b for a, b in _visible_boxes(page)]
    assert boxes.count("signs") == len(intake.profiles()["zorg"].signs)
    assert "checklist_items" not in boxes and "indicators" not in boxes
    assert '<details id="full-lists">' in page  # folded, not open
    other = client.get("/signals/new?profile=arbeid").text
    assert "Signalen in uw werk: Arbeidsinspectie" in other
    assert "Verdient minder dan het minimumloon of (bijna) niets" in other
    assert 'value="care_debt"' not in other
    assert client.get("/signals/new?profile=onbekend").status_code == 400


def test_a_sign_ticks_the_same_items_and_screening_as_the_full_list(client: TestClient,
                                                                   db: Session) -> None:
    nurse = UserFactory(organisation__org_type=OrgType.ZORG)
    login(client, nurse.username)
    by_sign = _post(client, form="sexual", seen="Vriend wijkt niet van haar zijde.",
                    profile="zorg", signs=["care_someone_speaks", "care_no_papers",
                                           "care_debt"])
    assert by_sign.status_code == 303, by_sign.text[-600:]  # type: ignore[attr-defined]
    by_list = _post(client, form="sexual", seen="Vriend wijkt niet van haar zijde.",
                    checklist_items=["PO_SCRIPTED", "PO_GUARDED", "PO_DOCUMENTS",
                                     "PO_NO_MONEY", "PO_DEBT"])
    assert by_list.status_code == 303
    first, second = db.scalars(select(Signal).order_by(Signal.id)).all()
    assert sorted(first.checklist_items) == sorted(second.checklist_items)
    assert first.screening and first.screening == second.screening


def test_an_error_keeps_the_ticked_signs_and_opens_the_lists_it_needs(client: TestClient,
                                                                     db: Session) -> None:
    worker = UserFactory(organisation__org_type=OrgType.ARBEIDSINSPECTIE)
    login(client, worker.username)
    answer = _post(client, form="labour", seen="Kas in het Westland", age="twaalf",
                   profile="arbeid", signs=["work_hours"], checklist_items=["YC_COURIER"])
    assert answer.status_code == 422  # type: ignore[attr-defined]
    html = answer.text  # type: ignore[attr-defined]
    assert re.search(r'value="work_hours"[^>]*checked', html)
    assert '<details id="full-lists" open>' in html  # YC_COURIER is in no sign: shown
    assert re.search(r'value="YC_COURIER"[^>]*checked', html)
    draft = db.scalar(select(SignalDraft).where(SignalDraft.owner_user_id == worker.id))
    assert draft is not None and draft.payload["signs"] == ["work_hours"]


def test_an_unknown_sign_is_refused_and_nothing_is_stored(client: TestClient,
                                                         db: Session) -> None:
    login(client, UserFactory(organisation__org_type=OrgType.ZORG).username)
    answer = _post(client, form="labour", seen="Iets gezien", signs=["care_debt", "x_fake"])
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "Onbekende signalen op het formulier: x_fake" in answer.text  # type: ignore[attr-defined]
    assert db.scalar(select(Signal.id)) is None
