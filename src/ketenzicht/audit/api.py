"""JSON routes of the audit log under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ketenzicht.audit import service
from ketenzicht.audit.flows import search_as
from ketenzicht.audit.schemas import AuditEntryRead, AuditQuery, VerifyRead
from ketenzicht.auth.schemas import Actor
from ketenzicht.web.deps import SessionDep, require

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=list[AuditEntryRead])
def search(
    session: SessionDep, query: Annotated[AuditQuery, Query()],
    actor: Annotated[Actor, Depends(require("audit.view"))],
) -> list[AuditEntryRead]:
    """Search the audit log, newest first."""
    return search_as(session, actor, query)


@router.get("/audit/verify", response_model=VerifyRead)
def verify(
    session: SessionDep, actor: Annotated[Actor, Depends(require("audit.verify"))]
) -> VerifyRead:
    """Verify the hash chain of the whole log."""
    result = service.verify(session)
    return VerifyRead(ok=result.ok, checked=result.checked,
                      first_broken_id=result.first_broken_id, reason=result.reason)
