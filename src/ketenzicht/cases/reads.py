"""Read shapes of a case: RACI per phase, tasks with their deadlines, the timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access, coordination, emergency, notes, service, tasks, visibility
from ketenzicht.cases.access import CaseAccess
from ketenzicht.cases.conferences import service as conferences
from ketenzicht.cases.enums import CASE_MACHINE, FieldCategory, Raci, TaskStatus
from ketenzicht.cases.models import (
    Case,
    CaseDecision,
    CasePerson,
    CaseReferral,
    CaseTask,
    MinutesVersion,
)
from ketenzicht.cases.process import template
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import (
    CaseRead,
    ConferenceRead,
    DecisionRead,
    EmergencyRead,
    HandoverRead,
    LinkRead,
    MinutesSummaryRead,
    MinutesVersionRead,
    NoteRead,
    ParticipantRead,
    PersonRead,
    RaciRow,
    ReferralRead,
    TaskRead,
    TimelineItem,
)
from ketenzicht.core import clock
from ketenzicht.core.i18n import get_locale
from ketenzicht.core.i18n import gettext as _
from ketenzicht.core.labels import label

if TYPE_CHECKING:
    from ketenzicht.auth.service import Organisation


def task_read(case: Case, task: CaseTask, names: dict[int, str],
              reader: CaseAccess | None = None) -> TaskRead:
    """A task for display, titled in the current language; its note when ``reader`` sees it."""
    tpl = template(case.template_key).task(task.task_key)
    shown = reader is not None and reader.sees(task.note_category)
    return TaskRead(
        note=task.note if shown else None, note_category=task.note_category,
        id=task.id, task_key=task.task_key, title=tpl.text(get_locale()) if tpl else task.task_key,
        trigger=task.trigger, owner_role=task.owner_role, owner_org_id=task.owner_org_id,
        owner_org_name=names.get(task.owner_org_id, "?"), assignee_user_id=task.assignee_user_id,
        status=task.status, due_at=task.due_at, escalate_at=task.escalate_at,
        overdue=task.status is TaskStatus.OPEN and task.due_at < clock.now(),
        version=task.version)


def case_read(session: Session, *, actor: Actor, case_id: int) -> CaseRead:
    """A case for display: access decided (and the read audited) once, the directory once."""
    return read_model(session, access=access.read_case(session, actor=actor, case_id=case_id),
                      orgs=auth_service.directory(session))


def read_model(session: Session, *, access: CaseAccess,
               orgs: dict[int, Organisation]) -> CaseRead:
    """Everything about a case the actor may see, as ``access`` decided it.

    ``orgs`` is the directory of organisations, loaded once by the caller (the case
    page needs it too).
    """
    case = access.case
    names = {i: o.name for i, o in orgs.items()}
    raci = [RaciRow(phase=phase, accountable=names.get(case.coordinator_org_id, "?"),
                    responsible=[names[i] for i in by[Raci.RESPONSIBLE]],
                    consulted=[names[i] for i in by[Raci.CONSULTED]],
                    informed=[names[i] for i in by[Raci.INFORMED]])
            for phase, by in service.raci_participant_orgs(case).items()]
    sees = access.sees
    task_rows = [task_read(case, t, names, access) for t in service.tasks_of(session, case.id)]
    history = service.status_history(session, case.id)
    handovers = coordination.handovers_of(session, case.id)
    # Every categorised field is read through ``access`` (``cases.visibility``): what the
    # reader may not see is left out, or its text emptied where the record must show.
    decisions = [d for d in coordination.decisions_of(session, case.id) if sees(d.category)]
    def status(value: str | None) -> str:
        return label("case_status", value) if value else "—"

    timeline = [TimelineItem(at=h.at, kind="status", category=h.category if sees(h.category)
                             else FieldCategory.GENERAL,
                             text=f"{status(h.from_status)} → {status(h.to_status)}"
                                  + (f": {h.reason}" if sees(h.category) else ""))
                for h in history]
    timeline += [TimelineItem(at=t.due_at, kind="task", text=f"{t.title} ({t.owner_org_name})",
                              system=True) for t in task_rows]
    timeline += [TimelineItem(at=h.created_at, kind="handover",
                              text=f"{names.get(h.from_org_id)} → {names.get(h.to_org_id)}: "
                                   f"{label('handover_status', h.status)} ({h.reason})"
                                   + (f" — {h.decline_reason}" if h.decline_reason else ""))
                 for h in handovers]
    timeline += [TimelineItem(at=d.at, kind="decision", text=f"{d.text} — {d.rationale}",
                              category=d.category) for d in decisions]
    timeline += [TimelineItem(at=r.at, kind="reminder", text=r.message, system=True)
                 for r in tasks.reminders_for(session, case.id)]
    categories = access.categories
    note_rows = notes.notes_visible(session, case.id, categories)
    refs = [referral_read(r, categories) for r in referrals.referrals_of(session, case.id)]
    confs, approvals = _conferences(session, access, decisions, names)
    timeline += [TimelineItem(at=n.at, kind="note", category=n.category,
                              text=f"{label('field_category', n.category)}: {n.text}")
                 for n in note_rows]
    timeline += [TimelineItem(at=r.created_at, kind="referral", category=r.purpose_category,
                              text=f"{names.get(r.from_org_id)} → {names.get(r.to_org_id)}: "
                                   f"{label('referral_status', r.status)}"
                                   + (f" ({r.purpose})" if not r.purpose_hidden else ""))
                 for r in refs]
    timeline += [TimelineItem(at=c.held_at, kind="conference",
                              text=label("conference_status", c.status)) for c in confs]
    timeline += approvals
    accesses = emergency.accesses_of(session, case.id)
    timeline += [TimelineItem(at=a.starts_at, kind="emergency_access",
                              text=f"{names.get(a.org_id)}: {a.reason}") for a in accesses]
    coordinator = orgs.get(case.coordinator_org_id)
    return CaseRead(
        id=case.id, title=case.title, status=case.status, region=case.region,
        coordinator_org_id=case.coordinator_org_id, created_at=case.created_at,
        version=case.version, summary=case.summary if sees(case.summary_category) else "",
        summary_category=case.summary_category,
        summary_hidden=bool(case.summary) and not sees(case.summary_category),
        coordinator_org_name=coordinator.name if coordinator else "?",
        coordinator_user_id=case.coordinator_user_id, template_key=case.template_key,
        template_version=case.template_version,
        allowed_transitions=sorted(CASE_MACHINE.allowed(case.status)),
        signal_ids=[s.signal_id for s in case.signal_links],
        persons=[person_read(p, access) for p in case.persons],
        participants=[ParticipantRead(id=p.id, org_id=p.org_id, org_name=names.get(p.org_id, "?"),
                                      org_type=str(orgs[p.org_id].org_type) if p.org_id in orgs
                                      else "", phase=p.phase, raci=p.raci)
                      for p in case.participants],
        raci=raci, tasks=task_rows,
        handovers=[HandoverRead.model_validate(h) for h in handovers],
        decisions=[DecisionRead.model_validate(d) for d in decisions],
        timeline=sorted(timeline, key=lambda i: i.at),
        visible_categories=sorted(categories),
        emergency_until=access.emergency.expires_at if access.emergency else None,
        conferences=confs,
        referrals=refs,
        notes=[NoteRead.model_validate(n) for n in note_rows],
        links=[LinkRead.model_validate(link)
               for link in notes.links_visible(session, case.id, categories)],
        emergency_accesses=[EmergencyRead.model_validate(a) for a in accesses])


def person_read(person: CasePerson, reader: CaseAccess) -> PersonRead:
    """A person: pseudonym and role always, the details when the reader sees their category."""
    if reader.sees(person.category):
        return PersonRead.model_validate(person)
    return PersonRead(id=person.id, role=person.role, pseudonym=person.pseudonym,
                      category=person.category, details_hidden=True)


def referral_read(row: CaseReferral, categories: frozenset[FieldCategory]) -> ReferralRead:
    """A referral; its purpose only for a reader who sees the purpose's category."""
    read = ReferralRead.model_validate(row)
    if row.purpose_category in categories:
        return read
    return read.model_copy(update={"purpose": "", "purpose_hidden": True})


