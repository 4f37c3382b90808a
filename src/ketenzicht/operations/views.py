"""HTML routes of the operations domain: the list, an operation, a conversation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.formatting import format_megabytes
from ketenzicht.core.i18n import N_
from ketenzicht.operations import (
    campaigns,
    conversations,
    flows,
    frame,
    links,
    personas,
    reads,
    service,
    triggers,
)
from ketenzicht.operations.enums import DIRECTION_LABELS, STATUS_LABELS
from ketenzicht.operations.schemas import (
    ConversationCreate,
    End,
    ExportIn,
    Extend,
    MessageIn,
    OperationCreate,
    PersonaCreate,
)
from ketenzicht.web.deps import PathId, SessionDep, SettingsDep, require
from ketenzicht.web.templating import render

router = APIRouter(include_in_schema=False)
INVALID = N_("Some input is not valid.")
WARC_TOO_LARGE = N_("The WARC file is larger than %(mb)s MB; nothing was imported.")
MAX_WARC = 30_000_000

Viewer = Annotated[Actor, Depends(require("operations.view"))]
Drafter = Annotated[Actor, Depends(require("operations.draft"))]
Operator = Annotated[Actor, Depends(require("operations.operate"))]
Issuer = Annotated[Actor, Depends(require("operations.issue"))]
_Conv = "/operations/{operation_id}/conversations/{conversation_id}"


def _validate(model: Any, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(INVALID) from exc


def _day(value: object, *, end: bool) -> str | None:
    """A form's date as the start (or end) of that day in UTC."""
    try:
        day = date.fromisoformat(str(value or ""))
    except ValueError:
        return None
    at = datetime.combine(day, time.min, UTC) + (timedelta(days=1, seconds=-1) if end
                                                 else timedelta())
    return at.isoformat()


def _ids(value: object) -> list[str]:
    return [v for v in str(value or "").replace(",", " ").split() if v]


