"""HTML routes of the auth domain: login, logout, account, organisations and users."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from ketenzicht.auth import credentials, service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor, OrganisationCreate, UserCreate, UserUpdate
from ketenzicht.core.errors import DomainError, Forbidden, NotAuthenticated, TooManyAttempts
from ketenzicht.web.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    FormDep,
    OptionalActor,
    PathId,
    SessionDep,
    SettingsDep,
    require,
    session_csrf_token,
    verify_csrf,
)
from ketenzicht.web.middleware import is_https
from ketenzicht.web.templating import render
from ketenzicht.web.validation import messages as validation_messages
from ketenzicht.web.views import safe_next

router = APIRouter(include_in_schema=False)


def _errors(exc: ValidationError) -> list[str]:
    return validation_messages(exc.errors())


@router.get("/login")
def login_form(request: Request, actor: OptionalActor, next: str | None = None) -> Response:
    """The login form (a logged-in user goes straight on)."""
    if actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "auth/login.html",
                  {"next": safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the credentials, open a session and go on to ``next``.

    A plain ``def``: the password hash and the queries run in the thread pool, never on
    the event loop (where three concurrent logins once froze the server for good).
    """
    verify_csrf(request, form)
    policy = credentials.LoginPolicy(
        max_failures=settings.login_max_failures,
        lockout=timedelta(minutes=settings.login_lockout_minutes),
        backoff_max_seconds=settings.login_backoff_max_seconds,
        address_max_failures=settings.login_max_failures_per_address,
    )
    try:
        # The attempt is counted and committed before the password is hashed, so that
        # no row lock is held while argon2 works.
        user = credentials.authenticate(session, username=username.strip().lower(),
                                        password=password, policy=policy,
                                        address=request.client.host if request.client else None,
                                        claimed=session.commit)
    except (NotAuthenticated, TooManyAttempts) as exc:
        # The failure count and its audit entry are committed by the session
        # dependency because no exception leaves this handler.
        status = 429 if isinstance(exc, TooManyAttempts) else 401
        failed = render(request, "auth/login.html",
                          {"next": safe_next(next), "error": exc.localized(), "username": username},
                          status_code=status)
        if isinstance(exc, TooManyAttempts):
            failed.headers["Retry-After"] = str(exc.retry_after)
        return failed
    token, _row = credentials.start_session(session, user=user, hours=settings.session_hours)
    response: Response = RedirectResponse(safe_next(next), status_code=303)
    secure = is_https(request)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(settings.session_hours * 3600),
                        httponly=True, samesite="strict", secure=secure, path="/")
    # The CSRF token of the new session, derived from its cookie: one seen before login
    # is worthless after, and it is worthless with any other session.
    response.set_cookie(CSRF_COOKIE,
                        session_csrf_token(settings.secret_key.get_secret_value(), token),
                        httponly=True, samesite="strict", secure=secure, path="/")
    return response


@router.post("/logout")
def logout(session: SessionDep, actor: Annotated[Actor, Depends(require("home.view"))]) -> Response:
    """End the session and go back to the login page."""
    credentials.end_session(session, actor=actor)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/account")
def account(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("account.view"))],
) -> Response:
    """The actor's own account."""
    org = service.get_organisation(session, actor=actor, org_id=actor.organisation_id)
    return render(request, "auth/account.html", {"organisation": org})


@router.get("/organisations")
def organisations(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("organisation.view"))],
) -> Response:
    """The directory of organisations in the chain."""
    orgs = service.list_organisations(session, actor=actor)
    return render(request, "auth/organisations.html",
                  {"organisations": orgs, "org_types": list(OrgType), "errors": [], "form": {}})


