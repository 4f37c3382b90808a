"""Access to one case, decided once per request (after Netflix Dispatch's ``CurrentCase``).

:func:`open_case` loads a case and decides in one go what the actor may see and do on
it: whether they take part or read it under break-the-glass, which field categories
they see, whether they may work on it and whether their organisation coordinates it.
The case page, the case API and the services read that :class:`CaseAccess` instead of
asking the permission table again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.enums import Scope
from ketenzicht.auth.permissions import REFUSED, Resource, ResourceRef, authorize, best_scope
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import glass, visibility
from ketenzicht.cases.enums import FieldCategory, ReferralStatus
from ketenzicht.cases.models import (
    Case,
    CaseConference,
    CaseParticipant,
    CaseReferral,
    EmergencyAccess,
    MinutesSummary,
)
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden
from ketenzicht.core.i18n import N_

NOT_YOURS = N_("Your organisation does not work with this kind of information.")
# A referral grants its data categories once the receiving organisation took it on.
GRANTING = (ReferralStatus.ACCEPTED, ReferralStatus.DONE)

# Who a case belongs to: the organisation that opened it, and every organisation taking
# part (its participants and the coordinator). The case page and the case list both read it.
CASE = Resource(kind="case", owner_org=Case.owner_org_id,
                participants=((Case.participants, CaseParticipant.org_id),
                              Case.coordinator_org_id))


def case_ref(case: Case) -> ResourceRef:
    """Authorisation facts of a case: who opened it and every organisation taking part."""
    return CASE.ref(case)


@dataclass(frozen=True)
class CaseAccess:
    """What one actor may see and do on one case, as decided for this request."""

    case: Case
    actor: Actor
    # The grant's scope when the actor takes part (or sees every case); None when they
    # read the case under break-the-glass only.
    scope: Scope | None
    # The actor's running break-the-glass access to this case, if any.
    emergency: EmergencyAccess | None
    # What the actor reads on this case; ``own`` is the same without break-the-glass,
    # and is what the actor may write.
    categories: frozenset[FieldCategory]
    own: frozenset[FieldCategory]
    may_work: bool
    is_coordinator: bool

    @property
    def emergency_read(self) -> bool:
        """Whether this read relies on break-the-glass (and so is audited as one)."""
        return self.emergency is not None and (self.scope is None
                                               or self.categories != self.own)

    def sees(self, category: FieldCategory | str) -> bool:
        """Whether the actor reads content of ``category`` on this case."""
        return category in self.categories

    def sees_minutes(self, conference: CaseConference) -> bool:
        """Whether the actor reads a conference's full minutes (present, or in an emergency)."""
        return visibility.sees_minutes(
            self.categories, org_id=self.actor.organisation_id,
            present_org_ids=present(conference), category=conference.minutes_category,
            emergency=self.emergency is not None)

    def sees_minutes_summary(self, summary: MinutesSummary | None) -> bool:
        """Whether the actor reads the summary of the minutes approved for the absent."""
        return summary is not None and self.sees(summary.category)


def present(conference: CaseConference) -> set[int]:
    """The organisations present at a conference: its attendees and its chair."""
    chair = {conference.chair_org_id} if conference.chair_org_id is not None else set()
    return {*conference.attendee_org_ids, *chair}


def granted(session: Session, *, case_id: int, org_id: int) -> frozenset[FieldCategory]:
    """What the accepted referrals of a case to ``org_id`` grant it to read."""
    out: set[FieldCategory] = set()
    for cats in session.scalars(select(CaseReferral.data_categories).where(
            CaseReferral.case_id == case_id, CaseReferral.to_org_id == org_id,
            CaseReferral.status.in_(GRANTING))):
        out |= visibility.granted_by(cats or [])
    return frozenset(out)


def own_categories(session: Session, *, actor: Actor, case: Case) -> frozenset[FieldCategory]:
    """The categories the actor's organisation reads, and so writes, on ``case``."""
    return visibility.categories_for(
        actor.org_type, granted=granted(session, case_id=case.id, org_id=actor.organisation_id))


def check_writable(session: Session, *, actor: Actor, case: Case,
                   category: FieldCategory) -> FieldCategory:
    """``category`` when the actor's organisation works with it on this case, else 403."""
    if category not in own_categories(session, actor=actor, case=case):
        raise Forbidden(NOT_YOURS)
    return category


def choose(writable: frozenset[FieldCategory], actor: Actor, category: FieldCategory | None,
           *, proposed: FieldCategory | None = None) -> FieldCategory:
    """The category the author chose, when their organisation works with it (else 403);
    left out, ``proposed`` or what their organisation type writes by default."""
    if category is None:
        if proposed is not None and proposed in writable:
            return proposed
        return visibility.default_for(actor.org_type, writable)
    if category not in writable:
        raise Forbidden(NOT_YOURS)
    return category


def category_or_default(session: Session, *, actor: Actor, case: Case,
                        category: FieldCategory | None,
                        proposed: FieldCategory | None = None) -> FieldCategory:
    """:func:`choose` with what the actor's organisation reads (and so writes) on ``case``."""
    return choose(own_categories(session, actor=actor, case=case), actor, category,
                  proposed=proposed)


def decide(session: Session, *, actor: Actor, case: Case) -> CaseAccess | None:
    """The actor's access to a loaded case, or None when they may not read it at all."""
    ref = case_ref(case)
    view = authorize(actor, "case.view", ref)
    running = glass.active(session, user_id=actor.user_id, case_id=case.id, now=clock.now())
    if running is not None and best_scope(actor, "case.break_glass") is None:
        running = None
    if not view.allowed and running is None:
        return None
    own = own_categories(session, actor=actor, case=case)
    return CaseAccess(
        case=case, actor=actor, scope=view.scope if view.allowed else None, emergency=running,
        categories=visibility.ALL if running is not None else own, own=own,
        may_work=view.allowed and authorize(actor, "case.update", ref).allowed,
        is_coordinator=case.coordinator_org_id == actor.organisation_id)


def open_case(session: Session, *, actor: Actor, case_id: int) -> CaseAccess:
    """A case the actor may read, with their access; refused alike when it does not exist.

    A read that relies on break-the-glass (an outsider's, or a participant's that shows
    categories beyond their own) is audited with the access it relied on, once.
    """
    case = session.get(Case, case_id)
    access = decide(session, actor=actor, case=case) if case is not None else None
    if access is None:
        raise Forbidden(REFUSED)
    if access.emergency_read and access.emergency is not None:
        audit.record(session, actor=actor, action="emergency_read", resource_type="case",
                     resource_id=access.case.id, detail={"emergency_access": access.emergency.id})
    return access


def read_case(session: Session, *, actor: Actor, case_id: int) -> CaseAccess:
    """:func:`open_case` for display: the read itself is audited too."""
    access = open_case(session, actor=actor, case_id=case_id)
    audit.record_read(session, actor=actor, resource_type="case", ids=[access.case.id])
    return access
