"""Logging in (with throttling and lock-out), browser sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.models import ApiToken, LoginThrottle, User, WebSession
from ketenzicht.auth.passwords import hash_password, needs_rehash, verify_password
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor, TokenCreate
from ketenzicht.auth.service import actor_for, get_user
from ketenzicht.core import clock
from ketenzicht.core.errors import NotAuthenticated, TooManyAttempts, ValidationFailed
from ketenzicht.core.formatting import Lazy
from ketenzicht.core.i18n import N_, ngettext

TOKEN_PREFIX = "kz_"  # noqa: S105 - a marker, not a secret
INVALID = N_("Unknown username or wrong password.")


@dataclass(frozen=True)
class LoginPolicy:
    """How failures slow down and then lock an account."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    backoff_max_seconds: int = 60
    address_max_failures: int = 50

    def wait_after(self, failures: int) -> int:
        """Seconds to wait after ``failures`` consecutive failures (doubling from the 2nd)."""
        if failures < 2:
            return 0
        return int(min(2 ** (failures - 2), self.backoff_max_seconds))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate(session: Session, *, username: str, password: str, policy: LoginPolicy,
                 address: str | None = None,
                 claimed: Callable[[], None] | None = None) -> User:
    """Check a login; count failures, slow down, lock, and audit every outcome.

    The attempt is counted as a failure *before* the password is checked, by
    conditional UPDATEs (one per account, one per address) that only one of
    several concurrent attempts can win; a correct password then takes the
    count back. So a burst of guesses is counted exactly and cannot slip
    guesses past the lock. ``claimed`` runs between the count and the check:
    the web edge passes ``session.commit`` so that no lock is held while the
    password is hashed.

    The caller must commit even when this raises ``NotAuthenticated`` or
    ``TooManyAttempts``: the failure count and the audit entry must last.
    """
    now = clock.now()
    if address is not None:
        _claim_address(session, address=address, now=now, policy=policy)
    user = session.scalar(select(User).where(User.username == username)
                          .execution_options(populate_existing=True))
    if user is None or not user.is_active or user.is_system:
        audit.record(session, actor=None, action="login_failed", resource_type="user",
                     outcome="denied", detail={"username": username[:64], "why": "unknown"})
        if claimed is not None:
            claimed()
        verify_password(None, password)
        raise NotAuthenticated(INVALID)
    user_id = user.id
    _refuse_if_locked_or_throttled(session, user, now=now, policy=policy)
    failures = _claim_account(session, user, now=now, policy=policy)
    if claimed is not None:
        claimed()
    good = verify_password(user.password_hash, password)
    session.refresh(user)  # the UPDATE above bypassed the identity map
    if not good:
        detail: dict[str, object] = {"failures": failures}
        locked = failures >= policy.max_failures
        if locked:
            detail["locked_until"] = (now + policy.lockout).isoformat()
        audit.record(session, actor=None, action="account_locked" if locked else "login_failed",
                     resource_type="user", resource_id=user_id, outcome="denied",
                     detail=detail)
        session.flush()
        raise NotAuthenticated(INVALID)
    user.failed_logins, user.last_failed_at, user.locked_until = 0, None, None
    user.last_login_at = now
    if address is not None:
        _unclaim_address(session, address=address)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record(session, actor=actor_for(user), action="login", resource_type="user",
                 resource_id=user.id)
    session.flush()
    return user


def _refuse_if_locked_or_throttled(session: Session, user: User, *, now: datetime,
                                   policy: LoginPolicy) -> None:
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, actor=None, action="login_refused", resource_type="user",
                     resource_id=user.id, outcome="denied", detail={"why": "locked"})
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise TooManyAttempts(
            N_("Too many failed attempts: this account is locked for %(minutes)s more "
               "minute(s)."),
            retry_after=int((user.locked_until - now).total_seconds()) + 1, minutes=minutes,
        )
    wait = policy.wait_after(user.failed_logins)
    if wait and user.last_failed_at is not None and user.last_failed_at + timedelta(
        seconds=wait
    ) > now:
        remaining = int((user.last_failed_at + timedelta(seconds=wait) - now).total_seconds()) + 1
        _throttled(session, user.id, remaining)


def _throttled(session: Session, user_id: int | None, seconds: int) -> None:
    audit.record(session, actor=None, action="login_refused", resource_type="user",
                 resource_id=user_id, outcome="denied", detail={"why": "throttled"})
    raise TooManyAttempts(N_("Too many attempts: wait %(seconds)s and try again."),
                          retry_after=seconds, seconds=_seconds(seconds))


