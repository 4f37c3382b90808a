"""Per-request set-up: request id, language, CSRF cookie and security headers."""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from ketenzicht.core import context, i18n
from ketenzicht.web.deps import CSRF_COOKIE, SESSION_COOKIE, expected_csrf
from ketenzicht.web.limits import BodyLimit, DatabaseGate, gate_lanes, gate_slots

LANG_COOKIE = "kz_lang"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")

# No inline scripts or styles, no third-party hosts: the pages hold personal data
# of vulnerable people, and an injected script must have nowhere to send it.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)


def is_https(request: Request) -> bool:
    """Whether the browser reached us over https (uvicorn applies trusted proxy headers)."""
    return request.url.scheme == "https"


def install(app: FastAPI) -> None:
    """Add the request middleware to ``app``."""
    # Added first, so it runs inside the per-request set-up (the 413 is in the
    # request's language) and before any route reads a byte of the body.
    settings = app.state.settings
    app.add_middleware(DatabaseGate, slots=gate_slots(settings), lanes=gate_lanes(settings))
    app.add_middleware(BodyLimit, settings=app.state.settings)

    @app.middleware("http")
    async def _per_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        incoming = request.headers.get("x-request-id", "")
        rid = incoming if _REQUEST_ID.match(incoming) else context.new_request_id()
        context.set_request_id(rid)
        request.state.request_id = rid
        settings = app.state.settings
        i18n.set_locale(
            i18n.pick_locale(
                request.headers.get("accept-language"),
                request.cookies.get(LANG_COOKIE),
                settings.default_locale,
            )
        )
        # Logged in, the token is derived from the session cookie; before login it is a
        # random cookie value (double submit), which only guards the login form.
        csrf = expected_csrf(request) or secrets.token_urlsafe(32)
        request.state.csrf_token = csrf
        response = await call_next(request)
        # A route that must leave nothing in the browser (a campaign's counted help link)
        # says so with ``request.state.no_cookies``.
        if not getattr(request.state, "no_cookies", False) and request.cookies.get(
            CSRF_COOKIE) != csrf and (
            SESSION_COOKIE in request.cookies or CSRF_COOKIE not in request.cookies
        ) and not any(c.startswith(f"{CSRF_COOKIE}=")
                      for c in response.headers.getlist("set-cookie")):
            response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict",
                                secure=is_https(request), path="/")
        headers = response.headers
        headers["X-Request-ID"] = rid
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        # A route that must be framed by our own pages (the sandboxed capture replay) says
        # SAMEORIGIN itself; everything else refuses to be framed at all.
        headers.setdefault("X-Frame-Options", "DENY")
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers["Content-Language"] = i18n.get_locale()
        if not request.url.path.startswith("/static/"):
            # Pages and API answers may hold personal data: never keep them in caches.
            headers["Cache-Control"] = "no-store"
        if is_https(request):
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
