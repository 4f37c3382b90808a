"""In/out shapes of notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ketenzicht.core.text import CleanStr
from ketenzicht.notify.enums import MailStatus

# The message a domain hands ``service.send``: published here, so domains need only the face.
from ketenzicht.notify.messages import Localizable as Localizable
from ketenzicht.notify.messages import Msg as Msg
from ketenzicht.notify.messages import Param as Param


class NotificationRead(BaseModel):
    """A notification in the user's list."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    subject: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class Inbox(BaseModel):
    """The user's notifications, newest first, and how many are unread."""

    unread: int
    items: list[NotificationRead]


class MailRead(BaseModel):
    """An e-mail of the outbox (the user's own)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    subject: str
    body: str
    status: MailStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None


class AddressIn(BaseModel):
    """The e-mail address for notifications; empty to stop e-mail."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    email: CleanStr = Field(default="", max_length=254,
                            pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")


class LanguageIn(BaseModel):
    """The language your notifications and e-mails are written in."""

    model_config = ConfigDict(extra="forbid")

    locale: Literal["nl", "en"]
