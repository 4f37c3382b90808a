"""Audit operations that need the auth domain's access decisions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.audit import service
from ketenzicht.audit.schemas import AuditEntryRead, AuditQuery
from ketenzicht.auth.enums import Scope
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor


def search_as(session: Session, actor: Actor, query: AuditQuery) -> list[AuditEntryRead]:
    """Search within the actor's scope; the search itself is audited (it reads personal data)."""
    scope = enforce(actor, "audit.view")
    org_id = None if scope is Scope.NATIONAL else actor.organisation_id
    entries = service.search(session, query=query, org_id=org_id)
    service.record(session, actor=actor, action="search", resource_type="audit",
                   detail={"filters": query.model_dump(mode="json", exclude_defaults=True),
                           "results": len(entries)})
    return [AuditEntryRead.model_validate(e) for e in entries]