def _seconds(n: int) -> Lazy:
    """'1 seconde', '5 seconden': the plural chosen when the refusal is shown."""
    return Lazy(lambda: ngettext("%(num)s second", "%(num)s seconds", n) % {"num": n})


def _claim_account(session: Session, user: User, *, now: datetime, policy: LoginPolicy) -> int:
    """Count this attempt as a failure, unless another attempt counted first; the new count.

    A compare-and-set on the count we read: of concurrent attempts that read the
    same count exactly one updates the row, the others are throttled. On
    PostgreSQL the losers wait for the winner's row lock and then see the new
    count; SQLite serialises the writers.
    """
    u = User
    seen = user.failed_logins
    lock_now = seen + 1 >= policy.max_failures
    result = session.execute(
        update(u).where(
            u.id == user.id, u.failed_logins == seen,
            or_(u.locked_until.is_(None), u.locked_until <= now),
        ).values(
            failed_logins=u.failed_logins + 1, last_failed_at=now,
            locked_until=(now + policy.lockout) if lock_now else None,
        ).execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        _throttled(session, user.id, 1)
    return seen + 1


def _claim_address(session: Session, *, address: str, now: datetime,
                   policy: LoginPolicy) -> None:
    """Count a failure for the address (atomic upsert); refuse when its window is full."""
    key = f"addr:{address}"[:80]
    t = LoginThrottle
    expired = t.window_start <= now - policy.lockout
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(t).values(key=key, failures=1, window_start=now).on_conflict_do_update(
        index_elements=[t.key],
        set_={"failures": case((expired, 1), else_=t.failures + 1),
              "window_start": case((expired, now), else_=t.window_start)},
    ).returning(t.failures, t.window_start)
    failures, start = session.execute(stmt).one()
    if failures > policy.address_max_failures:
        remaining = max(1, int((start + policy.lockout - now).total_seconds()) + 1)
        audit.record(session, actor=None, action="login_refused", resource_type="address",
                     outcome="denied", detail={"why": "address_throttled"})
        raise TooManyAttempts(
            N_("Too many failed logins from your network: wait %(seconds)s and try again."),
            retry_after=remaining, seconds=_seconds(remaining))


def _unclaim_address(session: Session, *, address: str) -> None:
    t = LoginThrottle
    session.execute(update(t).where(t.key == f"addr:{address}"[:80], t.failures > 0)
                    .values(failures=t.failures - 1).execution_options(synchronize_session=False))


def start_session(session: Session, *, user: User, hours: float) -> tuple[str, WebSession]:
    """Open a browser session; returns the cookie value (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = WebSession(token_hash=_digest(token), user_id=user.id, created_at=now,
                     expires_at=now + timedelta(hours=hours))
    session.add(row)
    session.flush()
    return token, row


def resolve_session(session: Session, token: str) -> tuple[User, WebSession] | None:
    """The user behind a session cookie, if it is valid, unexpired and the user active."""
    row = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= clock.now():
        return None
    if not row.user.is_active or row.user.organisation.is_active is False:
        return None
    return row.user, row


def end_session(session: Session, *, actor: Actor) -> None:
    """Log out: revoke the actor's current session."""
    if actor.session_id is None:
        return
    session.execute(update(WebSession).where(WebSession.id == actor.session_id)
                    .values(revoked_at=clock.now()))
    audit.record(session, actor=actor, action="logout", resource_type="user",
                 resource_id=actor.user_id)


def issue_token(session: Session, *, actor: Actor | None, data: TokenCreate,
                default_days: int) -> tuple[str, ApiToken]:
    """Issue an API token for a system account the actor manages; the secret is returned once."""
    if actor is None:
        user = session.get(User, data.user_id)
        if user is None:
            raise ValidationFailed(N_("User %(id)s does not exist."), id=data.user_id)
    else:
        enforce(actor, "token.manage")
        user = get_user(session, actor=actor, user_id=data.user_id, action="token.manage")
    if not user.is_system:
        raise ValidationFailed(N_("API tokens are issued to system accounts only, not to people."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(name=data.name, prefix=secret[:10], token_hash=_digest(secret), user=user,
                   expires_at=clock.now() + timedelta(days=data.days or default_days))
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="api_token",
                 resource_id=row.id, detail={"user_id": user.id, "name": data.name})
    return secret, row


def resolve_token(session: Session, secret: str) -> User | None:
    """The system account behind a bearer token, if valid; records its last use."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    now = clock.now()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if not row.user.is_active:
        return None
    row.last_used_at = now
    return row.user
