"""FastAPI dependencies: the request's session, who is acting, and ``require(action)``."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ketenzicht.audit import service as audit
from ketenzicht.auth import credentials
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.auth.service import actor_for
from ketenzicht.config import Settings
from ketenzicht.core.errors import DomainError, Forbidden, NotAuthenticated
from ketenzicht.core.i18n import N_
from ketenzicht.core.ids import MAX_ID

PathId = Annotated[int, Path(gt=0, le=MAX_ID, description="Record id")]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "kz_session"
CSRF_COOKIE = "kz_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def get_settings_dep(request: Request) -> Settings:
    """The app's settings (set by ``create_app``)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: commit when the handler returns, roll back when it raises.

    A refusal is rolled back like any error, then recorded in the audit log in a
    transaction of its own, so that denied attempts are visible to the beheerder.
    """
    session: Session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
    except Forbidden:
        session.rollback()
        actor: Actor | None = getattr(request.state, "actor", None)
        audit.record(session, actor=actor, action="access_denied", resource_type="route",
                     resource_id=request.url.path[:64], outcome="denied",
                     detail={"method": request.method})
        session.commit()
        raise
    except BaseException as exc:
        settle(session, exc)
        raise
    finally:
        session.close()


def settle(session: Session, exc: BaseException) -> None:
    """End a transaction that raised: roll back, unless the refusal keeps its clean-up."""
    if isinstance(exc, DomainError) and exc.keeps_changes:
        session.commit()
    else:
        session.rollback()


# scope="function": the transaction ends when the handler returns, before the
# response is sent, so a failed commit can never follow a success answer.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_actor(request: Request, session: SessionDep) -> Actor | None:
    """The logged-in actor from a bearer token or the session cookie, or None."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = credentials.resolve_token(session, header[7:].strip())
        if user is None:
            raise NotAuthenticated(N_("The API token is invalid, expired or revoked."))
        actor: Actor | None = actor_for(user, via="token")
    else:
        actor = None
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            found = credentials.resolve_session(session, cookie)
            if found is not None:
                user, row = found
                actor = actor_for(user, via="session", session_id=row.id)
    request.state.actor = actor
    return actor


OptionalActor = Annotated[Actor | None, Depends(get_actor)]


async def read_form(request: Request) -> FormData:
    """The request's form, read here on the event loop so that a sync handler need not.

    Handlers that touch the database are plain ``def`` (FastAPI runs them in its
    thread pool); a blocking query or password hash on the event loop would stall
    every other request, and a row lock waited for there can never be released.
    """
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


async def read_body(request: Request) -> bytes:
    """The raw request body, read on the event loop for a sync handler (see ``read_form``)."""
    return await request.body()


BodyDep = Annotated[bytes, Depends(read_body)]


def session_csrf_token(secret: str, session_cookie: str) -> str:
    """The CSRF token of a login session: an HMAC of its cookie, so it is worthless
    with any other session and cannot be planted by whoever can set a cookie."""
    mac = hmac.new(secret.encode("utf-8"), b"csrf:" + session_cookie.encode("utf-8"),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def expected_csrf(request: Request) -> str:
    """The token this request must carry: its session's, or before login the cookie's."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        settings: Settings = request.app.state.settings
        return session_csrf_token(settings.secret_key.get_secret_value(), cookie)
    return request.cookies.get(CSRF_COOKIE, "")


def verify_csrf(request: Request, form: FormData | None) -> None:
    """Refuse a state-changing request whose CSRF token (header or form field) is wrong."""
    expected = expected_csrf(request)
    given = request.headers.get(CSRF_HEADER, "")
    if not given and form is not None:
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else ""
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise Forbidden(
            N_("The form has expired or did not come from this site. Reload and try again.")
        )


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request whose CSRF token does not match its session."""
    form = None
    if not request.headers.get(CSRF_HEADER) and request.headers.get(
        "content-type", ""
    ).startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
    verify_csrf(request, form)


class Require:
    """Dependency that demands a logged-in actor allowed to do ``action``.

    The route-enumerating access test reads ``action`` from every route, so every
    non-public route must depend on one of these.
    """

    def __init__(self, action: str) -> None:
        self.action = action

    async def __call__(self, request: Request, actor: OptionalActor) -> Actor:
        if actor is None:
            raise NotAuthenticated(N_("Log in to continue."))
        if actor.via == "session" and request.method not in SAFE_METHODS:
            await check_csrf(request)
        enforce(actor, self.action)
        return actor

    def __repr__(self) -> str:
        return f"Require({self.action!r})"


def require(action: str) -> Require:
    """``Depends(require("user.view"))`` — see :class:`Require`."""
    return Require(action)
