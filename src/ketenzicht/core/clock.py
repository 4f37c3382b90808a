"""An injectable clock: all code asks here for the time, so tests can fix it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta


class _Clock:
    def __init__(self) -> None:
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        return self._frozen if self._frozen is not None else datetime.now(UTC)


_clock = _Clock()


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return _clock.now()


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` in UTC; refuse naive datetimes, whose meaning is a guess."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a timezone")
    return value.astimezone(UTC)


@contextmanager
def frozen(at: datetime) -> Iterator[_FrozenHandle]:
    """Freeze the clock at ``at`` for the duration of the block (tests)."""
    previous = _clock._frozen
    _clock._frozen = ensure_utc(at)
    try:
        yield _FrozenHandle()
    finally:
        _clock._frozen = previous


class _FrozenHandle:
    def advance(self, delta: timedelta) -> None:
        """Move the frozen clock forward."""
        assert _clock._frozen is not None
        _clock._frozen = _clock._frozen + delta
