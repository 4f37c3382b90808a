"""Referrals: legal basis from the shipped list, answers, escalation exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import escalation, service
from ketenzicht.cases.enums import Phase, ReferralStatus
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import ReferralAnswer
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.notify.models import Notification
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor
from tests.factories.cases import make_referral

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_every_legal_basis_names_its_source() -> None:
    bases = referrals.legal_bases()
    assert {"consent", "art273f_investigation", "care_coordination"} <= set(bases)
    assert all(b.source and b.title["nl"] and b.title["en"] for b in bases.values())


def test_send_checks_basis_note_target_and_deadline(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    shelter = team["orgs"][OrgType.OPVANG].id
    with pytest.raises(ValidationFailed):
        make_referral(db, team["coord"], shelter, case=case, legal_basis="gut_feeling")
    with pytest.raises(ValidationFailed):  # consent needs to say when and for what
        make_referral(db, team["coord"], shelter, case=case, legal_basis="consent")
    with pytest.raises(ValidationFailed):
        make_referral(db, team["coord"], 987654, case=case)
    with pytest.raises(ValidationFailed):
        make_referral(db, team["coord"], shelter, case=case,
                      answer_due_at=clock.now() - timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        make_referral(db, team["coord"], team["coord"].organisation_id, case=case)
    with clock.frozen(MONDAY):
        row = make_referral(db, team["coord"], shelter, case=case, legal_basis="consent",
                            legal_basis_note="Mondeling toegestemd op 20-11 bij intake")
    # Five working days from Monday 23 November 2026.
    assert row.answer_due_at == datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert row.data_categories == ["care", "identity"]
    told = db.scalars(select(Notification).where(Notification.user_id == team["shelter"].id))
    note = next(iter(told))
    assert note.link == "/cases/referrals" and case.title not in note.subject + note.body


def test_accept_makes_the_receiver_take_part(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    row = make_referral(db, team["coord"], team["orgs"][OrgType.OPVANG].id, case=case,
                        phase="opvang")
    shelter = actor(team["shelter"])
    with pytest.raises(Forbidden):  # not a participant yet
        service.get_case(db, actor=shelter, case_id=case.id)
    assert [r.id for r in referrals.incoming(db, actor=shelter)] == [row.id]
    with pytest.raises(Forbidden):  # only the receiver answers
        referrals.answer(db, actor=actor(team["police"]), referral_id=row.id,
                         data=ReferralAnswer(version=1, to_status=ReferralStatus.ACCEPTED))
    referrals.answer(db, actor=shelter, referral_id=row.id,
                     data=ReferralAnswer(version=1, to_status=ReferralStatus.ACCEPTED))
    assert service.get_case(db, actor=shelter, case_id=case.id).id == case.id
    assert any(p.org_id == shelter.organisation_id and p.phase is Phase.OPVANG
               for p in case.participants)
    with pytest.raises(ValidationFailed):  # accepted -> rejected is not in the table
        referrals.answer(db, actor=shelter, referral_id=row.id, data=ReferralAnswer(
            version=row.version, to_status=ReferralStatus.REJECTED, reason="vol"))
    referrals.answer(db, actor=shelter, referral_id=row.id,
                     data=ReferralAnswer(version=row.version, to_status=ReferralStatus.DONE))
    assert row.status is ReferralStatus.DONE
    assert referrals.incoming(db, actor=shelter) == []


def test_reject_needs_a_reason_and_sender_may_revoke(db: Session,
                                                     team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    row = make_referral(db, team["coord"], team["orgs"][OrgType.OPVANG].id, case=case)
    shelter = actor(team["shelter"])
    with pytest.raises(ValidationFailed):
        referrals.answer(db, actor=shelter, referral_id=row.id,
                         data=ReferralAnswer(version=1, to_status=ReferralStatus.REJECTED))
    with pytest.raises(Forbidden):  # the receiver cannot revoke
        referrals.answer(db, actor=shelter, referral_id=row.id,
                         data=ReferralAnswer(version=1, to_status=ReferralStatus.REVOKED))
    referrals.answer(db, actor=actor(team["coord"]), referral_id=row.id,
                     data=ReferralAnswer(version=1, to_status=ReferralStatus.REVOKED))
    second = make_referral(db, team["coord"], team["orgs"][OrgType.OPVANG].id, case=case)
    referrals.answer(db, actor=shelter, referral_id=second.id, data=ReferralAnswer(
        version=1, to_status=ReferralStatus.REJECTED, reason="Geen plek voor mannen"))
    assert second.answer_reason == "Geen plek voor mannen"
    sender_notes = db.scalars(select(Notification.kind).where(
        Notification.user_id == team["coord"].id)).all()
    assert "case.referral_rejected" in sender_notes


def test_unanswered_referrals_escalate_once(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    with clock.frozen(MONDAY):
        row = make_referral(db, team["coord"], team["orgs"][OrgType.OPVANG].id, case=case)
    before = referrals.escalate(db, now=MONDAY + timedelta(days=6))
    assert before == {"referrals_reminded": 0, "referrals_escalated": 0}
    due = row.answer_due_at
    assert referrals.escalate(db, now=due) == {"referrals_reminded": 1,
                                               "referrals_escalated": 0}
    assert referrals.escalate(db, now=due + timedelta(hours=1))["referrals_reminded"] == 0
    counts = escalation.run(db, now=due + timedelta(days=4))
    assert counts["referrals_escalated"] == 1
    assert escalation.run(db, now=due + timedelta(days=5))["referrals_escalated"] == 0
    national = db.scalars(select(Notification.kind).where(
        Notification.user_id == team["national"].id)).all()
    assert national.count("case.referral_escalated") == 1


def test_an_interrupted_run_resumes_and_sends_once(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    with clock.frozen(MONDAY):
        row = make_referral(db, team["coord"], team["orgs"][OrgType.OPVANG].id, case=case)
    due = row.answer_due_at
    shelter_user = team["shelter"].id
    interrupted = db.begin_nested()
    assert referrals.escalate(db, now=due)["referrals_reminded"] == 1
    interrupted.rollback()  # the run died before it committed: nothing of it stays
    db.expire_all()
    assert referrals.escalate(db, now=due)["referrals_reminded"] == 1
    assert referrals.escalate(db, now=due)["referrals_reminded"] == 0
    kinds = db.scalars(select(Notification.kind).where(
        Notification.user_id == shelter_user)).all()
    assert kinds.count("case.referral_overdue") == 1
