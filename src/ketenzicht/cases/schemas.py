"""In/out shapes of the cases domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ketenzicht.cases.enums import (
    CaseStatus,
    ConferenceStatus,
    DataCategory,
    FieldCategory,
    HandoverStatus,
    LinkKind,
    PersonRole,
    Phase,
    Raci,
    ReferralStatus,
    TaskStatus,
)
from ketenzicht.core.ids import RecordId
from ketenzicht.core.text import CleanStr

_STRICT = ConfigDict(str_strip_whitespace=True, extra="forbid")
Reason = CleanStr
# Who may read a field (``cases.visibility``); left out, the author's organisation type
# decides (care organisations write care or medical details).
Category = FieldCategory | None


class PersonCreate(BaseModel):
    """A person in a role, by pseudonym; never a real name."""

    model_config = _STRICT

    role: PersonRole
    pseudonym: CleanStr = Field(min_length=1, max_length=120)
    exploitation_form: CleanStr | None = Field(default=None, max_length=32)
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    locations: list[CleanStr] = Field(default_factory=list, max_length=20)
    employers: list[CleanStr] = Field(default_factory=list, max_length=20)
    category: Category = None


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
    summary_category: Category = None
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
    template_key: CleanStr = Field(default="standaard", max_length=64)
    # The signals' observations become the summary: care or medical when a care
    # organisation reported them, unless the author chooses otherwise (``cases.flows``).
    summary_category: Category = None
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=50)
    # A signal that already has a case (of any organisation) needs this to be confirmed.
    confirm_related: bool = False


class Versioned(BaseModel):
    """A write based on what the caller last read (``version``)."""

    model_config = _STRICT

    version: int = Field(ge=1, le=2**31 - 1)


class TransitionIn(Versioned):
    """A status step with its reason."""

    to_status: CaseStatus
    reason: Reason = Field(min_length=3, max_length=2000)
    category: Category = None


class TaskAssign(Versioned):
    """Give a task to a participating organisation (and optionally one of its people)."""

    owner_org_id: RecordId
    assignee_user_id: RecordId | None = None


class TaskComplete(Versioned):
    """Mark a task done."""

    note: CleanStr | None = Field(default=None, max_length=2000)
    note_category: Category = None


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
    conference_id: RecordId | None = None
    category: Category = None


class PersonRead(PersonCreate):
    """A person in a case; the details are empty when the reader may not see them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    category: FieldCategory = FieldCategory.GENERAL
    details_hidden: bool = False


class ParticipantRead(BaseModel):
    """A participation, with the organisation's name."""

    id: int = 0
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
    # The completion note, when the reader sees its category.
    note: str | None = None
    note_category: FieldCategory = FieldCategory.GENERAL
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
    decline_reason: str | None = None


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
    conference_id: int | None = None
    category: FieldCategory = FieldCategory.GENERAL


class TimelineItem(BaseModel):
    """One thing that happened in a case."""

    at: datetime
    kind: str
    text: str
    system: bool = False
    category: FieldCategory = FieldCategory.GENERAL


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
    summary_category: FieldCategory = FieldCategory.GENERAL
    # True when there is a summary the reader may not see (``summary`` is then empty).
    summary_hidden: bool = False
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
    visible_categories: list[FieldCategory]
    emergency_until: datetime | None
    conferences: list[ConferenceRead]
    referrals: list[ReferralRead]
    notes: list[NoteRead]
    links: list[LinkRead]
    emergency_accesses: list[EmergencyRead]


class ConferenceIn(BaseModel):
    """Plan a case conference: when, the agenda and which organisations attend."""

    model_config = _STRICT

    held_at: datetime
    agenda: list[CleanStr] = Field(default_factory=list, max_length=30)
    attendee_org_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    minutes: CleanStr = Field(default="", max_length=50_000)
    minutes_category: Category = None


class MinutesIn(Versioned):
    """Edit draft minutes (final ones never change)."""

    minutes: CleanStr = Field(max_length=50_000)
    minutes_category: Category = None
    agenda: list[CleanStr] | None = Field(default=None, max_length=30)
    attendee_org_ids: list[RecordId] | None = Field(default=None, max_length=50)


class MinutesCorrectionIn(BaseModel):
    """A correction of approved minutes: the whole new text, why, and which version it corrects.

    ``supersedes`` is the number of the version the writer read; when someone else
    corrected that version first the correction is refused (409), never merged.
    """

    model_config = _STRICT

    supersedes: int = Field(ge=1, le=2**31 - 1)
    text: CleanStr = Field(min_length=1, max_length=50_000)
    reason: Reason = Field(min_length=3, max_length=2000)


class MinutesSummaryIn(BaseModel):
    """The version of the minutes approved for organisations that were not present."""

    model_config = _STRICT

    text: CleanStr = Field(min_length=1, max_length=20_000)
    category: Category = None


