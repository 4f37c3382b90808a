"""Persisted shape of evidence: items with their chain of custody, links and case settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ketenzicht.db.base import Base, TimestampMixin, VersionedMixin
from ketenzicht.db.types import str_enum
from ketenzicht.evidence.enums import ItemKind, Strength


class EvidenceItem(TimestampMixin, Base):
    """One piece of evidence in a case; its content lives in the store under ``sha256``.

    Items are never edited or deleted: the chain of custody (who added what, when, from
    which source) must stay as it was. A correction is a new item.
    """

    __tablename__ = "evidence_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, "evidence_item_kind"))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(300))
    obtained_on: Mapped[date]
    added_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    added_by_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    #: For a victim's statement: the only user ids who may see it.
    restricted_to: Mapped[list[int]] = mapped_column(JSON, default=list)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("online_capture.id"),
                                                   default=None)
    warc_record_id: Mapped[str | None] = mapped_column(String(100), default=None)
    capture_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    #: Structured facts (a wage check's numbers), also inside the stored content.
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    links: Mapped[list[EvidenceLink]] = relationship(
        lazy="selectin", order_by="EvidenceLink.id", cascade="all, delete-orphan")


class EvidenceLink(TimestampMixin, Base):
    """An item supports an element (or an element's factor) against one suspect."""

    __tablename__ = "evidence_link"
    __table_args__ = (UniqueConstraint("item_id", "element", "suspect_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_item.id", ondelete="CASCADE"),
                                         index=True)
    element: Mapped[str] = mapped_column(String(64))
    suspect_id: Mapped[int] = mapped_column(ForeignKey("case_person.id", ondelete="CASCADE"),
                                            index=True)
    strength: Mapped[Strength] = mapped_column(str_enum(Strength, "evidence_strength"))
    note: Mapped[str] = mapped_column(Text, default="")
    added_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class EvidenceSetting(VersionedMixin, TimestampMixin, Base):
    """Per case: the framework it is evaluated under and whether the victim is a minor."""

    __tablename__ = "evidence_setting"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         primary_key=True)
    framework: Mapped[str] = mapped_column(String(64))
    #: None: not (yet) known. The minors rule applies only when this is True.
    victim_minor: Mapped[bool | None] = mapped_column(default=None)
    #: The sub-clauses the prosecutor charges, per suspect id (as text): ``{"12": ["1"]}``.
    charged: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)


class EvidenceSigningKey(TimestampMixin, Base):
    """An organisation's published dossier-signing public key (the private key is a file).

    Never deleted: a dossier signed with a replaced key must stay verifiable.
    """

    __tablename__ = "evidence_signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    algorithm: Mapped[str] = mapped_column(String(16), default="Ed25519")
    public_key_pem: Mapped[str] = mapped_column(Text)
