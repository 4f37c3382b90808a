"""Access to one case, decided once per request (after Netflix Dispatch's ``CurrentCase``).

:func:`open_case` loads a case and decides in one go what the actor may see and do on
it: whether they take part or read it under break-the-glass, which field categories
they see, whether they may work on it and whether their organisation coordinates it.
The case page, the case API and the services read that :class:`CaseAccess` instead of
asking the permission table again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.enums import Scope
from ketenzicht.auth.permissions import REFUSED, Resource, ResourceRef, authorize, best_scope
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import glass, visibility
from ketenzicht.cases.enums import FieldCategory
from ketenzicht.cases.models import Case, CaseParticipant, EmergencyAccess
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden

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
    categories: frozenset[FieldCategory]
    may_work: bool
    is_coordinator: bool

    @property
    def emergency_read(self) -> bool:
        """Whether this read relies on break-the-glass (and so is audited as one)."""
        return self.emergency is not None and (
            self.scope is None or self.categories != visibility.categories_for(
                self.actor.org_type))


def decide(session: Session, *, actor: Actor, case: Case) -> CaseAccess | None:
    """The actor's access to a loaded case, or None when they may not read it at all."""
    ref = case_ref(case)
    view = authorize(actor, "case.view", ref)
    running = glass.active(session, user_id=actor.user_id, case_id=case.id, now=clock.now())
    if running is not None and best_scope(actor, "case.break_glass") is None:
        running = None
    if not view.allowed and running is None:
        return None
    return CaseAccess(
        case=case, actor=actor, scope=view.scope if view.allowed else None, emergency=running,
        categories=visibility.categories_for(actor.org_type, emergency=running is not None),
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
