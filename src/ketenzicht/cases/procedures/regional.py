"""The regional escalation level of a template (MDA++ / Zorg- en Veiligheidshuis).

A template may put a regional level before the national one: a task still open past
``due`` + ``regional_after`` goes to the regional organisation taking part in the case
(the template's ``regional_org_type``, e.g. the centrumgemeente that runs the Zorg- en
Veiligheidshuis), once; the national level (``cases.tasks``) follows at ``escalate_at``.
A ``case_reminder`` row of level :data:`REGIONAL_LEVEL` makes it happen exactly once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.cases import notices
from ketenzicht.cases.enums import CaseStatus, Phase, TaskStatus
from ketenzicht.cases.models import Case, CaseReminder, CaseTask
from ketenzicht.cases.process import templates
from ketenzicht.core.i18n import N_
from ketenzicht.notify.schemas import Msg, Param

# After the coordinator's reminder (1) and the national level (2) of ``cases.tasks``.
REGIONAL_LEVEL = 3


def regional_org(session: Session, case: Case, org_type: str) -> int | None:
    """The participant of ``org_type`` that holds the regional level: one in the care phase
    first, then any; never the coordinator's own reminder again."""
    orgs = auth_service.directory(session)
    fits = [p for p in case.participants
            if p.org_id in orgs and str(orgs[p.org_id].org_type) == org_type
            and orgs[p.org_id].is_active]
    fits.sort(key=lambda p: (p.phase != Phase.HULPVERLENING, p.id))
    return fits[0].org_id if fits else None


def escalate(session: Session, *, now: datetime) -> dict[str, int]:
    """Escalate overdue tasks of templates with a regional level to that level, once."""
    counts = {"regional": 0, "regional_missing": 0}
    regional = {k: t for k, t in templates().items() if t.regional_org_type}
    if not regional:
        return counts
    sent = exists().where(CaseReminder.task_id == CaseTask.id,
                          CaseReminder.level == REGIONAL_LEVEL)
    rows = session.execute(
        select(CaseTask, Case).join(Case, Case.id == CaseTask.case_id)
        .where(CaseTask.status == TaskStatus.OPEN, CaseTask.due_at <= now,
               Case.template_key.in_(sorted(regional)), Case.status != CaseStatus.AFGESLOTEN,
               ~sent).order_by(CaseTask.id)).all()
    for task, case in rows:
        tpl = regional[case.template_key]
        spec = tpl.task(task.task_key)
        if spec is None or spec.regional_after is None or \
                spec.regional_after.after(task.due_at) > now:
            continue
        org_id = regional_org(session, case, str(tpl.regional_org_type))
        if org_id is None:
            counts["regional_missing"] += 1
            continue
        counts["regional"] += _send(session, task, case, org_id, spec, now)
    return counts


def _send(session: Session, task: CaseTask, case: Case, org_id: int, title: Param,
          now: datetime) -> int:
    message = (f"case {case.id}: task {task.task_key} was due {task.due_at:%Y-%m-%d %H:%M} UTC "
               "and is escalated to the regional level")
    try:
        with session.begin_nested():
            session.add(CaseReminder(task_id=task.id, case_id=case.id, level=REGIONAL_LEVEL,
                                     recipient_org_id=org_id, message=message, at=now))
    except IntegrityError:
        return 0  # another run sent it first
    audit.record(session, actor=None, action="escalate_regional", resource_type="case_task",
                 resource_id=task.id, detail={"case": case.id, "to_org": org_id})
    notices.tell(session, notices.org_people(session, org_id), actor=None,
                 kind="case.task_escalated_regional", case_id=case.id,
                 subject=notices.case_subject(case.id, Msg(
                     N_("task overdue, escalated to the region: %(task)s"), task=title)),
                 body=Msg(N_("The deadline was %(due)s."),
                          due=f"{task.due_at:%Y-%m-%d %H:%M} UTC"))
    return 1
