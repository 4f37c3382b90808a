"""Persisted shape of recruitment posts and the recruiter accounts they are linked to.

Only the recruiter's side is stored: a post, never the answers of the young people who
reacted to it (the intake refuses replies before anything reaches these tables).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ketenzicht.core import clock
from ketenzicht.db.base import Base

# The capture a crawled post cites lives in the collection's table: its model must be in the
# metadata for the foreign key to resolve in a process that loaded only this part (a CLI).
from ketenzicht.online.collection import public as _collection  # noqa: F401


class RecruiterAccount(Base):
    """One recruiter as the posts show it: linked by handle, phone, payment tag, text, image."""

    __tablename__ = "online_recruiter"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    platforms: Mapped[list[str]] = mapped_column(JSON, default=list)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    max_score: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    reach: Mapped[int | None] = mapped_column(Integer, default=None)
    first_seen: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen: Mapped[datetime] = mapped_column(default=clock.now)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("online_recruiter.id"),
                                                    default=None)


class RecruiterKey(Base):
    """A value that ties posts to an account: ``handle``, ``phone``, ``pay_tag``, ``text``,
    ``image`` (one account per value; a value seen on two accounts merges them)."""

    __tablename__ = "online_recruiter_key"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("online_recruiter.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))
    shown: Mapped[str] = mapped_column(String(300), default="")


class RecruitmentPost(Base):
    """A public post, its score with the reasons, and where it came from."""

    __tablename__ = "online_recruitment_post"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(80))  # "import:<platform>" or a site profile
    external_id: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    author: Mapped[str | None] = mapped_column(String(200), default=None)
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[str | None] = mapped_column(String(40), default=None)
    stored_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    score: Mapped[float] = mapped_column(Float, index=True)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    min_age: Mapped[int | None] = mapped_column(Integer, default=None)
    reach: Mapped[int | None] = mapped_column(Integer, default=None)
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("online_recruiter.id"),
                                                   index=True, default=None)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("online_capture.id"),
                                                   default=None)
    # Set when a signal used the post: such posts are kept past the retention period.
    signal_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
