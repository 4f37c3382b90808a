"""Opening, reading and working on cases: persons, participants, status and tasks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session, aliased

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.permissions import (
    REFUSED,
    ResourceRef,
    enforce,
    where_allowed,
)
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access, notices, visibility
from ketenzicht.cases import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.cases import tasks as task_rules
from ketenzicht.cases import worklist as work
from ketenzicht.cases.enums import (
    CASE_MACHINE,
    CaseStatus,
    FieldCategory,
    PersonRole,
    Phase,
    Raci,
    TaskStatus,
    Trigger,
)

# Records this service hands out: other domains name their type from here, not from models.
from ketenzicht.cases.models import Case as Case
from ketenzicht.cases.models import (
    CaseParticipant,
    CaseSignal,
    CaseStatusChange,
    CaseTask,
)
from ketenzicht.cases.models import CasePerson as CasePerson
from ketenzicht.cases.process import templates
from ketenzicht.cases.schemas import (
    CaseCreate,
    ParticipantIn,
    PersonCreate,
    SignalCase,
    TaskAssign,
    TaskComplete,
    TransitionIn,
    Worklist,
)
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed, check_version
from ketenzicht.core.formatting import LocalTime
from ketenzicht.core.i18n import N_
from ketenzicht.core.listing import ListQuery, ListSpec, Page, paginate
from ketenzicht.db.types import utc_year
from ketenzicht.notify.schemas import Msg

if TYPE_CHECKING:
    from ketenzicht.auth.service import Organisation

NOT_COORDINATOR = N_("Only the coordinator (regievoerder) of this case may do this.")


def case_ref(case: Case) -> ResourceRef:
    """Authorisation facts of a case (from the one declaration, ``access.CASE``)."""
    return access.case_ref(case)


def load(session: Session, *, actor: Actor, case_id: int, action: str = "case.view") -> Case:
    """A case the actor may ``action``; refused alike when it does not exist.

    Reading goes through :func:`access.open_case`, which also allows the actor's own
    running break-the-glass access and audits each read that relies on it.
    """
    if action == "case.view":
        return access.open_case(session, actor=actor, case_id=case_id).case
    case = session.get(Case, case_id)
    if case is None:
        raise Forbidden(REFUSED)
    enforce(actor, action, case_ref(case))
    return case


def get_case(session: Session, *, actor: Actor, case_id: int) -> Case:
    """One case, read for display (the read is audited)."""
    return access.read_case(session, actor=actor, case_id=case_id).case


def list_cases(session: Session, *, actor: Actor, limit: int = 200) -> list[Case]:
    """Cases the actor's organisation takes part in (all of them at the national level)."""
    enforce(actor, "case.list")
    stmt = (select(Case).where(where_allowed(actor, "case.view", access.CASE))
            .order_by(Case.id.desc()).limit(limit))
    cases = list(session.scalars(stmt))
    audit.record_read(session, actor=actor, resource_type="case", ids=[c.id for c in cases])
    return cases


CASE_ROLES = ("coordinator", "participant", "mine")


@lru_cache(maxsize=1)
def cases_spec() -> ListSpec:
    """What the case list may be filtered and sorted by; it starts with cases still open.

    ``role``: cases the organisation coordinates, takes part in without coordinating, or
    that the reader coordinates in person. ``q`` is a case number or words of the title.
    """
    return ListSpec(
        sorts={"opened": (Case.created_at, Case.id), "changed": (Case.updated_at, Case.id),
               "title": (Case.title, Case.id)},
        default_sort="opened", descending_by_default=frozenset({"opened", "changed"}),
        filters={"status": frozenset({"open", *(s.value for s in CaseStatus)}),
                 "role": frozenset(CASE_ROLES), "q": None},
        defaults={"status": "open"})


