"""Case conferences (casusoverleg / MDO): agenda, attendees, minutes and their versions.

Minutes are edited as a draft; when the coordinator approves them they become version 1
and never change (the service refuses; ``models.guard_final_minutes`` and
``guard_minutes_version`` stop any write that slips past, and database triggers refuse
an UPDATE). A correction is a new, complete version with who, when and why, pointing to
the version it supersedes; the older versions stay readable.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access, visibility
from ketenzicht.cases.enums import ConferenceStatus, TaskStatus
from ketenzicht.cases.models import Case, CaseConference, CaseTask, MinutesSummary, MinutesVersion
from ketenzicht.cases.schemas import (
    ConferenceIn,
    MinutesCorrectionIn,
    MinutesIn,
    MinutesSummaryIn,
    Versioned,
)
from ketenzicht.cases.service import case_ref, load, require_coordinator
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed, check_version
from ketenzicht.core.i18n import N_

FINAL = N_("These minutes are approved and cannot change; correct them with a new version "
           "instead.")
CORRECTED = N_("Someone corrected these minutes first: version %(current)s is now current and "
               "you corrected version %(edited)s. Read version %(current)s and correct it if "
               "it still needs it.")
CONFERENCE_TASK = "case_conference"
NOT_PRESENT = N_("Only the organisations present at the case conference read and write its "
                 "full minutes.")
NOT_CHAIR = N_("Only the chair of the case conference or the author of its minutes approves "
               "the version for those not present.")


def _require_present(session: Session, actor: Actor, case: Case, row: CaseConference) -> None:
    """Refuse a write to minutes the actor's organisation may not read in full."""
    if not visibility.sees_minutes(access.own_categories(session, actor=actor, case=case),
                                   org_id=actor.organisation_id,
                                   present_org_ids=access.present(row),
                                   category=row.minutes_category):
        raise Forbidden(NOT_PRESENT)


def _attendees(case: Case, org_ids: list[int]) -> list[int]:
    allowed = case_ref(case).participant_org_ids
    for org_id in org_ids:
        if org_id not in allowed:
            raise ValidationFailed(N_("Organisation %(id)s does not take part in this case."),
                                   id=org_id)
    return list(dict.fromkeys(org_ids))


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValidationFailed(N_("Give the date and time with a time zone."))
    return at


def plan(session: Session, *, actor: Actor, case_id: int, data: ConferenceIn
         ) -> CaseConference:
    """Plan (or record) a case conference of a case the actor works on."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    category = access.category_or_default(session, actor=actor, case=case,
                                          category=data.minutes_category)
    row = CaseConference(case_id=case.id, held_at=_aware(data.held_at), agenda=list(data.agenda),
                         attendee_org_ids=_attendees(case, list(data.attendee_org_ids)),
                         chair_org_id=actor.organisation_id, minutes_category=category,
                         minutes=data.minutes, created_by_user_id=actor.user_id,
                         created_at=clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="plan_conference", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id})
    return row


def get(session: Session, *, actor: Actor, case_id: int, conference_id: int,
        action: str = "case.update") -> tuple[Case, CaseConference]:
    """A conference of a case the actor may ``action``; refused alike when missing."""
    case = load(session, actor=actor, case_id=case_id, action=action)
    row = session.get(CaseConference, conference_id)
    if row is None or row.case_id != case.id:
        raise Forbidden(REFUSED)
    return case, row


def edit_minutes(session: Session, *, actor: Actor, case_id: int, conference_id: int,
                 data: MinutesIn) -> CaseConference:
    """Change draft minutes (and agenda or attendees); final minutes are refused."""
    case, row = get(session, actor=actor, case_id=case_id, conference_id=conference_id)
    if row.status is ConferenceStatus.FINAL:
        raise Conflict(FINAL)
    check_version(row.version, data.version)
    _require_present(session, actor, case, row)
    if data.minutes_category is not None:
        row.minutes_category = access.check_writable(session, actor=actor, case=case,
                                                     category=data.minutes_category)
    row.minutes = data.minutes
    if data.agenda is not None:
        row.agenda = list(data.agenda)
    if data.attendee_org_ids is not None:
        row.attendee_org_ids = _attendees(case, list(data.attendee_org_ids))
    session.flush()
    audit.record(session, actor=actor, action="edit_minutes", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id})
    return row


def finalise(session: Session, *, actor: Actor, case_id: int, conference_id: int,
             data: Versioned) -> CaseConference:
    """Approve the minutes (coordinator only); from now on they are immutable."""
    case, row = get(session, actor=actor, case_id=case_id, conference_id=conference_id)
    require_coordinator(case, actor)
    if row.status is ConferenceStatus.FINAL:
        raise Conflict(FINAL)
    check_version(row.version, data.version)
    _require_present(session, actor, case, row)
    if not row.minutes.strip():
        raise ValidationFailed(N_("Write the minutes before finalising them."))
    now = clock.now()
    row.status, row.finalised_by_user_id, row.finalised_at = (ConferenceStatus.FINAL,
                                                              actor.user_id, now)
    session.add(MinutesVersion(conference_id=row.id, number=1, text=row.minutes, reason="",
                               author_user_id=actor.user_id,
                               author_org_id=actor.organisation_id, at=now))
    # Holding the conference fulfils the process agreement's conference task.
    for task in session.scalars(select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.task_key == CONFERENCE_TASK,
            CaseTask.status == TaskStatus.OPEN)):
        task.status, task.done_at = TaskStatus.DONE, now
        task.note = f"conference {row.id}"
    session.flush()
    audit.record(session, actor=actor, action="finalise_minutes", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id, "minutes_version": 1})
    return row


def _plain(text: str) -> str:
    # A browser sends CRLF line ends; an unchanged textarea is no correction.
    return text.replace("\r\n", "\n").strip()


def current_version(session: Session, conference_id: int) -> MinutesVersion | None:
    """The version of a conference's minutes that no other version supersedes."""
    return session.scalar(select(MinutesVersion)
                          .where(MinutesVersion.conference_id == conference_id)
                          .order_by(MinutesVersion.number.desc()).limit(1))


