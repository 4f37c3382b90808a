"""In/out shapes of the signals domain. Field names follow IOM's HTCDS where it has one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ketenzicht.core.ids import RecordId
from ketenzicht.core.text import CleanStr
from ketenzicht.signals.enums import (
    AgeBand,
    ExploitationForm,
    Gender,
    LinkKind,
    RegistrationConsent,
    RouteCause,
    RouteStatus,
    SignalStatus,
)

Code = CleanStr


# What an organisation encodes at the source (``signals.pprl``): names, employers and addresses
# as hardened Bloom filters (1024 bits folded, 256 hex), phone numbers and plates as keyed
# HMAC-SHA256 (64 hex). A plain hash of a number is not accepted: see ``EXACT_KINDS``.
EXACT_KINDS = frozenset({LinkKind.PHONE, LinkKind.VEHICLE})


class EncodedKey(BaseModel):
    """An identifying value encoded by the reporting organisation itself (hex, no raw value)."""

    kind: LinkKind
    bloom: str = Field(pattern=r"^([0-9a-f]{64}|[0-9a-f]{256})$",
                       description="Bloom filter (256 hex) or, for phone and vehicle, "
                                   "HMAC-SHA256 (64 hex), as `ketenzicht linkage encode` "
                                   "writes it.")
    key_version: str = Field(pattern=r"^\d{4}$",
                             description="Year of the organisations' linkage key.")

    @field_validator("bloom")
    @classmethod
    def _some_bit_set(cls, value: str) -> str:
        # An empty filter would equal every other empty filter: a "same" that means nothing.
        if not value.strip("0"):
            raise ValueError("an encoding without any bit set identifies nothing")
        return value

    @model_validator(mode="after")
    def _width_fits_kind(self) -> EncodedKey:
        exact = self.kind in EXACT_KINDS
        if exact != (len(self.bloom) == 64):
            raise ValueError("phone and vehicle are a 64-hex HMAC, the other kinds a "
                             "256-hex Bloom filter")
        return self


class SignalCreate(BaseModel):
    """A signal as a professional reports it; only ``form`` is required."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    form: ExploitationForm = Field(description="Form of exploitation (HTCDS typeOfExploit).")
    seen: CleanStr = Field(default="", max_length=10_000, description="What was seen, as told.")
    indicators: list[Code] = Field(default_factory=list, max_length=120)
    checklist_items: list[Code] = Field(default_factory=list, max_length=120)
    control_methods: list[Code] = Field(default_factory=list, max_length=40,
                                        description="HTCDS meansOfControl* values.")
    recruiter_relation: CleanStr | None = Field(default=None, max_length=64,
                                                description="HTCDS recruiterRelation* value.")
    place: CleanStr = Field(default="", max_length=200)
    region: CleanStr | None = Field(default=None, max_length=64)
    sector_isic: str | None = Field(default=None, pattern=r"^([A-U]|\d{2})$",
                                    description="ISIC Rev.4 section letter or division.")
    employer: CleanStr | None = Field(default=None, max_length=200)
    address: CleanStr | None = Field(default=None, max_length=300)
    phone: CleanStr | None = Field(default=None, max_length=64)
    vehicle: CleanStr | None = Field(default=None, max_length=32)
    acute_danger: bool = False
    share_identities: bool = Field(
        default=True, description="False: the organisation does not share identities; it "
        "sends only `encoded_keys` made at the source, and raw identifying values are refused.")
    encoded_keys: list[EncodedKey] = Field(default_factory=list, max_length=20)
    no_identity: bool = False
    pseudonym: CleanStr | None = Field(default=None, max_length=120)
    age: int | None = Field(default=None, ge=0, le=120)
    age_band: AgeBand = AgeBand.UNKNOWN
    gender: Gender = Gender.UNKNOWN
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{2}$",
                                    description="ISO 3166-1 alpha-2; empty when unknown.")
    language: CleanStr | None = Field(default=None, max_length=64)
    registration_consent: RegistrationConsent = Field(
        default=RegistrationConsent.UNKNOWN,
        description="Consent to registration by name with CoMensha; otherwise anonymised.")
    draft_id: RecordId | None = None

    @model_validator(mode="after")
    def _consistent(self) -> SignalCreate:
        if self.no_identity and self.pseudonym:
            raise ValueError("no_identity and a pseudonym exclude each other")
        for name in ("recruiter_relation", "region", "employer", "address", "phone", "vehicle",
                     "pseudonym", "language"):
            if getattr(self, name) == "":
                setattr(self, name, None)
        return self


class EncodingsWrite(BaseModel):
    """Encodings made at the source for a signal already reported (after migration 0029
    dropped what the server had encoded): they replace its keys of the same kind and version."""

    model_config = ConfigDict(extra="forbid")

    encoded_keys: list[EncodedKey] = Field(min_length=1, max_length=20)


class ContactRead(BaseModel):
    """Whom to contact at a routed organisation: a function and a channel, never a name."""

    function: str
    phone: str
    channel: str


class RouteRead(BaseModel):
    """One hand-over of a signal."""

    id: int
    signal_id: int
    org_id: int
    org_name: str
    org_type: str
    unit: str
    purpose: str
    status: RouteStatus
    deadline_at: datetime
    decided_at: datetime | None
    reason: str | None
    overdue: bool
    version: int
    cause: RouteCause = RouteCause.ROUTED
    escalated_at: datetime | None = None
    # Who has it and why, in words: routed, forwarded by whom, or added because a deadline
    # passed (and, on the routing whose deadline passed, who was added and that it stays).
    held_because: str = ""
    party: str = ""
    why: list[str] = Field(default_factory=list,
                           description="Each routing rule's reason, and how the region's "
                                       "organisation was found.")
    contact: ContactRead | None = None