def page_cases(session: Session, *, actor: Actor, query: ListQuery) -> Page[Case]:
    """One page of the cases the actor may see, filtered and sorted by the database.

    Only the cases on the page are audited as read: the count reveals no content.
    """
    enforce(actor, "case.list")
    f = query.filters
    stmt = select(Case).where(where_allowed(actor, "case.view", access.CASE))
    if (wanted := f.get("status")) == "open":
        stmt = stmt.where(Case.status != CaseStatus.AFGESLOTEN)
    elif wanted:
        stmt = stmt.where(Case.status == CaseStatus(wanted))
    if (role := f.get("role")) == "coordinator":
        stmt = stmt.where(Case.coordinator_org_id == actor.organisation_id)
    elif role == "participant":
        stmt = stmt.where(Case.coordinator_org_id != actor.organisation_id)
    elif role == "mine":
        stmt = stmt.where(Case.coordinator_user_id == actor.user_id)
    if text := f.get("q"):
        number = text.lstrip("#")
        if number.isdigit():
            stmt = stmt.where(Case.id == int(number[:9]))
        else:
            # Every word must occur in the title; LIKE's own wildcards are escaped.
            for word in text.split()[:8]:
                escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                stmt = stmt.where(Case.title.ilike(f"%{escaped}%", escape="\\"))
    page: Page[Case] = paginate(session, stmt, query, cases_spec())
    audit.record_read(session, actor=actor, resource_type="case", ids=[c.id for c in page.items])
    return page


def require_coordinator(case: Case, actor: Actor) -> None:
    """Refuse when the actor's organisation does not hold the coordinator role."""
    if case.coordinator_org_id != actor.organisation_id:
        raise Forbidden(NOT_COORDINATOR)


def active_org(orgs: dict[int, Organisation], org_id: int) -> Organisation:
    """An active organisation of the directory, else a 422 naming the id."""
    org = orgs.get(org_id)
    if org is None or not org.is_active:
        raise ValidationFailed(N_("Unknown organisation %(id)s."), id=org_id)
    return org


def _is_foreign(person: CasePerson) -> bool:
    return bool(person.nationality) and person.nationality != "NL"


def _person_triggers(session: Session, case: Case, person: CasePerson, at: datetime,
                     actor: Actor | None = None) -> None:
    if person.role is PersonRole.PRESUMED_VICTIM:
        task_rules.fire(session, case, Trigger.VICTIM_ADDED, at=at, ref=f"p{person.id}",
                        actor=actor)
        if _is_foreign(person):
            # B8: offered at the slightest indication that a foreign national is a victim.
            task_rules.fire(session, case, Trigger.FOREIGN_VICTIM_ADDED, at=at,
                            ref=f"p{person.id}", actor=actor)


def open_case(session: Session, *, data: CaseCreate, actor: Actor,
              signal_ids: Sequence[int] = (), related_case_ids: Sequence[int] = ()) -> Case:
    """Open a case; the actor's organisation coordinates it until it hands that over."""
    enforce(actor, "case.create")
    if data.template_key not in templates():
        raise ValidationFailed(N_("Unknown process template '%(key)s'."), key=data.template_key)
    orgs = auth_service.directory(session)
    for p in data.participants:
        active_org(orgs, p.org_id)
    now = clock.now()
    tpl = templates()[data.template_key]
    writable = visibility.categories_for(actor.org_type)
    case = Case(title=data.title, summary=data.summary, region=data.region,
                summary_category=access.choose(writable, actor, data.summary_category),
                owner_org_id=actor.organisation_id, opened_by_user_id=actor.user_id,
                coordinator_org_id=actor.organisation_id, coordinator_user_id=actor.user_id,
                template_key=tpl.key, template_version=tpl.version, created_at=now)
    seen: set[tuple[int, Phase]] = set()
    for p in [ParticipantIn(org_id=actor.organisation_id, phase=Phase.SIGNALERING),
              *data.participants]:
        if (p.org_id, p.phase) not in seen:
            seen.add((p.org_id, p.phase))
            case.participants.append(CaseParticipant(org_id=p.org_id, phase=p.phase,
                                                     raci=p.raci))
    case.signal_links.extend(CaseSignal(signal_id=s) for s in dict.fromkeys(signal_ids))
    session.add(case)
    session.flush()
    session.add(CaseStatusChange(case_id=case.id, from_status=None,
                                 to_status=CaseStatus.AANGEMELD,
                                 reason="opened", actor_user_id=actor.user_id, at=now))
    task_rules.fire(session, case, Trigger.CASE_OPENED, at=now, actor=actor)
    if data.acute_danger:
        task_rules.fire(session, case, Trigger.ACUTE_SIGNAL, at=now, actor=actor)
    for item in data.persons:
        _add_person(session, case, item, now,
                    access.choose(writable, actor, item.category, proposed=PERSON_DEFAULT), actor)
    audit.record(session, actor=actor, action="create", resource_type="case",
                 resource_id=case.id,
                 detail={"signals": list(signal_ids), "template": tpl.version,
                         "participants": sorted({p.org_id for p in case.participants}),
                         **({"related_cases": list(related_case_ids)}
                            if related_case_ids else {})})
    return case


