"""Pydantic in/out shapes of the operations domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from ketenzicht.core.ids import RecordId
from ketenzicht.core.text import CleanStr
from ketenzicht.operations.enums import Direction, ImageProvenance, OrderStatus

Short = CleanStr


class OrderFields(BaseModel):
    """What a written order states (the draft, and what version 1 is issued from)."""

    power: str = Field(min_length=1, max_length=16)
    crime: CleanStr = Field(default="", max_length=2000)
    suspect: CleanStr = Field(default="", max_length=2000)
    grounds: CleanStr = Field(default="", max_length=5000)
    service_nature: CleanStr = Field(default="", max_length=2000)
    services: list[CleanStr] = Field(default_factory=list, max_length=10)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    platforms: list[CleanStr] = Field(default_factory=list, max_length=30)
    operator_ids: list[RecordId] = Field(default_factory=list, max_length=30)
    persona_ids: list[RecordId] = Field(default_factory=list, max_length=30)
    civilian: CleanStr = Field(default="", max_length=200)
    agreement: CleanStr = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def _period(self) -> OrderFields:
        if self.ends_at <= self.starts_at:
            raise ValueError("the period must end after it starts")
        return self


class OperationCreate(BaseModel):
    """A team leader drafts an operation and names the prosecutor who is to issue it."""

    title: CleanStr = Field(min_length=2, max_length=200)
    prosecutor_user_id: RecordId
    case_id: RecordId | None = None
    order: OrderFields


class DraftUpdate(BaseModel):
    """A change to the draft order (only while it is a draft)."""

    version: int = Field(ge=1)
    order: OrderFields


class Extend(BaseModel):
    """The prosecutor extends the order: a new end, and optionally new people or scope."""

    ends_at: AwareDatetime
    operator_ids: list[RecordId] | None = Field(default=None, max_length=30)
    persona_ids: list[RecordId] | None = Field(default=None, max_length=30)
    platforms: list[CleanStr] | None = Field(default=None, max_length=30)
    note: CleanStr = Field(default="", max_length=2000)


class End(BaseModel):
    """End an order before its period is over, with the reason."""

    reason: CleanStr = Field(min_length=3, max_length=2000)


class PersonaCreate(BaseModel):
    """A new persona (lokprofiel)."""

    name: CleanStr = Field(min_length=1, max_length=100)
    stated_age: int = Field(ge=10, le=99)
    description: CleanStr = Field(default="", max_length=5000)
    handles: dict[Short, Short] = Field(default_factory=dict, max_length=20)


class ImageUpload(BaseModel):
    """A persona's image through the API, base64-encoded, with its provenance."""

    filename: CleanStr = Field(min_length=1, max_length=200)
    provenance: ImageProvenance
    note: CleanStr = Field(min_length=3, max_length=2000)
    content_base64: str = Field(min_length=1)


class ConversationCreate(BaseModel):
    """Open a conversation between one persona and one counterpart on one platform."""

    persona_id: RecordId
    platform: CleanStr = Field(min_length=1, max_length=100)
    counterpart_handle: CleanStr = Field(min_length=1, max_length=200)


class MessageIn(BaseModel):
    """One message to record; a flagged decoy message needs ``confirm_reason``."""

    direction: Direction
    text: CleanStr = Field(default="", max_length=20000)
    at: AwareDatetime | None = None
    attachment_name: CleanStr | None = Field(default=None, max_length=200)
    attachment_base64: str | None = None
    confirm_reason: CleanStr = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _something(self) -> MessageIn:
        if not self.text and not self.attachment_base64:
            raise ValueError("a message has text or an attachment")
        return self


class ImportIn(BaseModel):
    """A chat export to append to a conversation (JSON or CSV as text, a WARC as base64)."""

    format: Literal["json", "csv", "warc"]
    content: str = Field(min_length=1)


class ExportIn(BaseModel):
    """Export a conversation into a case's evidence."""

    case_id: RecordId


class VersionRead(BaseModel):
    """One immutable version of the order."""

    model_config = ConfigDict(from_attributes=True)

    version: int
    power: str
    issued_on: datetime
    issued_by_user_id: int
    crime: str
    suspect: str
    grounds: str
    service_nature: str
    services: list[str]
    starts_at: datetime
    ends_at: datetime
    platforms: list[str]
    operator_ids: list[int]
    persona_ids: list[int]
    civilian: str
    agreement: str
    note: str


class OperationRead(BaseModel):
    """An operation with its status, the order in force and every version."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    status: OrderStatus
    effective_status: OrderStatus
    in_force: bool
    blocked_reason: str | None
    owner_org_id: int
    drafted_by_user_id: int
    prosecutor_user_id: int
    case_id: int | None
    version: int
    draft: dict[str, Any]
    versions: list[VersionRead]


class PersonaRead(BaseModel):
    """A persona, with its images' hashes and provenance."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    operation_id: int
    name: str
    stated_age: int
    description: str
    handles: dict[str, str]
    images: list[dict[str, Any]] = Field(default_factory=list)


class MessageRead(BaseModel):
    """One message as stored in the chain."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    seq: int
    at: datetime
    direction: Direction
    platform: str
    counterpart_handle: str
    text: str
    attachment_sha256: str | None
    attachment_name: str | None
    capture_method: str
    operator_user_id: int
    order_version: int
    checks: list[dict[str, Any]]
    confirmation: dict[str, Any] | None
    prev_hash: str
    entry_hash: str


class ConversationRead(BaseModel):
    """A conversation and its chain's head."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    operation_id: int
    persona_id: int
    platform: str
    counterpart_handle: str
    head_seq: int
    head_hash: str
    exported_item_id: int | None
    signal_id: int | None


class VerifyRead(BaseModel):
    """The outcome of verifying a conversation's chain."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    first_broken_id: int | None = None
    reason: str = ""


class FlaggedRead(BaseModel):
    """A decoy-side message the guard flagged, refused until the operator confirms it."""

    detail: str
    checks: list[dict[str, Any]]


TriggerKind = Literal["buy_intent", "age_confirmation"]
_TRIGGERS: tuple[TriggerKind, ...] = ("buy_intent", "age_confirmation")


class CampaignCreate(BaseModel):
    """A deterrence campaign under the operation's order: its public name and help link."""

    public_label: CleanStr = Field(min_length=3, max_length=200)
    help_url: str = Field(min_length=12, max_length=500, pattern=r"^https://[^\s]+$")
    triggers: list[TriggerKind] = Field(default_factory=lambda: list(_TRIGGERS), min_length=1)


class OutreachAuthorise(BaseModel):
    """Switch outreach to numbers in ads on (the prosecutor), with the reason."""

    reason: CleanStr = Field(min_length=5, max_length=2000)


class WarningIn(BaseModel):
    """Send a campaign's warning in a conversation, after a trigger fired there."""

    campaign_id: RecordId
    language: Literal["nl", "en", "pl", "ro", "bg", "uk", "es"] = "nl"


class OutreachIn(BaseModel):
    """Reach out to the number in one crawled ad (the ad's language if it is known)."""

    ad_id: RecordId
    language: Literal["nl", "en", "pl", "ro", "bg", "uk", "es"] | None = None


class CampaignFigures(BaseModel):
    """A campaign's outcome figures, exact (suppress small cells before showing them)."""

    campaign_id: int
    label: str
    year: int
    conversations: int
    warnings: int
    referrals: int
    clicks: int
    outreach: int
