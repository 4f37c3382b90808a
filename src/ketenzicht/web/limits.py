"""Request bodies are limited before they are read (issue 24: four anonymous 200 MB posts
once took 2 GB of memory before the 401).

The cap depends on the route class: anonymous requests (no session cookie, no
bearer token: the login form, the public selfcheck) get a small one, file uploads
(multipart, logged in) a large one, everything else the default. A declared
``Content-Length`` over the cap is refused at once, unread; a body sent without
one (chunked) is counted as it streams and refused at the first byte too many.
Either way the answer is 413 with the limit in MB, in the request's language.
"""

from __future__ import annotations

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


def limit_for(settings: Settings, headers: dict[str, str]) -> int:
    """The cap of the route class a request belongs to (see the module docstring)."""
    authenticated = "kz_session=" in headers.get("cookie", "") or headers.get(
        "authorization", "").lower().startswith("bearer ")
    if not authenticated:
        return settings.body_limit_anonymous_bytes
    if headers.get("content-type", "").startswith("multipart/form-data"):
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
        limit = limit_for(self.settings, headers)
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