# A person's details (nationality, places, employers) say who they are.
PERSON_DEFAULT = FieldCategory.IDENTITY


def _add_person(session: Session, case: Case, data: PersonCreate, at: datetime,
                category: FieldCategory, actor: Actor | None = None) -> CasePerson:
    person = CasePerson(case_id=case.id, created_at=at, category=category,
                        **data.model_dump(exclude={"category"}))
    case.persons.append(person)
    session.flush()
    _person_triggers(session, case, person, at, actor)
    return person


def add_person(session: Session, *, actor: Actor, case_id: int, data: PersonCreate
               ) -> CasePerson:
    """Add a pseudonymised person in a role; a presumed victim starts the care tasks."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    category = access.category_or_default(session, actor=actor, case=case,
                                          category=data.category, proposed=PERSON_DEFAULT)
    person = _add_person(session, case, data, clock.now(), category, actor)
    audit.record(session, actor=actor, action="add_person", resource_type="case",
                 resource_id=case.id, detail={"person": person.id, "role": str(person.role),
                                              "category": str(category)})
    return person


def add_participant(session: Session, *, actor: Actor, case_id: int, data: ParticipantIn
                    ) -> CaseParticipant:
    """Let an organisation take part in a phase (coordinator only)."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    require_coordinator(case, actor)
    active_org(auth_service.directory(session), data.org_id)
    if any(p.org_id == data.org_id and p.phase is data.phase for p in case.participants):
        raise Conflict(N_("This organisation already takes part in this phase."))
    row = CaseParticipant(org_id=data.org_id, phase=data.phase, raci=data.raci)
    case.participants.append(row)
    session.flush()
    audit.record(session, actor=actor, action="add_participant", resource_type="case",
                 resource_id=case.id,
                 detail={"org": data.org_id, "phase": str(data.phase), "raci": str(data.raci)})
    return row


