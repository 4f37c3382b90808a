"""Persisted shape of a linking run and the advertiser networks it found.

A network is one connected group of ads. Its ads keep the input id (``ad_key``, the id of
the JSON line) and, when the ad came from the crawler, the ``online_ad`` row and the
``online_capture`` that proves what the page said, so a network report can cite captures.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ketenzicht.core import clock
from ketenzicht.db.base import Base
from ketenzicht.db.types import str_enum
from ketenzicht.online.workspace.networks.enums import IdentifierKind


class LinkRun(Base):
    """One run of the linker over a set of ads, with its counters."""

    __tablename__ = "online_link_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    source: Mapped[str] = mapped_column(String(500), default="")
    ads: Mapped[int] = mapped_column(Integer, default=0)
    networks: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Network(Base):
    """An advertiser network: ads linked by shared identifiers or one text template."""

    __tablename__ = "online_network"
    __table_args__ = (
        UniqueConstraint("run_id", "key"),
        Index("ix_online_network_run_score", "run_id", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("online_link_run.id"), index=True)
    # The stable id written as "network" in the JSON lines (derived from its ads).
    key: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    size: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime | None] = mapped_column(default=None)
    last_seen: Mapped[datetime | None] = mapped_column(default=None)
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    names: Mapped[list[str]] = mapped_column(JSON, default=list)
    cities: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Movement features: hops_per_week, median_stay_days, simultaneous_cities, distance_km...
    features: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class NetworkAd(Base):
    """Membership of one ad in one network, with the persona (name) it advertises."""

    __tablename__ = "online_network_ad"
    __table_args__ = (UniqueConstraint("network_id", "ad_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("online_network.id"), index=True)
    ad_key: Mapped[str] = mapped_column(String(200), index=True)
    ad_id: Mapped[int | None] = mapped_column(ForeignKey("online_ad.id"), index=True, default=None)
    capture_id: Mapped[int | None] = mapped_column(
        ForeignKey("online_capture.id"), default=None)
    persona: Mapped[str | None] = mapped_column(String(100), default=None)
    city: Mapped[str | None] = mapped_column(String(200), default=None)
    site: Mapped[str | None] = mapped_column(String(64), default=None)
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    posted_at: Mapped[datetime | None] = mapped_column(default=None)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")


class NetworkReason(Base):
    """One reason a network scores as it does, with the fact or text span that shows it."""

    __tablename__ = "online_network_reason"
    __table_args__ = (UniqueConstraint("network_id", "rank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("online_network.id"), index=True)
    rank: Mapped[int] = mapped_column(Integer)  # 0 = weighs most
    code: Mapped[str] = mapped_column(String(64))
    weight: Mapped[float] = mapped_column(Float)
    fact: Mapped[str] = mapped_column(Text)  # the measured fact or quoted span, in words
    # [{"ad": ad_key, "span": "...", "start": int, "end": int}] or measured values
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The measured values the fact is worded from, so a page words it in the reader's
    # language (linking/wording.py); None for reasons stored before revision 0035.
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class NetworkTemplate(Base):
    """The text the network's ads share, with ``{slot}`` markers where they differ."""

    __tablename__ = "online_network_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("online_network.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    # [{"slot": "slot1", "values": ["Anna", "Mia"]}] in template order
    slots: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    support: Mapped[int] = mapped_column(Integer, default=0)  # ads that fit the template


class NetworkStop(Base):
    """One stop of a trajectory: a municipality, first and last seen.

    ``persona`` is empty for the network's own trajectory and a name for a persona's.
    """

    __tablename__ = "online_network_stop"
    __table_args__ = (Index("ix_online_network_stop_network_persona", "network_id", "persona"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("online_network.id"))
    persona: Mapped[str] = mapped_column(String(100), default="")
    seq: Mapped[int] = mapped_column(Integer)
    city: Mapped[str] = mapped_column(String(200))
    first_seen: Mapped[datetime] = mapped_column()
    last_seen: Mapped[datetime] = mapped_column()
    ads: Mapped[int] = mapped_column(Integer, default=0)


class NetworkIdentifier(Base):
    """A strong identifier found in a network's ads; indexed to find a number's network."""

    __tablename__ = "online_network_identifier"
    __table_args__ = (
        UniqueConstraint("network_id", "kind", "value"),
        Index("ix_online_network_identifier_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("online_network.id"), index=True)
    kind: Mapped[IdentifierKind] = mapped_column(
        str_enum(IdentifierKind, "online_identifier_kind", length=16))
    value: Mapped[str] = mapped_column(String(200))
    ads: Mapped[int] = mapped_column(Integer, default=0)
