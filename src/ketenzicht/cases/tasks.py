"""Tasks from process templates, and the reminder job that escalates overdue ones.

A reminder is stored as a ``case_reminder`` row whose unique key (task, level) makes it
happen once: a run that is interrupted rolls back and the next run sends what is left,
and two runs at once cannot both send the same reminder.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import notices
from ketenzicht.cases.enums import OPEN_STATUSES, Raci, TaskStatus, Trigger
from ketenzicht.cases.models import Case, CaseReminder, CaseTask
from ketenzicht.cases.process import REGIEVOERDER, template
from ketenzicht.core.formatting import LocalTime
from ketenzicht.core.i18n import N_
from ketenzicht.notify.schemas import Msg, Param

COORDINATOR_LEVEL, STRATEGIC_LEVEL = 1, 2


def owner_org(case: Case, owner_role: str) -> int:
    """The organisation responsible in the task's phase, else the coordinator."""
    if owner_role != REGIEVOERDER:
        for p in case.participants:
            if p.phase == owner_role and p.raci is Raci.RESPONSIBLE:
                return p.org_id
    return case.coordinator_org_id


def follows_coordinator(case: Case, task: CaseTask) -> bool:
    """Whether the task is the coordinator's: its role is the regievoerder's, or no
    organisation is responsible in its phase, so it fell to the coordinator."""
    return task.owner_role == REGIEVOERDER or not any(
        p.phase == task.owner_role and p.raci is Raci.RESPONSIBLE for p in case.participants)


def tell_owners(session: Session, case: Case, tasks: list[CaseTask], *,
                actor: Actor | None) -> int:
    """Tell each task's organisation that it has a new task (the police of a B8 offer);
    the coordinator's own tasks are on its case page. Returns how many were told."""
    told = 0
    for task in tasks:
        if task.owner_org_id == case.coordinator_org_id:
            continue
        tpl = template(case.template_key).task(task.task_key)
        title: Param = tpl if tpl else task.task_key
        told += notices.tell(
            session, notices.org_people(session, task.owner_org_id), actor=actor,
            kind="case.task_for_organisation", case_id=case.id,
            subject=notices.case_subject(case.id, Msg(N_("a task for your organisation: "
                                                         "%(task)s"), task=title)),
            body=Msg(N_("Due %(due)s."), due=LocalTime(task.due_at)))
    return told


def fire(session: Session, case: Case, trigger: Trigger, *, at: datetime,
         ref: str = "", actor: Actor | None = None) -> list[CaseTask]:
    """Create the tasks ``trigger`` calls for (once per trigger and ``ref``); each task's
    organisation is told, on behalf of ``actor`` whose step triggered it."""
    made = []
    existing = {(t.task_key, t.trigger_ref) for t in session.scalars(
        select(CaseTask).where(CaseTask.case_id == case.id))}
    for tpl in template(case.template_key).for_trigger(trigger):
        if (tpl.key, ref) in existing:
            continue
        due_at = tpl.due.after(at)
        task = CaseTask(case_id=case.id, task_key=tpl.key, trigger=str(trigger),
                        trigger_ref=ref, owner_role=tpl.owner_role,
                        owner_org_id=owner_org(case, tpl.owner_role), due_at=due_at,
                        escalate_at=tpl.escalate_after.after(due_at), created_at=at)
        session.add(task)
        made.append(task)
    session.flush()
    tell_owners(session, case, made, actor=actor)
    return made


def _send(session: Session, task: CaseTask, case: Case, level: int, recipient: int | None,
          now: datetime) -> bool:
    message = (f"case {case.id}: task {task.task_key} was due {task.due_at:%Y-%m-%d %H:%M} UTC"
               + (" and is escalated to the strategic level" if level == STRATEGIC_LEVEL
                  else ""))
    try:
        with session.begin_nested():
            session.add(CaseReminder(task_id=task.id, case_id=case.id, level=level,
                                     recipient_org_id=recipient, message=message, at=now))
    except IntegrityError:
        return False  # another run sent it first
    audit.record(session, actor=None, action="escalate" if level == STRATEGIC_LEVEL
                 else "remind", resource_type="case_task", resource_id=task.id,
                 detail={"case": case.id, "level": level, "to_org": recipient})
    tpl = template(case.template_key).task(task.task_key)
    # The template's title in each recipient's language; the key when it is gone.
    title: Param = tpl if tpl else task.task_key
    due = f"{task.due_at:%Y-%m-%d %H:%M} UTC"
    if level == STRATEGIC_LEVEL:
        users = notices.org_people(session, recipient)
        subject = notices.case_subject(case.id, Msg(N_("task overdue, escalated: %(task)s"),
                                                     task=title))
    else:
        users = notices.case_coordinators(session, coordinator_org_id=case.coordinator_org_id,
                                          coordinator_user_id=case.coordinator_user_id)
        subject = notices.case_subject(case.id, Msg(N_("task overdue: %(task)s"), task=title))
    notices.tell(session, users, actor=None, kind="case.task_overdue" if level == COORDINATOR_LEVEL
                 else "case.task_escalated", case_id=case.id, subject=subject,
                 body=Msg(N_("The deadline was %(due)s."), due=due))
    return True


def remind(session: Session, *, now: datetime, strategic_org_id: int | None) -> dict[str, int]:
    """Remind the coordinator of overdue tasks, then escalate past the second deadline."""
    counts = {"reminded": 0, "escalated": 0}
    for level, column, key, in ((COORDINATOR_LEVEL, CaseTask.due_at, "reminded"),
                                (STRATEGIC_LEVEL, CaseTask.escalate_at, "escalated")):
        sent = exists().where(CaseReminder.task_id == CaseTask.id, CaseReminder.level == level)
        rows = session.execute(
            select(CaseTask, Case).join(Case, Case.id == CaseTask.case_id)
            # A closed case's tasks stay open for a reopening, but nobody is chased for them.
            .where(CaseTask.status == TaskStatus.OPEN, column <= now, ~sent,
                   Case.status.in_(OPEN_STATUSES))
            .order_by(CaseTask.id)).all()
        for task, case in rows:
            recipient = case.coordinator_org_id if level == COORDINATOR_LEVEL \
                else strategic_org_id
            counts[key] += _send(session, task, case, level, recipient, now)
    return counts


def reminders_for(session: Session, case_id: int) -> list[CaseReminder]:
    """The reminders and escalations sent about a case, oldest first."""
    return list(session.scalars(select(CaseReminder).where(CaseReminder.case_id == case_id)
                                .order_by(CaseReminder.id)))
