"""Cheap Argon2id for the test suite, installed by tests/conftest.py before any test runs.

Argon2id at argon2-cffi's recommended cost (64 MiB, three passes, four lanes) takes about
0.1 s per hash or verification on this machine, on purpose. The suite logs in well over a
thousand times (every route of the access tests logs a user in), so at that cost logins
were a large share of CI. The tests keep the algorithm and every code path, at the
smallest cost Argon2 allows; tests/auth/test_hardening.py checks that production still
uses the recommended parameters. Subprocess tests (the demo, real uvicorn) are untouched.
"""

from __future__ import annotations

from collections.abc import Callable

from argon2 import PasswordHasher

from ketenzicht.auth import passwords

#: The production hasher factory, kept for the test that checks its parameters.
PRODUCTION_HASHER: Callable[[], PasswordHasher] = passwords._hasher
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def install() -> None:
    """Make ``ketenzicht.auth.passwords`` hash and verify with :data:`TEST_HASHER`."""
    setattr(passwords, "_hasher", lambda: TEST_HASHER)  # noqa: B010 - mypy forbids assigning a function
    passwords._dummy_hash.cache_clear()
