"""Referrals (doorverwijzingen) to another organisation, with the legal basis for sharing.

sent -> accepted | rejected (reason required) | revoked;  accepted -> done | revoked.
The receiving organisation does not take part in the case yet, so it sees the referral
(purpose, basis, data categories: no personal data) in its incoming list and takes
part from the moment it accepts. Unanswered referrals escalate like tasks, each step
exactly once (a compare-and-set on ``reminded_at`` / ``escalated_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import REFUSED, enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access, notices, workdays
from ketenzicht.cases.enums import OPEN_REFERRALS, REFERRAL_MACHINE, Raci, ReferralStatus
from ketenzicht.cases.models import Case, CaseParticipant, CaseReferral
from ketenzicht.cases.schemas import ReferralAnswer, ReferralIn
from ketenzicht.cases.service import (
    active_org,
    load,
    strategic_org_id,
)
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed, check_version
from ketenzicht.core.formatting import LocalTime
from ketenzicht.core.i18n import N_, get_locale
from ketenzicht.notify.schemas import Msg

DATA = Path(__file__).resolve().parent.parent / "data" / "legal_bases.yaml"
ANSWER_WORKING_DAYS = 5  # default answer deadline
ESCALATE_WORKING_DAYS = 2  # after the answer deadline, to the national level


@dataclass(frozen=True)
class LegalBasis:
    """One legal basis for sharing, with its source."""

    key: str
    title: dict[str, str]
    source: str
    needs_note: bool

    def text(self, locale: str) -> str:
        """The title in ``locale``, else in Dutch."""
        return self.title.get(locale) or self.title["nl"]


@lru_cache(maxsize=1)
def legal_bases() -> dict[str, LegalBasis]:
    """The shipped list of legal bases (``data/legal_bases.yaml``)."""
    with DATA.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return {key: LegalBasis(key=key, title=dict(body["title"]), source=str(body["source"]),
                            needs_note=bool(body.get("needs_note", False)))
            for key, body in raw["bases"].items()}


def send(session: Session, *, actor: Actor, case_id: int, data: ReferralIn) -> CaseReferral:
    """Refer a case to another organisation; it has until the deadline to answer."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    basis = legal_bases().get(data.legal_basis)
    if basis is None:
        raise ValidationFailed(N_("Unknown legal basis '%(key)s'."), key=data.legal_basis)
    if basis.needs_note and not data.legal_basis_note:
        raise ValidationFailed(N_("Explain how this legal basis applies (for consent: when, "
                                  "to whom and for what it was given)."))
    active_org(auth_service.directory(session), data.to_org_id)
    if data.to_org_id == actor.organisation_id:
        raise ValidationFailed(N_("A referral goes to another organisation."))
    category = access.category_or_default(session, actor=actor, case=case,
                                          category=data.purpose_category)
    now = clock.now()
    due = data.answer_due_at or workdays.due(now, working_days=ANSWER_WORKING_DAYS)
    if due.tzinfo is None:
        raise ValidationFailed(N_("Give the due date with a time zone."))
    if due <= now:
        raise ValidationFailed(N_("The due date lies in the past."))
    row = CaseReferral(case_id=case.id, from_org_id=actor.organisation_id,
                       to_org_id=data.to_org_id, phase=data.phase, purpose=data.purpose,
                       purpose_category=category,
                       legal_basis=basis.key, legal_basis_note=data.legal_basis_note,
                       data_categories=sorted({str(c) for c in data.data_categories}),
                       answer_due_at=due,
                       escalate_at=workdays.due(due, working_days=ESCALATE_WORKING_DAYS),
                       sent_by_user_id=actor.user_id, created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="refer", resource_type="case",
                 resource_id=case.id, detail={"referral": row.id, "to_org": data.to_org_id,
                                              "basis": basis.key,
                                              "categories": row.data_categories})
    notices.tell(session, notices.org_people(session, data.to_org_id), actor=actor,
                 kind="case.referral_sent", case_id=case.id, link="/cases/referrals",
                 subject=notices.case_subject(case.id, Msg(N_("a referral awaits your answer"))),
                 body=Msg(N_("Answer before %(due)s."), due=LocalTime(due)))
    return row


def _may_answer(actor: Actor, row: CaseReferral, case: Case, to: ReferralStatus) -> bool:
    if to is ReferralStatus.REVOKED:
        return actor.organisation_id in (row.from_org_id, case.coordinator_org_id)
    return actor.organisation_id == row.to_org_id


