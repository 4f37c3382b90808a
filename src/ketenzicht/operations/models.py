"""Persisted shape of operations: orders and their versions, personas, conversations.

``operation_order_version`` and ``operation_message`` are append-only: triggers (see the
migration) refuse UPDATE and DELETE on both databases, as for the audit log. An order's
extension is a new version; a message is corrected by a new message, never edited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ketenzicht.core import clock
from ketenzicht.db.base import Base, TimestampMixin, VersionedMixin
from ketenzicht.db.types import str_enum
from ketenzicht.operations.enums import CaptureMethod, Direction, ImageProvenance, OrderStatus

GENESIS_HASH = "0" * 64


class Operation(VersionedMixin, TimestampMixin, Base):
    """An undercover operation: who drafted it, which prosecutor issues it, its status.

    While it is a draft its order lives in ``draft`` (editable by the team leader); issuing
    copies it into version 1 of :class:`OrderVersion`, which no one can change.
    """

    __tablename__ = "operation"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    drafted_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    prosecutor_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    prosecutor_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), default=None)
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus, "operation_status"),
                                                default=OrderStatus.DRAFT)
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    #: Expiry warnings already sent for the current version's end (reset by an extension).
    warned_7d: Mapped[bool] = mapped_column(default=False)
    warned_1d: Mapped[bool] = mapped_column(default=False)

    versions: Mapped[list[OrderVersion]] = relationship(
        lazy="selectin", order_by="OrderVersion.version", viewonly=True)


class OrderVersion(Base):
    """One immutable version of a written order (bevel): issue is 1, each extension +1."""

    __tablename__ = "operation_order_version"
    __table_args__ = (UniqueConstraint("operation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    power: Mapped[str] = mapped_column(String(16))
    issued_on: Mapped[datetime]
    issued_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    crime: Mapped[str] = mapped_column(Text)
    suspect: Mapped[str] = mapped_column(Text, default="")
    grounds: Mapped[str] = mapped_column(Text)
    service_nature: Mapped[str] = mapped_column(Text)
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    platforms: Mapped[list[str]] = mapped_column(JSON, default=list)
    operator_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    persona_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    civilian: Mapped[str] = mapped_column(String(200), default="")
    agreement: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Persona(TimestampMixin, Base):
    """A decoy profile (lokprofiel): a name, a stated age, a description and handles."""

    __tablename__ = "operation_persona"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    stated_age: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Platform name -> handle on that platform.
    handles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    images: Mapped[list[PersonaImage]] = relationship(
        lazy="selectin", order_by="PersonaImage.id", viewonly=True)


class PersonaImage(TimestampMixin, Base):
    """An image of a persona, stored under its SHA-256, with where it comes from."""

    __tablename__ = "operation_persona_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    persona_id: Mapped[int] = mapped_column(ForeignKey("operation_persona.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(200))
    provenance: Mapped[ImageProvenance] = mapped_column(
        str_enum(ImageProvenance, "operation_image_provenance"))
    note: Mapped[str] = mapped_column(Text)
    added_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class Conversation(TimestampMixin, Base):
    """A chat between a persona and one counterpart; its messages form one hash chain."""

    __tablename__ = "operation_conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id"), index=True)
    persona_id: Mapped[int] = mapped_column(ForeignKey("operation_persona.id"))
    platform: Mapped[str] = mapped_column(String(100))
    counterpart_handle: Mapped[str] = mapped_column(String(200), index=True)
    opened_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    head_seq: Mapped[int] = mapped_column(Integer, default=0)
    head_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
    exported_item_id: Mapped[int | None] = mapped_column(Integer, default=None)
    exported_case_id: Mapped[int | None] = mapped_column(Integer, default=None)
    signal_id: Mapped[int | None] = mapped_column(Integer, default=None)


class Message(Base):
    """One message, in the conversation's chain: ``entry_hash`` covers it and the one before.

    The guard's checks, and the operator's confirmation of a flagged message, are part of
    the hashed content, so the defence can see who initiated each step and who confirmed it.
    """

    __tablename__ = "operation_message"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("operation_conversation.id"),
                                                 index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "operation_direction"))
    platform: Mapped[str] = mapped_column(String(100))
    counterpart_handle: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    attachment_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    attachment_name: Mapped[str | None] = mapped_column(String(200), default=None)
    capture_method: Mapped[CaptureMethod] = mapped_column(
        str_enum(CaptureMethod, "operation_capture_method"))
    operator_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    order_version: Mapped[int] = mapped_column(Integer)
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    confirmation: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class CounterpartKey(Base):
    """A counterpart's phone number or handle as the online linker stores identifiers.

    Written when a conversation opens, so that a network's identifiers find the
    conversations whose counterpart is in it (and a conversation its networks).
    """

    __tablename__ = "operation_counterpart_key"
    __table_args__ = (Index("ix_operation_counterpart_key_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("operation_conversation.id"),
                                                 index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(200))


class Campaign(TimestampMixin, Base):
    """A deterrence (and, when authorised, outreach) campaign run under an operation's order.

    ``clicks`` is the only trace of its help link being used: a counter, nothing about who
    clicked. Outreach to numbers in ads is off until someone switches it on; who and why
    is kept.
    """

    __tablename__ = "operation_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id"), index=True)
    #: The name the monitor shows; it must not reveal the operation.
    public_label: Mapped[str] = mapped_column(String(200))
    help_url: Mapped[str] = mapped_column(String(500))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    triggers: Mapped[list[str]] = mapped_column(JSON, default=list)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    outreach_enabled: Mapped[bool] = mapped_column(default=False)
    outreach_authorised_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), default=None)
    outreach_authorised_at: Mapped[datetime | None] = mapped_column(default=None)
    outreach_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class CampaignDelivery(Base):
    """A warning sent in a conversation: the message in the chain, and the trigger behind it."""

    __tablename__ = "operation_campaign_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("operation_campaign.id"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("operation_conversation.id"),
                                                 index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("operation_message.id"))
    trigger: Mapped[str] = mapped_column(String(32))
    trigger_seq: Mapped[int] = mapped_column(Integer)
    #: Why the trigger fired: the English template and its parameters (as the guard keeps).
    reason: Mapped[str] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(default=clock.now)


class CampaignOutreach(Base):
    """One outreach message to the number in an ad: the ad it came from, and nothing about
    the recipient (not the number, not a reply)."""

    __tablename__ = "operation_campaign_outreach"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("operation_campaign.id"), index=True)
    ad_id: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    sent_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=clock.now)
