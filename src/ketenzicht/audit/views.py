"""The audit page: a beheerder searches the log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from ketenzicht.audit.flows import search_as
from ketenzicht.audit.schemas import AuditQuery
from ketenzicht.auth.schemas import Actor
from ketenzicht.web.deps import SessionDep, require
from ketenzicht.web.templating import render
from ketenzicht.web.validation import messages as validation_messages

router = APIRouter(include_in_schema=False)


@router.get("/audit")
def audit_page(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("audit.view"))],
) -> Response:
    """Search form and results."""
    raw = {k: v for k, v in request.query_params.items() if v and k in AuditQuery.model_fields}
    try:
        query = AuditQuery.model_validate(raw)
    except ValidationError as exc:
        errors = validation_messages(exc.errors())
        return render(request, "audit/search.html",
                      {"entries": [], "query": raw, "errors": errors}, status_code=422)
    entries = search_as(session, actor, query)
    # htmx asks for the results only; a plain request (no JavaScript) gets the page.
    name = "audit/_results.html" if request.headers.get("hx-request") else "audit/search.html"
    return render(request, name,
                  {"entries": entries, "query": raw, "errors": [], "next_offset":
                   query.offset + query.limit if len(entries) == query.limit else None})