def incoming_read(row: CaseReferral, reader: Actor) -> ReferralRead:
    """A referral to the reader's organisation, which does not take part yet: it reads the
    purpose when its own categories, or those the referral would grant it, include it."""
    return referral_read(row, visibility.categories_for(
        reader.org_type, granted=visibility.granted_by(row.data_categories or [])))


def _conferences(session: Session, reader: CaseAccess, decisions: list[CaseDecision],
                 names: dict[int, str]) -> tuple[list[ConferenceRead], list[TimelineItem]]:
    rows = conferences.conferences_of(session, reader.case.id)
    versions: dict[int, list[MinutesVersion]] = {}
    for v in conferences.versions_of(session, [c.id for c in rows]):
        versions.setdefault(v.conference_id, []).append(v)
    summaries = conferences.summaries_of(session, [c.id for c in rows])
    out, timeline = [], []
    for c in rows:
        full = reader.sees_minutes(c)
        history = _versions(versions.get(c.id, []), names)
        current = history[-1] if history else None
        summary = summaries.get(c.id)
        when = f"{c.held_at:%Y-%m-%d}"
        timeline += [_version_item(when, v, with_reason=full) for v in history]
        out.append(ConferenceRead(
            id=c.id, held_at=c.held_at, agenda=list(c.agenda),
            attendee_org_ids=list(c.attendee_org_ids),
            attendees=[names.get(i, "?") for i in c.attendee_org_ids],
            minutes=(current.text if current else c.minutes) if full else "",
            minutes_category=c.minutes_category, minutes_visible=full,
            summary_for_others=MinutesSummaryRead.model_validate(summary)
            if reader.sees_minutes_summary(summary) else None,
            status=c.status,
            finalised_at=c.finalised_at, finalised_by_user_id=c.finalised_by_user_id,
            version=c.version, current_version=current.number if current else None,
            versions=history if full else [],
            decisions=[DecisionRead.model_validate(d) for d in decisions
                       if d.conference_id == c.id]))
    return out, timeline


