"""Break-the-glass: explicit, reasoned, time-limited emergency access to a case.

Anyone in the chain may ask for it when a person is in danger and the case (or a
field category of it) is outside their need-to-know. The access is for that one
person, lasts at most a day, is audited when granted and on every read under it,
and the case's coordinator is told at once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import REFUSED, enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import glass, notices
from ketenzicht.cases.models import Case, EmergencyAccess
from ketenzicht.cases.schemas import EmergencyIn
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden
from ketenzicht.core.formatting import LocalTime
from ketenzicht.core.i18n import N_
from ketenzicht.notify.schemas import Msg


def break_glass(session: Session, *, actor: Actor, case_id: int, data: EmergencyIn
                ) -> EmergencyAccess:
    """Grant the actor emergency access to a case for ``data.hours``; tell the coordinator."""
    enforce(actor, "case.break_glass")
    case = session.get(Case, case_id)
    if case is None:
        raise Forbidden(REFUSED)
    now = clock.now()
    if glass.active(session, user_id=actor.user_id, case_id=case.id, now=now) is not None:
        raise Conflict(N_("You already have emergency access to this case."))
    row = EmergencyAccess(case_id=case.id, user_id=actor.user_id, org_id=actor.organisation_id,
                          reason=data.reason, starts_at=now,
                          expires_at=now + timedelta(hours=data.hours))
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="break_glass", resource_type="case",
                 resource_id=case.id, detail={"emergency_access": row.id, "hours": data.hours,
                                              "reason": data.reason})
    org = auth_service.directory(session).get(actor.organisation_id)
    notices.tell(session, notices.case_coordinators(
        session, coordinator_org_id=case.coordinator_org_id,
        coordinator_user_id=case.coordinator_user_id), actor=actor,
        kind="case.emergency_access", case_id=case.id,
        subject=notices.case_subject(case.id, Msg(N_("emergency access (break the glass)"))),
        body=Msg(N_("Someone at %(org)s opened this case in an emergency until %(until)s. "
                    "The case page shows who and why."),
                 org=org.name if org else "?", until=LocalTime(row.expires_at)))
    return row


def end(session: Session, *, actor: Actor, case_id: int, access_id: int) -> EmergencyAccess:
    """End one's own emergency access early."""
    row = session.get(EmergencyAccess, access_id)
    if row is None or row.case_id != case_id or row.user_id != actor.user_id:
        raise Forbidden(REFUSED)
    if row.ended_at is None:
        row.ended_at = clock.now()
        session.flush()
        audit.record(session, actor=actor, action="end_emergency_access", resource_type="case",
                     resource_id=case_id, detail={"emergency_access": row.id})
    return row


def accesses_of(session: Session, case_id: int) -> list[EmergencyAccess]:
    """Every emergency access to a case, newest first (shown to those who see the case)."""
    return list(session.scalars(select(EmergencyAccess).where(EmergencyAccess.case_id == case_id)
                                .order_by(EmergencyAccess.id.desc())))
