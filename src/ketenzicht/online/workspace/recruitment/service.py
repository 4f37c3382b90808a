"""Store scored recruitment posts, link them to recruiter accounts, read and purge them.

Linking is incremental: a new post's keys (``keys.keys_of``) are looked up; no hit makes a
new account, one hit joins it, hits on several accounts merge them into the oldest (the
others keep a ``merged_into`` pointer, so a link to them still leads somewhere).
Only posts that score at least ``STORE_MIN`` are kept: the rest are counted and dropped, so
the store holds what the team may act on and no more (data minimisation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED, enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden
from ketenzicht.online import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.online.analysis.recruitment.detector import Detector
from ketenzicht.online.analysis.recruitment.intake import RawPost
from ketenzicht.online.workspace.recruitment.keys import KINDS, keys_of
from ketenzicht.online.workspace.recruitment.models import (
    RecruiterAccount,
    RecruiterKey,
    RecruitmentPost,
)

STORE_MIN: Final = 0.3
LIST_LIMIT: Final = 200


@dataclass
class IngestResult:
    """What an import or a crawl batch did."""

    stored: int = 0
    duplicates: int = 0
    below_threshold: int = 0
    replies_dropped: int = 0
    accounts: set[int] = field(default_factory=set)

    def to_json(self) -> dict[str, int]:
        """Counters for the CLI and the crawl statistics."""
        return {"stored": self.stored, "duplicates": self.duplicates,
                "below_threshold": self.below_threshold,
                "replies_dropped": self.replies_dropped, "accounts": len(self.accounts)}


def _label(keys: Sequence[Any], fallback: str) -> str:
    for k in keys:
        if k.kind == "handle":
            return f"@{k.value}"[:200]
    for k in keys:
        if k.kind in ("phone", "pay_tag"):
            return str(k.shown)[:200]
    return fallback[:200]


def _merge(session: Session, target: RecruiterAccount, others: Sequence[RecruiterAccount]
           ) -> None:
    ids = [o.id for o in others]
    session.execute(update(RecruitmentPost).where(RecruitmentPost.account_id.in_(ids))
                    .values(account_id=target.id))
    session.execute(update(RecruiterKey).where(RecruiterKey.account_id.in_(ids))
                    .values(account_id=target.id))
    for o in others:
        o.merged_into, o.posts = target.id, 0


def refresh(session: Session, account: RecruiterAccount) -> None:
    """Recompute an account's counters from its posts."""
    posts = list(session.scalars(select(RecruitmentPost)
                                 .where(RecruitmentPost.account_id == account.id)))
    account.posts = len(posts)
    account.max_score = max((p.score for p in posts), default=0.0)
    account.platforms = sorted({p.platform for p in posts})
    reaches = [p.reach for p in posts if p.reach is not None]
    account.reach = max(reaches) if reaches else None
    if posts:
        account.first_seen = min(p.stored_at for p in posts)
        account.last_seen = max(p.stored_at for p in posts)


def _link(session: Session, post: RecruitmentPost, raw: RawPost) -> RecruiterAccount:
    keys = keys_of(raw)
    found: dict[tuple[str, str], RecruiterKey] = {}
    for kind in KINDS:
        values = [k.value for k in keys if k.kind == kind]
        if values:
            for row in session.scalars(select(RecruiterKey).where(
                    RecruiterKey.kind == kind, RecruiterKey.value.in_(values))):
                found[(row.kind, row.value)] = row
    ids = sorted({row.account_id for row in found.values()})
    if ids:
        accounts = [session.get(RecruiterAccount, i) for i in ids]
        live = [a for a in accounts if a is not None]
        target, others = live[0], live[1:]
        if others:
            _merge(session, target, others)
    else:
        target = RecruiterAccount(label=_label(keys, f"{post.platform} {post.external_id}"),
                                  platforms=[], posts=0, first_seen=post.stored_at,
                                  last_seen=post.stored_at)
        session.add(target)
        session.flush()
    for k in keys:
        if (k.kind, k.value) not in found:
            session.add(RecruiterKey(account_id=target.id, kind=k.kind, value=k.value,
                                     shown=k.shown))
    post.account_id = target.id
    session.flush()
    return target


def ingest(session: Session, *, posts: Sequence[RawPost], source: str, detector: Detector,
           actor: Actor | None, platform: str | None = None, capture_id: int | None = None,
           now: datetime | None = None) -> IngestResult:
    """Score and store posts (recruiter side only) and link them to accounts; audited."""
    if actor is not None:
        enforce(actor, "online.import")
    now = now or clock.now()
    result = IngestResult()
    kept = [p for p in posts if not p.is_reply]
    result.replies_dropped = len(posts) - len(kept)
    scored = detector.score_texts([p.id for p in kept], [p.text for p in kept])
    touched: dict[int, RecruiterAccount] = {}
    for raw, s in zip(kept, scored, strict=True):
        if s.score < STORE_MIN:
            result.below_threshold += 1
            continue
        exists = session.scalar(select(RecruitmentPost.id).where(
            RecruitmentPost.source == source, RecruitmentPost.external_id == raw.id))
        if exists is not None:
            result.duplicates += 1
            continue
        post = RecruitmentPost(
            source=source[:80], external_id=raw.id[:200],
            platform=(raw.platform or platform or "unknown")[:40], url=raw.url,
            author=raw.author, text=raw.text, posted_at=raw.posted_at, stored_at=now,
            score=s.score, reasons=[r.to_json() for r in s.reasons], min_age=s.min_age,
            reach=raw.reach, images=list(raw.images), capture_id=capture_id)
        session.add(post)
        session.flush()
        account = _link(session, post, raw)
        touched[account.id] = account
        result.stored += 1
    for account in touched.values():
        refresh(session, account)
    result.accounts = set(touched)
    session.flush()
    audit.record(session, actor=actor, action="online.recruitment.import",
                 resource_type="online_recruitment", resource_id=source[:80],
                 detail=result.to_json())
    return result


