"""Uitstroom: the shelter sees who stays at its units and ends a placement with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import DomainError, Forbidden
from ketenzicht.shelter import placement, service
from ketenzicht.shelter.schemas import RequestEnd
from ketenzicht.shelter.views.common import choices, form_errors, form_text
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require
from ketenzicht.web.templating import render

router = APIRouter()
Shelter = Annotated[Actor, Depends(require("shelter.placement.end"))]


def _page(request: Request, session: Session, actor: Actor, *, errors: list[str] | None = None,
          ended: int | None = None, status_code: int = 200) -> Response:
    found = placement.placements_at(session, actor=actor)
    units = {f.id: f for f in service.all_facts(
        session, sorted({r.unit_id for r in found if r.unit_id is not None}))} if found else {}
    return render(request, "shelter/placements.html",
                  {"placements": found, "units": units, "errors": errors or [],
                   "ended": ended, **choices()}, status_code=status_code)


@router.get("/shelter/placements")
def placements_page(request: Request, session: SessionDep, actor: Shelter) -> Response:
    """The people placed (or about to arrive) at the provider's units."""
    ended = request.query_params.get("ended", "")
    return _page(request, session, actor,
                 ended=int(ended) if ended.isdigit() and len(ended) < 10 else None)


@router.post("/shelter/placements/{request_id}/end")
def placement_end(request: Request, session: SessionDep, request_id: PathId,
                  actor: Shelter, raw: FormDep) -> Response:
    """End a placement (uitstroom) with its reason; the place is free again at once."""
    placement.get_request(session, actor=actor, request_id=request_id,
                          action="shelter.placement.end")
    try:
        data = RequestEnd.model_validate({"reason": form_text(raw, "reason") or None,
                                          "note": form_text(raw, "note") or None})
        placement.leave(session, actor=actor, request_id=request_id, data=data)
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        status = exc.status_code if isinstance(exc, DomainError) else 422
        return _page(request, session, actor, errors=form_errors(exc), status_code=status)
    return RedirectResponse(f"/shelter/placements?ended={request_id}", status_code=303)
