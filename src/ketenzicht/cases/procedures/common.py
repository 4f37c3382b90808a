"""What the B8 and meldcode services share: loading a procedure, dating a step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases.models import Case, CasePerson
from ketenzicht.cases.procedures.enums import ProcedureKind
from ketenzicht.cases.procedures.models import CaseProcedure, ProcedureStep
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_

# A clock a few minutes off on the recording device is not a step in the future.
SKEW = timedelta(minutes=5)
FUTURE = N_("A step cannot be dated in the future.")
BEFORE = N_("A step cannot be dated before the step it follows (%(when)s).")
NO_PERSON = N_("That person is not part of this case.")


def person_of(case: Case, person_id: int) -> CasePerson:
    """A person of this case, else a 422."""
    person = next((p for p in case.persons if p.id == person_id), None)
    if person is None:
        raise ValidationFailed(NO_PERSON)
    return person


def procedure_of(session: Session, case: Case, procedure_id: int,
                 kind: ProcedureKind) -> CaseProcedure:
    """A procedure of this case and kind; refused alike when it is another case's."""
    row = session.get(CaseProcedure, procedure_id)
    if row is None or row.case_id != case.id or row.kind is not kind:
        raise Forbidden(REFUSED)
    return row


def steps_of(session: Session, procedure_ids: list[int]) -> list[ProcedureStep]:
    """The steps of procedures, in the order they were recorded."""
    if not procedure_ids:
        return []
    return list(session.scalars(select(ProcedureStep)
                                .where(ProcedureStep.procedure_id.in_(procedure_ids))
                                .order_by(ProcedureStep.id)))


def when(at: datetime | None, *, after: datetime | None = None) -> datetime:
    """The moment a step happened: given or now; never in the future, never before ``after``."""
    now = clock.now()
    moment = at or now
    if moment.tzinfo is None:
        raise ValidationFailed(N_("Give the moment with its time zone."))
    if moment > now + SKEW:
        raise ValidationFailed(FUTURE)
    if after is not None and moment < after:
        raise ValidationFailed(BEFORE, when=f"{after:%Y-%m-%d %H:%M} UTC")
    return moment


def add_step(session: Session, row: CaseProcedure, *, actor: Actor, step: str,
             from_state: str | None, at: datetime, note: str = "",
             detail: dict[str, Any] | None = None) -> ProcedureStep:
    """Store one step of ``row``, recorded now by ``actor``."""
    item = ProcedureStep(procedure_id=row.id, case_id=row.case_id, step=step,
                         from_state=from_state, happened_at=at, recorded_at=clock.now(),
                         actor_user_id=actor.user_id, actor_org_id=actor.organisation_id,
                         note=note, detail=detail or {})
    session.add(item)
    session.flush()
    return item


def last_step(session: Session, row: CaseProcedure) -> ProcedureStep | None:
    """The latest recorded step of ``row``."""
    return session.scalars(select(ProcedureStep).where(ProcedureStep.procedure_id == row.id)
                           .order_by(ProcedureStep.id.desc()).limit(1)).first()
