"""Persisted shape of crawl runs, captures, images and versioned ads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ketenzicht.core import clock
from ketenzicht.db.base import Base
from ketenzicht.db.types import str_enum
from ketenzicht.online.collection.enums import AdStatus, RunStatus


class CrawlRun(Base):
    """One crawl of one site profile, with its statistics."""

    __tablename__ = "online_crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    profile_version: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus, "crawl_run_status"),
                                              default=RunStatus.RUNNING)
    job_dir: Mapped[str] = mapped_column(String(500))
    max_pages: Mapped[int | None] = mapped_column(Integer, default=None)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Capture(Base):
    """One HTTP response as written to a WARC file: the chain of custody of a page."""

    __tablename__ = "online_capture"
    __table_args__ = (Index("ix_online_capture_url_time", "url", "captured_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("online_crawl_run.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    captured_at: Mapped[datetime] = mapped_column(default=clock.now)
    status: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str | None] = mapped_column(String(200), default=None)
    etag: Mapped[str | None] = mapped_column(String(200), default=None)
    last_modified: Mapped[str | None] = mapped_column(String(100), default=None)
    warc_file: Mapped[str] = mapped_column(String(300))
    warc_offset: Mapped[int] = mapped_column(BigInteger)
    warc_record_id: Mapped[str] = mapped_column(String(100), unique=True)


class StoredImage(Base):
    """An image, stored once under the SHA-256 of its bytes, with a perceptual hash."""

    __tablename__ = "online_image"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    phash: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str | None] = mapped_column(String(200), default=None)
    first_capture_id: Mapped[int | None] = mapped_column(ForeignKey("online_capture.id"))
    first_seen: Mapped[datetime] = mapped_column(default=clock.now)


class CrawledAd(Base):
    """An ad on a site, known by its URL; its texts over time are :class:`AdVersion` rows."""

    __tablename__ = "online_ad"
    __table_args__ = (UniqueConstraint("site", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[AdStatus] = mapped_column(str_enum(AdStatus, "online_ad_status"),
                                             default=AdStatus.ACTIVE)
    first_seen: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen: Mapped[datetime] = mapped_column(default=clock.now)
    gone_at: Mapped[datetime | None] = mapped_column(default=None)
    posted_at: Mapped[str | None] = mapped_column(String(40), default=None)
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("online_crawl_run.id"))


class AdVersion(Base):
    """One distinct content of an ad; an edit adds a version, nothing is overwritten."""

    __tablename__ = "online_ad_version"
    __table_args__ = (UniqueConstraint("ad_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("online_ad.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str | None] = mapped_column(String(200), default=None)
    age: Mapped[str | None] = mapped_column(String(40), default=None)
    phone: Mapped[str | None] = mapped_column(String(200), default=None)
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    posted_at: Mapped[str | None] = mapped_column(String(40), default=None)
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    first_seen: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen: Mapped[datetime] = mapped_column(default=clock.now)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("online_capture.id"))
