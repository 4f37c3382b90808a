"""Retry a unit of work that the database refused only because of a concurrent one.

PostgreSQL can abort a statement with a serialisation failure or a deadlock, and
SQLite with "database is locked"; both say nothing about the request itself,
and running the same work again a moment later usually succeeds. Each attempt
runs in a SAVEPOINT, so a refused attempt leaves the outer transaction intact.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

T = TypeVar("T")

ATTEMPTS = 4
# SQLSTATEs that mean "a concurrent transaction was in the way": serialization_failure,
# deadlock_detected, lock_not_available.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` is a refusal that a retry of the same work may overcome."""
    if not isinstance(exc, DBAPIError):
        return False
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code in TRANSIENT_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def retrying(session: Session, work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run ``work`` in a SAVEPOINT, again (with jittered back-off) when it was refused
    for a transient reason, at most ``attempts`` times; the last refusal is raised."""
    for attempt in range(attempts):
        try:
            with session.begin_nested():
                return work()
        except DBAPIError as exc:
            if not is_transient(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.02 * 2**attempt * (1 + random.random()))  # noqa: S311 - jitter
    raise AssertionError("unreachable")
