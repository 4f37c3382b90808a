"""HTML routes of notifications: the inbox, marking read, the header's unread count."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import listing
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.notify import service
from ketenzicht.notify.schemas import AddressIn, LanguageIn
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require
from ketenzicht.web.middleware import LANG_COOKIE, is_https
from ketenzicht.web.templating import render

router = APIRouter(include_in_schema=False)

Reader = Annotated[Actor, Depends(require("notification.view"))]
Writer = Annotated[Actor, Depends(require("notification.update"))]
BAD_ADDRESS = N_("That is not a valid e-mail address.")
BAD_LANGUAGE = N_("Choose one of the languages offered.")


def _back() -> RedirectResponse:
    return RedirectResponse("/notifications", status_code=303)


@router.get("/notifications")
def inbox(request: Request, session: SessionDep, actor: Reader) -> Response:
    """Your notifications, paged, and the e-mails sent (or queued) to you."""
    query = listing.parse(request.query_params, service.inbox_spec())
    return render(request, "notify/inbox.html", {
        "page": service.page_for(session, actor=actor, query=query),
        "unread": service.unread_count(session, actor=actor),
        "mails": service.mails_for(session, actor=actor),
        "address": service.get_address(session, actor=actor),
        "own_locale": auth_service.own_locale(session, actor=actor)})


@router.get("/notifications/unread")
def unread(request: Request, session: SessionDep, actor: Reader) -> Response:
    """The unread count for the header (an htmx partial)."""
    return render(request, "notify/_unread.html",
                  {"unread": service.unread_count(session, actor=actor)})


@router.post("/notifications/{notification_id}/read")
def mark_read(session: SessionDep, notification_id: PathId, actor: Writer) -> Response:
    """Mark one notification read."""
    service.mark_read(session, actor=actor, notification_id=notification_id)
    return _back()


@router.post("/notifications/read-all")
def mark_all_read(session: SessionDep, actor: Writer) -> Response:
    """Mark all notifications read."""
    service.mark_all_read(session, actor=actor)
    return _back()


@router.post("/notifications/address")
def set_address(request: Request, session: SessionDep, actor: Writer, raw: FormDep) -> Response:
    """Set the e-mail address for notifications."""
    try:
        data = AddressIn.model_validate({"email": raw.get("email") or ""})
    except ValidationError as exc:
        raise ValidationFailed(BAD_ADDRESS) from exc
    service.set_address(session, actor=actor, email=data.email)
    return _back()


@router.post("/notifications/language")
def set_language(request: Request, session: SessionDep, actor: Writer, raw: FormDep) -> Response:
    """Set the language of your notifications and e-mails (and of these pages)."""
    try:
        data = LanguageIn.model_validate({"locale": raw.get("locale") or ""})
    except ValidationError as exc:
        raise ValidationFailed(BAD_LANGUAGE) from exc
    auth_service.set_locale(session, actor=actor, locale=data.locale)
    response = _back()
    response.set_cookie(LANG_COOKIE, data.locale, max_age=365 * 24 * 3600, samesite="strict",
                        httponly=True, secure=is_https(request), path="/")
    return response