def transition(session: Session, *, actor: Actor, case_id: int, data: TransitionIn) -> Case:
    """Take one step of the status machine, with a reason (coordinator only)."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    require_coordinator(case, actor)
    check_version(case.version, data.version)
    CASE_MACHINE.check(case.status, data.to_status)
    category = access.category_or_default(session, actor=actor, case=case,
                                          category=data.category)
    now = clock.now()
    before = case.status
    case.status = data.to_status
    session.add(CaseStatusChange(case_id=case.id, from_status=before, to_status=data.to_status,
                                 reason=data.reason, category=category,
                                 actor_user_id=actor.user_id, at=now))
    session.flush()
    if data.to_status in (CaseStatus.HULPVERLENING, CaseStatus.OPSPORING_EN_HULPVERLENING):
        task_rules.fire(session, case, Trigger.STATUS_HULPVERLENING, at=now, actor=actor)
    if data.to_status in (CaseStatus.OPSPORING, CaseStatus.OPSPORING_EN_HULPVERLENING):
        task_rules.fire(session, case, Trigger.STATUS_OPSPORING, at=now, actor=actor)
    audit.record(session, actor=actor, action="transition", resource_type="case",
                 resource_id=case.id,
                 detail={"from": str(before), "to": str(data.to_status), "reason": data.reason})
    return case


def status_history(session: Session, case_id: int) -> list[CaseStatusChange]:
    """Every status step of a case, oldest first."""
    return list(session.scalars(select(CaseStatusChange)
                                .where(CaseStatusChange.case_id == case_id)
                                .order_by(CaseStatusChange.id)))


def tasks_of(session: Session, case_id: int) -> list[CaseTask]:
    """The tasks of a case, by deadline."""
    return list(session.scalars(select(CaseTask).where(CaseTask.case_id == case_id)
                                .order_by(CaseTask.due_at, CaseTask.id)))


def _task(session: Session, actor: Actor, case_id: int, task_id: int) -> tuple[Case, CaseTask]:
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    task = session.get(CaseTask, task_id)
    if task is None or task.case_id != case.id:
        raise Forbidden(REFUSED)
    return case, task


def assign_task(session: Session, *, actor: Actor, case_id: int, task_id: int,
                data: TaskAssign) -> CaseTask:
    """Give a task to a participating organisation (coordinator only)."""
    case, task = _task(session, actor, case_id, task_id)
    require_coordinator(case, actor)
    check_version(task.version, data.version)
    if task.status is not TaskStatus.OPEN:
        raise ValidationFailed(N_("This task is no longer open."))
    if data.owner_org_id not in case_ref(case).participant_org_ids:
        raise ValidationFailed(N_("Organisation %(id)s does not take part in this case."),
                               id=data.owner_org_id)
    if data.assignee_user_id is not None:
        # Read as the coordinator who assigns: the audit log names them, not a stand-in.
        user = auth_service.member(session, data.assignee_user_id, actor=actor)
        if user is None or user.organisation_id != data.owner_org_id:
            raise ValidationFailed(N_("That person does not work at the chosen organisation."))
    task.owner_org_id, task.assignee_user_id = data.owner_org_id, data.assignee_user_id
    session.flush()
    audit.record(session, actor=actor, action="assign_task", resource_type="case_task",
                 resource_id=task.id, detail={"case": case.id, "org": data.owner_org_id,
                                              "user": data.assignee_user_id})
    users = ([data.assignee_user_id] if data.assignee_user_id is not None
             else notices.org_people(session, data.owner_org_id))
    notices.tell(session, users, actor=actor, kind="case.task_assigned", case_id=case.id,
                 subject=notices.case_subject(case.id, Msg(N_("a task was assigned to you"))),
                 body=Msg(N_("Due %(due)s."), due=LocalTime(task.due_at)))
    return task


def complete_task(session: Session, *, actor: Actor, case_id: int, task_id: int,
                  data: TaskComplete) -> CaseTask:
    """Mark a task done: its owner organisation or the coordinator."""
    case, task = _task(session, actor, case_id, task_id)
    if actor.organisation_id not in (task.owner_org_id, case.coordinator_org_id):
        raise Forbidden(N_("Only the task's organisation or the coordinator may complete it."))
    check_version(task.version, data.version)
    if task.status is not TaskStatus.OPEN:
        raise ValidationFailed(N_("This task is no longer open."))
    if data.note:
        task.note_category = access.category_or_default(session, actor=actor, case=case,
                                                        category=data.note_category)
    task.status, task.done_at, task.note = TaskStatus.DONE, clock.now(), data.note
    session.flush()
    audit.record(session, actor=actor, action="complete_task", resource_type="case_task",
                 resource_id=task.id, detail={"case": case.id})
    return task


def strategic_org_id(session: Session) -> int | None:
    """The national coordinating level that overdue tasks escalate to (CoMensha)."""
    national = [o for o in auth_service.directory(session).values()
                if o.is_active and o.org_type == OrgType.COMENSHA]
    return min(national, key=lambda o: o.id).id if national else None


def remind(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Run the reminder job once (CLI, scheduler)."""
    return task_rules.remind(session, now=now or clock.now(),
                             strategic_org_id=strategic_org_id(session))


def raci_participant_orgs(case: Case) -> dict[Phase, dict[Raci, list[int]]]:
    """Per phase, the organisations by RACI letter (accountable is the coordinator)."""
    out: dict[Phase, dict[Raci, list[int]]] = {ph: {r: [] for r in Raci} for ph in Phase}
    for p in case.participants:
        out[p.phase][p.raci].append(p.org_id)
    return out


# -- a signal's cases and the start page (issue 18) -------------------------------------


