"""Shell pages: start page, language switch, health check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service as cases_service
from ketenzicht.core import i18n
from ketenzicht.online.workspace import public as online_public
from ketenzicht.signals import service as signals_service
from ketenzicht.web.deps import OptionalActor, SessionDep, require
from ketenzicht.web.middleware import LANG_COOKIE, is_https
from ketenzicht.web.templating import render

router = APIRouter()
#: How many items each section of the start page lists (its count says how many there are).
WORKLIST_ITEMS = 5


def safe_next(target: str | None) -> str:
    """Only follow local paths, so a crafted link cannot send users to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/", include_in_schema=False)
def home(request: Request, session: SessionDep,
         actor: Annotated[Actor, Depends(require("home.view"))]) -> Response:
    """The start page of a logged-in professional: their worklist (issue 18).

    Each domain's face hands over counts and its first few items, chosen, counted and
    limited in SQL and only what the person may see; a section the person's role has no
    part in comes back empty and is not shown.
    """
    return render(request, "home.html", {
        "signals": signals_service.worklist(session, actor=actor, limit=WORKLIST_ITEMS),
        "cases": cases_service.worklist(session, actor=actor, limit=WORKLIST_ITEMS),
        "hits": online_public.watch_hits(session, actor=actor, limit=WORKLIST_ITEMS),
        "org_names": {i: o.name for i, o in auth_service.directory(session).items()}})


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(request: Request, session: SessionDep, actor: OptionalActor, code: str,
                    next: str | None = None) -> Response:
    """Remember the chosen language in a cookie and go back.

    A logged-in person's choice is also stored with their account, so notifications and
    e-mails reach them in it whoever triggers them. The session cookie is SameSite=Strict,
    so another site cannot make this GET change an account.
    """
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in i18n.LOCALES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="strict",
                            httponly=True, secure=is_https(request), path="/")
        if actor is not None and actor.via == "session":
            auth_service.set_locale(session, actor=actor, locale=code)
    return response


@router.get("/healthz", tags=["system"])
def healthz(session: SessionDep) -> JSONResponse:
    """Liveness and database reachability."""
    session.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})