def answer(session: Session, *, actor: Actor, referral_id: int, data: ReferralAnswer
           ) -> CaseReferral:
    """Accept, reject (with a reason) or complete a referral, or revoke it as its sender."""
    enforce(actor, "case.update")
    row = session.get(CaseReferral, referral_id)
    case = session.get(Case, row.case_id) if row is not None else None
    if row is None or case is None or not _may_answer(actor, row, case, data.to_status):
        raise Forbidden(REFUSED)
    check_version(row.version, data.version)
    REFERRAL_MACHINE.check(row.status, data.to_status)
    if data.to_status is ReferralStatus.REJECTED and not data.reason:
        raise ValidationFailed(N_("Give the reason for rejecting the referral."))
    now = clock.now()
    row.status, row.answered_at = data.to_status, now
    row.answered_by_user_id, row.answer_reason = actor.user_id, data.reason
    if data.to_status is ReferralStatus.ACCEPTED and not any(
            p.org_id == row.to_org_id and p.phase is row.phase for p in case.participants):
        case.participants.append(CaseParticipant(org_id=row.to_org_id, phase=row.phase,
                                                 raci=Raci.RESPONSIBLE))
    session.flush()
    audit.record(session, actor=actor, action=f"referral_{data.to_status}",
                 resource_type="case", resource_id=case.id,
                 detail={"referral": row.id, "reason": data.reason})
    notices.tell(session, [row.sent_by_user_id], actor=actor,
                 kind=f"case.referral_{data.to_status}", case_id=case.id,
                 subject=notices.case_subject(
                     case.id, Msg(N_("referral %(id)s is now %(status)s"), id=row.id,
                                  status=Msg(STATUS_WORDS[data.to_status]))))
    return row


STATUS_WORDS = {ReferralStatus.SENT: N_("sent"), ReferralStatus.ACCEPTED: N_("accepted"),
                ReferralStatus.REJECTED: N_("rejected"), ReferralStatus.DONE: N_("done"),
                ReferralStatus.REVOKED: N_("revoked")}


def incoming(session: Session, *, actor: Actor) -> list[CaseReferral]:
    """Open referrals to the actor's organisation, oldest deadline first."""
    enforce(actor, "case.list")
    rows = list(session.scalars(select(CaseReferral).where(
        CaseReferral.to_org_id == actor.organisation_id,
        CaseReferral.status.in_(OPEN_REFERRALS)).order_by(CaseReferral.answer_due_at)))
    audit.record_read(session, actor=actor, resource_type="case_referral",
                      ids=[r.id for r in rows])
    return rows


def referrals_of(session: Session, case_id: int) -> list[CaseReferral]:
    """The referrals of a case, oldest first."""
    return list(session.scalars(select(CaseReferral).where(CaseReferral.case_id == case_id)
                                .order_by(CaseReferral.id)))


def _claim(session: Session, row_id: int, column: str, now: datetime) -> bool:
    # Compare-and-set: only one run can move the marker from NULL, so one notice is sent.
    col = getattr(CaseReferral, column)
    result = session.execute(update(CaseReferral).where(CaseReferral.id == row_id, col.is_(None))
                             .values({column: now}).execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0))


def escalate(session: Session, *, now: datetime) -> dict[str, int]:
    """Remind about unanswered referrals past their deadline; escalate past the second."""
    counts = {"referrals_reminded": 0, "referrals_escalated": 0}
    national = strategic_org_id(session)
    due = session.execute(select(CaseReferral.id, CaseReferral.case_id, CaseReferral.to_org_id)
                          .where(CaseReferral.status == ReferralStatus.SENT,
                                 CaseReferral.answer_due_at <= now,
                                 CaseReferral.reminded_at.is_(None))
                          .order_by(CaseReferral.id)).all()
    for ref_id, case_id, to_org in due:
        if _claim(session, ref_id, "reminded_at", now):
            case = session.get(Case, case_id)
            users = notices.org_people(session, to_org)
            if case is not None:
                users += notices.case_coordinators(
                    session, coordinator_org_id=case.coordinator_org_id,
                    coordinator_user_id=case.coordinator_user_id)
            notices.tell(session, users, actor=None, kind="case.referral_overdue", case_id=case_id,
                         link="/cases/referrals", subject=notices.case_subject(
                             case_id, Msg(N_("referral %(id)s has not been answered in time"),
                                          id=ref_id)))
            audit.record(session, actor=None, action="remind", resource_type="case_referral",
                         resource_id=ref_id, detail={"case": case_id, "level": 1})
            counts["referrals_reminded"] += 1
    late = session.execute(select(CaseReferral.id, CaseReferral.case_id)
                           .where(CaseReferral.status == ReferralStatus.SENT,
                                  CaseReferral.escalate_at <= now,
                                  CaseReferral.escalated_at.is_(None))
                           .order_by(CaseReferral.id)).all()
    for ref_id, case_id in late:
        if _claim(session, ref_id, "escalated_at", now):
            notices.tell(session, notices.org_people(session, national), actor=None,
                         kind="case.referral_escalated", case_id=case_id,
                         subject=notices.case_subject(
                             case_id, Msg(N_("referral %(id)s is unanswered, escalated"),
                                          id=ref_id)))
            audit.record(session, actor=None, action="escalate",
                         resource_type="case_referral", resource_id=ref_id,
                         detail={"case": case_id, "level": 2, "to_org": national})
            counts["referrals_escalated"] += 1
    return counts


def basis_title(key: str) -> str:
    """The title of a legal basis in the current language (the key when unknown)."""
    basis = legal_bases().get(key)
    return basis.text(get_locale()) if basis else key
