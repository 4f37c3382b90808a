"""In/out shapes of the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ketenzicht.core.text import CleanStr


class AuditQuery(BaseModel):
    """Search filters; every field is optional."""

    model_config = ConfigDict(str_strip_whitespace=True)

    actor: CleanStr | None = Field(default=None, max_length=64)
    action: CleanStr | None = Field(default=None, max_length=64)
    resource_type: CleanStr | None = Field(default=None, max_length=64)
    resource_id: CleanStr | None = Field(default=None, max_length=64)
    request_id: CleanStr | None = Field(default=None, max_length=64)
    since: AwareDatetime | None = None
    until: AwareDatetime | None = None
    offset: int = Field(default=0, ge=0, le=1_000_000)
    limit: int = Field(default=50, ge=1, le=500)


class AuditEntryRead(BaseModel):
    """One entry as shown on the audit page and API."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    request_id: str | None
    actor_user_id: int | None
    actor_username: str | None
    actor_org_id: int | None
    via: str | None
    action: str
    resource_type: str
    resource_id: str | None
    outcome: str
    detail: dict[str, Any]
    prev_hash: str
    entry_hash: str


class VerifyRead(BaseModel):
    """The result of verifying the chain."""

    ok: bool
    checked: int
    first_broken_id: int | None
    reason: str