class LinkOrganisation(BaseModel):
    """An organisation that holds a linked signal: whom to contact."""

    id: int
    name: str
    org_type: str


class LinkMatch(BaseModel):
    """One linked signal: whose it is, how likely the match, and why (in words)."""

    organisation: str
    signal_id: int | None = Field(description="Only when the reader may open that signal.")
    probability: float = Field(description="Match probability of the linkage model, 0-1.")
    method: str
    reasons: list[str]


class LinkRead(BaseModel):
    """Other signals about the same person, employer, address, phone or vehicle."""

    kind: LinkKind
    other_signals: int
    organisations: list[LinkOrganisation]
    methods: list[str]
    accessible_signal_ids: list[int]
    summary: str
    matches: list[LinkMatch] = []


class EmergencyRead(BaseModel):
    """The emergency path, shown before anything else when there is acute danger."""

    call: str
    police_unit: str
    message: str
    contact: ContactRead | None = Field(
        default=None, description="The region's police unit: a function and a channel.")


class SignalRead(BaseModel):
    """A signal with its explained screening, routings and links (emergency first)."""

    emergency: EmergencyRead | None
    id: int
    created_at: datetime
    status: SignalStatus
    owner_org_id: int
    reporter_user_id: int
    form: ExploitationForm
    seen: str
    indicators: list[str]
    checklist_items: list[str]
    control_methods: list[str]
    recruiter_relation: str | None
    place: str
    region: str | None
    sector_isic: str | None
    employer: str | None
    address: str | None
    phone: str | None
    vehicle: str | None
    acute_danger: bool
    share_identities: bool
    pseudonym: str | None
    age: int | None
    age_band: AgeBand
    gender: Gender
    nationality: str | None
    language: str | None
    indicators_present: bool
    headline: str
    b8: str
    explanation: list[str]
    screening: dict[str, Any]
    routing_version: str
    routing_rule: str
    registration_consent: RegistrationConsent
    anonymised: bool = Field(default=False, description="True when the reader is informed "
                             "for registration without consent: identifying details are "
                             "left out.")
    routes: list[RouteRead]
    links: list[LinkRead]


class SignalSummary(BaseModel):
    """A signal in a list."""

    id: int
    created_at: datetime
    form: ExploitationForm
    place: str
    status: SignalStatus
    indicators_present: bool
    acute_danger: bool
    owner_org_id: int


class InboxItem(BaseModel):
    """A routing waiting for the actor's organisation."""

    route: RouteRead
    signal: SignalSummary


class RouteDecision(BaseModel):
    """Accept a routing; ``version`` is the version of the routing you saw."""

    model_config = ConfigDict(str_strip_whitespace=True)

    version: RecordId
    note: CleanStr | None = Field(default=None, max_length=2000)


class RouteForward(BaseModel):
    """Forward a routing to another organisation, with the reason."""

    model_config = ConfigDict(str_strip_whitespace=True)

    version: RecordId
    to_org_id: RecordId
    reason: CleanStr = Field(min_length=3, max_length=2000)


class DraftWrite(BaseModel):
    """Whatever was typed so far; kept as given (bounded), validated only on submission."""

    payload: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _bounded(self) -> DraftWrite:
        if len(self.payload) > 60 or len(repr(self.payload)) > 50_000:
            raise ValueError("draft too large")
        return self


class DraftRead(BaseModel):
    """A stored draft."""

    id: int
    payload: dict[str, Any]
    updated_at: datetime


class ScreenRequest(BaseModel):
    """Screen without recording: what would the indicators say?"""

    model_config = ConfigDict(extra="forbid")

    form: ExploitationForm
    minor: bool | None = None
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    acute_danger: bool = False
    indicators: list[Code] = Field(default_factory=list, max_length=120)
    checklist_items: list[Code] = Field(default_factory=list, max_length=120)
    control_methods: list[Code] = Field(default_factory=list, max_length=40)


class ScreenResponse(BaseModel):
    """The explained screening."""

    indicators_present: bool
    headline: str
    b8: str
    explanation: list[str]
    screening: dict[str, Any]


class RegistrationRow(BaseModel):
    """One presumed victim in the shape of CoMensha's national registration."""

    signal_id: int | None
    person_key: str | None
    registered_month: str
    form: ExploitationForm
    age_band: AgeBand
    gender: Gender
    nationality: str
    reporting_org_type: str
    region: str | None


class WorkRoute(BaseModel):
    """A signal routed to the reader's organisation that waits for an answer (start page)."""

    route_id: int
    signal_id: int
    form: str
    place: str
    acute_danger: bool
    deadline_at: datetime
    overdue: bool


class RouteWorklist(BaseModel):
    """The signals part of a person's start page: open routings by deadline, and drafts."""

    routes: list[WorkRoute]
    open_total: int
    overdue_total: int
    drafts_total: int


class DraftSummary(BaseModel):
    """One of the reader's own drafts, in the "my drafts" list."""

    id: int
    updated_at: datetime
    form: str
    place: str
    seen: str
