"""In/out shapes of the cases domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ketenzicht.cases.enums import (
    CaseStatus,
    HandoverStatus,
    PersonRole,
    Phase,
    Raci,
    TaskStatus,
)
from ketenzicht.core.ids import RecordId
from ketenzicht.core.text import CleanStr

_STRICT = ConfigDict(str_strip_whitespace=True, extra="forbid")
Reason = CleanStr


class PersonCreate(BaseModel):
    """A person in a role, by pseudonym; never a real name."""

    model_config = _STRICT

    role: PersonRole
    pseudonym: CleanStr = Field(min_length=1, max_length=120)
    exploitation_form: CleanStr | None = Field(default=None, max_length=32)
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    locations: list[CleanStr] = Field(default_factory=list, max_length=20)
    employers: list[CleanStr] = Field(default_factory=list, max_length=20)


class ParticipantIn(BaseModel):
    """An organisation taking part in a phase."""

    model_config = _STRICT

    org_id: RecordId
    phase: Phase
    raci: Raci = Raci.RESPONSIBLE


class CaseCreate(BaseModel):
    """A case opened directly (or from signals, through ``cases.flows``)."""

    model_config = _STRICT

    title: CleanStr = Field(min_length=3, max_length=200)
    summary: CleanStr = Field(default="", max_length=10_000)
    region: CleanStr | None = Field(default=None, max_length=64)
    template_key: CleanStr = Field(default="standaard", max_length=64)
    acute_danger: bool = False
    persons: list[PersonCreate] = Field(default_factory=list, max_length=50)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=50)


class CaseFromSignals(BaseModel):
    """Open a case from one or more signals the actor may see."""

    model_config = _STRICT

    signal_ids: list[RecordId] = Field(min_length=1, max_length=50)
    title: CleanStr = Field(min_length=3, max_length=200)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=50)


class Versioned(BaseModel):
    """A write based on what the caller last read (``version``)."""

    model_config = _STRICT

    version: int = Field(ge=1, le=2**31 - 1)


class TransitionIn(Versioned):
    """A status step with its reason."""

    to_status: CaseStatus
    reason: Reason = Field(min_length=3, max_length=2000)


class TaskAssign(Versioned):
    """Give a task to a participating organisation (and optionally one of its people)."""

    owner_org_id: RecordId
    assignee_user_id: RecordId | None = None


class TaskComplete(Versioned):
    """Mark a task done."""

    note: CleanStr | None = Field(default=None, max_length=2000)


class HandoverIn(BaseModel):
    """Propose another participating organisation as coordinator."""

    model_config = _STRICT

    to_org_id: RecordId
    reason: Reason = Field(min_length=3, max_length=2000)


class DecisionIn(BaseModel):
    """A decision with its rationale, owner and (future) due date."""

    model_config = _STRICT

    text: CleanStr = Field(min_length=3, max_length=2000)
    rationale: CleanStr = Field(min_length=3, max_length=4000)
    owner_org_id: RecordId
    due_at: datetime | None = None


class PersonRead(PersonCreate):
    """A person in a case."""

    model_config = ConfigDict(from_attributes=True)

    id: int


class ParticipantRead(BaseModel):
    """A participation, with the organisation's name."""

    org_id: int
    org_name: str
    org_type: str
    phase: Phase
    raci: Raci


class RaciRow(BaseModel):
    """Who is responsible, accountable, consulted and informed in one phase."""

    phase: Phase
    responsible: list[str]
    accountable: str
    consulted: list[str]
    informed: list[str]


class TaskRead(BaseModel):
    """A task with its deadline and escalation moment."""

    id: int
    task_key: str
    title: str
    trigger: str
    owner_role: str
    owner_org_id: int
    owner_org_name: str
    assignee_user_id: int | None
    status: TaskStatus
    due_at: datetime
    escalate_at: datetime
    overdue: bool
    version: int


class HandoverRead(BaseModel):
    """A proposed or settled hand-over of the coordinator role."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    from_org_id: int
    to_org_id: int
    reason: str
    status: HandoverStatus
    created_at: datetime
    decided_at: datetime | None


class DecisionRead(BaseModel):
    """A decision taken in a case."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    rationale: str
    decided_by_user_id: int
    owner_org_id: int
    due_at: datetime | None
    at: datetime


class TimelineItem(BaseModel):
    """One thing that happened in a case."""

    at: datetime
    kind: str
    text: str
    system: bool = False


class CaseSummary(BaseModel):
    """A case in a list."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    status: CaseStatus
    region: str | None
    coordinator_org_id: int
    created_at: datetime
    version: int


class CaseRead(CaseSummary):
    """A case with everything the actor may see of it."""

    summary: str
    coordinator_org_name: str
    coordinator_user_id: int | None
    template_key: str
    template_version: str
    allowed_transitions: list[CaseStatus]
    signal_ids: list[int]
    persons: list[PersonRead]
    participants: list[ParticipantRead]
    raci: list[RaciRow]
    tasks: list[TaskRead]
    handovers: list[HandoverRead]
    decisions: list[DecisionRead]
    timeline: list[TimelineItem]