class MinutesSummaryRead(BaseModel):
    """The approved summary of minutes for the absent: its text, category and approver."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    category: FieldCategory
    approved_by_user_id: int
    approved_by_org_id: int
    at: datetime


class MinutesVersionRead(BaseModel):
    """One approved version of minutes: who wrote it, when, why, and what it supersedes."""

    id: int
    number: int
    text: str
    reason: str
    author_user_id: int
    author_org_id: int
    author_org_name: str
    at: datetime
    supersedes_id: int | None
    superseded_by_id: int | None
    current: bool


class ConferenceRead(BaseModel):
    """A case conference with its minutes (current version and history) and decisions.

    ``minutes`` is the draft, or once approved the text of the current version;
    ``versions`` holds every approved version, oldest first. Both are empty for a reader
    who was not present (``minutes_visible`` false): they read ``summary_for_others``.
    """

    id: int
    held_at: datetime
    agenda: list[str]
    attendee_org_ids: list[int]
    attendees: list[str]
    minutes: str
    minutes_category: FieldCategory = FieldCategory.GENERAL
    minutes_visible: bool = True
    summary_for_others: MinutesSummaryRead | None = None
    status: ConferenceStatus
    finalised_at: datetime | None
    finalised_by_user_id: int | None
    version: int
    current_version: int | None
    versions: list[MinutesVersionRead]
    decisions: list[DecisionRead]


class ReferralIn(BaseModel):
    """Refer the case to another organisation, with the legal basis for sharing."""

    model_config = _STRICT

    to_org_id: RecordId
    phase: Phase
    purpose: CleanStr = Field(min_length=3, max_length=4000)
    purpose_category: Category = None
    legal_basis: CleanStr = Field(min_length=1, max_length=64)
    legal_basis_note: CleanStr = Field(default="", max_length=4000)
    data_categories: list[DataCategory] = Field(min_length=1, max_length=len(DataCategory))
    answer_due_at: datetime | None = None


class ReferralAnswer(Versioned):
    """Accept, reject (with a reason), mark done, or revoke a referral."""

    to_status: ReferralStatus
    reason: CleanStr | None = Field(default=None, max_length=4000)


class ReferralRead(BaseModel):
    """A referral; holds no personal data, only what is shared and why."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    from_org_id: int
    to_org_id: int
    phase: Phase
    # Empty when the reader may not see the purpose's category (``purpose_hidden``).
    purpose: str
    purpose_category: FieldCategory = FieldCategory.GENERAL
    purpose_hidden: bool = False
    legal_basis: str
    legal_basis_note: str
    data_categories: list[str]
    status: ReferralStatus
    answer_due_at: datetime
    answered_at: datetime | None
    answer_reason: str | None
    created_at: datetime
    version: int


class LegalBasisRead(BaseModel):
    """A legal basis for sharing from the shipped list, with its source."""

    key: str
    title: str
    source: str
    needs_note: bool


class NoteIn(BaseModel):
    """Case content in one field category."""

    model_config = _STRICT

    category: FieldCategory = FieldCategory.GENERAL
    text: CleanStr = Field(min_length=1, max_length=10_000)


class NoteRead(BaseModel):
    """A note the reader may see."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    category: FieldCategory
    text: str
    author_org_id: int
    at: datetime


class LinkIn(BaseModel):
    """Link the case to a record of another domain, by id."""

    model_config = _STRICT

    kind: LinkKind
    ref_id: RecordId
    note: CleanStr = Field(default="", max_length=2000)


class LinkRead(BaseModel):
    """A link from the case to another domain's record."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: LinkKind
    ref_id: int
    note: str
    at: datetime


class EmergencyIn(BaseModel):
    """Break the glass: why, and for how long (at most a day)."""

    model_config = _STRICT

    reason: Reason = Field(min_length=10, max_length=2000)
    hours: int = Field(default=4, ge=1, le=24)


class EmergencyRead(BaseModel):
    """A break-the-glass access: who, why, until when."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    user_id: int
    org_id: int
    reason: str
    starts_at: datetime
    expires_at: datetime
    ended_at: datetime | None


# -- the steps of issue 18 (decline with a reason, participants, signal -> case) ------------


class HandoverDecline(BaseModel):
    """Decline the coordinator role with a reason (a withdrawal by the coordinator needs none)."""

    model_config = _STRICT

    reason: Reason | None = Field(default=None, min_length=3, max_length=2000)


class ParticipantChange(BaseModel):
    """Change an organisation's phase or RACI letter in a case, with the reason."""

    model_config = _STRICT

    phase: Phase | None = None
    raci: Raci | None = None
    reason: Reason = Field(min_length=3, max_length=2000)


class ParticipantRemove(BaseModel):
    """End an organisation's part in one phase of a case, with the reason."""

    model_config = _STRICT

    reason: Reason = Field(min_length=3, max_length=2000)


class SignalCase(BaseModel):
    """A case opened from a signal, as the signal page shows it.

    ``visible`` says whether the reader takes part in the case (or may see it otherwise);
    only then are the title and the link given. Whoever may see the signal learns that a
    case exists and which organisation coordinates it, so that nobody opens a second one
    unknowingly.
    """

    case_id: int
    coordinator_org_id: int
    visible: bool
    title: str | None = None
    status: CaseStatus


class WorkTask(BaseModel):
    """An open task of the reader's organisation, for the start page."""

    case_id: int
    task_id: int
    title: str
    case_title: str
    due_at: datetime
    overdue: bool


class WorkHandover(BaseModel):
    """A hand-over of the coordinator role waiting for the reader's organisation."""

    case_id: int
    handover_id: int
    case_title: str
    from_org_id: int
    created_at: datetime


class WorkCase(BaseModel):
    """A case the reader's organisation coordinates."""

    case_id: int
    title: str
    status: CaseStatus


class WorkEmergency(BaseModel):
    """One of the reader's running emergency accesses, soonest to expire first."""

    case_id: int
    access_id: int
    expires_at: datetime


class Worklist(BaseModel):
    """The cases part of a person's start page: counts and the first few of each list."""

    tasks: list[WorkTask]
    tasks_total: int
    tasks_overdue: int
    handovers: list[WorkHandover]
    handovers_total: int
    coordinated: list[WorkCase]
    coordinated_total: int
    emergencies: list[WorkEmergency]
    emergencies_total: int
