"""Request bodies are limited before they are read (issue 24: four anonymous 200 MB posts
once took 2 GB of memory before the 401).

The cap depends on the route class: anonymous requests (no session cookie, no
bearer token: the login form, the public selfcheck) get a small one, file uploads
(multipart, or evidence items sent as base64 JSON; logged in) a large one,
everything else the default. A declared
``Content-Length`` over the cap is refused at once, unread; a body sent without
one (chunked) is counted as it streams and refused at the first byte too many.
Either way the answer is 413 with the limit in MB, in the request's language.
"""

from __future__ import annotations

import asyncio
import re

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ketenzicht.config import Settings
from ketenzicht.core.i18n import N_, gettext

TOO_LARGE = N_("The request is too large: at most %(mb)s MB is accepted here. Nothing was "
               "saved.")


class BodyTooLarge(HTTPException):
    """Raised while the body streams in, past the route class's cap (answered 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))


def too_large_message(limit: int) -> str:
    """The 413 message, with the limit in MB."""
    return gettext(TOO_LARGE) % {"mb": f"{limit / 1_000_000:.2f}".rstrip("0").rstrip(".")}


# Routes that take a file as base64 in JSON (evidence items); they get the upload cap.
_UPLOAD_PATH = re.compile(r"^/api/v1/cases/\d+/evidence/items$")


def limit_for(settings: Settings, headers: dict[str, str], path: str = "") -> int:
    """The cap of the route class a request belongs to (see the module docstring)."""
    authenticated = "kz_session=" in headers.get("cookie", "") or headers.get(
        "authorization", "").lower().startswith("bearer ")
    if not authenticated:
        return settings.body_limit_anonymous_bytes
    if headers.get("content-type", "").startswith("multipart/form-data") or _UPLOAD_PATH.match(
            path):
        return settings.body_limit_upload_bytes
    return settings.body_limit_bytes


class BodyLimit:
    """ASGI middleware enforcing :func:`limit_for` on every HTTP request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        limit = limit_for(self.settings, headers, str(scope.get("path", "")))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        # Rendered like every other error (JSON under /api, a page elsewhere).
        from ketenzicht.web.errors import answer

        request = Request(scope, receive)
        response = answer(request, 413, too_large_message(limit))
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


class DatabaseGate:
    """At most ``slots`` requests of this worker touch the database at once; the rest wait
    on the event loop, where waiting costs no thread.

    A request hops between threads of the pool (its dependencies, the handler, the
    commit in the session's teardown), holding its transaction, and so its locks,
    across the hops: SQLite's single write lock, or PostgreSQL row locks. When every
    thread of the pool is taken by requests that wait for such a lock, the holder
    finds no thread to commit in and everyone waits for the busy timeout: 503s for
    requests that would each take milliseconds. Keeping ``slots`` well below the
    thread pool's size (40) leaves a thread for the holder, always.
    """

    def __init__(self, app: ASGIApp, slots: int) -> None:
        self.app = app
        self.slots = slots
        self._gate: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self._gate is None:  # created in the worker's own event loop
            self._gate = asyncio.Semaphore(self.slots)
        async with self._gate:
            await self.app(scope, receive, send)


def gate_slots(settings: Settings) -> int:
    """How many requests may hold a database connection at once, per worker."""
    if settings.database_url.startswith("sqlite"):
        # One writer at a time: a few in flight keep it busy, more only wait.
        return 4
    return min(settings.db_pool_size + settings.db_max_overflow, 30)