def correct(session: Session, *, actor: Actor, case_id: int, conference_id: int,
            data: MinutesCorrectionIn) -> MinutesVersion:
    """Correct approved minutes: store a new version; the corrected one stays as it was.

    Anyone who works on the case may correct, as anyone could add an addendum before;
    each version names its author and reason. Correcting a version that someone else
    already corrected is refused with 409 (``CORRECTED``), also when both arrive at once:
    the conference row is locked (PostgreSQL) and a version can be superseded only once
    (a unique ``supersedes_id``), so the loser's insert fails and is refused the same way.
    """
    case, row = get(session, actor=actor, case_id=case_id, conference_id=conference_id)
    if row.status is not ConferenceStatus.FINAL:
        raise ValidationFailed(N_("Draft minutes are edited directly; a correction is for "
                                  "approved minutes."))
    _require_present(session, actor, case, row)
    # Serialise corrections of one conference on PostgreSQL (a no-op on SQLite, whose
    # write lock does the same).
    session.execute(select(CaseConference.id).where(CaseConference.id == row.id)
                    .with_for_update())
    current = current_version(session, row.id)
    if current is None:  # approved before versions existed and not migrated: cannot happen
        raise Conflict(FINAL)
    if data.supersedes != current.number:
        raise Conflict(CORRECTED, current=current.number, edited=data.supersedes)
    if _plain(data.text) == _plain(current.text):
        raise ValidationFailed(N_("The correction is the same as version %(number)s; change "
                                  "the text or leave the minutes as they are."),
                               number=current.number)
    item = MinutesVersion(conference_id=row.id, number=current.number + 1, text=data.text,
                          reason=data.reason, author_user_id=actor.user_id,
                          author_org_id=actor.organisation_id, at=clock.now(),
                          supersedes_id=current.id)
    try:
        with session.begin_nested():
            session.add(item)
    except IntegrityError as exc:
        raise Conflict(CORRECTED, current=current.number + 1,
                       edited=data.supersedes) from exc
    audit.record(session, actor=actor, action="correct_minutes", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id, "supersedes": current.number,
                                              "minutes_version": item.number})
    return item


def conferences_of(session: Session, case_id: int) -> list[CaseConference]:
    """The conferences of a case, by date."""
    return list(session.scalars(select(CaseConference).where(CaseConference.case_id == case_id)
                                .order_by(CaseConference.held_at, CaseConference.id)))


def versions_of(session: Session, conference_ids: list[int]) -> list[MinutesVersion]:
    """The approved versions of some conferences' minutes, oldest first."""
    if not conference_ids:
        return []
    return list(session.scalars(select(MinutesVersion)
                                .where(MinutesVersion.conference_id.in_(conference_ids))
                                .order_by(MinutesVersion.conference_id, MinutesVersion.number)))


def approve_summary(session: Session, *, actor: Actor, case_id: int, conference_id: int,
                    data: MinutesSummaryIn) -> MinutesSummary:
    """Approve the version of the minutes that organisations not present may read.

    The chair's organisation or the author of the minutes writes it from the full
    minutes it reads, in a category of its own choice; a later approval replaces it for
    readers, the earlier stays stored.
    """
    case, row = get(session, actor=actor, case_id=case_id, conference_id=conference_id)
    _require_present(session, actor, case, row)
    authors = {v.author_org_id for v in versions_of(session, [row.id])}
    if actor.organisation_id not in {row.chair_org_id, *authors} \
            and actor.user_id != row.created_by_user_id:
        raise Forbidden(NOT_CHAIR)
    category = access.category_or_default(session, actor=actor, case=case,
                                          category=data.category)
    item = MinutesSummary(conference_id=row.id, text=data.text, category=category,
                          approved_by_user_id=actor.user_id,
                          approved_by_org_id=actor.organisation_id, at=clock.now())
    session.add(item)
    session.flush()
    audit.record(session, actor=actor, action="approve_minutes_summary", resource_type="case",
                 resource_id=case.id, detail={"conference": row.id, "summary": item.id,
                                              "category": str(category)})
    return item


def summaries_of(session: Session, conference_ids: list[int]) -> dict[int, MinutesSummary]:
    """The current approved summary for the absent of each conference that has one."""
    if not conference_ids:
        return {}
    rows = session.scalars(select(MinutesSummary)
                           .where(MinutesSummary.conference_id.in_(conference_ids))
                           .order_by(MinutesSummary.id))
    return {r.conference_id: r for r in rows}
