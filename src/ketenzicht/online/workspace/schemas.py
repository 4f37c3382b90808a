"""In/out shapes of the workspace's JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ketenzicht.core.text import CleanStr
from ketenzicht.online.workspace.enums import TriageStatus, WatchKind


class ReasonRead(BaseModel):
    """One reason of a score, with its fact."""

    code: str
    weight: float
    fact: str  # in English, as the linker wrote it
    params: dict[str, Any] | None = None  # the measured values it is worded from


class NetworkSummary(BaseModel):
    """A network as a row of the list."""

    id: int
    key: str
    score: float
    size: int
    names: list[str]
    phones: list[str]
    recent_cities: list[str]
    first_seen: datetime | None
    last_seen: datetime | None
    status: TriageStatus
    reasons: list[ReasonRead]


class NetworkPage(BaseModel):
    """A page of the ranked list."""

    total: int
    page: int
    networks: list[NetworkSummary]


class StatusUpdate(BaseModel):
    """A triage decision."""

    model_config = ConfigDict(extra="forbid")

    status: TriageStatus
    reason: CleanStr = Field(min_length=1, max_length=5000)
    version: int | None = Field(default=None, ge=0)


class TriageRead(BaseModel):
    """A network's triage status after a change."""

    network_key: str
    status: TriageStatus
    version: int


class WatchCreate(BaseModel):
    """An identifier to watch (phones in any spelling)."""

    model_config = ConfigDict(extra="forbid")

    kind: WatchKind
    value: CleanStr = Field(default="", max_length=200)
    label: CleanStr = Field(default="", max_length=200)
    network_id: int | None = Field(default=None, gt=0, le=2_147_483_647)


class WatchRead(BaseModel):
    """A watch and its number of hits."""

    id: int
    kind: WatchKind
    value: str
    label: str
    hits: int


class SearchRead(BaseModel):
    """Networks that match a search."""

    kind: str
    values: list[str]
    networks: list[NetworkSummary]
