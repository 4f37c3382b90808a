"""Persisted shape of procedures: a B8 period or a meldcode, its steps, and case plans."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ketenzicht.cases.procedures.enums import PlanKind, ProcedureKind
from ketenzicht.db.base import Base, TimestampMixin, VersionedMixin
from ketenzicht.db.types import str_enum


class CaseProcedure(VersionedMixin, TimestampMixin, Base):
    """One procedure of a case about one person: a B8 reflection period or a meldcode.

    ``state`` is a :class:`~.enums.B8State` or :class:`~.enums.MeldcodeState` value (per
    ``kind``). For B8, ``started_at`` is the moment of ACCEPTANCE and ``ends_at`` the
    end of the period counted from it; ``legal_version`` is the frame it ran under.
    """

    __tablename__ = "case_procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[ProcedureKind] = mapped_column(str_enum(ProcedureKind, "case_procedure_kind"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_person.id", ondelete="CASCADE"), default=None, index=True)
    # The signal a meldcode started from (one of the case's signals), if any.
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signal.id"), default=None)
    state: Mapped[str] = mapped_column(String(32))
    # B8: third_country | dublin | eu_eea_ch (data/b8.yaml); meldcode: "".
    variant: Mapped[str] = mapped_column(String(32), default="")
    age_group: Mapped[str] = mapped_column(String(16), default="unknown")
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    opened_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    ends_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    outcome: Mapped[str] = mapped_column(String(32), default="")
    legal_version: Mapped[str] = mapped_column(String(32))


class ProcedureStep(Base):
    """One recorded step: who recorded it, for which organisation, when it happened."""

    __tablename__ = "case_procedure_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("case_procedure.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    # B8: the state reached; meldcode: the step key (signs, consult, talk, weigh, decide).
    step: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32), default=None)
    # When it happened (the professional says so), and when it was recorded.
    happened_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    actor_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    actor_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CasePlan(TimestampMixin, Base):
    """A triage, safety plan or plan with goals; ``own_words`` is the person's own voice,
    stored exactly as they said it and shown as a quotation, never paraphrased."""

    __tablename__ = "case_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[PlanKind] = mapped_column(str_enum(PlanKind, "case_plan_kind"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_person.id", ondelete="CASCADE"), default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    own_words: Mapped[str] = mapped_column(Text, default="")
    agreed_at: Mapped[datetime]
    author_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    author_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
