"""The inbox as a list: counted, paged, filtered and sorted by the database (issue 23)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from tests.factories.auth import UserFactory, login
from tests.factories.signals import bulk_routed


def _inbox(db: Session, n: int) -> tuple[object, object]:
    police = UserFactory(organisation__org_type=OrgType.POLITIE)
    nurse = UserFactory(organisation__org_type=OrgType.ZORG)
    bulk_routed(db, reporter_id=nurse.id, reporter_org_id=nurse.organisation.id,
                to_org_id=police.organisation.id, n=n)
    return police, nurse


def _shown(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'id="route-(\d+)"', html)]


def test_the_inbox_is_counted_paged_and_filtered(client: TestClient, db: Session) -> None:
    police, _ = _inbox(db, 120)
    login(client, police.username)
    first = client.get("/signals/inbox")
    assert first.status_code == 200
    assert "120 signalen" in first.text and "1 tot en met 25 getoond" in first.text
    assert len(_shown(first.text)) == 25
    assert 'aria-current="page"' in first.text and 'rel="next"' in first.text
    assert "Doorsturen" not in first.text or first.text.count("<form") < 10  # no row forms
    second = client.get("/signals/inbox?page=2")
    assert set(_shown(second.text)).isdisjoint(_shown(first.text))
    overdue = client.get("/signals/inbox?deadline=overdue&per_page=100")
    assert "51 signalen" in overdue.text  # 50 in the past, and the one due at seeding time
    limburg_sexual = client.get("/signals/inbox?region=limburg&form=sexual&per_page=100")
    # i % 4 == 2 and i % 3 == 0: i = 6, 18, 30, ... below 120
    assert f"{len(range(6, 120, 12))} signalen" in limburg_sexual.text
    mine = client.get("/signals/inbox?mine=1").text  # reported by the nurse, decided by no one
    assert "0 signalen" in mine and 'id="route-' not in mine


def test_a_bad_address_is_a_400_that_says_why(client: TestClient, db: Session) -> None:
    police, _ = _inbox(db, 3)
    login(client, police.username)
    for query, text in (("page=abc", "heel getal"), ("per_page=7", "10, 25, 50 of 100"),
                        ("sort=naam", "niet worden gesorteerd"), ("form=x", "geen keuze")):
        answer = client.get(f"/signals/inbox?{query}")
        assert answer.status_code == 400 and text in answer.text, (query, answer.text[-400:])


def test_forwarding_opens_from_the_item_and_keeps_what_was_typed(client: TestClient,
                                                                 db: Session) -> None:
    police, _ = _inbox(db, 2)
    UserFactory(organisation__org_type=OrgType.COMENSHA)
    login(client, police.username)
    inbox = client.get("/signals/inbox")
    route_id = _shown(inbox.text)[0]
    assert f'href="/signals/routes/{route_id}/forward"' in inbox.text
    page = client.get(f"/signals/routes/{route_id}/forward")
    assert page.status_code == 200
    version = re.search(r'name="version" value="(\d+)"', page.text)
    target = re.search(r'<option value="(\d+)"', page.text)
    assert version and target
    token = client.cookies.get("kz_csrf")
    refused = client.post(f"/signals/routes/{route_id}/forward", data={
        "csrf_token": token, "version": version.group(1), "to_org_id": target.group(1),
        "reason": ""}, follow_redirects=False)
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and "<h1" in refused.text  # the form, not a bare 422
    assert f'<option value="{target.group(1)}" selected' in refused.text
    done = client.post(f"/signals/routes/{route_id}/forward", data={
        "csrf_token": token, "version": version.group(1), "to_org_id": target.group(1),
        "reason": "Hoort bij de zorgcoördinatie."}, follow_redirects=False)
    assert done.status_code == 303
