"""Login throttling and lock-out, sessions and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth import credentials
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import TokenCreate
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, NotAuthenticated, TooManyAttempts, ValidationFailed
from tests.factories.auth import PASSWORD, UserFactory, actor

POLICY = credentials.LoginPolicy(max_failures=4, lockout=timedelta(minutes=15),
                                 backoff_max_seconds=60)
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _fail(db: Session, username: str) -> type[Exception]:
    try:
        credentials.authenticate(db, username=username, password="wrong", policy=POLICY)
    except (NotAuthenticated, TooManyAttempts) as exc:
        return type(exc)
    raise AssertionError("a wrong password was accepted")


def test_good_password_logs_in_and_resets_failures(db: Session) -> None:
    user = UserFactory(failed_logins=1)
    assert credentials.authenticate(db, username=user.username, password=PASSWORD,
                                    policy=POLICY) is user
    assert user.failed_logins == 0 and user.last_login_at is not None


def test_failures_slow_down_then_lock_and_are_audited(db: Session) -> None:
    user = UserFactory()
    with clock.frozen(T0) as frozen:
        assert _fail(db, user.username) is NotAuthenticated  # 1st: no wait
        assert _fail(db, user.username) is NotAuthenticated  # 2nd: now wait 1 s
        assert _fail(db, user.username) is TooManyAttempts   # too soon
        frozen.advance(timedelta(seconds=2))
        assert _fail(db, user.username) is NotAuthenticated  # 3rd: wait 2 s
        frozen.advance(timedelta(seconds=3))
        assert _fail(db, user.username) is NotAuthenticated  # 4th: locked
        assert user.locked_until == T0 + timedelta(seconds=5) + POLICY.lockout
        frozen.advance(timedelta(minutes=5))
        with pytest.raises(TooManyAttempts, match="locked"):
            credentials.authenticate(db, username=user.username, password=PASSWORD,
                                     policy=POLICY)
        frozen.advance(timedelta(minutes=11))
        credentials.authenticate(db, username=user.username, password=PASSWORD, policy=POLICY)
    db.commit()
    actions = list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["login_failed", "login_failed", "login_refused", "login_failed",
                       "account_locked", "login_refused", "login"]


def test_unknown_user_and_wrong_password_look_the_same(db: Session) -> None:
    user = UserFactory()
    with pytest.raises(NotAuthenticated) as unknown:
        credentials.authenticate(db, username="niemand", password="x", policy=POLICY)
    with pytest.raises(NotAuthenticated) as wrong:
        credentials.authenticate(db, username=user.username, password="x", policy=POLICY)
    assert unknown.value.message == wrong.value.message


def test_inactive_and_system_accounts_cannot_log_in(db: Session) -> None:
    for user in (UserFactory(is_active=False), UserFactory(is_system=True)):
        with pytest.raises(NotAuthenticated):
            credentials.authenticate(db, username=user.username, password=PASSWORD,
                                     policy=POLICY)


def test_session_expires_and_can_be_ended(db: Session) -> None:
    user = UserFactory()
    with clock.frozen(T0) as frozen:
        token, row = credentials.start_session(db, user=user, hours=1)
        assert row.token_hash != token  # only the hash is stored
        found = credentials.resolve_session(db, token)
        assert found is not None and found[0] is user
        frozen.advance(timedelta(minutes=61))
        assert credentials.resolve_session(db, token) is None
        token, row = credentials.start_session(db, user=user, hours=1)
        credentials.end_session(db, actor=credentials.actor_for(user, session_id=row.id))
        db.expire_all()
        assert credentials.resolve_session(db, token) is None


def test_tokens_only_for_system_accounts_in_own_organisation(db: Session) -> None:
    beheerder = UserFactory(roles=(Role.BEHEERDER,))
    system = UserFactory(organisation=beheerder.organisation, is_system=True,
                         password_hash=None)
    person = UserFactory(organisation=beheerder.organisation)
    elsewhere = UserFactory(is_system=True, organisation__org_type=OrgType.ZORG)
    me = actor(beheerder)
    secret, row = credentials.issue_token(db, actor=me, data=TokenCreate(
        name="koppeling", user_id=system.id), default_days=30)
    assert secret.startswith("kz_") and row.token_hash != secret
    assert credentials.resolve_token(db, secret) is system
    assert credentials.resolve_token(db, secret + "x") is None
    with pytest.raises(ValidationFailed, match="system accounts"):
        credentials.issue_token(db, actor=me, data=TokenCreate(name="nee", user_id=person.id),
                                default_days=30)
    with pytest.raises(Forbidden):
        credentials.issue_token(db, actor=me, data=TokenCreate(name="nee",
                                                                user_id=elsewhere.id),
                                default_days=30)
