"""The cases part of a person's start page: what waits for them, counted and limited in SQL.

Every list keeps to what the person may see: tasks and hand-overs of cases their
organisation takes part in (``where_allowed`` on ``access.CASE``), cases it coordinates,
and their own running emergency accesses. The rows shown are audited as a read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import authorize, where_allowed
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access
from ketenzicht.cases.enums import CaseStatus, HandoverStatus, TaskStatus
from ketenzicht.cases.models import Case, CaseHandover, CaseTask, EmergencyAccess
from ketenzicht.cases.process import template
from ketenzicht.cases.schemas import (
    WorkCase,
    WorkEmergency,
    WorkHandover,
    Worklist,
    WorkTask,
)
from ketenzicht.core import clock
from ketenzicht.core.i18n import get_locale

EMPTY = Worklist(tasks=[], tasks_total=0, tasks_overdue=0, handovers=[], handovers_total=0,
                 coordinated=[], coordinated_total=0, emergencies=[], emergencies_total=0)


def _count(session: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def task_title(case: Case, task: CaseTask) -> str:
    """The task's title in the current language (its key when the template lost it)."""
    tpl = template(case.template_key).task(task.task_key)
    return tpl.text(get_locale()) if tpl else task.task_key


def worklist(session: Session, *, actor: Actor, limit: int = 5) -> Worklist:
    """Open tasks by deadline, hand-overs to accept, coordinated cases and expiring
    emergency access of ``actor``: each a total and its first ``limit`` items."""
    if not authorize(actor, "case.list").allowed:
        return EMPTY
    now = clock.now()
    visible = where_allowed(actor, "case.view", access.CASE)
    tasks = (select(CaseTask, Case).join(Case, Case.id == CaseTask.case_id)
             .where(visible, CaseTask.owner_org_id == actor.organisation_id,
                    CaseTask.status == TaskStatus.OPEN, Case.status != CaseStatus.AFGESLOTEN))
    handovers = (select(CaseHandover, Case).join(Case, Case.id == CaseHandover.case_id)
                 .where(visible, CaseHandover.to_org_id == actor.organisation_id,
                        CaseHandover.status == HandoverStatus.PENDING))
    coordinated = select(Case).where(Case.coordinator_org_id == actor.organisation_id,
                                     Case.status != CaseStatus.AFGESLOTEN)
    emergencies = select(EmergencyAccess).where(
        EmergencyAccess.user_id == actor.user_id, EmergencyAccess.ended_at.is_(None),
        EmergencyAccess.expires_at > now)
    task_rows = list(session.execute(tasks.order_by(CaseTask.due_at, CaseTask.id).limit(limit)))
    handover_rows = list(session.execute(handovers.order_by(CaseHandover.id).limit(limit)))
    case_rows = list(session.scalars(coordinated.order_by(Case.id.desc()).limit(limit)))
    glass_rows = list(session.scalars(emergencies.order_by(EmergencyAccess.expires_at)
                                      .limit(limit)))
    shown = ({c.id for _, c in task_rows} | {c.id for _, c in handover_rows}
             | {c.id for c in case_rows})
    if shown:
        audit.record_read(session, actor=actor, resource_type="case", ids=sorted(shown))
    return Worklist(
        tasks=[WorkTask(case_id=c.id, task_id=t.id, title=task_title(c, t), case_title=c.title,
                        due_at=t.due_at, overdue=t.due_at < now)
               for t, c in task_rows],
        tasks_total=_count(session, tasks),
        tasks_overdue=_count(session, tasks.where(CaseTask.due_at < now)),
        handovers=[WorkHandover(case_id=c.id, handover_id=h.id, case_title=c.title,
                                from_org_id=h.from_org_id, created_at=h.created_at)
                   for h, c in handover_rows],
        handovers_total=_count(session, handovers),
        coordinated=[WorkCase(case_id=c.id, title=c.title, status=c.status) for c in case_rows],
        coordinated_total=_count(session, coordinated),
        emergencies=[WorkEmergency(case_id=a.case_id, access_id=a.id, expires_at=a.expires_at)
                     for a in glass_rows],
        emergencies_total=_count(session, emergencies))