@router.post("/organisations")
def create_organisation(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("organisation.create"))],
    code: Annotated[str, Form(max_length=64)],
    name: Annotated[str, Form(max_length=200)],
    org_type: Annotated[str, Form(max_length=32)],
) -> Response:
    """Register an organisation (platform beheer only)."""
    form = {"code": code, "name": name, "org_type": org_type}
    try:
        data = OrganisationCreate.model_validate(form)
        org = service.create_organisation(session, data=data, actor=actor)
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        errs = _errors(exc) if isinstance(exc, ValidationError) else [exc.localized()]
        orgs = service.list_organisations(session, actor=actor)
        return render(request, "auth/organisations.html",
                      {"organisations": orgs, "org_types": list(OrgType), "errors": errs,
                       "form": form}, status_code=422)
    return RedirectResponse(f"/organisations/{org.id}", status_code=303)


@router.get("/organisations/{org_id}")
def organisation_detail(
    request: Request, session: SessionDep, org_id: PathId,
    actor: Annotated[Actor, Depends(require("organisation.view"))],
) -> Response:
    """One organisation; its accounts only for those who may see them."""
    org = service.get_organisation(session, actor=actor, org_id=org_id)
    users = None
    if service.may_view_users_of(actor, org):
        users = service.list_users(session, actor=actor, organisation_id=org.id)
    return render(request, "auth/organisation.html",
                  {"organisation": org, "users": users, "roles": list(Role),
                   "may_create": service.may_create_users_in(actor, org), "errors": [],
                   "form": {}})


@router.post("/organisations/{org_id}/users")
def create_user(
    request: Request, session: SessionDep, org_id: PathId, raw: FormDep,
    actor: Annotated[Actor, Depends(require("user.create"))],
) -> Response:
    """Create an account in this organisation."""
    org = service.get_organisation(session, actor=actor, org_id=org_id)
    if not service.may_create_users_in(actor, org):
        raise Forbidden(REFUSED)
    form = {"username": str(raw.get("username", "")).strip().lower(),
            "display_name": str(raw.get("display_name", "")),
            "password": str(raw.get("password", "")) or None,
            "roles": [str(r) for r in raw.getlist("roles")], "organisation_id": org_id}
    try:
        data = UserCreate.model_validate(form)
        user = service.create_user(session, data=data, actor=actor)
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        errs = _errors(exc) if isinstance(exc, ValidationError) else [exc.localized()]
        org = service.get_organisation(session, actor=actor, org_id=org_id)
        users = service.list_users(session, actor=actor, organisation_id=org.id)
        form.pop("password", None)
        return render(request, "auth/organisation.html",
                      {"organisation": org, "users": users, "roles": list(Role),
                       "may_create": True, "errors": errs, "form": form}, status_code=422)
    return RedirectResponse(f"/users/{user.id}", status_code=303)


@router.get("/users/{user_id}")
def user_detail(
    request: Request, session: SessionDep, user_id: PathId,
    actor: Annotated[Actor, Depends(require("user.view"))],
) -> Response:
    """One account, with the form to change it for those who may."""
    user = service.get_user(session, actor=actor, user_id=user_id)
    return render(request, "auth/user.html",
                  {"user": user, "roles": list(Role), "errors": [],
                   "may_update": service.may_update(actor, user)})


@router.post("/users/{user_id}")
def update_user(
    request: Request, session: SessionDep, user_id: PathId, raw: FormDep,
    actor: Annotated[Actor, Depends(require("user.update"))],
) -> Response:
    """Apply a change; a stale version is refused and the current state shown again."""
    payload = {
        "version": raw.get("version"),
        "display_name": raw.get("display_name") or None,
        "roles": [str(r) for r in raw.getlist("roles")] or None,
        "is_active": raw.get("is_active") == "on",
        "unlock": raw.get("unlock") == "on",
    }
    try:
        data = UserUpdate.model_validate(payload)
        service.update_user(session, actor=actor, user_id=user_id, data=data)
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        errs = _errors(exc) if isinstance(exc, ValidationError) else [exc.localized()]
        user = service.get_user(session, actor=actor, user_id=user_id)
        status = exc.status_code if isinstance(exc, DomainError) else 422
        return render(request, "auth/user.html",
                      {"user": user, "roles": list(Role), "errors": errs, "may_update": True},
                      status_code=status)
    return RedirectResponse(f"/users/{user_id}", status_code=303)
