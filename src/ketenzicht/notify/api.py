"""JSON routes of notifications under /api/v1/notifications (the caller's own only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.notify import service
from ketenzicht.notify.schemas import AddressIn, Inbox, LanguageIn, MailRead, NotificationRead
from ketenzicht.web.deps import PathId, SessionDep, require

router = APIRouter(prefix="/notifications", tags=["notifications"])

Reader = Annotated[Actor, Depends(require("notification.view"))]
Writer = Annotated[Actor, Depends(require("notification.update"))]


@router.get("", response_model=Inbox)
def inbox(session: SessionDep, actor: Reader,
          unread_only: Annotated[bool, Query()] = False,
          limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Inbox:
    """Your notifications, newest first, with the number unread."""
    rows = service.list_for(session, actor=actor, limit=limit, unread_only=unread_only)
    return Inbox(unread=service.unread_count(session, actor=actor),
                 items=[NotificationRead.model_validate(n) for n in rows])


@router.post("/{notification_id}/read", response_model=NotificationRead)
def mark_read(session: SessionDep, notification_id: PathId, actor: Writer) -> NotificationRead:
    """Mark one of your notifications read."""
    return NotificationRead.model_validate(
        service.mark_read(session, actor=actor, notification_id=notification_id))


@router.post("/read-all")
def mark_all_read(session: SessionDep, actor: Writer) -> dict[str, int]:
    """Mark all your notifications read."""
    return {"marked": service.mark_all_read(session, actor=actor)}


@router.get("/mails", response_model=list[MailRead])
def mails(session: SessionDep, actor: Reader) -> list[MailRead]:
    """The e-mails queued or sent to you (what would have been sent, in a demo)."""
    return [MailRead.model_validate(m) for m in service.mails_for(session, actor=actor)]


@router.put("/address", response_model=AddressIn)
def set_address(session: SessionDep, data: AddressIn, actor: Writer) -> AddressIn:
    """Set the e-mail address for your notifications ('' to stop e-mail)."""
    return AddressIn(email=service.set_address(session, actor=actor, email=data.email))


@router.put("/language", response_model=LanguageIn)
def set_language(session: SessionDep, data: LanguageIn, actor: Writer) -> LanguageIn:
    """Set the language your notifications and e-mails are written in."""
    auth_service.set_locale(session, actor=actor, locale=data.locale)
    return data