def case_ids_of_signals(session: Session, signal_ids: Sequence[int]) -> list[int]:
    """Every case opened from or linked to one of ``signal_ids``, whoever may see it."""
    if not signal_ids:
        return []
    return sorted(set(session.scalars(select(CaseSignal.case_id).where(
        CaseSignal.signal_id.in_(list(signal_ids))))))


def signal_cases(session: Session, *, actor: Actor, signal_id: int) -> list[SignalCase]:
    """The cases of a signal, for whoever may see the signal (the caller checked that).

    Each says which organisation coordinates it; title and link only for a case the
    actor may see (those reads are audited). So a second organisation sees that a case
    exists before it opens another, and learns nothing of its content.
    """
    rows = list(session.scalars(select(Case).join(CaseSignal, CaseSignal.case_id == Case.id)
                                .where(CaseSignal.signal_id == signal_id)
                                .order_by(Case.id).limit(50)))
    visible = set(session.scalars(select(Case.id).where(
        Case.id.in_([c.id for c in rows]), where_allowed(actor, "case.view", access.CASE))))
    if visible:
        audit.record_read(session, actor=actor, resource_type="case", ids=sorted(visible))
    return [SignalCase(case_id=c.id, coordinator_org_id=c.coordinator_org_id,
                       visible=c.id in visible, title=c.title if c.id in visible else None,
                       status=c.status) for c in rows]


def worklist(session: Session, *, actor: Actor, limit: int = 5) -> Worklist:
    """The cases part of the actor's start page (see :mod:`ketenzicht.cases.worklist`)."""
    return work.worklist(session, actor=actor, limit=limit)


# -- counts for the monitor (aggregates only: no row leaves this domain) --------------------


def _form_of_case(signal_forms: Subquery) -> Subquery:
    """Each case's exploitation form: that of its first linked signal, else of its first
    presumed victim that has one, else "unknown" (columns ``case_id`` and ``form``)."""
    first_signal = (select(CaseSignal.case_id, func.min(CaseSignal.signal_id).label("signal_id"))
                    .group_by(CaseSignal.case_id).subquery())
    first_victim = (select(CasePerson.case_id, func.min(CasePerson.id).label("person_id"))
                    .where(CasePerson.role == PersonRole.PRESUMED_VICTIM,
                           CasePerson.exploitation_form.is_not(None),
                           CasePerson.exploitation_form != "")
                    .group_by(CasePerson.case_id).subquery())
    victim = aliased(CasePerson)
    form = func.coalesce(signal_forms.c.form, victim.exploitation_form, "unknown")
    return (select(Case.id.label("case_id"), form.label("form"))
            .outerjoin(first_signal, first_signal.c.case_id == Case.id)
            .outerjoin(signal_forms, signal_forms.c.id == first_signal.c.signal_id)
            .outerjoin(first_victim, first_victim.c.case_id == Case.id)
            .outerjoin(victim, victim.id == first_victim.c.person_id)).subquery()


def count_by_year_form(session: Session, *, signal_forms: Subquery,
                       investigating: Sequence[CaseStatus]
                       ) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], int]]:
    """Cases per UTC year opened and form, and investigations per UTC year of the case's
    first investigating status and form; counted in SQL.

    ``signal_forms`` is the signals domain's ``form_of_signal()``: the join happens in the
    database, and neither domain reads the other's rows.
    """
    forms = _form_of_case(signal_forms)
    opened = utc_year(Case.created_at)
    cases = {(int(y), str(f)): int(n) for y, f, n in session.execute(
        select(opened, forms.c.form, func.count()).join(forms, forms.c.case_id == Case.id)
        .group_by(opened, forms.c.form))}
    first = (select(CaseStatusChange.case_id, func.min(CaseStatusChange.at).label("at"))
             .where(CaseStatusChange.to_status.in_(investigating))
             .group_by(CaseStatusChange.case_id).subquery())
    began = utc_year(first.c.at)
    investigations = {(int(y), str(f)): int(n) for y, f, n in session.execute(
        select(began, forms.c.form, func.count()).join(forms, forms.c.case_id == first.c.case_id)
        .group_by(began, forms.c.form))}
    return cases, investigations


def years(session: Session) -> set[int]:
    """The UTC years in which cases were opened."""
    return {int(y) for y in session.scalars(select(utc_year(Case.created_at)).distinct())}
