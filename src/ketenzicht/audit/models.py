"""Persisted shape of the audit log.

``audit_entry`` is append-only: triggers (see the migration) refuse UPDATE and
DELETE on both PostgreSQL and SQLite. ``audit_head`` holds the last id and hash;
locking that one row serialises appenders so that the chain never forks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ketenzicht.db.base import Base

GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    """One thing that happened: who (and for which organisation) did what to which record."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_resource", "resource_type", "resource_id"),
        Index("ix_audit_entry_actor_org_at", "actor_org_id", "at"),
    )

    # Assigned by the appender under the head lock, not by the database, so the
    # id is part of the hashed content and a gap or reordering is detectable.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    request_id: Mapped[str | None] = mapped_column(String(64), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_username: Mapped[str | None] = mapped_column(String(64))
    actor_org_id: Mapped[int | None] = mapped_column(Integer)
    via: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    resource_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The single row that records the end of the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    last_hash: Mapped[str] = mapped_column(String(64))
    # Entries up to here were hashed without a key (before revision 0015); those after
    # it with HMAC-SHA-256 under ``KZ_AUDIT_KEY``. The checkpoint file records it too.
    legacy_last_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), default=0, server_default="0")
