"""In/out shapes of the procedures (B8, meldcode, plans)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ketenzicht.cases.procedures.enums import AgeGroup, PlanKind
from ketenzicht.core.ids import RecordId
from ketenzicht.core.text import CleanStr

_STRICT = ConfigDict(str_strip_whitespace=True, extra="forbid")
Note = CleanStr


class B8Offer(BaseModel):
    """The police (or KMar) offer the reflection period to a presumed victim."""

    model_config = _STRICT

    person_id: RecordId
    age_group: AgeGroup = AgeGroup.UNKNOWN
    dublin: bool = False
    # When the offer was made; now when not given. Never in the future.
    at: datetime | None = None
    # For an EU/EEA/Swiss national, why B8 is offered anyway (required then).
    note: Note = Field(default="", max_length=4000)


class B8Step(BaseModel):
    """One step of a B8 period: to the next state, when, and why."""

    model_config = _STRICT

    version: int = Field(ge=1, le=2**31 - 1)
    to_state: Literal["accepted", "declined", "running", "decision", "ended"]
    at: datetime | None = None
    note: Note = Field(default="", max_length=4000)
    # decision: aangifte | medewerking | afzien; ended: an end reason of data/b8.yaml.
    decision: CleanStr | None = Field(default=None, max_length=32)
    end_reason: CleanStr | None = Field(default=None, max_length=32)
    # A minor's acceptance or decision names the guardian or parent who took part.
    guardian: CleanStr | None = Field(default=None, max_length=200)


class MeldcodeStart(BaseModel):
    """A care professional starts the meldcode about a person of the case."""

    model_config = _STRICT

    person_id: RecordId | None = None
    signal_id: RecordId | None = None


class MeldcodeStepIn(BaseModel):
    """One meldcode step, recorded with its date."""

    model_config = _STRICT

    version: int = Field(ge=1, le=2**31 - 1)
    step: Literal["signs", "consult", "talk", "weigh", "decide"]
    at: datetime | None = None
    note: Note = Field(default="", max_length=10_000)
    # consult: whom (keys of data/meldcode.yaml ``consulted``).
    consulted: list[CleanStr] = Field(default_factory=list, max_length=4)
    # weigh: the answers to the afwegingskader's questions, by key.
    answers: dict[str, bool] = Field(default_factory=dict, max_length=10)
    # decide: report | help | report_and_help | close; reported_at when reported.
    outcome: CleanStr | None = Field(default=None, max_length=32)
    reported_at: datetime | None = None


class PlanIn(BaseModel):
    """A triage, safety plan or plan with goals; own_words verbatim."""

    model_config = _STRICT

    kind: PlanKind
    person_id: RecordId | None = None
    text: CleanStr = Field(default="", max_length=10_000)
    goals: list[CleanStr] = Field(default_factory=list, max_length=20)
    own_words: CleanStr = Field(default="", max_length=4000)
    agreed_at: datetime | None = None


class StepRead(BaseModel):
    """One recorded step, for display."""

    id: int
    step: str
    title: str
    from_state: str | None
    happened_at: datetime
    recorded_at: datetime
    actor_user_id: int
    actor_org_id: int
    actor_org_name: str
    note: str
    detail: dict[str, object]


class DeadlineRead(BaseModel):
    """A date the procedure must keep, with where it comes from."""

    what: str
    due_at: datetime
    source: str
    overdue: bool


class ProcedureRead(BaseModel):
    """A B8 period or a meldcode with its steps, legal basis and deadlines."""

    id: int
    kind: str
    case_id: int
    person_id: int | None
    person: str
    signal_id: int | None
    state: str
    state_label: str
    variant: str
    variant_title: str
    age_group: str
    org_id: int
    org_name: str
    started_at: datetime | None
    ends_at: datetime | None
    outcome: str
    legal_version: str
    version: int
    allowed: list[str]
    basis: list[str]
    warnings: list[str]
    deadlines: list[DeadlineRead]
    steps: list[StepRead]


class PlanRead(BaseModel):
    """A plan for display."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: PlanKind
    person_id: int | None
    text: str
    goals: list[str]
    own_words: str
    agreed_at: datetime
    author_user_id: int
    author_org_id: int


class ProceduresRead(BaseModel):
    """Everything procedural of a case the reader may see."""

    b8: list[ProcedureRead]
    meldcode: list[ProcedureRead]
    plans: list[PlanRead]
    meldcode_hidden: bool
