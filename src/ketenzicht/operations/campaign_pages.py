"""HTML routes of campaigns: start one, authorise outreach, warn in a conversation, reach out,
and the public, counted help link."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import NotFound, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.operations import campaigns, reads, service
from ketenzicht.operations.schemas import (
    CampaignCreate,
    OutreachAuthorise,
    OutreachIn,
    WarningIn,
)
from ketenzicht.web.deps import PathId, SessionDep, SettingsDep, require
from ketenzicht.web.templating import render

router = APIRouter(include_in_schema=False)
INVALID = N_("Some input is not valid.")
UNKNOWN_LINK = N_("This link is not known.")

Operator = Annotated[Actor, Depends(require("operations.operate"))]
Issuer = Annotated[Actor, Depends(require("operations.issue"))]
_Camp = "/operations/{operation_id}/campaigns/{campaign_id}"


def _validate(model: Any, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(INVALID) from exc


@router.post("/operations/{operation_id}/campaigns")
async def create(request: Request, session: SessionDep, operation_id: PathId,
                 actor: Operator) -> Response:
    """Start a deterrence campaign under the order in force."""
    service.load(session, actor=actor, operation_id=operation_id,
                 action="operations.operate")
    form = await request.form()
    data = _validate(CampaignCreate, {
        "public_label": form.get("public_label") or "", "help_url": form.get("help_url") or "",
        "triggers": form.getlist("triggers") or ["buy_intent", "age_confirmation"]})
    campaigns.create(session, actor=actor, operation_id=operation_id, data=data)
    return RedirectResponse(f"/operations/{operation_id}#campaigns", status_code=303)


@router.post(f"{_Camp}/authorise-outreach")
async def authorise(request: Request, session: SessionDep, operation_id: PathId,
                    campaign_id: PathId, actor: Issuer) -> Response:
    """Switch outreach to numbers in ads on (the issuing prosecutor), with the reason."""
    campaigns.load(session, actor=actor, operation_id=operation_id, campaign_id=campaign_id,
                   action="operations.issue")
    form = await request.form()
    data = _validate(OutreachAuthorise, {"reason": form.get("reason") or ""})
    campaigns.authorise_outreach(session, actor=actor, operation_id=operation_id,
                                 campaign_id=campaign_id, data=data)
    return RedirectResponse(f"/operations/{operation_id}#campaigns", status_code=303)


@router.post(f"{_Camp}/outreach")
async def outreach(request: Request, session: SessionDep, settings: SettingsDep,
                   operation_id: PathId, campaign_id: PathId, actor: Operator) -> Response:
    """Prepare an outreach message to the number in an ad: shown once, the number not kept."""
    op, _c = campaigns.load(session, actor=actor, operation_id=operation_id,
                            campaign_id=campaign_id, action="operations.operate")
    form = await request.form()
    data = _validate(OutreachIn, {"ad_id": form.get("ad_id"),
                                  "language": form.get("language") or None})
    sent = campaigns.outreach(session, actor=actor, operation_id=operation_id,
                              campaign_id=campaign_id, data=data, settings=settings)
    response = render(request, "operations/outreach.html",
                      {"op": reads.operation_read(op), "sent": sent})
    response.headers["Cache-Control"] = "no-store"  # the number must not linger in a cache
    return response


@router.post("/operations/{operation_id}/conversations/{conversation_id}/warnings")
async def warn(request: Request, session: SessionDep, settings: SettingsDep,
               operation_id: PathId, conversation_id: PathId, actor: Operator) -> Response:
    """Send a campaign's warning after a trigger fired in the conversation."""
    service.load(session, actor=actor, operation_id=operation_id,
                 action="operations.operate")
    form = await request.form()
    data = _validate(WarningIn, {"campaign_id": form.get("campaign_id"),
                                 "language": form.get("language") or "nl"})
    campaigns.deliver(session, actor=actor, operation_id=operation_id,
                      conversation_id=conversation_id, data=data, settings=settings)
    return RedirectResponse(f"/operations/{operation_id}/conversations/{conversation_id}#last",
                            status_code=303)


@router.get("/hulp/{token}")
def help_link(request: Request, session: SessionDep, token: str) -> Response:
    """Public: count one click on a campaign's help link and go to the help.

    Nothing about the request is read or kept (no address, browser, referrer or time), no
    cookie is set, and the redirect asks the browser not to pass this address on.
    """
    request.state.no_cookies = True  # not even the anonymous CSRF cookie
    url = campaigns.count_click(session, token=token[:64]) if token.isascii() else None
    if url is None:
        raise NotFound(UNKNOWN_LINK)
    return RedirectResponse(url, status_code=303, headers={
        "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})
