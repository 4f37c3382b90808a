"""Items, links, access restrictions, bad input and the online-capture helper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.audit.service import flush_pending
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.config import get_settings
from ketenzicht.core import i18n
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.evidence import reads, service, store
from ketenzicht.evidence.enums import ItemKind, Strength
from ketenzicht.evidence.models import EvidenceItem, EvidenceLink
from ketenzicht.evidence.schemas import ChargesIn, LinkCreate, SettingIn
from ketenzicht.online.collection.models import Capture
from ketenzicht.online.workspace import flows as online_flows
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.evidence import make_evidence_case, make_item


@pytest.fixture
def english() -> Iterator[None]:
    """Advice texts in English (the default locale is Dutch once translated)."""
    i18n.set_locale("en")
    try:
        yield
    finally:
        i18n.set_locale(i18n.DEFAULT_LOCALE)


@pytest.fixture
def team(db: Session) -> dict[str, object]:
    politie = OrganisationFactory(org_type=OrgType.POLITIE)
    om = OrganisationFactory(org_type=OrgType.OM)
    zorg = OrganisationFactory(org_type=OrgType.ZORG)
    return {
        "police": UserFactory(organisation=politie),
        "colleague": UserFactory(organisation=politie),
        "om": UserFactory(organisation=om), "care": UserFactory(organisation=zorg),
        "outsider": UserFactory(organisation=OrganisationFactory(org_type=OrgType.POLITIE)),
        "om_org": om, "zorg_org": zorg,
    }


@pytest.fixture
def case(db: Session, team: dict[str, object]):  # type: ignore[no-untyped-def]
    return make_evidence_case(db, team["police"], participants=[  # type: ignore[arg-type]
        {"org_id": team["om_org"].id, "phase": "vervolging"},  # type: ignore[attr-defined]
        {"org_id": team["zorg_org"].id, "phase": "hulpverlening"}])  # type: ignore[attr-defined]


def _count(db: Session, model: type) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _store_files() -> list[Path]:
    base = store.root(get_settings())
    return [p for p in base.rglob("*") if p.is_file()] if base.exists() else []


def test_item_is_stored_under_its_hash_and_audited(db: Session, team, case) -> None:
    item = make_item(db, team["police"], case, content=b"<script>alert(1)</script>")
    assert item.sha256 == store.digest(b"<script>alert(1)</script>")
    assert store.get(store.root(get_settings()), item.sha256) == b"<script>alert(1)</script>"
    assert (item.added_by_user_id, item.size) == (team["police"].id, 25)
    service.item_content(db, actor=actor(team["om"]), case_id=case.id, item_id=item.id)
    flush_pending(db)
    actions = set(db.scalars(select(AuditEntry.action).where(
        AuditEntry.resource_type == "evidence_item", AuditEntry.resource_id == str(item.id))))
    assert {"create", "download"} <= actions


@pytest.mark.parametrize("who", ["care", "outsider"])
def test_only_participating_investigators_see_evidence(db: Session, team, case, who) -> None:
    make_item(db, team["police"], case)
    assert len(service.list_items(db, actor=actor(team["om"]), case_id=case.id)) == 1
    with pytest.raises(Forbidden):
        service.list_items(db, actor=actor(team[who]), case_id=case.id)
    with pytest.raises(Forbidden):
        reads.matrices(db, actor=actor(team[who]), case_id=case.id)


def test_victim_statement_is_seen_only_by_named_people(db: Session, team, case) -> None:
    item = make_item(db, team["police"], case, kind=ItemKind.STATEMENT_VICTIM,
                     restricted_to=[team["om"].id])
    suspect = service.suspects(case)[0]
    service.link_item(db, actor=actor(team["police"]), case_id=case.id, item_id=item.id,
                      data=LinkCreate(element="middel", suspect_ids=[suspect.id],
                                      strength=Strength.STERK))
    for named in ("police", "om"):
        assert [i.id for i in service.list_items(db, actor=actor(team[named]),
                                                 case_id=case.id)] == [item.id]
    colleague = actor(team["colleague"])
    assert service.list_items(db, actor=colleague, case_id=case.id) == []
    with pytest.raises(Forbidden):
        service.item_content(db, actor=colleague, case_id=case.id, item_id=item.id)
    # For the colleague the statement does not exist, in the matrix either.
    matrix = reads.matrices(db, actor=colleague, case_id=case.id)[0]
    row1 = next(r for r in matrix.rows if r.subclause == "1")
    assert {c.element: c.coverage for c in row1.cells}["middel"] == "open"
    named = reads.matrices(db, actor=actor(team["om"]), case_id=case.id)[0]
    cell = next(c for r in named.rows if r.subclause == "1" for c in r.cells
                if c.element == "middel")
    assert cell.victim_only and cell.alternatives


def test_a_statement_cannot_name_someone_outside_the_case(db: Session, team, case) -> None:
    with pytest.raises(ValidationFailed):
        make_item(db, team["police"], case, kind=ItemKind.STATEMENT_VICTIM,
                  restricted_to=[team["care"].id])
    with pytest.raises(ValidationFailed):
        make_item(db, team["police"], case, restricted_to=[team["om"].id])


def test_matrix_gap_closes_and_advice_names_the_means(db: Session, team, case,
                                                      english: None) -> None:
    suspect = service.suspects(case)[0]
    police = actor(team["police"])
    for element in ("handeling_werven", "oogmerk_uitbuiting"):
        item = make_item(db, team["police"], case, content=element.encode())
        service.link_item(db, actor=police, case_id=case.id, item_id=item.id, data=LinkCreate(
            element=element, suspect_ids=[suspect.id], strength=Strength.STERK))
    service.set_setting(db, actor=police, case_id=case.id,
                        data=SettingIn(framework="273f-sr", victim_minor=False))
    m = reads.matrices(db, actor=police, case_id=case.id)[0]
    assert m.conclusion == ("no sub-clause charged yet (the public prosecutor chooses them); "
                            "closest to proof: sub-clause 1°: evidence still incomplete: "
                            "middel not substantiated")
    assert any("middel" in r for r in m.reasons) and m.advice_only
    item = make_item(db, team["police"], case, kind=ItemKind.TELECOM, content=b"sms")
    service.link_item(db, actor=police, case_id=case.id, item_id=item.id, data=LinkCreate(
        element="middel", suspect_ids=[suspect.id], strength=Strength.REDELIJK))
    m = reads.matrices(db, actor=police, case_id=case.id)[0]
    assert m.conclusion.endswith("every element of sub-clause 1° is covered by evidence")
    # Under the bill the same case is evaluated too, and says the bill is not in force.
    bill = reads.matrices(db, actor=police, case_id=case.id,
                          framework_key="wetsvoorstel-36547")[0]
    assert any("niet in werking" in r for r in bill.reasons)


def test_minor_victim_needs_no_means(db: Session, team, case, english: None) -> None:
    police = actor(team["police"])
    suspect = service.suspects(case)[0]
    for element in ("handeling_werven", "oogmerk_uitbuiting"):
        item = make_item(db, team["police"], case, content=element.encode())
        service.link_item(db, actor=police, case_id=case.id, item_id=item.id, data=LinkCreate(
            element=element, suspect_ids=[suspect.id], strength=Strength.STERK))
    service.set_setting(db, actor=police, case_id=case.id,
                        data=SettingIn(framework="273f-sr", victim_minor=True))
    m = reads.matrices(db, actor=police, case_id=case.id)[0]
    assert "every element of sub-clause" in m.conclusion


def test_bad_input_changes_nothing_stored(db: Session, team, case, monkeypatch) -> None:
    item = make_item(db, team["police"], case)
    suspect = service.suspects(case)[0]
    before = (_count(db, EvidenceItem), _count(db, EvidenceLink), sorted(_store_files()))
    monkeypatch.setenv("KZ_EVIDENCE_MAX_UPLOAD_BYTES", "1000")
    get_settings.cache_clear()
    with pytest.raises(ValidationFailed, match="larger than the limit"):
        make_item(db, team["police"], case, content=b"x" * 1001)
    for kind in (ItemKind.ONLINE_CAPTURE, ItemKind.WAGE_CHECK):  # made by the platform only
        with pytest.raises(ValidationFailed, match="made by the platform"):
            make_item(db, team["police"], case, kind=kind)
    with pytest.raises(ValidationFailed, match="Unknown element"):
        service.link_item(db, actor=actor(team["police"]), case_id=case.id, item_id=item.id,
                          data=LinkCreate(element="dwang_en_zo", suspect_ids=[suspect.id],
                                          strength=Strength.STERK))
    with pytest.raises(ValidationFailed, match="not a suspect"):
        service.link_item(db, actor=actor(team["police"]), case_id=case.id, item_id=item.id,
                          data=LinkCreate(element="middel", suspect_ids=[987654],
                                          strength=Strength.STERK))
    other = make_evidence_case(db, team["outsider"])
    before = (_count(db, EvidenceItem), _count(db, EvidenceLink), sorted(_store_files()))
    with pytest.raises(Forbidden):
        make_item(db, team["police"], other, content=b"not yours")
    with pytest.raises(Forbidden):
        service.link_item(db, actor=actor(team["police"]), case_id=other.id, item_id=item.id,
                          data=LinkCreate(element="middel", suspect_ids=[suspect.id],
                                          strength=Strength.STERK))
    assert (_count(db, EvidenceItem), _count(db, EvidenceLink),
            sorted(_store_files())) == before


def test_the_same_link_twice_is_a_conflict(db: Session, team, case) -> None:
    item = make_item(db, team["police"], case)
    data = LinkCreate(element="voordeel", suspect_ids=[service.suspects(case)[0].id],
                      strength=Strength.ZWAK)
    service.link_item(db, actor=actor(team["police"]), case_id=case.id, item_id=item.id,
                      data=data)
    with pytest.raises(Conflict):
        service.link_item(db, actor=actor(team["police"]), case_id=case.id, item_id=item.id,
                          data=data)


def test_add_online_items_cites_captures(db: Session, team, case) -> None:
    capture = Capture(url="https://ads.example/ad/1", captured_at=datetime(2026, 11, 2, tzinfo=UTC),
                      status=200, sha256="a" * 64, size=10, warc_file="x.warc.gz",
                      warc_offset=0, warc_record_id="<urn:uuid:1234>")
    db.add(capture)
    db.flush()
    cited_twice = online_flows.citations(db, [capture.id, capture.id])
    items = service.add_online_items(db, actor=actor(team["police"]), case_id=case.id,
                                     captures=cited_twice * 2,
                                     report=b"%PDF-netwerk", report_name="netwerk.pdf",
                                     note="Netwerk rond 06-nummer")
    assert [i.kind for i in items] == [ItemKind.DOCUMENT, ItemKind.ONLINE_CAPTURE]
    assert items[0].sha256 == store.digest(b"%PDF-netwerk")
    cited = items[1]
    assert (cited.capture_id, cited.warc_record_id, cited.capture_sha256) == (
        capture.id, "<urn:uuid:1234>", "a" * 64)
    with pytest.raises(ValidationFailed):
        online_flows.citations(db, [987654])
    with pytest.raises(Forbidden):
        service.add_online_items(db, actor=actor(team["care"]), case_id=case.id,
                                 captures=cited_twice, report=b"r", report_name="r",
                                 note="")


def test_wage_check_saved_as_item(db: Session, team, case) -> None:
    from ketenzicht.evidence.schemas import WageCheckIn

    read = reads.wage_check(db, actor=actor(team["police"]), case_id=case.id,
                            data=WageCheckIn.model_validate({
                                "on": "2026-03-02", "hours": "40", "pay": "400",
                                "save": True}))
    assert read.arrears == "188.40" and read.item_id is not None
    item = db.get(EvidenceItem, read.item_id)
    assert item is not None and item.kind is ItemKind.WAGE_CHECK
    assert item.facts["indicators"] == ["EX_LOW_SALARY"]
    with pytest.raises(Forbidden):
        reads.wage_check(db, actor=actor(team["care"]), case_id=case.id,
                         data=WageCheckIn.model_validate({"on": "2026-03-02", "hours": "40",
                                                          "pay": "400"}))


def test_role_without_grant_is_refused(db: Session, team, case) -> None:
    beheer = UserFactory(organisation=team["police"].organisation, roles=(Role.BEHEERDER,))
    with pytest.raises(Forbidden):
        service.list_items(db, actor=actor(beheer), case_id=case.id)


def test_conclusion_names_the_sub_clauses_the_prosecutor_charged(db: Session, team, case,
                                                                english: None) -> None:
    suspect = service.suspects(case)[0]
    police, om = actor(team["police"]), actor(team["om"])
    for element in ("handeling_werven", "oogmerk_uitbuiting", "middel"):
        item = make_item(db, team["police"], case, content=element.encode())
        service.link_item(db, actor=police, case_id=case.id, item_id=item.id, data=LinkCreate(
            element=element, suspect_ids=[suspect.id], strength=Strength.STERK))
    before = reads.matrices(db, actor=police, case_id=case.id)[0]
    assert before.charged == [] and "no sub-clause charged yet" in before.conclusion
    # Only the public prosecutor chooses; the police may not.
    with pytest.raises(Forbidden):
        service.set_charges(db, actor=police, case_id=case.id,
                            data=ChargesIn(suspect_id=suspect.id, subclauses=["1"]))
    with pytest.raises(ValidationFailed, match="not in the framework"):
        service.set_charges(db, actor=om, case_id=case.id,
                            data=ChargesIn(suspect_id=suspect.id, subclauses=["99"]))
    # Sub-clause 1 is complete, but 4° is what is charged: the conclusion speaks of 4°.
    assert service.set_charges(db, actor=om, case_id=case.id, data=ChargesIn(
        suspect_id=suspect.id, subclauses=["4", "1"])) == ["1", "4"]
    m = reads.matrices(db, actor=police, case_id=case.id)[0]
    assert m.charged == ["1", "4"]
    assert [r.subclause for r in m.rows if r.charged] == ["1", "4"]
    assert m.conclusion.startswith("every element of sub-clause 1° is covered by evidence; "
                                   "sub-clause 4°: evidence still incomplete:")
    service.set_charges(db, actor=om, case_id=case.id,
                        data=ChargesIn(suspect_id=suspect.id, subclauses=["4"]))
    only4 = reads.matrices(db, actor=police, case_id=case.id)[0]
    assert only4.conclusion.startswith("sub-clause 4°: evidence still incomplete")
    assert "sub-clause 1°" not in only4.conclusion