def list_accounts(session: Session, *, actor: Actor, min_score: float = 0.0
                  ) -> list[RecruiterAccount]:
    """Accounts by their highest post score (merged ones left out); the ids are audited."""
    enforce(actor, "online.recruitment.view")
    rows = list(session.scalars(
        select(RecruiterAccount).where(RecruiterAccount.merged_into.is_(None),
                                       RecruiterAccount.posts > 0,
                                       RecruiterAccount.max_score >= min_score)
        .order_by(RecruiterAccount.max_score.desc(), RecruiterAccount.id).limit(LIST_LIMIT)))
    audit.record_read(session, actor=actor, resource_type="online_recruiter",
                      ids=[a.id for a in rows] or ["none"])
    return rows


@dataclass(frozen=True)
class AccountDetail:
    """The account page: posts newest first, contact channels, time line, reach."""

    account: RecruiterAccount
    posts: list[RecruitmentPost]
    channels: dict[str, list[RecruiterKey]]
    timeline: list[tuple[str, int]]


def get_account(session: Session, *, actor: Actor, account_id: int,
                action: str = "online.recruitment.view") -> RecruiterAccount:
    """One account (a merged one leads to the account it joined); audited."""
    enforce(actor, action)
    account = session.get(RecruiterAccount, account_id)
    while account is not None and account.merged_into is not None:
        account = session.get(RecruiterAccount, account.merged_into)
    if account is None:
        raise Forbidden(REFUSED)
    audit.record_read(session, actor=actor, resource_type="online_recruiter", ids=[account.id])
    return account


def account_detail(session: Session, *, actor: Actor, account_id: int) -> AccountDetail:
    """Everything the account page shows."""
    account = get_account(session, actor=actor, account_id=account_id)
    posts = list(session.scalars(select(RecruitmentPost)
                                 .where(RecruitmentPost.account_id == account.id)
                                 .order_by(RecruitmentPost.score.desc(), RecruitmentPost.id)))
    channels: dict[str, list[RecruiterKey]] = defaultdict(list)
    for key in session.scalars(select(RecruiterKey).where(RecruiterKey.account_id == account.id)
                               .order_by(RecruiterKey.kind, RecruiterKey.value)):
        channels[key.kind].append(key)
    days: dict[str, int] = defaultdict(int)
    for p in posts:
        days[(p.posted_at or p.stored_at.isoformat())[:10]] += 1
    return AccountDetail(account, posts, dict(channels), sorted(days.items()))


def mark_used(session: Session, *, posts: Sequence[RecruitmentPost], signal_id: int) -> None:
    """Record that a signal used these posts: they are kept past the retention period."""
    for p in posts:
        p.signal_id = signal_id
    session.flush()


def purge(session: Session, *, retention_days: int, now: datetime | None = None
          ) -> dict[str, int]:
    """Delete posts past retention that no signal used, then accounts left without posts."""
    cutoff = (now or clock.now()) - timedelta(days=retention_days)
    old = (RecruitmentPost.signal_id.is_(None), RecruitmentPost.stored_at < cutoff)
    touched = set(session.scalars(select(RecruitmentPost.account_id).where(*old).distinct()))
    result = session.execute(delete(RecruitmentPost).where(*old)
                             .execution_options(synchronize_session=False))
    gone = int(getattr(result, "rowcount", 0) or 0)
    # Accounts left without posts go too (merged stand-ins included: nothing is behind them).
    empty = ~exists().where(RecruitmentPost.account_id == RecruiterAccount.id)
    ids = list(session.scalars(select(RecruiterAccount.id).where(empty)))
    if ids:
        session.execute(delete(RecruiterKey).where(RecruiterKey.account_id.in_(ids)))
        session.execute(update(RecruiterAccount).where(RecruiterAccount.merged_into.in_(ids))
                        .values(merged_into=None))
        session.execute(delete(RecruiterAccount).where(RecruiterAccount.id.in_(ids))
                        .execution_options(synchronize_session=False))
    session.expire_all()
    for account_id in touched - set(ids) - {None}:
        account = session.get(RecruiterAccount, account_id)
        if account is not None:
            refresh(session, account)
    session.flush()
    audit.record(session, actor=None, action="online.recruitment.purge",
                 resource_type="online_recruitment", resource_id="retention",
                 detail={"posts": gone, "accounts": len(ids), "days": retention_days})
    return {"posts_deleted": int(gone), "accounts_deleted": len(ids)}
