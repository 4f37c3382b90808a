"""Persisted shape of notifications: the in-app list, the e-mail outbox, addresses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ketenzicht.db.base import Base, TimestampMixin
from ketenzicht.db.types import str_enum
from ketenzicht.notify.enums import MailStatus


class Notification(Base):
    """One message to one user; it carries pseudonyms and links only, never personal data."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboxMail(Base):
    """An e-mail waiting to be sent (or sent) for a notification.

    The address is looked up when the mail is delivered, so a user who sets an
    address later still gets what is queued for them.
    """

    __tablename__ = "notify_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification.id", ondelete="SET NULL"), default=None)
    recipient_user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str | None] = mapped_column(String(254), default=None)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus, "notify_mail_status"),
                                               default=MailStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class NotifyAddress(TimestampMixin, Base):
    """The e-mail address a user wants notifications at (set by the user)."""

    __tablename__ = "notify_address"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
