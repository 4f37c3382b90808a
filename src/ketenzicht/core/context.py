"""Per-request context that deep layers need without threading it through every call."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("kz_request_id", default=None)


def new_request_id() -> str:
    """Start a new request (or CLI command) and return its id."""
    value = uuid.uuid4().hex
    _request_id.set(value)
    return value


def set_request_id(value: str) -> None:
    """Adopt a request id (e.g. from an upstream ``X-Request-ID`` header)."""
    _request_id.set(value)


def request_id() -> str | None:
    """The id of the current request or command, if any."""
    return _request_id.get()
