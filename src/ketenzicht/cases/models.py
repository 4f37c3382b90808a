"""Persisted shape of cases: persons, participants, status history, tasks and reminders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ketenzicht.cases.enums import (
    CaseStatus,
    HandoverStatus,
    PersonRole,
    Phase,
    Raci,
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


class CaseDecision(Base):
    """A decision: what, why, who took it, who carries it out and by when."""

    __tablename__ = "case_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    decided_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    at: Mapped[datetime]


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
