"""The evidence items of a case as a list: counted, paged, filtered, and a victim's statement
counted only for the people named on it."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.evidence import service
from ketenzicht.evidence.enums import ItemKind, Strength
from ketenzicht.evidence.schemas import LinkCreate
from tests.factories.auth import UserFactory, actor, login
from tests.factories.evidence import make_evidence_case, make_item


def _shown(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<section class="ketenzicht-flow" '
                                       r'aria-labelledby="item-(\d+)-title"', html)]


def test_items_are_counted_paged_filtered_and_restricted(client: TestClient,
                                                         db: Session) -> None:
    police = UserFactory(organisation__org_type=OrgType.POLITIE)
    colleague = UserFactory(organisation=police.organisation)
    case = make_evidence_case(db, police)
    docs = [make_item(db, police, case, content=f"stuk {i}".encode(),
                      title=f"{'Bankafschrift' if i % 2 else 'Huurcontract'} {i}",
                      obtained_on=date(2026, 1, 1 + i)) for i in range(30)]
    statement = make_item(db, police, case, content=b"verklaring",
                          kind=ItemKind.STATEMENT_VICTIM, title="Verklaring slachtoffer",
                          restricted_to=[police.id])
    suspect = next(p for p in case.persons if p.role == "suspect")
    service.link_item(db, actor=actor(police), case_id=case.id, item_id=docs[4].id,
                      data=LinkCreate(element="middel", strength=Strength.REDELIJK,
                                      suspect_ids=[suspect.id]))
    db.flush()
    login(client, police.username)
    url = f"/cases/{case.id}/evidence"

    first = client.get(url)
    assert first.status_code == 200
    assert "31 stukken" in first.text and "1 tot en met 25 getoond" in first.text
    shown = _shown(first.text)
    assert shown[0] == statement.id and len(shown) == 25  # newest first
    assert len(_shown(client.get(url + "?page=2").text)) == 6
    huur = _shown(client.get(url + "?q=huurcontract&per_page=50").text)
    assert sorted(huur) == sorted(d.id for d in docs[0::2])
    assert _shown(client.get(url + "?linked=yes").text) == [docs[4].id]
    assert "30 stukken" in client.get(url + "?linked=no").text
    kinds = client.get(url + "?kind=statement_victim").text
    assert _shown(kinds) == [statement.id]
    oldest = _shown(client.get(url + "?sort=obtained&kind=document&per_page=50").text)
    assert oldest == [d.id for d in docs]
    newest = _shown(client.get(url + "?sort=-obtained&kind=document&per_page=50").text)
    assert newest == [d.id for d in reversed(docs)]
    # The matrix links to an item on whichever page holds it.
    assert f'href="?item={docs[4].id}#item-{docs[4].id}"' in first.text
    assert docs[4].id not in shown
    focused = client.get(url + f"?item={docs[4].id}").text
    assert docs[4].id in _shown(focused) and 'aria-current="page"' in focused
    assert client.get(url + "?linked=maybe").status_code == 400

    # The colleague is not named on the statement: it is neither shown nor counted.
    client.cookies.clear()
    login(client, colleague.username)
    theirs = client.get(url).text
    assert "30 stukken" in theirs and statement.id not in _shown(theirs)
    assert _shown(client.get(url + "?kind=statement_victim").text) == []
