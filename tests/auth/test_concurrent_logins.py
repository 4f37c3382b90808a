"""A burst of guesses at one account is counted exactly, and locks it (issue 24, items 11, 13).

These commit for real, each guess through its own connection, so that the
database's row locks (PostgreSQL) or single writer (SQLite) are what keep the
count right, as under a real server's thread pool.
"""

from __future__ import annotations

import inspect
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import Engine, select

from ketenzicht.auth import credentials
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User, UserRole
from ketenzicht.auth.passwords import hash_password
from ketenzicht.config import Settings
from ketenzicht.core.errors import NotAuthenticated, TooManyAttempts
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.main import create_app
from ketenzicht.web.deps import get_session
from tests.factories.auth import PASSWORD

GUESSES = 30
POLICY = credentials.LoginPolicy(max_failures=5, lockout=timedelta(minutes=15),
                                 backoff_max_seconds=0, address_max_failures=1000)


@pytest.fixture
def wide_engine(scratch_url: str) -> Iterator[Engine]:
    """A database of its own, with a connection for every guess at once."""
    wide = make_engine(scratch_url, pool_size=GUESSES + 5, max_overflow=0)
    yield wide
    wide.dispose()


def _account(engine: Engine) -> str:
    tag = uuid.uuid4().hex[:8]
    with unit_of_work(make_session_factory(engine)) as s:
        org = Organisation(code=f"o-{tag}", name=f"Org {tag}", org_type=OrgType.GEMEENTE)
        s.add(User(username=f"u-{tag}", display_name="u", organisation=org,
                   password_hash=hash_password(PASSWORD),
                   role_rows=[UserRole(role=Role.MEDEWERKER)]))
    return f"u-{tag}"


def _burst(engine: Engine, username: str, passwords: list[str]) -> Counter[str]:
    factory = make_session_factory(engine)
    barrier = threading.Barrier(len(passwords))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def guess(password: str) -> None:
        barrier.wait()
        session = factory()
        try:
            credentials.authenticate(session, username=username, password=password,
                                     policy=POLICY, address="192.0.2.7",
                                     claimed=session.commit)
            outcome = "in"
        except NotAuthenticated:
            outcome = "wrong"
        except TooManyAttempts:
            outcome = "refused"
        except Exception as exc:
            outcome = type(exc).__name__
        finally:
            session.commit()
            session.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=guess, args=(p,)) for p in passwords]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return outcomes


def test_thirty_parallel_wrong_guesses_are_all_counted_and_lock(wide_engine: Engine) -> None:
    username = _account(wide_engine)
    outcomes = _burst(wide_engine, username, [f"wrong-{i}" for i in range(GUESSES)])
    # Every guess got an answer, and at most max_failures passwords were ever checked.
    assert sum(outcomes.values()) == GUESSES
    assert set(outcomes) <= {"wrong", "refused"}, outcomes
    with unit_of_work(make_session_factory(wide_engine)) as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        assert user.failed_logins == outcomes["wrong"] <= POLICY.max_failures
    # Keep guessing until the lock: it comes after exactly max_failures checked guesses.
    for _ in range(GUESSES):
        if _burst(wide_engine, username, ["wrong-again"])["refused"]:
            with unit_of_work(make_session_factory(wide_engine)) as s:
                user = s.scalar(select(User).where(User.username == username))
                assert user is not None and user.failed_logins == POLICY.max_failures
                assert user.locked_until is not None
            break
    else:
        raise AssertionError("the account never locked")


def test_the_right_password_inside_a_burst_does_not_beat_the_lock(wide_engine: Engine) -> None:
    username = _account(wide_engine)
    outcomes = _burst(wide_engine, username, [f"wrong-{i}" for i in range(GUESSES)])
    while outcomes["wrong"] < POLICY.max_failures and not outcomes["in"]:
        outcomes += _burst(wide_engine, username, ["wrong-again"])
    # Locked now: the right password is refused, not let in.
    assert _burst(wide_engine, username, [PASSWORD]) == {"refused": 1}


def test_no_route_that_uses_the_database_runs_on_the_event_loop() -> None:
    """A coroutine handler that queries or hashes blocks every other request; with a row
    lock waited for on the loop, the server never recovers (three logins did it)."""
    app = create_app(Settings())
    offenders = []
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        calls = {d.call for d in route.dependant.dependencies}
        uses_db = get_session in calls or any(
            get_session in {dd.call for dd in d.dependencies}
            for d in route.dependant.dependencies)
        if uses_db and inspect.iscoroutinefunction(route.endpoint):
            offenders.append(f"{sorted(route.methods)} {route.path}")
    assert offenders == []


def test_password_hashing_is_bounded_below_the_thread_pool(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    # 12 threads check passwords at once; never more than KZ_PASSWORD_HASH_CONCURRENCY
    # run argon2 together, so a burst of logins cannot take every thread and core.
    from ketenzicht.auth import passwords
    from ketenzicht.config import get_settings

    monkeypatch.setenv("KZ_PASSWORD_HASH_CONCURRENCY", "3")
    get_settings.cache_clear()
    passwords._hashing.cache_clear()
    monkeypatch.setattr(passwords, "_hashing", passwords._hashing)  # cleared again after
    limit = 3

    running, most = 0, 0
    lock = threading.Lock()
    release = threading.Event()

    class Slow:
        def verify(self, _stored: str, _password: str) -> bool:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            release.wait(timeout=10)
            with lock:
                running -= 1
            return False

    monkeypatch.setattr(passwords, "_hasher", lambda: Slow())
    threads = [threading.Thread(target=passwords.verify_password, args=("stored", "x"))
               for _ in range(12)]
    for t in threads:
        t.start()
    for _ in range(200):  # wait (bounded) until the first checks are inside argon2
        with lock:
            if running == limit:
                break
        threading.Event().wait(0.01)
    release.set()
    for t in threads:
        t.join(timeout=10)
    assert most == limit < 40
    passwords._hashing.cache_clear()  # the next test's settings make their own
