"""Offers as the shelter sees them: accept, confirm arrival, or decline with a reason."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import DomainError, Forbidden
from ketenzicht.shelter import placement
from ketenzicht.shelter.enums import OfferStatus, RequestStatus
from ketenzicht.shelter.schemas import (
    OfferDecline,
)
from ketenzicht.shelter.views.common import (
    choices,
    form_errors,
)
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require, settle
from ketenzicht.web.templating import render

router = APIRouter()


# -- offers (the shelter's side) -----------------------------------------------------------


def _offers_page(request: Request, session: Session, actor: Actor, errors: list[str],
                 status_code: int = 200) -> Response:
    found = placement.incoming_offers(session, actor=actor)
    return render(request, "shelter/offers.html",
                  {"offers": found, "errors": errors, "held": OfferStatus.HELD,
                   "accepted": OfferStatus.ACCEPTED, "placed": RequestStatus.PLACED,
                   **choices()}, status_code=status_code)


@router.get("/shelter/offers")
def offers(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("shelter.offer.view"))],
) -> Response:
    """Offers for the provider's units, with the needs profile to decide on."""
    return _offers_page(request, session, actor, [])


def _decide(request: Request, session: Session, actor: Actor, action: Any,
            back: str) -> Response:
    try:
        action()
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        settle(session, exc)
        status = exc.status_code if isinstance(exc, DomainError) else 422
        if back.startswith("/shelter/requests/"):
            return render(request, "error.html", {"status": status, "message": form_errors(exc)[0],
                                                  "errors": []}, status_code=status)
        return _offers_page(request, session, actor, form_errors(exc), status)
    return RedirectResponse(back, status_code=303)


@router.post("/shelter/offers/{offer_id}/accept")
def offer_accept(
    request: Request, session: SessionDep, offer_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.decide"))],
) -> Response:
    """Accept the offer while its hold runs."""
    placement.get_offer(session, actor=actor, offer_id=offer_id, action="shelter.offer.decide")
    return _decide(request, session, actor, lambda: placement.accept(
        session, actor=actor, offer_id=offer_id), "/shelter/offers")


@router.post("/shelter/offers/{offer_id}/place")
def offer_place(
    request: Request, session: SessionDep, offer_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.decide"))],
) -> Response:
    """Confirm the person has arrived."""
    placement.get_offer(session, actor=actor, offer_id=offer_id, action="shelter.offer.decide")
    return _decide(request, session, actor, lambda: placement.place(
        session, actor=actor, offer_id=offer_id), "/shelter/offers")


@router.post("/shelter/offers/{offer_id}/decline")
def offer_decline(
    request: Request, session: SessionDep, offer_id: PathId,
    actor: Annotated[Actor, Depends(require("shelter.offer.decline"))], raw: FormDep,
) -> Response:
    """Decline the offer with a reason (the shelter, or the request's owner)."""
    offer = placement.get_offer(session, actor=actor, offer_id=offer_id,
                                action="shelter.offer.decline")
    own_unit = offer.unit.location.organisation_id == actor.organisation_id
    back = "/shelter/offers" if own_unit else f"/shelter/requests/{offer.request_id}"
    note = raw.get("note")
    return _decide(request, session, actor, lambda: placement.decline(
        session, actor=actor, offer_id=offer_id, data=OfferDecline.model_validate(
            {"reason": raw.get("reason"), "note": note or None})), back)
