"""The placement requests as a list: counted, paged, filtered by status and urgency."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.shelter.enums import RequestStatus, Urgency
from tests.factories.auth import login
from tests.factories.shelter import make_request
from tests.shelter.conftest import Cast


def _shown(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'href="/shelter/requests/(\d+)">#', html)]


def test_requests_are_counted_paged_filtered_and_scoped(client: TestClient, db: Session,
                                                        cast: Cast) -> None:
    ours = [make_request(db, cast.coordinator,
                         urgency=Urgency.NOODBED if i % 5 == 0 else Urgency.REGULIER)
            for i in range(28)]
    placed = make_request(db, cast.coordinator, status=RequestStatus.PLACED)
    theirs = make_request(db, cast.gemeente_user)
    login(client, cast.coordinator.username)
    first = client.get("/shelter/requests")
    assert first.status_code == 200
    assert "28 verzoeken" in first.text and "1 tot en met 25 getoond" in first.text
    shown = _shown(first.text)
    assert shown == sorted(shown, reverse=True) and theirs.id not in shown
    assert placed.id not in shown  # placed: no longer waiting
    assert len(_shown(client.get("/shelter/requests?page=2").text)) == 3
    every = client.get("/shelter/requests?status=&per_page=50").text
    assert "29 verzoeken" in every and placed.id in _shown(every)
    urgent = _shown(client.get("/shelter/requests?urgency=noodbed").text)
    assert sorted(urgent) == sorted(r.id for r in ours[::5])
    assert client.get("/shelter/requests?urgency=morgen").status_code == 400
