"""In/out shapes of the auth domain, and the ``Actor`` every authorisation is about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.core.ids import RecordId
from ketenzicht.core.text import CleanStr

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,62}$"
CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user or a system account with an API token."""

    user_id: int
    username: str
    organisation_id: int
    org_type: OrgType
    roles: frozenset[Role]
    via: str = "session"  # "session", "token" or "cli"
    session_id: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


class OrganisationCreate(BaseModel):
    """Input to register an organisation."""

    model_config = ConfigDict(str_strip_whitespace=True)

    code: CleanStr = Field(pattern=CODE_PATTERN,
                           description="Short unique code, e.g. 'politie-ob'.")
    name: CleanStr = Field(min_length=2, max_length=200)
    org_type: OrgType


class OrganisationRead(BaseModel):
    """An organisation as shown to others."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    org_type: OrgType
    is_active: bool
    version: int


class UserCreate(BaseModel):
    """Input to create an account in an organisation."""

    model_config = ConfigDict(str_strip_whitespace=True)

    username: CleanStr = Field(pattern=USERNAME_PATTERN)
    display_name: CleanStr = Field(min_length=1, max_length=200)
    organisation_id: RecordId
    roles: list[Role] = Field(min_length=1)
    password: CleanStr | None = Field(default=None, min_length=12, max_length=256)
    is_system: bool = False

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, value: list[Role]) -> list[Role]:
        return sorted(set(value))


class UserUpdate(BaseModel):
    """A partial change to an account; ``version`` is the version the editor saw."""

    model_config = ConfigDict(str_strip_whitespace=True)

    version: RecordId
    display_name: CleanStr | None = Field(default=None, min_length=1, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1)
    is_active: bool | None = None
    unlock: bool = False


class UserRead(BaseModel):
    """An account as shown to a beheerder or coordinator."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    organisation_id: int
    roles: list[Role]
    is_active: bool
    is_system: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    version: int


class MeRead(BaseModel):
    """The logged-in actor."""

    user_id: int
    username: str
    display_name: str
    organisation_id: int
    organisation: str
    org_type: OrgType
    roles: list[Role]


class TokenCreate(BaseModel):
    """Input to issue an API token for a system account."""

    name: CleanStr = Field(min_length=2, max_length=200)
    user_id: RecordId
    days: int | None = Field(default=None, ge=1, le=3650)


class TokenIssued(BaseModel):
    """A newly issued token: the secret is shown once and never stored."""

    id: int
    name: str
    user_id: int
    expires_at: datetime
    token: str
