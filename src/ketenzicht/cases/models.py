"""Persisted shape of cases: persons, participants, status history, tasks and reminders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ketenzicht.cases.enums import (
    CaseStatus,
    ConferenceStatus,
    FieldCategory,
    HandoverStatus,
    LinkKind,
    PersonRole,
    Phase,
    Raci,
    ReferralStatus,
    TaskStatus,
)
from ketenzicht.db.base import Base, TimestampMixin, VersionedMixin
from ketenzicht.db.types import str_enum


class Case(VersionedMixin, TimestampMixin, Base):
    """One situation of (presumed) trafficking that several organisations work on together.

    Exactly one organisation is the accountable coordinator (regievoerder) at any time;
    ``coordinator_user_id`` names the person there who holds the role.
    """

    __tablename__ = "case_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # Who may read the summary (``cases.visibility``); a signal's medical text is care.
    summary_category: Mapped[FieldCategory] = mapped_column(
        str_enum(FieldCategory, "case_summary_category"), default=FieldCategory.GENERAL)
    region: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "case_status"),
                                               default=CaseStatus.AANGEMELD)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    opened_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    coordinator_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    coordinator_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                            default=None)
    template_key: Mapped[str] = mapped_column(String(64), default="standaard")
    template_version: Mapped[str] = mapped_column(String(32), default="")

    participants: Mapped[list[CaseParticipant]] = relationship(
        back_populates="case", lazy="selectin", order_by="CaseParticipant.id",
        cascade="all, delete-orphan")
    persons: Mapped[list[CasePerson]] = relationship(
        lazy="selectin", order_by="CasePerson.id", cascade="all, delete-orphan")
    signal_links: Mapped[list[CaseSignal]] = relationship(
        lazy="selectin", order_by="CaseSignal.signal_id", cascade="all, delete-orphan")


class CaseSignal(Base):
    """A signal the case was opened from or linked to."""

    __tablename__ = "case_signal"
    __table_args__ = (UniqueConstraint("case_id", "signal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id"), index=True)


class CasePerson(TimestampMixin, Base):
    """A person in a role, known by a pseudonym only."""

    __tablename__ = "case_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    role: Mapped[PersonRole] = mapped_column(str_enum(PersonRole, "case_person_role"))
    pseudonym: Mapped[str] = mapped_column(String(120))
    exploitation_form: Mapped[str | None] = mapped_column(String(32), default=None)
    nationality: Mapped[str | None] = mapped_column(String(2), default=None)
    locations: Mapped[list[str]] = mapped_column(JSON, default=list)
    employers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Who may read the details (form, nationality, places, employers); pseudonym and
    # role are general, so that every partner knows whom the case is about.
    category: Mapped[FieldCategory] = mapped_column(
        str_enum(FieldCategory, "case_person_category"), default=FieldCategory.GENERAL)


class CaseParticipant(TimestampMixin, Base):
    """An organisation taking part in one phase of a case, with its RACI letter."""

    __tablename__ = "case_participant"
    __table_args__ = (UniqueConstraint("case_id", "org_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase, "case_phase"))
    raci: Mapped[Raci] = mapped_column(str_enum(Raci, "case_raci"))

    case: Mapped[Case] = relationship(back_populates="participants")


class CaseStatusChange(Base):
    """One step of the status machine, with who took it and why."""

    __tablename__ = "case_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    from_status: Mapped[CaseStatus | None] = mapped_column(
        str_enum(CaseStatus, "case_status_from"), default=None)
    to_status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "case_status_to"))
    reason: Mapped[str] = mapped_column(Text)
    # Who may read the reason in the timeline; the step itself is general.
    category: Mapped[FieldCategory] = mapped_column(
        str_enum(FieldCategory, "case_status_reason_category"), default=FieldCategory.GENERAL)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime]


class CaseTask(VersionedMixin, TimestampMixin, Base):
    """A task made from a process template when its trigger happened."""

    __tablename__ = "case_task"
    __table_args__ = (UniqueConstraint("case_id", "task_key", "trigger_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    task_key: Mapped[str] = mapped_column(String(64))
    trigger: Mapped[str] = mapped_column(String(32))
    # What fired the trigger (a person id, a signal id); a trigger makes a task only once.
    trigger_ref: Mapped[str] = mapped_column(String(32), default="")
    owner_role: Mapped[str] = mapped_column(String(32))
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                         default=None)
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus, "case_task_status"),
                                               default=TaskStatus.OPEN)
    due_at: Mapped[datetime] = mapped_column(index=True)
    escalate_at: Mapped[datetime]
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    note_category: Mapped[FieldCategory] = mapped_column(
        str_enum(FieldCategory, "case_task_note_category"), default=FieldCategory.GENERAL)


class CaseHandover(TimestampMixin, Base):
    """A proposal to hand the coordinator role to another organisation; it must accept."""

    __tablename__ = "case_handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    from_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    to_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    proposed_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[HandoverStatus] = mapped_column(str_enum(HandoverStatus, "case_handover_status"),
                                                   default=HandoverStatus.PENDING)
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                           default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    # Why the proposed organisation declined (issue 18); none for a withdrawal.
    decline_reason: Mapped[str | None] = mapped_column(Text, default=None)


class CaseDecision(Base):
    """A decision: what, why, who took it, who carries it out and by when."""

    __tablename__ = "case_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    category: Mapped[FieldCategory] = mapped_column(
        str_enum(FieldCategory, "case_decision_category"), default=FieldCategory.GENERAL)
    decided_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    at: Mapped[datetime]
    # Taken in a case conference (casusoverleg), or outside one when empty.
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_conference.id", ondelete="SET NULL"), default=None, index=True)


class CaseReminder(Base):
    """A reminder or escalation about an overdue task; the unique key sends each once."""

    __tablename__ = "case_reminder"
    __table_args__ = (UniqueConstraint("task_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("case_task.id", ondelete="CASCADE"),
                                         index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    level: Mapped[int] = mapped_column(Integer)
    recipient_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class CaseConference(VersionedMixin, TimestampMixin, Base):
    """A case conference (casusoverleg / MDO): agenda, attendees and minutes.

    ``minutes`` is the draft. Approving it stores it as version 1 of the minutes
    (:class:`MinutesVersion`) and the conference never changes again
    (``guard_final_minutes``); a correction is a new version.
    """

    __tablename__ = "case_conference"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    held_at: Mapped[datetime]
    agenda: Mapped[list[str]] = mapped_column(JSON, default=list)
    attendee_org_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The chair's organisation (of who planned it) counts as present. An id like the
    # attendees' (no foreign key: SQLite cannot add one to an existing table).
    chair_org_id: Mapped[int | None] = mapped_column(Integer, default=None)
    minutes: Mapped[str] = mapped_column(Text, default="")
    # The full minutes are for those present who see this category; the absent read
    # only an approved summary (:class:`MinutesSummary`).
    minutes_category: Mapped[FieldCategory] = mapped_column(
        str_enum(FieldCategory, "case_minutes_category"), default=FieldCategory.GENERAL)
    status: Mapped[ConferenceStatus] = mapped_column(
        str_enum(ConferenceStatus, "case_conference_status"), default=ConferenceStatus.DRAFT)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    finalised_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                             default=None)
    finalised_at: Mapped[datetime | None] = mapped_column(default=None)


class MinutesVersion(Base):
    """One approved text of a conference's minutes: never changed, only superseded.

    Version 1 is what the coordinator approved; each correction is the next number,
    with the full text, who wrote it, when and why, and points to the version it
    supersedes. A version is superseded at most once (unique ``supersedes_id``), so
    two people correcting the same version cannot both win. Triggers refuse UPDATE
    and DELETE in the database too (migration 0014); only removing the whole
    conference removes its versions.
    """

    __tablename__ = "case_minutes_version"
    __table_args__ = (UniqueConstraint("conference_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("case_conference.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # Why this version replaced the one before; empty for the approved version 1.
    reason: Mapped[str] = mapped_column(Text, default="")
    author_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # The author's organisation at the time, shown with the version.
    author_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    at: Mapped[datetime]
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_minutes_version.id"), unique=True, default=None)


@event.listens_for(CaseConference, "before_update")
def guard_final_minutes(_mapper: object, _connection: object, target: CaseConference) -> None:
    """Refuse any change to minutes that were already final when loaded (a last line)."""
    was = inspect(target).attrs.status.history
    if ConferenceStatus.FINAL in (*was.unchanged, *was.deleted):
        raise ValueError(f"case_conference {target.id} is final and cannot change")


@event.listens_for(MinutesVersion, "before_update")
@event.listens_for(MinutesVersion, "before_delete")
def guard_minutes_version(_mapper: object, _connection: object, target: MinutesVersion) -> None:
    """Refuse any change to an approved version of minutes (a last line before the trigger)."""
    raise ValueError(f"case_minutes_version {target.id} is approved and cannot change")


class MinutesSummary(Base):
    """The version of a conference's minutes approved for organisations not present.

    The chair (or the author of the minutes) writes and approves it in one step, in its
    own category; a newer row replaces it for readers, none is ever changed.
    """

    __tablename__ = "case_minutes_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("case_conference.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[FieldCategory] = mapped_column(
        str_enum(FieldCategory, "case_minutes_summary_category"))
    approved_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    approved_by_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    at: Mapped[datetime]


class CaseReferral(VersionedMixin, TimestampMixin, Base):
    """A referral to another organisation, with its purpose and legal basis for sharing."""

    __tablename__ = "case_referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    from_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    to_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase, "case_referral_phase"))
    purpose: Mapped[str] = mapped_column(Text)
    purpose_category: Mapped[FieldCategory] = mapped_column(
        str_enum(FieldCategory, "case_referral_purpose_category"),
        default=FieldCategory.GENERAL)
    legal_basis: Mapped[str] = mapped_column(String(64))
    legal_basis_note: Mapped[str] = mapped_column(Text, default="")
    data_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ReferralStatus] = mapped_column(
        str_enum(ReferralStatus, "case_referral_status"), default=ReferralStatus.SENT,
        index=True)
    answer_due_at: Mapped[datetime] = mapped_column(index=True)
    escalate_at: Mapped[datetime]
    sent_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    answered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                            default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    answer_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # Set once by a compare-and-set UPDATE: each reminder is sent exactly once.
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)


class CaseNote(Base):
    """Case content of one field category; only some organisation types see care or
    investigation notes (``cases.visibility``)."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    category: Mapped[FieldCategory] = mapped_column(str_enum(FieldCategory, "case_field_category"))
    text: Mapped[str] = mapped_column(Text)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    author_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    at: Mapped[datetime]


class EmergencyAccess(Base):
    """Break-the-glass: a person's reasoned, time-limited access beyond need-to-know."""

    __tablename__ = "case_emergency_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    reason: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class CaseLink(Base):
    """A reference from a case to a record of another domain (an online network), by id."""

    __tablename__ = "case_link"
    __table_args__ = (UniqueConstraint("case_id", "kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[LinkKind] = mapped_column(str_enum(LinkKind, "case_link_kind"))
    ref_id: Mapped[int] = mapped_column(Integer, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime]
