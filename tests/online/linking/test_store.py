"""Storing a linking run (SQLite and PostgreSQL through the ``db`` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.enums import OrgType
from ketenzicht.config import Settings
from ketenzicht.core.errors import Forbidden
from ketenzicht.online.collection import service as crawl_service
from ketenzicht.online.workspace.networks import service
from ketenzicht.online.workspace.networks.enums import IdentifierKind
from ketenzicht.online.workspace.networks.models import (
    NetworkAd,
    NetworkIdentifier,
    NetworkReason,
    NetworkStop,
    NetworkTemplate,
)
from tests.factories import auth as auth_factories
from tests.factories.online import ad_fields, make_capture
from tests.online.linking.conftest import lines
from tests.online.linking.test_linking import TEMPLATE

PHONE = "+31641234567"


def _records() -> list[dict[str, object]]:
    out = []
    for i, (name, city) in enumerate((("Anna", "Utrecht"), ("Mia", "Breda"), ("Lara", "Zwolle"),
                                      ("Sofia", "Arnhem"), ("Eva", "Leiden"))):
        out.append({"id": f"a{i}", "title": f"{name} in {city}", "city": city,
                    "text": TEMPLATE.format(name=name, city=city) + " Bel 06-4123 4567.",
                    "posted_at": f"2026-09-{1 + 3 * i:02d}", "site": "demo",
                    "url": f"http://ads.test/ad/{i}"})
    out.append({"id": "solo", "text": "Rustige dame in Zwolle, bel 0659876543.",
                "posted_at": "2026-09-02", "site": "demo"})
    return out


def test_a_run_is_stored_with_members_reasons_template_stops_and_identifiers(
        db: Session, settings: Settings) -> None:
    auth_factories.bind(db)
    agent = auth_factories.actor(auth_factories.UserFactory())
    capture = make_capture(db, settings, url="http://ads.test/elsewhere")
    crawled, _ = crawl_service.record_sighting(db, site="demo", url="http://ads.test/ad/0",
                                               fields=ad_fields(), capture_id=capture.id,
                                               run_id=None)
    records = _records()
    # Joined by the ids the line carries (as ``online export`` writes them), never by URL:
    # a1 has the crawled ad's URL but no id, a2 names ids that do not exist.
    records[0] |= {"ad_id": crawled.id, "capture": capture.id, "url": "http://ads.test/moved"}
    records[1]["url"] = "http://ads.test/ad/0"
    records[2] |= {"ad_id": crawled.id + 1000, "capture": capture.id + 1000}
    run, result = service.link(db, lines=lines(records), actor=agent, source="test",
                               on_error=lambda n, m: pytest.fail(m))
    assert run.ads == 6 and run.networks == 2 and run.finished_at is not None
    top = result.networks[0]
    assert len(top.ads) == 5
    found = service.networks_with(db, actor=agent, kind=IdentifierKind.PHONE, value=PHONE)
    assert [n.key for n in found] == [top.key]
    network = found[0]
    assert network.size == 5 and network.phones == [PHONE]
    assert network.names == ["Anna", "Mia", "Lara", "Sofia", "Eva"]
    assert network.first_seen is not None and network.first_seen.day == 1
    members = db.scalars(select(NetworkAd).where(NetworkAd.network_id == network.id)
                         .order_by(NetworkAd.ad_key)).all()
    assert [m.ad_key for m in members] == ["a0", "a1", "a2", "a3", "a4"]
    assert (members[0].ad_id, members[0].capture_id) == (crawled.id, capture.id)
    assert [(m.ad_id, m.capture_id) for m in members[1:]] == [(None, None)] * 4
    reasons = db.scalars(select(NetworkReason).where(NetworkReason.network_id == network.id)
                         .order_by(NetworkReason.rank)).all()
    assert reasons and reasons[0].weight >= reasons[-1].weight
    assert {"TEMPLATE_NEW_NAMES", "CITY_HOPPING"} <= {r.code for r in reasons}
    tpl = db.scalars(select(NetworkTemplate).where(
        NetworkTemplate.network_id == network.id)).one()
    assert "{slot1}" in tpl.text and tpl.support == 5
    stops = db.scalars(select(NetworkStop).where(NetworkStop.network_id == network.id,
                                                 NetworkStop.persona == "")
                       .order_by(NetworkStop.seq)).all()
    assert [s.city for s in stops] == ["Utrecht", "Breda", "Zwolle", "Arnhem", "Leiden"]
    assert db.scalars(select(NetworkStop).where(NetworkStop.persona == "Mia")).one().city == "Breda"
    ids = db.scalars(select(NetworkIdentifier).where(
        NetworkIdentifier.network_id == network.id)).all()
    assert [(i.kind, i.value, i.ads) for i in ids] == [(IdentifierKind.PHONE, PHONE, 5)]
    assert service.get_network(db, actor=agent, network_id=network.id) is network
    assert service.latest_run(db) is run
    assert audit.pending_count(db) >= 3  # the run, the identifier search, the read


def test_only_investigators_may_link(db: Session) -> None:
    auth_factories.bind(db)
    carer = auth_factories.actor(auth_factories.UserFactory(
        organisation=auth_factories.OrganisationFactory(org_type=OrgType.ZORG)))
    with pytest.raises(Forbidden):
        service.link(db, lines=lines(_records()), actor=carer, source="test",
                     on_error=lambda n, m: None)
