"""Persisted shape of the monitor: imported official figures and stored estimates.

Both hold aggregates only, never a person: the estimate rows are the cache of the slow
dark-number computation, refreshed on request rather than on every page view.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ketenzicht.core import clock
from ketenzicht.db.base import Base
from ketenzicht.db.types import str_enum
from ketenzicht.monitor.enums import FunnelStage


class OfficialFigure(Base):
    """One published annual count (e.g. prosecutions in 2024 for labour exploitation)."""

    __tablename__ = "monitor_official_figure"
    __table_args__ = (UniqueConstraint("source", "year", "stage", "form"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    stage: Mapped[FunnelStage] = mapped_column(str_enum(FunnelStage, "monitor_funnel_stage"))
    form: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                            default=None)
    imported_at: Mapped[datetime] = mapped_column(default=clock.now)


class StoredEstimate(Base):
    """The dark-number estimate of one year and stratum, as last computed."""

    __tablename__ = "monitor_estimate"
    __table_args__ = (UniqueConstraint("year", "stratum"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    # "all", "minors", "adults", "age_unknown" or "form:<form of exploitation>".
    stratum: Mapped[str] = mapped_column(String(64))
    observed: Mapped[int] = mapped_column(Integer)
    lists: Mapped[list[str]] = mapped_column(JSON, default=list)
    estimate: Mapped[float | None] = mapped_column(Float, default=None)
    low: Mapped[float | None] = mapped_column(Float, default=None)
    high: Mapped[float | None] = mapped_column(Float, default=None)
    interval_kind: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(32))
    model: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Why there is no estimate (too sparse, refused); empty when there is one.
    flagged: Mapped[str] = mapped_column(Text, default="")
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=clock.now)
    computed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                            default=None)
