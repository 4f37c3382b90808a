"""Plans of MDA++ / Zorg- en Veiligheidshuis practice: triage, safety plan, plan with goals.

The plan with goals carries the person's own voice: ``own_words`` is stored exactly as
written and shown as a quotation marked as theirs, never merged into the professional's
text. It is care content (``PLAN_CATEGORY``); triage and the safety plan are for every
participant, because the whole table acts on them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import visibility
from ketenzicht.cases.enums import FieldCategory, TaskStatus
from ketenzicht.cases.models import CaseTask
from ketenzicht.cases.procedures import common
from ketenzicht.cases.procedures.enums import PlanKind
from ketenzicht.cases.procedures.models import CasePlan
from ketenzicht.cases.procedures.schemas import PlanIn
from ketenzicht.cases.service import load
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_

PLAN_CATEGORY: dict[PlanKind, FieldCategory] = {
    PlanKind.TRIAGE: FieldCategory.GENERAL, PlanKind.SAFETY: FieldCategory.GENERAL,
    PlanKind.GOALS: FieldCategory.CARE}
# The template task a plan fulfils (mda_zvh).
PLAN_TASK = {PlanKind.TRIAGE: "triage", PlanKind.SAFETY: "safety_plan",
             PlanKind.GOALS: "goals_plan"}
NO_GOALS = N_("A plan with goals needs at least one goal.")
NO_TEXT = N_("Write what was agreed.")
NOT_YOURS = N_("Your organisation does not work with this kind of information.")


def add_plan(session: Session, *, actor: Actor, case_id: int, data: PlanIn) -> CasePlan:
    """Record a plan; the matching task of the template is done by it."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    if PLAN_CATEGORY[data.kind] not in visibility.categories_for(actor.org_type):
        raise Forbidden(NOT_YOURS)
    if data.person_id is not None:
        common.person_of(case, data.person_id)
    if data.kind is PlanKind.GOALS and not data.goals:
        raise ValidationFailed(NO_GOALS)
    if data.kind is not PlanKind.GOALS and not data.text:
        raise ValidationFailed(NO_TEXT)
    at = common.when(data.agreed_at)
    row = CasePlan(case_id=case.id, kind=data.kind, person_id=data.person_id, text=data.text,
                   goals=list(data.goals), own_words=data.own_words, agreed_at=at,
                   author_user_id=actor.user_id, author_org_id=actor.organisation_id)
    session.add(row)
    for task in session.scalars(select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.task_key == PLAN_TASK[data.kind],
            CaseTask.status == TaskStatus.OPEN)):
        task.status, task.done_at, task.note = TaskStatus.DONE, clock.now(), "plan recorded"
    session.flush()
    audit.record(session, actor=actor, action="add_plan", resource_type="case",
                 resource_id=case.id, detail={"plan": row.id, "kind": str(data.kind),
                                              "own_words": bool(data.own_words)})
    return row


def plans_visible(session: Session, case_id: int, categories: frozenset[FieldCategory]
                  ) -> list[CasePlan]:
    """The plans of a case whose category the reader sees, oldest first."""
    kinds = sorted(k for k, c in PLAN_CATEGORY.items() if c in categories)
    if not kinds:
        return []
    return list(session.scalars(select(CasePlan).where(
        CasePlan.case_id == case_id, CasePlan.kind.in_(kinds)).order_by(CasePlan.id)))
