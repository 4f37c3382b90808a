"""Logging in (with throttling and lock-out), browser sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.models import ApiToken, User, WebSession
from ketenzicht.auth.passwords import hash_password, needs_rehash, verify_password
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor, TokenCreate
from ketenzicht.auth.service import actor_for, get_user
from ketenzicht.core import clock
from ketenzicht.core.errors import NotAuthenticated, TooManyAttempts, ValidationFailed
from ketenzicht.core.i18n import N_

TOKEN_PREFIX = "kz_"  # noqa: S105 - a marker, not a secret
INVALID = N_("Unknown username or wrong password.")


@dataclass(frozen=True)
class LoginPolicy:
    """How failures slow down and then lock an account."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    backoff_max_seconds: int = 60

    def wait_after(self, failures: int) -> int:
        """Seconds to wait after ``failures`` consecutive failures (doubling from the 2nd)."""
        if failures < 2:
            return 0
        return int(min(2 ** (failures - 2), self.backoff_max_seconds))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate(session: Session, *, username: str, password: str, policy: LoginPolicy) -> User:
    """Check a login; count failures, slow down, lock, and audit every outcome.

    The caller must commit even when this raises ``NotAuthenticated`` or
    ``TooManyAttempts``: the failure count and the audit entry must last.
    """
    now = clock.now()
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active or user.is_system:
        verify_password(None, password)
        audit.record(session, actor=None, action="login_failed", resource_type="user",
                     outcome="denied", detail={"username": username[:64], "why": "unknown"})
        raise NotAuthenticated(INVALID)
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
        audit.record(session, actor=None, action="login_refused", resource_type="user",
                     resource_id=user.id, outcome="denied", detail={"why": "throttled"})
        raise TooManyAttempts(N_("Too many attempts: wait %(seconds)s second(s) and try again."),
                              retry_after=remaining, seconds=remaining)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        user.last_failed_at = now
        detail: dict[str, object] = {"failures": user.failed_logins}
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + policy.lockout
            detail["locked_until"] = user.locked_until.isoformat()
            audit.record(session, actor=None, action="account_locked", resource_type="user",
                         resource_id=user.id, outcome="denied", detail=detail)
        else:
            audit.record(session, actor=None, action="login_failed", resource_type="user",
                         resource_id=user.id, outcome="denied", detail=detail)
        session.flush()
        raise NotAuthenticated(INVALID)
    user.failed_logins, user.last_failed_at, user.locked_until = 0, None, None
    user.last_login_at = now
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record(session, actor=actor_for(user), action="login", resource_type="user",
                 resource_id=user.id)
    session.flush()
    return user


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
