"""Persisted shape of triage decisions, their history, watchlists and watch hits.

Networks are rebuilt by every linking run, so the workspace keys its records by the
network's stable ``key`` (derived from its ads) and never by a row id of one run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ketenzicht.core import clock
from ketenzicht.db.base import Base, VersionedMixin
from ketenzicht.db.types import str_enum
from ketenzicht.online.workspace.enums import TriageEventKind, TriageStatus, WatchKind


class Triage(VersionedMixin, Base):
    """The current triage status of one network (absent: ``nieuw``)."""

    __tablename__ = "online_triage"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[TriageStatus] = mapped_column(
        str_enum(TriageStatus, "online_triage_status", length=16), default=TriageStatus.NEW)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)


class TriageEvent(Base):
    """One line of a network's history: a status change (with reason) or a note."""

    __tablename__ = "online_triage_event"
    __table_args__ = (Index("ix_online_triage_event_key_at", "network_key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[TriageEventKind] = mapped_column(
        str_enum(TriageEventKind, "online_triage_event_kind", length=16))
    from_status: Mapped[TriageStatus | None] = mapped_column(
        str_enum(TriageStatus, "online_triage_from_status", length=16), default=None)
    to_status: Mapped[TriageStatus | None] = mapped_column(
        str_enum(TriageStatus, "online_triage_to_status", length=16), default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    actor_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    actor_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    at: Mapped[datetime] = mapped_column(default=clock.now)


class Watch(Base):
    """An identifier or network one investigator watches."""

    __tablename__ = "online_watch"
    __table_args__ = (UniqueConstraint("owner_user_id", "kind", "value"),
                      Index("ix_online_watch_kind_value", "kind", "value"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    kind: Mapped[WatchKind] = mapped_column(str_enum(WatchKind, "online_watch_kind", length=16))
    value: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200), default="")
    # For a watched network: its identifiers when it was watched ("phone:+316..."), so that
    # the same advertisers are recognised after a new linking run changes the network's key.
    identifiers: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class WatchHit(Base):
    """A new ad that linked to a watch; shown in the app and sent by e-mail once."""

    __tablename__ = "online_watch_hit"
    __table_args__ = (UniqueConstraint("watch_id", "ad_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("online_watch.id"), index=True)
    ad_key: Mapped[str] = mapped_column(String(200))
    ad_id: Mapped[int | None] = mapped_column(ForeignKey("online_ad.id"), default=None)
    network_key: Mapped[str | None] = mapped_column(String(64), default=None)
    network_id: Mapped[int | None] = mapped_column(Integer, default=None)
    city: Mapped[str | None] = mapped_column(String(200), default=None)
    title: Mapped[str] = mapped_column(String(500), default="")
    matched: Mapped[str] = mapped_column(String(250), default="")  # "phone:+31612345678"
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    seen_at: Mapped[datetime | None] = mapped_column(default=None)
