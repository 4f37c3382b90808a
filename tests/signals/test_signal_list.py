"""The signal list: counted, paged, filtered and scoped by the database (issue 23)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from tests.factories.auth import UserFactory, login
from tests.factories.signals import FORMS, bulk_routed


def _shown(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<td class="utrecht-table__cell"><a class="utrecht-link '
                                       r'utrecht-link--html-a" href="/signals/(\d+)">', html)]


def test_the_signal_list_is_counted_paged_filtered_and_scoped(client: TestClient,
                                                              db: Session) -> None:
    nurse = UserFactory(organisation__org_type=OrgType.ZORG)
    colleague = UserFactory(organisation=nurse.organisation)
    police = UserFactory(organisation__org_type=OrgType.POLITIE)
    stranger = UserFactory(organisation__org_type=OrgType.ZORG)
    ids = bulk_routed(db, reporter_id=nurse.id, reporter_org_id=nurse.organisation.id,
                      to_org_id=police.organisation.id, n=60)
    bulk_routed(db, reporter_id=stranger.id, reporter_org_id=stranger.organisation.id,
                to_org_id=police.organisation.id, n=5)
    login(client, colleague.username)
    # A care colleague does not see the nurse's signals (need-to-know), not even counted.
    assert "0 signalen" in client.get("/signals").text
    client.cookies.clear()
    login(client, nurse.username)
    first = client.get("/signals")
    assert first.status_code == 200
    count = re.search(r'id="list-count"[^>]*>\s*<strong>([^<]*)', first.text)
    assert count and count.group(1) == "60 signalen", count
    assert "1 tot en met 25 getoond" in first.text
    shown = _shown(first.text)
    assert shown == ids[:25]  # newest first: signal i was received i minutes ago
    assert set(shown) <= set(ids)  # the other care organisation's signals are not ours
    assert len(_shown(client.get("/signals?page=3").text)) == 10
    sexual = client.get("/signals?form=sexual&per_page=100").text  # FORMS[i % 3]
    assert _shown(sexual) == [i for n, i in enumerate(ids) if FORMS[n % 3] == "sexual"]
    assert "60 signalen" in client.get("/signals?mine=1").text  # she reported them all
    assert client.get("/signals?status=gone").status_code == 400
    client.cookies.clear()
    login(client, police.username)
    assert "65 signalen" in client.get("/signals").text  # routed to the police: all of them