def _back(operation_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/operations/{operation_id}{anchor}", status_code=303)


@router.get("/operations")
def list_page(request: Request, session: SessionDep, actor: Viewer) -> Response:
    """The operations you are named on, and (for a team leader) the form to draft one."""
    ops = service.list_operations(session, actor=actor)
    return render(request, "operations/list.html", {
        "operations": [reads.operation_read(o) for o in ops], "labels": STATUS_LABELS,
        "powers": frame.load().powers, "services": frame.load().services,
        "today": clock.now().date().isoformat()})


@router.get("/operations/people")
def people_picker(request: Request, session: SessionDep, actor: Drafter,
                  q: Annotated[str, Query(max_length=100)] = "",
                  role: Annotated[str, Query(pattern="^(prosecutor|operator)$")] = "operator",
                  ) -> Response:
    """Search-as-you-type (htmx): the prosecutor or the operators of a draft, by name."""
    found = service.nameable(session, actor=actor, role=role, text=q)
    return render(request, "operations/_people.html",
                  {"found": found, "q": q.strip(), "role": role})


@router.post("/operations")
async def create(request: Request, session: SessionDep, actor: Drafter) -> Response:
    """Draft an operation from the form."""
    form = await request.form()
    data = _validate(OperationCreate, {
        "title": form.get("title") or "", "prosecutor_user_id": form.get("prosecutor_user_id"),
        "case_id": form.get("case_id") or None, "order": {
            "power": form.get("power") or "", "crime": form.get("crime") or "",
            "suspect": form.get("suspect") or "", "grounds": form.get("grounds") or "",
            "service_nature": form.get("service_nature") or "",
            "services": form.getlist("services"),
            "starts_at": _day(form.get("starts_on"), end=False),
            "ends_at": _day(form.get("ends_on"), end=True),
            "platforms": [p.strip() for p in str(form.get("platforms") or "").split(",")
                          if p.strip()],
            # The picker sends one ``operator_ids`` per person ticked.
            "operator_ids": [v for raw in form.getlist("operator_ids") for v in _ids(raw)],
            "civilian": form.get("civilian") or "", "agreement": form.get("agreement") or ""}})
    op = service.create(session, actor=actor, data=data)
    return _back(op.id)


@router.get("/operations/{operation_id}")
def operation_page(request: Request, session: SessionDep, operation_id: PathId,
                   actor: Viewer) -> Response:
    """The order and its versions, operators, personas, conversations, flags, time left."""
    op = service.get(session, actor=actor, operation_id=operation_id)
    convs = conversations.of_operation(session, op)
    flags = [(c, m) for c in convs for m in conversations.messages(session, c)
             if m.confirmation is not None]
    version = service.current(op)
    left = (version.ends_at - clock.now()) if version is not None else None
    return render(request, "operations/detail.html", {
        "op": reads.operation_read(op), "version": version,
        "power": frame.load().powers.get(str(version.power if version else op.draft.get("power"))),
        "personas": [reads.persona_read(p) for p in personas.of_operation(session, op)],
        "conversations": convs, "flags": flags, "labels": STATUS_LABELS,
        "left_days": left.days if left is not None and left.total_seconds() > 0 else None,
        "is_prosecutor": actor.user_id == op.prosecutor_user_id,
        "is_operator": actor.user_id in {op.drafted_by_user_id, *service.operators(op)},
        "operators": service.operators(op), **_campaigns(session, op),
        # Pages name people, not account numbers (who authorised outreach, who confirmed).
        "people": service.people_names(session, actor=actor, user_ids=[
            *(c.outreach_authorised_by_user_id for c in campaigns.of_operation(session, op)),
            *((m.confirmation or {}).get("by_user_id") for _c, m in flags)])})


def _campaigns(session: SessionDep, op: Any) -> dict[str, Any]:
    """The operation's campaigns, their links and their figures with small cells hidden."""
    found = campaigns.of_operation(session, op)
    return {"campaigns": found, "links": {c.id: campaigns.help_link(c) for c in found},
            "campaign_figures": campaigns.shown_figures(campaigns.figures(session, found))}


@router.post("/operations/{operation_id}/issue")
async def issue(session: SessionDep, operation_id: PathId, actor: Issuer) -> Response:
    """Issue the order (the named prosecutor)."""
    service.issue(session, actor=actor, operation_id=operation_id)
    return _back(operation_id)


@router.post("/operations/{operation_id}/extend")
async def extend(request: Request, session: SessionDep, operation_id: PathId,
                 actor: Issuer) -> Response:
    """Extend the order to a later end date (a new version)."""
    service.load(session, actor=actor, operation_id=operation_id, action="operations.issue")
    form = await request.form()
    data = _validate(Extend, {"ends_at": _day(form.get("ends_on"), end=True),
                              "note": form.get("note") or ""})
    service.extend(session, actor=actor, operation_id=operation_id, data=data)
    return _back(operation_id)


@router.post("/operations/{operation_id}/end")
async def end(request: Request, session: SessionDep, operation_id: PathId,
              actor: Viewer) -> Response:
    """End the order early, with the reason."""
    service.load(session, actor=actor, operation_id=operation_id, action="operations.view")
    form = await request.form()
    data = _validate(End, {"reason": form.get("reason") or ""})
    service.end(session, actor=actor, operation_id=operation_id, data=data)
    return _back(operation_id)


@router.post("/operations/{operation_id}/personas")
async def create_persona(request: Request, session: SessionDep, operation_id: PathId,
                         actor: Operator) -> Response:
    """Make a persona; handles as 'platform=handle' lines."""
    service.load(session, actor=actor, operation_id=operation_id, action="operations.operate")
    form = await request.form()
    handles = dict(line.split("=", 1) for line in str(form.get("handles") or "").splitlines()
                   if "=" in line)
    data = _validate(PersonaCreate, {
        "name": form.get("name") or "", "stated_age": form.get("stated_age"),
        "description": form.get("description") or "",
        "handles": {k.strip(): v.strip() for k, v in handles.items()}})
    personas.create(session, actor=actor, operation_id=operation_id, data=data)
    return _back(operation_id, "#personas")


@router.post("/operations/{operation_id}/conversations")
async def open_conversation(request: Request, session: SessionDep, operation_id: PathId,
                            actor: Operator) -> Response:
    """Open a conversation with a counterpart."""
    service.load(session, actor=actor, operation_id=operation_id, action="operations.operate")
    form = await request.form()
    data = _validate(ConversationCreate, {
        "persona_id": form.get("persona_id"), "platform": form.get("platform") or "",
        "counterpart_handle": form.get("counterpart_handle") or ""})
    conv = conversations.open_conversation(session, actor=actor, operation_id=operation_id,
                                           data=data)
    return RedirectResponse(f"/operations/{operation_id}/conversations/{conv.id}",
                            status_code=303)


def _conversation(request: Request, session: SessionDep, actor: Actor, operation_id: int,
                  conversation_id: int, **extra: Any) -> Response:
    op, conv = conversations.load(session, actor=actor, operation_id=operation_id,
                                  conversation_id=conversation_id)
    result = conversations.verify(session, actor=actor, operation_id=operation_id,
                                  conversation_id=conversation_id)
    rows = conversations.messages(session, conv)
    persona = personas.load(session, op, conv.persona_id)
    running = campaigns.of_operation(session, op)
    return render(request, "operations/conversation.html", {
        "networks": links.networks_of(session, actor=actor, conv=conv),
        "campaigns": running, "languages": triggers.LANGUAGES,
        "trigger_titles": triggers.TITLES,
        "pending": {c.id: campaigns.pending(session, conv, c) for c in running},
        "op": reads.operation_read(op), "conv": conv, "persona": persona, "messages": rows,
        "verification": result, "directions": DIRECTION_LABELS,
        "is_operator": actor.user_id in {op.drafted_by_user_id, *service.operators(op)},
        "flagged": None, "values": {},
        "people": service.people_names(session, actor=actor, user_ids=[
            m.confirmation.get("by_user_id") for m in rows if m.confirmation is not None]),
        **extra},
        status_code=422 if extra.get("flagged") else 200)


@router.get(_Conv)
def conversation_page(request: Request, session: SessionDep, operation_id: PathId,
                      conversation_id: PathId, actor: Viewer) -> Response:
    """The conversation, its chain verified as the page opens, and the forms to add to it."""
    return _conversation(request, session, actor, operation_id, conversation_id)


@router.post(f"{_Conv}/messages")
async def record(request: Request, session: SessionDep, settings: SettingsDep,
                 operation_id: PathId, conversation_id: PathId, actor: Operator) -> Response:
    """Record a message; a flagged one comes back with the guard's reasons to confirm."""
    conversations.load(session, actor=actor, operation_id=operation_id,
                       conversation_id=conversation_id, action="operations.operate")
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("direction", "text", "confirm_reason")}
    data = _validate(MessageIn, values)
    try:
        conversations.record(session, actor=actor, operation_id=operation_id,
                             conversation_id=conversation_id, data=data, settings=settings)
    except conversations.Flagged as exc:
        session.rollback()
        return _conversation(request, session, actor, operation_id, conversation_id,
                             flagged=exc.checks, values=values)
    return RedirectResponse(f"/operations/{operation_id}/conversations/{conversation_id}"
                            "#last", status_code=303)


