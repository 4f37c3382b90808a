"""A guarantee for the public pages: no cookie but the chosen language, the right language.

The app-wide middleware gives every visitor a CSRF cookie and labels answers with the
professional interface's language. The selfcheck promises workers that nothing but
their language choice is kept in their browser, so this outermost ASGI layer removes
every other ``Set-Cookie`` from selfcheck answers, whatever an inner layer added,
and puts the page's real language in ``Content-Language``. Static files (the selfcheck's
CSS and script) get no cookie either: no page needs one set by a stylesheet, and the
referrer policy hides which page asked for them.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIXES = ("/selfcheck", "/zelftest")
STATIC = "/static/"
#: Where the views leave the page's language for this layer (``request.state``).
STATE_KEY = "selfcheck_locale"


def is_public_path(path: str) -> bool:
    """Whether ``path`` is one of the selfcheck's pages."""
    return any(path == p or path.startswith(p + "/") for p in PREFIXES)


class SelfcheckPrivacy:
    """Pure ASGI middleware; add it after (so outside) the app-wide middleware."""

    def __init__(self, app: ASGIApp, lang_cookie: str) -> None:
        self.app = app
        self.allowed = lang_cookie.encode() + b"="

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (is_public_path(scope["path"])
                                           or scope["path"].startswith(STATIC)):
            await self.app(scope, receive, send)
            return

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if not (k.lower() == b"set-cookie" and not v.startswith(self.allowed))]
                locale = scope.get("state", {}).get(STATE_KEY)
                if locale:
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-language"]
                    headers.append((b"content-language", str(locale).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, guarded)
