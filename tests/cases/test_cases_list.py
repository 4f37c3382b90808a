"""The case list: counted, paged, filtered and sorted by the database, within need-to-know."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases.enums import CaseStatus
from ketenzicht.cases.models import Case
from tests.factories.auth import UserFactory, login
from tests.factories.cases import make_case


def _shown(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<a class="utrecht-link utrecht-link--html-a" '
                                       r'href="/cases/(\d+)">', html)]


def test_the_case_list_is_counted_paged_filtered_and_scoped(client: TestClient,
                                                            db: Session) -> None:
    police = UserFactory(organisation__org_type=OrgType.POLITIE)
    other = UserFactory(organisation__org_type=OrgType.POLITIE)
    ours = [make_case(db, police, title=f"Casus {'Westland' if i % 3 else 'Zeeland'} {i}")
            for i in range(32)]
    theirs = make_case(db, other, title="Casus Westland elders")
    ours[0].status = CaseStatus.AFGESLOTEN
    db.flush()
    login(client, police.username)

    first = client.get("/cases")
    assert first.status_code == 200
    # Open cases by default: the closed one and the other organisation's are not counted.
    assert "31 casussen" in first.text and "1 tot en met 25 getoond" in first.text
    shown = _shown(first.text)
    assert len(shown) == 25 and theirs.id not in shown and ours[0].id not in shown
    assert shown == sorted(shown, reverse=True)  # newest first
    second = _shown(client.get("/cases?page=2").text)
    assert len(second) == 6 and set(second).isdisjoint(shown)

    every = client.get("/cases?status=&per_page=100").text
    assert "32 casussen" in every and ours[0].id in _shown(every)
    closed = client.get("/cases?status=afgesloten").text
    assert "1 casus" in closed and _shown(closed) == [ours[0].id]
    zeeland = client.get("/cases?q=zeeland&per_page=100").text
    assert _shown(zeeland) == sorted((c.id for c in ours[3::3]), reverse=True)
    by_number = client.get(f"/cases?q=%23{ours[5].id}").text
    assert _shown(by_number) == [ours[5].id]
    assert _shown(client.get(f"/cases?q={theirs.id}").text) == []  # not ours: not found
    wildcard = client.get("/cases?q=%25").text  # a LIKE wildcard is a character, not "all"
    assert "0 casussen" in wildcard and "Geen casussen gevonden" in wildcard
    by_title = _shown(client.get("/cases?sort=title&per_page=100").text)
    titles = {c.id: c.title for c in ours}
    assert [titles[i] for i in by_title] == sorted(titles[i] for i in by_title)


def test_role_filters_follow_the_coordinator(client: TestClient, db: Session) -> None:
    police = UserFactory(organisation__org_type=OrgType.POLITIE)
    colleague = UserFactory(organisation=police.organisation)
    mine = make_case(db, police, title="Casus eigen")
    theirs = make_case(db, colleague, title="Casus collega")
    db.get(Case, theirs.id).coordinator_user_id = colleague.id  # type: ignore[union-attr]
    db.get(Case, mine.id).coordinator_user_id = police.id  # type: ignore[union-attr]
    db.flush()
    login(client, police.username)
    assert _shown(client.get("/cases?role=mine").text) == [mine.id]
    assert set(_shown(client.get("/cases?role=coordinator").text)) == {mine.id, theirs.id}
    assert _shown(client.get("/cases?role=participant").text) == []


def test_a_bad_address_is_a_400_that_says_why(client: TestClient, db: Session) -> None:
    police = UserFactory(organisation__org_type=OrgType.POLITIE)
    login(client, police.username)
    for query, text in (("page=0", "geen pagina 0"), ("per_page=7", "10, 25, 50 of 100"),
                        ("sort=status", "niet worden gesorteerd"), ("role=x", "geen keuze"),
                        ("q=" + "x" * 101, "hoogstens 100 tekens")):
        answer = client.get(f"/cases?{query}")
        assert answer.status_code == 400 and text in answer.text, (query, answer.text[-400:])
