"""Batch placement in HTML: the optimal plan for every waiting request, beside first-come.

After a large operation a coordinator sees, for all the organisation's waiting
requests at once, which place each would get in the optimal assignment and in
first-come matching, and can hold all proposed places in one step.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.shelter import placement, service
from ketenzicht.shelter.schemas import BatchPlan, HoldOutcome
from ketenzicht.web.deps import SessionDep, SettingsDep, require
from ketenzicht.web.templating import render

router = APIRouter()


def _page(request: Request, session: Session, settings: Settings, actor: Actor, *,
          plan: BatchPlan, outcomes: list[HoldOutcome] | None = None,
          status_code: int = 200) -> Response:
    requests = placement.own_requests(session, actor=actor,
                                      ids=[p.request_id for p in plan.pairs])
    requests.update(placement.own_requests(session, actor=actor,
                                           ids=[o.request_id for o in outcomes or []]))
    unit_ids = {u for p in plan.pairs for u in (p.unit_id, p.greedy_unit_id) if u is not None}
    unit_ids |= {o.unit_id for o in outcomes or []}
    units = {f.id: f for f in service.all_facts(session, sorted(unit_ids))} if unit_ids else {}
    rows: list[dict[str, Any]] = [
        {"pair": p, "request": requests.get(p.request_id), "unit": units.get(p.unit_id or 0),
         "greedy": units.get(p.greedy_unit_id or 0)} for p in plan.pairs]
    return render(request, "shelter/batch.html", {
        "plan": plan, "rows": rows, "outcomes": outcomes, "units": units,
        "requests": requests, "hold_hours": settings.shelter_hold_hours},
        status_code=status_code)


@router.get("/shelter/batch")
def batch_page(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.match"))],
) -> Response:
    """The optimal plan for the organisation's waiting requests, beside first-come."""
    plan = placement.batch_plan(session, actor=actor, stale_hours=settings.shelter_stale_hours)
    return _page(request, session, settings, actor, plan=plan)


@router.post("/shelter/batch/hold")
def batch_hold(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("shelter.offer.create"))],
) -> Response:
    """Hold every proposed place; show which holds were made and which not, and why."""
    _plan, outcomes = placement.hold_plan(session, actor=actor,
                                          hold_hours=settings.shelter_hold_hours,
                                          stale_hours=settings.shelter_stale_hours)
    plan = placement.batch_plan(session, actor=actor, stale_hours=settings.shelter_stale_hours)
    return _page(request, session, settings, actor, plan=plan, outcomes=outcomes)
