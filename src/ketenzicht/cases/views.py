"""HTML routes of the cases domain: list, open, detail, status, tasks and hand-over."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import coordination, forms, reads, service, steps, visibility
from ketenzicht.cases.deps import CurrentCase
from ketenzicht.cases.enums import (
    CaseStatus,
    DataCategory,
    FieldCategory,
    PersonRole,
    Phase,
    Raci,
)
from ketenzicht.cases.procedures import reads as procedures
from ketenzicht.cases.process import templates
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import CaseCreate, HandoverIn, TaskAssign, TransitionIn
from ketenzicht.core import listing
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_, get_locale
from ketenzicht.core.ids import MAX_ID
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require
from ketenzicht.web.templating import render
from ketenzicht.web.validation import messages as validation_messages

router = APIRouter(include_in_schema=False)
INVALID = N_("Some input is not valid.")

Worker = Annotated[Actor, Depends(require("case.update"))]


def _form(raw: FormData, model: type[BaseModel], fields: tuple[str, ...]) -> Any:
    data = {f: raw.get(f) for f in fields if raw.get(f) not in (None, "")}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(INVALID) from exc


def _back(case_id: int) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases")
def cases_page(request: Request, session: SessionDep,
               actor: Annotated[Actor, Depends(require("case.list"))]) -> Response:
    """Cases your organisation takes part in: paged, counted, filtered, newest first."""
    query = listing.parse(request.query_params, service.cases_spec())
    page = service.page_cases(session, actor=actor, query=query)
    orgs = auth_service.directory(session)
    return render(request, "cases/list.html", {
        "page": page, "coordinators": {c.id: orgs[c.coordinator_org_id].name
                                       for c in page.items if c.coordinator_org_id in orgs}})


_NO_INPUT: dict[str, Any] = {"title": "", "summary": "", "role": "", "pseudonym": "",
                             "nationality": "", "acute_danger": False}


@router.get("/cases/new")
def new_case(request: Request,
             actor: Annotated[Actor, Depends(require("case.create"))]) -> Response:
    """The form to open a case directly."""
    return render(request, "cases/new.html", {**_new_context([], actor), "typed": _NO_INPUT})


def _categories(actor: Actor, own: frozenset[FieldCategory] | None = None) -> dict[str, Any]:
    """What a form's category choice offers the author, and what it proposes."""
    writable = own if own is not None else visibility.categories_for(actor.org_type)
    return {"writable": sorted(writable),
            "default_category": visibility.default_for(actor.org_type, writable)}


def _new_context(errors: list[str], actor: Actor) -> dict[str, Any]:
    # The process templates to choose from (standard first), titled in the reader's language.
    return {"roles": list(PersonRole), "errors": errors, **_categories(actor),
            "templates": [(k, t.title.get(get_locale()) or t.title["nl"])
                          for k, t in templates().items()]}


@router.post("/cases/new")
def submit_case(request: Request, session: SessionDep, raw: FormDep,
                actor: Annotated[Actor, Depends(require("case.create"))]) -> Response:
    """Open the case; your organisation becomes its coordinator."""
    data: dict[str, Any] = {"title": raw.get("title") or "", "summary": raw.get("summary") or "",
                            "acute_danger": raw.get("acute_danger") == "on",
                            "template_key": raw.get("template_key") or "standaard",
                            "summary_category": raw.get("summary_category") or None}
    if raw.get("pseudonym"):
        data["persons"] = [{"role": raw.get("role"), "pseudonym": raw.get("pseudonym"),
                            "nationality": str(raw.get("nationality") or "").upper() or None}]
    try:
        create = CaseCreate.model_validate(data)
    except ValidationError as exc:
        errors = validation_messages(exc.errors())
        # The form comes back as typed (issue 18): nothing the professional wrote is lost.
        typed = {**_NO_INPUT, **{k: str(raw.get(k) or "")[:10_000] for k in _NO_INPUT},
                 "acute_danger": data["acute_danger"]}
        return render(request, "cases/new.html", {**_new_context(errors, actor),
                                                  "typed": typed}, status_code=422)
    case = service.open_case(session, data=create, actor=actor)
    return _back(case.id)


@router.get("/cases/referrals")
def incoming_referrals(request: Request, session: SessionDep,
                       actor: Annotated[Actor, Depends(require("case.list"))]) -> Response:
    """Referrals to your organisation that wait for an answer or are under way."""
    rows = [reads.incoming_read(r, actor) for r in referrals.incoming(session, actor=actor)]
    names = {i: o.name for i, o in auth_service.directory(session).items()}
    return render(request, "cases/referrals.html", {
        "rows": rows, "names": names, "basis_title": referrals.basis_title})


