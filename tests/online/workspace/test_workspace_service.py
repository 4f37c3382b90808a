"""The workspace's services: ranked list and filters, network page, triage, search, reports."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.online.collection.models import Capture
from ketenzicht.online.workspace import queries, report, search, service
from ketenzicht.online.workspace.enums import TriageStatus
from ketenzicht.online.workspace.networks.models import Network
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.online import make_network, make_run
from tests.stale import stale


def _audited(db: Session, action: str) -> list[AuditEntry]:
    audit.flush_pending(db)
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_list_is_ranked_by_score_with_reasons_and_recent_cities(db: Session, police: Actor) -> None:
    run = make_run(db)
    low = make_network(db, run=run, key="low", score=0.2, phone="+31611111111")
    high = make_network(db, run=run, key="high", score=0.9, phone="+31622222222")
    rows, total = service.list_networks(db, actor=police, f=queries.NetworkFilter())
    assert total == 2
    assert [r.network.id for r in rows] == [high.id, low.id]
    assert [r.code for r in rows[0].reasons] == ["shared_phone_many_names", "city_hopping"]
    assert rows[0].recent_cities == ["Utrecht", "Amsterdam"]
    assert rows[0].status is TriageStatus.NEW
    assert _audited(db, "list")


@pytest.mark.parametrize(("f", "expected"), [
    (queries.NetworkFilter(min_size=3), {"big"}),
    (queries.NetworkFilter(municipality="Rotterdam"), {"south"}),
    (queries.NetworkFilter(region="Zuid-Holland"), {"south"}),
    (queries.NetworkFilter(region="Utrecht"), {"big", "small"}),
    (queries.NetworkFilter(indicator="foreign_mobile"), {"small"}),
    (queries.NetworkFilter(site="other-site"), {"south"}),
    (queries.NetworkFilter(status=TriageStatus.NEW), {"big", "small", "south"}),
])
def test_filters(db: Session, police: Actor, f: queries.NetworkFilter, expected: set[str]
                 ) -> None:
    run = make_run(db)
    make_network(db, run=run, key="big", ads=4, phone="+31633333333")
    make_network(db, run=run, key="small", ads=1, phone="+48600000000", reason="foreign_mobile")
    make_network(db, run=run, key="south", ads=2, phone="+31644444444", site="other-site",
                 cities=("Rotterdam", "Den Haag"))
    rows, _ = service.list_networks(db, actor=police, f=f)
    assert {r.network.key for r in rows} == expected


def test_period_and_new_since_filters(db: Session, police: Actor) -> None:
    run = make_run(db)
    net = make_network(db, run=run, key="old")
    today = clock.now().date()
    assert not queries.list_networks(db, f=queries.NetworkFilter(new_since=today))[0]
    assert queries.list_networks(db, f=queries.NetworkFilter(
        new_since=today - timedelta(days=30)))[0][0].network.id == net.id
    assert not queries.list_networks(db, f=queries.NetworkFilter(
        period_to=today - timedelta(days=20)))[0]
    assert queries.list_networks(db, f=queries.NetworkFilter(
        period_from=today - timedelta(days=2), period_to=today))[0]


def test_only_the_latest_run_is_listed(db: Session, police: Actor) -> None:
    make_network(db, key="then")
    latest = make_network(db, key="now")
    rows, total = queries.list_networks(db, f=queries.NetworkFilter())
    assert total == 1 and rows[0].network.id == latest.id


def test_network_page_has_template_slots_personas_and_shared_identifiers(
        db: Session, police: Actor, network: Network) -> None:
    d = service.detail(db, actor=police, network_id=network.id)
    slots = [p for p in d.template_parts if p.slot]
    assert [p.slot for p in slots] == ["slot1", "slot2"]
    assert slots[0].values == ("Anna", "Mia")
    assert "".join(p.text for p in d.template_parts) == "Hoi ik ben {slot1}, nieuw in {slot2}"
    assert set(d.personas) == {"Anna", "Mia"}
    assert [s.city for s in d.trajectory] == ["Utrecht", "Amsterdam"]
    assert d.ads_total == 2 and d.ads[0].captures
    assert _audited(db, "read")


def test_identifier_links_count_other_networks_of_the_run(db: Session, police: Actor) -> None:
    run = make_run(db)
    one = make_network(db, run=run, key="one")
    make_network(db, run=run, key="two")  # same phone
    d = service.detail(db, actor=police, network_id=one.id)
    assert [(i.identifier.value, i.other_networks) for i in d.identifiers] == [
        ("+31612345678", 1)]


def test_missing_network_is_refused_like_a_forbidden_one(db: Session, police: Actor) -> None:
    with pytest.raises(Forbidden):
        service.detail(db, actor=police, network_id=987654)


@pytest.mark.parametrize(("org_type", "role", "allowed"), [
    (OrgType.POLITIE, Role.MEDEWERKER, True),
    (OrgType.KMAR, Role.COORDINATOR, True),
    (OrgType.ARBEIDSINSPECTIE, Role.MEDEWERKER, True),
    (OrgType.OM, Role.MEDEWERKER, True),
    (OrgType.ZORG, Role.MEDEWERKER, False),
    (OrgType.GEMEENTE, Role.COORDINATOR, False),
    (OrgType.POLITIE, Role.BEHEERDER, False),
])
def test_only_investigators_and_om_see_networks(db: Session, network: Network,
                                                 org_type: OrgType, role: Role,
                                                 allowed: bool) -> None:
    user = UserFactory(organisation=OrganisationFactory(org_type=org_type), roles=(role,))
    db.flush()
    if allowed:
        assert service.detail(db, actor=actor(user), network_id=network.id)
    else:
        with pytest.raises(Forbidden):
            service.detail(db, actor=actor(user), network_id=network.id)


def test_triage_status_has_history_version_and_audit(db: Session, police: Actor,
                                                     network: Network) -> None:
    triage = service.set_status(db, actor=police, network_id=network.id,
                                status=TriageStatus.INVESTIGATING, reason="bekend nummer",
                                version=0)
    assert triage.status is TriageStatus.INVESTIGATING and triage.version == 1
    with pytest.raises(Conflict, match=stale(1, 0)):
        service.set_status(db, actor=police, network_id=network.id,
                           status=TriageStatus.CLOSED, reason="x", version=0)
    with pytest.raises(ValidationFailed):
        service.set_status(db, actor=police, network_id=network.id,
                           status=TriageStatus.CLOSED, reason="  ", version=1)
    with pytest.raises(ValidationFailed):
        service.set_status(db, actor=police, network_id=network.id,
                           status=TriageStatus.INVESTIGATING, reason="again", version=1)
    service.add_note(db, actor=police, network_id=network.id, text="Zelfde foto's als vorig jaar")
    history = service.history(db, actor=police, key=network.key)
    assert [(e.kind.value, e.text) for e in history] == [
        ("note", "Zelfde foto's als vorig jaar"), ("status", "bekend nummer")]
    assert history[1].from_status is TriageStatus.NEW
    assert _audited(db, "online.network.triage")[0].detail["to"] == "in_onderzoek"
    assert _audited(db, "online.network.note")
    rows, _ = queries.list_networks(db, f=queries.NetworkFilter(
        status=TriageStatus.INVESTIGATING))
    assert [r.network.id for r in rows] == [network.id]


@pytest.mark.parametrize("query", [
    "0612345678", "06-12 34 56 78", "+31 6 1234 5678", "06-123vier5678", "0031612345678",
    "nul zes een twee drie vier vijf zes zeven acht",
])
def test_search_by_phone_in_any_spelling(db: Session, police: Actor, network: Network,
                                         query: str) -> None:
    result = search.search(db, actor=police, kind=search.SearchKind.PHONE, query=query)
    assert result.values == ["+31612345678"]
    assert [n.id for n in result.networks] == [network.id]
    assert _audited(db, "online.search")


def test_search_by_name_text_and_nothing(db: Session, police: Actor, network: Network) -> None:
    by_name = search.search(db, actor=police, kind=search.SearchKind.NAME, query="mia")
    assert [n.id for n in by_name.networks] == [network.id] and by_name.ads
    by_text = search.search(db, actor=police, kind=search.SearchKind.TEXT, query="nieuw in")
    assert [n.id for n in by_text.networks] == [network.id]
    with pytest.raises(ValidationFailed):
        search.search(db, actor=police, kind=search.SearchKind.PHONE, query="geen nummer")


def test_search_by_image_matches_a_resized_copy(db: Session, police: Actor) -> None:
    import io

    from PIL import Image

    from ketenzicht.online.collection.demosite import _png
    from ketenzicht.online.collection.service import perceptual_hash

    original = _png(3, 1)
    phash = perceptual_hash(original)
    assert phash
    net = make_network(db, key="photo", image=phash)
    with Image.open(io.BytesIO(original)) as im:
        buffer = io.BytesIO()
        im.convert("RGB").resize((im.width * 2, im.height * 2)).save(buffer, "JPEG", quality=70)
    result = search.search(db, actor=police, kind=search.SearchKind.IMAGE,
                           image=buffer.getvalue())
    assert [n.id for n in result.networks] == [net.id]
    with pytest.raises(ValidationFailed):
        search.search(db, actor=police, kind=search.SearchKind.IMAGE, image=b"not an image")


def test_report_lists_captures_with_hashes_json_and_pdf(db: Session, police: Actor,
                                                       network: Network, capture: Capture
                                                       ) -> None:
    data = report.build(db, actor=police, network_id=network.id)
    assert data["captures"] == [report._capture(capture)]
    assert data["captures"][0]["sha256"] == capture.sha256
    assert data["reasons"][0]["code"] == "shared_phone_many_names"
    body = report.to_json(data)
    assert json.loads(body)["network"]["key"] == network.key
    assert report.to_json(data) == body  # canonical
    pdf = report.to_pdf(data)
    assert pdf.startswith(b"%PDF")
    assert _audited(db, "online.network.export")


def test_replay_verifies_the_hash_and_notices_tampering(db: Session, police: Actor,
                                                       capture: Capture, settings: Settings
                                                       ) -> None:
    from ketenzicht.online.collection import replay

    result = replay.replay(db, actor=police, capture_id=capture.id, settings=settings)
    assert result.verified and result.payload and b"Anna in Utrecht" in result.payload
    capture.sha256 = "0" * 64
    db.flush()
    assert not replay.replay(db, actor=police, capture_id=capture.id, settings=settings).verified
    with pytest.raises(Forbidden):
        replay.replay(db, actor=police, capture_id=987654, settings=settings)


def test_count_stops_past_the_cap(db: Session, police: Actor,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "COUNT_CAP", 1)
    run = make_run(db)
    for i in range(3):
        make_network(db, run=run, key=f"n{i}", phone=f"+3161234500{i}")
    rows, total = queries.list_networks(db, f=queries.NetworkFilter())
    assert len(rows) == 3 and total == 2  # "more than 1"


def test_search_by_image_hash_from_an_identifier_link(db: Session, police: Actor) -> None:
    net = make_network(db, key="hashed", image="c3d4e5f6a7b8c9d0")
    near = "c3d4e5f6a7b8c9d1"  # one bit away
    result = search.search(db, actor=police, kind=search.SearchKind.IMAGE, query=near)
    assert [n.id for n in result.networks] == [net.id]
    far = search.search(db, actor=police, kind=search.SearchKind.IMAGE, query="0" * 16)
    assert far.networks == []
