"""Field-level need-to-know for every organisation type, and break-the-glass."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.audit.service import flush_pending
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.cases import emergency, notes, reads, service, visibility
from ketenzicht.cases.enums import FieldCategory as F
from ketenzicht.cases.enums import LinkKind
from ketenzicht.cases.schemas import EmergencyIn, LinkIn, NoteIn, ParticipantIn
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden
from ketenzicht.notify.models import Notification
from tests.cases.conftest import open_team_case
from tests.factories.auth import OrganisationFactory, UserFactory, actor

G, C, INV, ID, SH = F.GENERAL, F.CARE, F.INVESTIGATION, F.IDENTITY, F.SHELTER
# A shelter reads identity and care details only through a referral that names them.
MATRIX = {
    OrgType.POLITIE: {G, INV, ID}, OrgType.KMAR: {G, INV, ID},
    OrgType.ARBEIDSINSPECTIE: {G, INV, ID}, OrgType.OM: {G, INV, ID},
    OrgType.ZORG: {G, C, ID}, OrgType.GEMEENTE: {G, C, ID, SH}, OrgType.OPVANG: {G, SH},
    OrgType.COMENSHA: {G, C, ID, SH}, OrgType.RAPPORTEUR: set(), OrgType.BEHEER: set(),
}


@pytest.mark.parametrize(("org_type", "expected"), MATRIX.items())
def test_visibility_matrix(org_type: OrgType, expected: set[F]) -> None:
    assert visibility.categories_for(org_type) == expected
    assert visibility.categories_for(org_type, emergency=True) == set(F)


def test_matrix_covers_every_organisation_type() -> None:
    assert set(MATRIX) == set(OrgType)


@pytest.mark.parametrize("org_type", [t for t in OrgType
                                      if t not in (OrgType.RAPPORTEUR, OrgType.BEHEER)])
def test_each_participant_reads_only_its_categories(db: Session, team: dict[str, Any],
                                                    org_type: OrgType) -> None:
    case = open_team_case(db, team)
    o = team["orgs"]
    notes.add_note(db, actor=actor(team["care"]), case_id=case.id,
                   data=NoteIn(category=C, text="medische zorg nodig"))
    notes.add_note(db, actor=actor(team["police"]), case_id=case.id,
                   data=NoteIn(category=INV, text="tapgesprek 12"))
    notes.add_note(db, actor=actor(team["coord"]), case_id=case.id,
                   data=NoteIn(category=G, text="algemeen"))
    notes.add_note(db, actor=actor(team["coord"]), case_id=case.id,
                   data=NoteIn(category=ID, text="paspoort RO"))
    notes.add_note(db, actor=actor(team["coord"]), case_id=case.id,
                   data=NoteIn(category=SH, text="opvangadres"))
    notes.add_link(db, actor=actor(team["police"]), case_id=case.id,
                   data=LinkIn(kind=LinkKind.ONLINE_NETWORK, ref_id=41, note="advertenties"))
    org = o.get(org_type) or OrganisationFactory(org_type=org_type)
    reader = UserFactory(organisation=org)
    db.flush()
    if org.id not in service.case_ref(case).participant_org_ids:
        service.add_participant(db, actor=actor(team["coord"]), case_id=case.id,
                                data=ParticipantIn(org_id=org.id, phase="signalering"))
    view = reads.case_read(db, actor=actor(reader), case_id=case.id)
    assert {n.category for n in view.notes} == MATRIX[org_type]
    assert bool(view.links) == (INV in MATRIX[org_type])
    assert view.emergency_until is None


def test_writing_is_limited_to_ones_categories(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    with pytest.raises(Forbidden):
        notes.add_note(db, actor=actor(team["care"]), case_id=case.id,
                       data=NoteIn(category=INV, text="x"))
    with pytest.raises(Forbidden):
        notes.add_link(db, actor=actor(team["care"]), case_id=case.id,
                       data=LinkIn(kind=LinkKind.ONLINE_NETWORK, ref_id=41))
    link = LinkIn(kind=LinkKind.ONLINE_NETWORK, ref_id=41)
    notes.add_link(db, actor=actor(team["police"]), case_id=case.id, data=link)
    with pytest.raises(Conflict):
        notes.add_link(db, actor=actor(team["police"]), case_id=case.id, data=link)
    assert notes.cases_linked_to(db, kind="online_network", ref_id=41) == [case.id]


def test_break_the_glass_is_reasoned_limited_audited_and_told(db: Session,
                                                              team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    notes.add_note(db, actor=actor(team["care"]), case_id=case.id,
                   data=NoteIn(category=C, text="medische zorg nodig"))
    outsider = actor(team["outsider"])
    with pytest.raises(Forbidden):
        service.get_case(db, actor=outsider, case_id=case.id)
    with pytest.raises(Forbidden):  # a missing case is refused alike
        emergency.break_glass(db, actor=outsider, case_id=987654,
                              data=EmergencyIn(reason="Acuut gevaar, direct nodig"))
    with pytest.raises(Forbidden):  # the rapporteur has no such right
        emergency.break_glass(db, actor=actor(UserFactory(organisation=OrganisationFactory(
            org_type=OrgType.RAPPORTEUR), roles=(Role.COORDINATOR,))), case_id=case.id,
            data=EmergencyIn(reason="Nieuwsgierig naar de casus"))
    start = clock.now()
    with clock.frozen(start):
        row = emergency.break_glass(db, actor=outsider, case_id=case.id, data=EmergencyIn(
            reason="Slachtoffer meldt zich nu aan de balie, acuut gevaar", hours=2))
        with pytest.raises(Conflict):
            emergency.break_glass(db, actor=outsider, case_id=case.id,
                                  data=EmergencyIn(reason="Nog een keer graag"))
        seen = service.get_case(db, actor=outsider, case_id=case.id)
        view = reads.case_read(db, actor=outsider, case_id=seen.id)
        assert {n.category for n in view.notes} == {C}
        assert view.emergency_until == start + timedelta(hours=2)
        with pytest.raises(Forbidden):  # reading only: no changes under the glass
            service.load(db, actor=outsider, case_id=case.id, action="case.update")
    with clock.frozen(start + timedelta(hours=2, seconds=1)), pytest.raises(Forbidden):
        service.get_case(db, actor=outsider, case_id=case.id)
    told = db.scalars(select(Notification).where(Notification.user_id == team["coord"].id,
                                                 Notification.kind == "case.emergency_access"))
    note = next(iter(told))
    assert team["outside"].name in note.body and "acuut" not in note.body.lower()
    flush_pending(db)
    actions = set(db.scalars(select(AuditEntry.action).where(
        AuditEntry.resource_type == "case", AuditEntry.resource_id == str(case.id))))
    assert {"break_glass", "emergency_read"} <= actions
    assert row.user_id == team["outsider"].id


def test_emergency_access_can_be_ended_early(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    outsider = actor(team["outsider"])
    row = emergency.break_glass(db, actor=outsider, case_id=case.id,
                                data=EmergencyIn(reason="Acuut gevaar voor het slachtoffer"))
    with pytest.raises(Forbidden):  # only one's own
        emergency.end(db, actor=actor(team["police"]), case_id=case.id, access_id=row.id)
    emergency.end(db, actor=outsider, case_id=case.id, access_id=row.id)
    with pytest.raises(Forbidden):
        service.get_case(db, actor=outsider, case_id=case.id)


def test_a_participant_who_breaks_the_glass_has_each_wider_read_audited(
        db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    notes.add_note(db, actor=actor(team["police"]), case_id=case.id,
                   data=NoteIn(category=INV, text="tapgesprek 12"))
    care = actor(team["care"])  # a participant: its own categories exclude investigation
    def reads_of() -> int:
        flush_pending(db)
        return len(list(db.scalars(select(AuditEntry.id).where(
            AuditEntry.action == "emergency_read", AuditEntry.resource_id == str(case.id)))))
    reads.case_read(db, actor=care, case_id=case.id)
    assert reads_of() == 0  # its normal read is no emergency read
    emergency.break_glass(db, actor=care, case_id=case.id,
                          data=EmergencyIn(reason="Cliënt in acuut gevaar, politie nodig"))
    view = reads.case_read(db, actor=care, case_id=case.id)
    assert INV in {n.category for n in view.notes}
    assert reads_of() == 1