@router.get("/cases/emergency")
def emergency_lookup(actor: Annotated[Actor, Depends(require("case.break_glass"))],
                     case_id: Annotated[int, Query(gt=0, le=MAX_ID)]) -> Response:
    """From the case list's form: go to the emergency-access page of a case number."""
    return RedirectResponse(f"/cases/{case_id}/emergency", status_code=303)


@router.get("/cases/{case_id}/emergency")
def emergency_form(request: Request, case_id: PathId,
                   actor: Annotated[Actor, Depends(require("case.break_glass"))]) -> Response:
    """Ask for emergency access (break the glass) to a case outside your need-to-know."""
    return render(request, "cases/emergency.html", {"case_id": case_id})


@router.get("/cases/{case_id}")
def case_detail(request: Request, session: SessionDep, access: CurrentCase) -> Response:
    """One case: status, RACI, tasks, hand-over and the timeline.

    Access was decided once, by ``CurrentCase``; the page and the read model use it.
    """
    actor, case = access.actor, access.case
    directory = auth_service.directory(session)
    # B8, meldcode and plans: the section "cases/_procedures.html", and their steps in the
    # main timeline.
    procedure_context = procedures.page_context(session, access=access, orgs=directory)
    view = procedures.with_procedures(reads.read_model(session, access=access, orgs=directory),
                                      procedure_context["procedures"])
    pending = coordination.pending_handover(session, case.id)
    # Pages name people, not account numbers: the authors of minutes and who broke the
    # glass, read through auth's port (audited under the reader).
    mentioned = ({v.author_user_id for k in view.conferences for v in k.versions}
                 | {a.user_id for a in view.emergency_accesses})
    people = {uid: user.display_name for uid in sorted(mentioned)
              if (user := auth_service.member(session, uid, actor=actor)) is not None}
    # Other cases from the same signals (issue 18): a second organisation's case shows here.
    related = [r for sid in view.signal_ids[:20]
               for r in service.signal_cases(session, actor=actor, signal_id=sid)
               if r.case_id != case.id]
    return render(request, "cases/detail.html", {
        "people": people, "related": related,
        "c": view, "is_coordinator": access.is_coordinator, "pending": pending,
        "may_accept": pending is not None and pending.to_org_id == actor.organisation_id,
        "may_work": access.may_work,
        "orgs": sorted({(p.org_id, p.org_name) for p in view.participants}),
        "all_orgs": sorted(((o.id, o.name) for o in directory.values() if o.is_active),
                           key=lambda o: o[1]),
        "names": {i: o.name for i, o in directory.items()},
        **_categories(actor, access.own),
        "bases": list(referrals.legal_bases().values()),
        "data_categories": list(DataCategory), "roles": list(PersonRole),
        "racis": list(Raci), "statuses": list(CaseStatus), "phases": list(Phase),
        "me": actor.user_id,
        **procedure_context})


@router.post("/cases/{case_id}/transition")
def transition(request: Request, session: SessionDep, case_id: PathId,
               actor: Worker, form: FormDep) -> Response:
    """Change the status, with a reason."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _form(form, TransitionIn, ("version", "to_status", "reason", "category"))
    service.transition(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id)


@router.post("/cases/{case_id}/tasks/{task_id}/assign")
def assign(request: Request, session: SessionDep, case_id: PathId, task_id: PathId,
           actor: Worker, form: FormDep) -> Response:
    """Give a task to a participating organisation."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _form(form, TaskAssign, ("version", "owner_org_id"))
    service.assign_task(session, actor=actor, case_id=case_id, task_id=task_id, data=data)
    return _back(case_id)


@router.post("/cases/{case_id}/handover")
def handover(request: Request, session: SessionDep, case_id: PathId,
             actor: Worker, form: FormDep) -> Response:
    """Propose another organisation as coordinator."""
    service.load(session, actor=actor, case_id=case_id, action="case.update")
    data = _form(form, HandoverIn, ("to_org_id", "reason"))
    coordination.propose_handover(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id)


@router.post("/cases/{case_id}/handover/{handover_id}/accept")
def accept(request: Request, session: SessionDep, case_id: PathId, handover_id: PathId,
           actor: Worker) -> Response:
    """Accept the coordinator role."""
    coordination.accept_handover(session, actor=actor, case_id=case_id, handover_id=handover_id)
    return _back(case_id)


# The form posts of the case page live in ``cases.forms``; their paths never clash
# with the GET routes above.
router.include_router(forms.router)
# The steps that had only an API (issue 18): their own small pages, kept as typed on an error.
router.include_router(steps.router)
