"""Persisted shape of shelter locations, units, availability history, requests and offers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ketenzicht.db.base import Base, TimestampMixin, VersionedMixin
from ketenzicht.db.types import str_enum
from ketenzicht.shelter.enums import (
    DeclineReason,
    EndReason,
    Exploitation,
    Gender,
    LegalBasis,
    LegalStatus,
    OfferStatus,
    RequestStatus,
    Security,
    ShelterType,
    Urgency,
)


class ShelterLocation(VersionedMixin, TimestampMixin, Base):
    """A building of a provider (an organisation of type opvang)."""

    __tablename__ = "shelter_location"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    gemeente: Mapped[str] = mapped_column(String(100))
    centrumgemeente: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(8), index=True)
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    lat: Mapped[float | None] = mapped_column(Float, default=None)
    lon: Mapped[float | None] = mapped_column(Float, default=None)
    secret_address: Mapped[bool] = mapped_column(Boolean, default=False)

    units: Mapped[list[ShelterUnit]] = relationship(back_populates="location")


class ShelterUnit(VersionedMixin, TimestampMixin, Base):
    """A group of like places at one location, with its criteria and its live figure.

    ``available`` is the number of free places the provider last reported;
    ``held`` of those are held by open offers. Holds are taken with a
    conditional UPDATE, and the CHECK constraints make a negative or
    over-full count impossible even for a bug.
    """

    __tablename__ = "shelter_unit"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_nonneg"),
        CheckConstraint("available >= 0 AND available <= capacity", name="available_range"),
        CheckConstraint("held >= 0 AND held <= available", name="held_range"),
        CheckConstraint("age_min <= age_max", name="age_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("shelter_location.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    shelter_type: Mapped[ShelterType] = mapped_column(str_enum(ShelterType, "shelter_type"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    capacity: Mapped[int] = mapped_column(Integer)
    available: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)
    available_updated_at: Mapped[datetime]
    available_updated_by: Mapped[str] = mapped_column(String(64))
    # Eligibility
    genders: Mapped[list[str]] = mapped_column(JSON)
    age_min: Mapped[int] = mapped_column(Integer, default=18)
    age_max: Mapped[int] = mapped_column(Integer, default=120)
    accepts_minors: Mapped[bool] = mapped_column(Boolean, default=False)
    max_children: Mapped[int] = mapped_column(Integer, default=0)
    children_age_max: Mapped[int] = mapped_column(Integer, default=17)
    exploitation_forms: Mapped[list[str]] = mapped_column(JSON)
    legal_statuses: Mapped[list[str]] = mapped_column(JSON)
    authorities: Mapped[list[str]] = mapped_column(JSON)
    # Care and safety
    security: Mapped[Security] = mapped_column(str_enum(Security, "shelter_security"))
    staffed_24_7: Mapped[bool] = mapped_column(Boolean, default=False)
    addiction_care: Mapped[bool] = mapped_column(Boolean, default=False)
    psychiatric_care: Mapped[bool] = mapped_column(Boolean, default=False)
    lvb_support: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_care: Mapped[bool] = mapped_column(Boolean, default=False)
    wheelchair: Mapped[bool] = mapped_column(Boolean, default=False)
    pets: Mapped[bool] = mapped_column(Boolean, default=False)
    languages: Mapped[list[str]] = mapped_column(JSON)
    max_stay_days: Mapped[int | None] = mapped_column(Integer, default=None)

    location: Mapped[ShelterLocation] = relationship(back_populates="units", lazy="joined")

    @property
    def free(self) -> int:
        """Places that can be offered now."""
        return self.available - self.held


class AvailabilityLog(Base):
    """Every reported figure, for the occupancy trend and to show who said what when."""

    __tablename__ = "shelter_availability_log"
    __table_args__ = (Index("ix_shelter_availability_log_unit_at", "unit_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("shelter_unit.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    available: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    by_username: Mapped[str] = mapped_column(String(64))
    via: Mapped[str] = mapped_column(String(16))


class PlacementRequest(VersionedMixin, TimestampMixin, Base):
    """A request for a shelter place for one pseudonymous person."""

    __tablename__ = "shelter_request"
    __table_args__ = (CheckConstraint("age_min <= age_max", name="age_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_ref: Mapped[str] = mapped_column(String(64), index=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    referring_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"),
                                                         default=None)
    # The person (pseudonymous)
    age_min: Mapped[int] = mapped_column(Integer)
    age_max: Mapped[int] = mapped_column(Integer)
    gender: Mapped[Gender] = mapped_column(str_enum(Gender, "shelter_gender"))
    nationality: Mapped[str | None] = mapped_column(String(64), default=None)
    legal_status: Mapped[LegalStatus] = mapped_column(str_enum(LegalStatus, "shelter_legal_status"))
    b8_start: Mapped[date | None] = mapped_column(Date, default=None)
    exploitation: Mapped[Exploitation] = mapped_column(
        str_enum(Exploitation, "shelter_exploitation"))
    unaccompanied_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    # Urgency, safety, needs
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "shelter_urgency"))
    exclude_regions: Mapped[list[str]] = mapped_column(JSON)
    needs_secret_address: Mapped[bool] = mapped_column(Boolean, default=False)
    security_need: Mapped[Security] = mapped_column(str_enum(Security, "shelter_security_need"))
    languages: Mapped[list[str]] = mapped_column(JSON)
    children_ages: Mapped[list[int]] = mapped_column(JSON)
    pets: Mapped[bool] = mapped_column(Boolean, default=False)
    addiction: Mapped[bool] = mapped_column(Boolean, default=False)
    psychiatric: Mapped[bool] = mapped_column(Boolean, default=False)
    lvb: Mapped[bool] = mapped_column(Boolean, default=False)
    medical: Mapped[bool] = mapped_column(Boolean, default=False)
    wheelchair: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the person is, sharing and deadline
    current_region: Mapped[str] = mapped_column(String(8))
    current_place: Mapped[str | None] = mapped_column(String(200), default=None)
    legal_basis: Mapped[LegalBasis] = mapped_column(str_enum(LegalBasis, "shelter_legal_basis"))
    legal_basis_note: Mapped[str | None] = mapped_column(String(500), default=None)
    respond_by: Mapped[datetime]
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    # Progress
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus, "shelter_request_status"),
                                                  index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    placed_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    end_reason: Mapped[EndReason | None] = mapped_column(str_enum(EndReason, "shelter_end_reason"),
                                                         default=None)
    end_note: Mapped[str | None] = mapped_column(String(500), default=None)
    # Who ended it: the owner (a request withdrawn) or the shelter (uitstroom).
    ended_by: Mapped[str | None] = mapped_column(String(64), default=None)
    receiving_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"),
                                                         default=None)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("shelter_unit.id"), default=None)

    @property
    def children_count(self) -> int:
        """How many children come along."""
        return len(self.children_ages)


class ShelterOffer(TimestampMixin, Base):
    """A hold on one place of one unit for one request, until it is decided or expires."""

    __tablename__ = "shelter_offer"
    __table_args__ = (Index("ix_shelter_offer_status_hold", "status", "hold_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("shelter_request.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("shelter_unit.id"), index=True)
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus, "shelter_offer_status"))
    hold_until: Mapped[datetime]
    offered_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by: Mapped[str | None] = mapped_column(String(64), default=None)
    decline_reason: Mapped[DeclineReason | None] = mapped_column(
        str_enum(DeclineReason, "shelter_decline_reason"), default=None)
    decline_note: Mapped[str | None] = mapped_column(String(500), default=None)

    unit: Mapped[ShelterUnit] = relationship(lazy="joined")
    request: Mapped[PlacementRequest] = relationship(lazy="joined")

    def detail(self) -> dict[str, Any]:
        """What the audit log records about this offer."""
        return {"request_id": self.request_id, "unit_id": self.unit_id,
                "status": str(self.status), "hold_until": self.hold_until.isoformat()}
