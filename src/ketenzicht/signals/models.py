"""Persisted shape of signals, their routings, identifying keys, links and drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ketenzicht.db.base import Base, TimestampMixin, VersionedMixin
from ketenzicht.db.types import str_enum
from ketenzicht.signals.enums import (
    AgeBand,
    ExploitationForm,
    Gender,
    LinkKind,
    LinkMethod,
    RegistrationConsent,
    RouteStatus,
    SignalStatus,
)


class Signal(TimestampMixin, Base):
    """What a professional saw, about whom, and the screening made at intake.

    Identifying values (employer, address, phone, vehicle) are stored raw only when the
    reporting organisation shares identities; their keys are in ``signal_key`` either way.
    """

    __tablename__ = "signal"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[SignalStatus] = mapped_column(str_enum(SignalStatus, "signal_status"),
                                                 default=SignalStatus.OPEN)
    form: Mapped[ExploitationForm] = mapped_column(str_enum(ExploitationForm, "exploitation_form"))
    seen: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    checklist_items: Mapped[list[str]] = mapped_column(JSON, default=list)
    control_methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    recruiter_relation: Mapped[str | None] = mapped_column(String(64), default=None)
    place: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str | None] = mapped_column(String(64), default=None)
    sector_isic: Mapped[str | None] = mapped_column(String(4), default=None)
    employer: Mapped[str | None] = mapped_column(String(200), default=None)
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    phone: Mapped[str | None] = mapped_column(String(64), default=None)
    vehicle: Mapped[str | None] = mapped_column(String(32), default=None)
    acute_danger: Mapped[bool] = mapped_column(Boolean, default=False)
    share_identities: Mapped[bool] = mapped_column(Boolean, default=True)
    pseudonym: Mapped[str | None] = mapped_column(String(120), default=None)
    age: Mapped[int | None] = mapped_column(Integer, default=None)
    age_band: Mapped[AgeBand] = mapped_column(str_enum(AgeBand, "age_band"),
                                              default=AgeBand.UNKNOWN)
    gender: Mapped[Gender] = mapped_column(str_enum(Gender, "gender"), default=Gender.UNKNOWN)
    nationality: Mapped[str | None] = mapped_column(String(2), default=None)
    language: Mapped[str | None] = mapped_column(String(64), default=None)
    indicators_present: Mapped[bool] = mapped_column(Boolean, default=False)
    profile_met: Mapped[bool] = mapped_column(Boolean, default=False)
    screening: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    routing_version: Mapped[str] = mapped_column(String(32), default="")
    routing_rule: Mapped[str] = mapped_column(String(64), default="")
    # Consent to registration by name with CoMensha; anything but yes: anonymised.
    registration_consent: Mapped[RegistrationConsent] = mapped_column(
        str_enum(RegistrationConsent, "registration_consent"),
        default=RegistrationConsent.UNKNOWN)

    routes: Mapped[list[SignalRoute]] = relationship(
        back_populates="signal", lazy="selectin", order_by="SignalRoute.id",
        foreign_keys="SignalRoute.signal_id")


class SignalRoute(VersionedMixin, TimestampMixin, Base):
    """A hand-over of a signal to one organisation, which must accept or forward it in time."""

    __tablename__ = "signal_route"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"),
                                           index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    # The routing-table party, the rules that named it ("labour+acute") and how its
    # organisation was found for the signal's region (routing.Target.via); empty on
    # forwarded and escalated routings.
    party: Mapped[str] = mapped_column(String(32), default="")
    rules: Mapped[str] = mapped_column(String(200), default="")
    via: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[RouteStatus] = mapped_column(str_enum(RouteStatus, "route_status"),
                                                default=RouteStatus.OPEN)
    deadline_at: Mapped[datetime]
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                           default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    previous_route_id: Mapped[int | None] = mapped_column(ForeignKey("signal_route.id"),
                                                          default=None)
    # How it came to this organisation (enums.RouteCause): at intake, forwarded, escalated.
    cause: Mapped[str] = mapped_column(String(16), default="routed", server_default="routed")
    # When its deadline passed and the escalation party was added; the routing stays open
    # here (escalation adds a party, it never takes the signal away).
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)

    signal: Mapped[Signal] = relationship(back_populates="routes", foreign_keys=[signal_id])


class SignalKey(Base):
    """One identifying value of a signal, normalised (when shared) and Bloom-encoded."""

    __tablename__ = "signal_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"),
                                           index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    kind: Mapped[LinkKind] = mapped_column(str_enum(LinkKind, "link_kind"), index=True)
    norm: Mapped[str | None] = mapped_column(String(300), default=None)
    bloom: Mapped[str] = mapped_column(String(256))
    # The year of the organisations' linkage key (signals.pprl); None: encoded on the server.
    key_version: Mapped[str | None] = mapped_column(String(4), default=None)


class SignalLink(Base):
    """Two signals taken to concern the same person, employer, address, phone or vehicle.

    ``score`` is the match probability of the linkage model (1.0 for an equal phone number or
    plate).
    """

    __tablename__ = "signal_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"),
                                           index=True)
    other_signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"),
                                                 index=True)
    kind: Mapped[LinkKind] = mapped_column(str_enum(LinkKind, "link_kind"))
    method: Mapped[LinkMethod] = mapped_column(str_enum(LinkMethod, "link_method"))
    score: Mapped[float] = mapped_column(Float)
    # Per field: the level it agreed at and its Bayes factor (``links.explain`` words it).
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]


class SignalDraft(TimestampMixin, Base):
    """What was typed into an incomplete or invalid intake, kept so nothing is lost."""

    __tablename__ = "signal_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
