"""JSON routes of the monitor under /api/v1/monitor: aggregates, small cells suppressed.

A suppressed count is ``null`` with ``"suppressed": true``; the exact number never leaves
the server.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from ketenzicht.auth.schemas import Actor
from ketenzicht.monitor import service
from ketenzicht.monitor.display import note
from ketenzicht.monitor.schemas import is_suppressed
from ketenzicht.web.deps import SessionDep, require

router = APIRouter(prefix="/monitor", tags=["monitor"])
View = Annotated[Actor, Depends(require("monitor.view"))]


def _count(count: int) -> dict[str, Any]:
    hidden = is_suppressed(count)
    return {"count": None if hidden else count, "suppressed": hidden}


@router.get("/funnel")
def funnel(session: SessionDep, actor: View) -> list[dict[str, Any]]:
    """Every step of the chain per source, year and form."""
    return [{"source": r.source, "year": r.year, "form": r.form, "stage": r.stage.value,
             **_count(r.count)} for r in service.funnel(session, actor=actor)]


@router.get("/registrations")
def registrations(session: SessionDep, actor: View,
                  year: Annotated[int | None, Query(ge=1990, le=2100)] = None
                  ) -> list[dict[str, Any]]:
    """Registrations by form, age band, nationality and reporting organisation type."""
    return [{"dimension": r.dimension, "value": r.value, **_count(r.count)}
            for r in service.registrations(session, actor=actor, year=year)]


@router.get("/dark-number")
def dark_number(session: SessionDep, actor: View) -> list[dict[str, Any]]:
    """The stored estimates per year and stratum, with interval and visibility rate."""
    out = []
    for r in service.estimates(session, actor=actor):
        hidden = is_suppressed(r.observed)
        out.append({
            "year": r.year, "stratum": r.stratum, "observed": None if hidden else r.observed,
            "suppressed": hidden, "estimate": None if hidden else r.estimate,
            "ci": None if hidden or r.low is None else [r.low, r.high],
            "visibility": None if hidden else r.visibility, "method": r.method,
            "model": r.model, "flagged": note(r.flagged, [], 100_000),
            "warnings": [note("", [w], 100_000) for w in r.warnings],
            "computed_at": r.computed_at.isoformat()})
    return out