def _versions(rows: list[MinutesVersion], names: dict[int, str]) -> list[MinutesVersionRead]:
    successor = {v.supersedes_id: v.id for v in rows if v.supersedes_id is not None}
    return [MinutesVersionRead(
        id=v.id, number=v.number, text=v.text, reason=v.reason,
        author_user_id=v.author_user_id, author_org_id=v.author_org_id,
        author_org_name=names.get(v.author_org_id, "?"), at=v.at,
        supersedes_id=v.supersedes_id, superseded_by_id=successor.get(v.id),
        current=v.id not in successor) for v in rows]


def _version_item(when: str, v: MinutesVersionRead, *, with_reason: bool) -> TimelineItem:
    # The organisation only: a timeline never shows account numbers (the conference's own
    # section names the author by name, read through auth's port).
    facts = {"when": when, "number": v.number, "org": v.author_org_name, "reason": v.reason}
    if v.supersedes_id is None:
        text = _("Minutes of the case conference of %(when)s approved (version %(number)s) by "
                 "%(org)s") % facts
    elif not with_reason:
        # The reason of a correction tells what the minutes said: only for who reads them.
        text = _("Minutes of the case conference of %(when)s corrected (version %(number)s) "
                 "by %(org)s") % facts
    else:
        text = _("Minutes of the case conference of %(when)s corrected (version %(number)s) by "
                 "%(org)s: %(reason)s") % facts
    return TimelineItem(at=v.at, kind="minutes", text=text)
