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
from ketenzicht.core.formatting import format_megabytes
from ketenzicht.core.i18n import N_, gettext

TOO_LARGE = N_("The request is too large: at most %(mb)s MB is accepted here. Nothing was "
               "saved.")


class BodyTooLarge(HTTPException):
    """Raised while the body streams in, past the route class's cap (answered 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))


def too_large_message(limit: int) -> str:
    """The 413 message, with the limit in MB."""
    return gettext(TOO_LARGE) % {"mb": format_megabytes(limit)}


# Routes that take a file as base64 in JSON (evidence items); they get the upload cap.
_UPLOAD_PATH = re.compile(r"^/api/v1/cases/\d+/evidence/items$")
# The evidence upload form: its cap is the evidence file limit itself (with room for the
# form's other fields), so that a file over it is refused before one byte is read.
_EVIDENCE_FORM = re.compile(r"^/cases/\d+/evidence/items$")
FORM_OVERHEAD = 64_000


def limit_for(settings: Settings, headers: dict[str, str], path: str = "") -> int:
    """The cap of the route class a request belongs to (see the module docstring)."""
    authenticated = "kz_session=" in headers.get("cookie", "") or headers.get(
        "authorization", "").lower().startswith("bearer ")
    if not authenticated:
        return settings.body_limit_anonymous_bytes
    if _EVIDENCE_FORM.match(path):
        return min(settings.body_limit_upload_bytes,
                   settings.evidence_max_upload_bytes + FORM_OVERHEAD)
    if headers.get("content-type", "").startswith("multipart/form-data") or _UPLOAD_PATH.match(
            path):
        return settings.body_limit_upload_bytes
    return settings.body_limit_bytes


def shown_limit(settings: Settings, path: str, cap: int) -> int:
    """The limit a refusal names: the file limit on the evidence form, else the cap."""
    return min(cap, settings.evidence_max_upload_bytes) if _EVIDENCE_FORM.match(path) else cap


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
        path = str(scope.get("path", ""))
        limit = limit_for(self.settings, headers, path)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, shown_limit(self.settings, path, limit))
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

    A *lane* (``lanes``: method and path to a number of slots) queues one kind of
    request on its own before it may queue for the gate. Login attempts have one
    (``KZ_LOGIN_CONCURRENCY``, 2): a burst of 50 wrong passwords, each a write and a few of
    them an argon2 hash, otherwise fills the gate's queue, and every page behind
    it waited seconds (issue 24: a probe of ``/login`` took 1.6 s on a quiet
    machine, 9.6 s at load 42). In their lane they take at most that many of the
    gate's slots, and the others stay free for everyone else.
    """

    def __init__(self, app: ASGIApp, slots: int,
                 lanes: dict[tuple[str, str], int] | None = None) -> None:
        self.app = app
        self.slots = slots
        self.lanes = dict(lanes or {})
        self._gate: asyncio.Semaphore | None = None
        self._lanes: dict[tuple[str, str], asyncio.Semaphore] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self._gate is None:  # created in the worker's own event loop
            self._gate = asyncio.Semaphore(self.slots)
            self._lanes = {k: asyncio.Semaphore(n) for k, n in self.lanes.items()}
        lane = self._lanes.get((str(scope.get("method", "")), str(scope.get("path", ""))))
        if lane is None:
            async with self._gate:
                await self.app(scope, receive, send)
            return
        async with lane, self._gate:
            await self.app(scope, receive, send)


def gate_lanes(settings: Settings) -> dict[tuple[str, str], int]:
    """The lanes of the gate (see :class:`DatabaseGate`).

    Concurrent login attempts per worker: keep ``login_concurrency`` below the gate's
    slots (4 on SQLite), so that other requests always find a slot while logins wait.
    """
    return {("POST", "/login"): min(settings.login_concurrency, gate_slots(settings))}


def gate_slots(settings: Settings) -> int:
    """How many requests may hold a database connection at once, per worker."""
    if settings.database_url.startswith("sqlite"):
        # One writer at a time: a few in flight keep it busy, more only wait.
        return 4
    return min(settings.db_pool_size + settings.db_max_overflow, 30)