@router.post(f"{_Conv}/import")
async def import_export(request: Request, session: SessionDep, operation_id: PathId,
                        conversation_id: PathId, actor: Operator) -> Response:
    """Append a pasted JSON or CSV chat export, or an uploaded WARC capture."""
    conversations.load(session, actor=actor, operation_id=operation_id,
                       conversation_id=conversation_id, action="operations.operate")
    form = await request.form()
    upload = form.get("file")
    content: str | bytes
    if isinstance(upload, UploadFile):  # a WARC capture from the crawler
        fmt, content = "warc", await upload.read(MAX_WARC + 1)
        if len(content) > MAX_WARC:
            raise ValidationFailed(WARC_TOO_LARGE, mb=format_megabytes(MAX_WARC))
    else:
        fmt = "csv" if form.get("format") == "csv" else "json"
        content = str(form.get("content") or "")
    if not content.strip():
        raise ValidationFailed(INVALID)
    conversations.import_export(session, actor=actor, operation_id=operation_id,
                                conversation_id=conversation_id, fmt=fmt, content=content)
    return RedirectResponse(f"/operations/{operation_id}/conversations/{conversation_id}",
                            status_code=303)


@router.post(f"{_Conv}/export")
async def export(request: Request, session: SessionDep, settings: SettingsDep,
                 operation_id: PathId, conversation_id: PathId, actor: Operator) -> Response:
    """Export the conversation into a case's evidence."""
    conversations.load(session, actor=actor, operation_id=operation_id,
                       conversation_id=conversation_id, action="operations.operate")
    form = await request.form()
    data = _validate(ExportIn, {"case_id": form.get("case_id")})
    flows.export_to_evidence(session, actor=actor, operation_id=operation_id,
                             conversation_id=conversation_id, case_id=data.case_id,
                             settings=settings)
    return RedirectResponse(f"/operations/{operation_id}/conversations/{conversation_id}",
                            status_code=303)
