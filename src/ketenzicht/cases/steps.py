"""Page forms for the case steps that had only an API (issue 18).

Open a case from a signal (warned when the signal has one), complete a task, decline
a hand-over with a reason, end one's emergency access, and change or end an
organisation's part. Each step has a small page of its own that the case page links
or posts to; a refused form comes back on that page as typed, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import coordination, emergency, flows, service
from ketenzicht.cases.enums import HandoverStatus, Phase, Raci
from ketenzicht.cases.models import CaseHandover, CaseParticipant, CaseTask
from ketenzicht.cases.schemas import (
    CaseFromSignals,
    HandoverDecline,
    ParticipantChange,
    ParticipantRemove,
    TaskComplete,
)
from ketenzicht.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.core.labels import label
from ketenzicht.signals import service as signals
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require
from ketenzicht.web.templating import render
from ketenzicht.web.validation import messages as validation_messages

router = APIRouter(include_in_schema=False)

Creator = Annotated[Actor, Depends(require("case.create"))]
Worker = Annotated[Actor, Depends(require("case.update"))]
Glass = Annotated[Actor, Depends(require("case.break_glass"))]


@dataclass
class Field:
    """One input of a step form, with the value typed (kept on an error)."""

    name: str
    label: str
    kind: str = "text"  # text | textarea | select | checkbox | hidden
    value: str = ""
    required: bool = False
    minlength: int | None = None
    options: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Step:
    """A step page: what it is about, its form and where it goes back to."""

    title: str
    action: str
    submit: str
    back: str
    fields: list[Field]
    intro: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


def _page(request: Request, step: Step, errors: list[str] | None = None,
          status_code: int = 200) -> Response:
    return render(request, "cases/step.html", {"step": step, "errors": errors or []},
                  status_code=status_code)


def _typed(form: Any, *names: str) -> dict[str, str]:
    return {n: str(form.get(n) or "")[:10_000] for n in names}


def _model(model: type[BaseModel], data: dict[str, Any]) -> Any:
    # A field left blank (or only spaces) is not given: the rule about it speaks, not a
    # "too short" for an empty string.
    return model.model_validate({k: v for k, v in data.items()
                                 if v is not None and str(v).strip() != ""})


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return validation_messages(exc.errors())
    assert isinstance(exc, DomainError)
    return [exc.localized()]


def _status(exc: Exception) -> int:
    return exc.status_code if isinstance(exc, DomainError) else 422


# -- open a case from a signal -------------------------------------------------------------


def _from_signal_step(session: SessionDep, actor: Actor, signal_id: int,
                      typed: dict[str, str]) -> Step:
    signal = signals.get_signal(session, actor=actor, signal_id=signal_id)
    existing = service.signal_cases(session, actor=actor, signal_id=signal.id)
    names = {i: o.name for i, o in auth_service.directory(session).items()}
    step = Step(title=gettext(N_("Open a case from signal %(id)s")) % {"id": signal.id},
                action=f"/cases/from-signal/{signal.id}",
                submit=gettext(N_("Open the case")), back=f"/signals/{signal.id}",
                fields=[Field("title", gettext(N_("Title of the case")), value=typed.get(
                    "title") or "", required=True, minlength=3)],
                intro=[gettext(N_("The persons of the signal become presumed victims of the "
                                  "case, and your organisation coordinates it."))])
    for c in existing:
        who = names.get(c.coordinator_org_id, "?")
        step.warnings.append(
            gettext(N_("This signal already has case %(id)s, coordinated by %(org)s."))
            % {"id": c.case_id, "org": who})
        if c.visible:
            step.links.append((f"/cases/{c.case_id}",
                               gettext(N_("Case %(id)s")) % {"id": c.case_id}
                               + f": {c.title}"))
    if existing:
        step.fields.append(Field(
            "confirm_related", gettext(N_("My organisation needs a case of its own: open a "
                                          "second case, related to the first")),
            kind="checkbox", value=typed.get("confirm_related") or ""))
    return step


@router.get("/cases/from-signal/{signal_id}")
def from_signal_form(request: Request, session: SessionDep, signal_id: PathId,
                     actor: Creator) -> Response:
    """The form to open a case from a signal, warning when the signal already has one."""
    return _page(request, _from_signal_step(session, actor, signal_id, {}))


@router.post("/cases/from-signal/{signal_id}")
def from_signal(request: Request, session: SessionDep, signal_id: PathId, actor: Creator,
                form: FormDep) -> Response:
    """Open the case; a signal with a case needs the confirmation (else 409, as typed)."""
    typed = _typed(form, "title", "confirm_related")
    try:
        data = CaseFromSignals(signal_ids=[signal_id], title=typed["title"],
                               confirm_related=typed["confirm_related"] == "on")
        case = flows.open_from_signals(session, actor=actor, data=data)
    except (ValidationError, ValidationFailed, Conflict) as exc:
        session.rollback()
        return _page(request, _from_signal_step(session, actor, signal_id, typed),
                     _errors(exc), _status(exc))
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


# -- complete a task -----------------------------------------------------------------------


def _task_step(session: SessionDep, actor: Actor, case_id: int, task_id: int,
               typed: dict[str, str]) -> Step:
    case = service.load(session, actor=actor, case_id=case_id, action="case.update")
    task = session.get(CaseTask, task_id)
    if task is None or task.case_id != case.id:
        raise Forbidden(REFUSED)
    return Step(title=gettext(N_("Complete task %(id)s")) % {"id": task.id},
                action=f"/cases/{case.id}/tasks/{task.id}/complete",
                submit=gettext(N_("Mark the task done")), back=f"/cases/{case.id}",
                fields=[Field("version", "", kind="hidden",
                              value=typed.get("version") or str(task.version)),
                        Field("note", gettext(N_("Note (what was done)")), kind="textarea",
                              value=typed.get("note") or "")])


@router.get("/cases/{case_id}/tasks/{task_id}/complete")
def complete_form(request: Request, session: SessionDep, case_id: PathId, task_id: PathId,
                  actor: Worker) -> Response:
    """The form to mark a task done, with a note."""
    return _page(request, _task_step(session, actor, case_id, task_id, {}))


@router.post("/cases/{case_id}/tasks/{task_id}/complete")
def complete(request: Request, session: SessionDep, case_id: PathId, task_id: PathId,
             actor: Worker, form: FormDep) -> Response:
    """Mark the task done (its organisation or the coordinator)."""
    typed = _typed(form, "version", "note")
    try:
        data = _model(TaskComplete, typed)
        service.complete_task(session, actor=actor, case_id=case_id, task_id=task_id,
                              data=data)
    except (ValidationError, ValidationFailed, Conflict) as exc:
        session.rollback()
        return _page(request, _task_step(session, actor, case_id, task_id, typed),
                     _errors(exc), _status(exc))
    return RedirectResponse(f"/cases/{case_id}#task-{task_id}", status_code=303)


# -- decline (or withdraw) a hand-over -----------------------------------------------------


def _decline_step(session: SessionDep, actor: Actor, case_id: int, handover_id: int,
                  typed: dict[str, str]) -> Step:
    case = service.load(session, actor=actor, case_id=case_id, action="case.update")
    row = session.get(CaseHandover, handover_id)
    if row is None or row.case_id != case.id or row.status is not HandoverStatus.PENDING:
        raise Forbidden(REFUSED)
    declining = row.to_org_id == actor.organisation_id
    title = N_("Decline the coordinator role") if declining else N_("Withdraw the hand-over")
    return Step(title=gettext(title), action=f"/cases/{case.id}/handover/{row.id}/decline",
                submit=gettext(title), back=f"/cases/{case.id}",
                intro=[gettext(N_("Proposed because: %(reason)s")) % {"reason": row.reason}],
                fields=[Field("reason", gettext(N_("Why do you decline?")), kind="textarea",
                              value=typed.get("reason") or "", required=True, minlength=3)]
                if declining else [])


@router.get("/cases/{case_id}/handover/{handover_id}/decline")
def decline_form(request: Request, session: SessionDep, case_id: PathId, handover_id: PathId,
                 actor: Worker) -> Response:
    """The form to decline the coordinator role with a reason (or withdraw the proposal)."""
    return _page(request, _decline_step(session, actor, case_id, handover_id, {}))


@router.post("/cases/{case_id}/handover/{handover_id}/decline")
def decline(request: Request, session: SessionDep, case_id: PathId, handover_id: PathId,
            actor: Worker, form: FormDep) -> Response:
    """Decline with the reason (the proposed organisation) or withdraw (the coordinator)."""
    typed = _typed(form, "reason")
    try:
        data = _model(HandoverDecline, typed)
        coordination.decline_handover(session, actor=actor, case_id=case_id,
                                      handover_id=handover_id, reason=data.reason)
    except (ValidationError, ValidationFailed, Conflict) as exc:
        session.rollback()
        return _page(request, _decline_step(session, actor, case_id, handover_id, typed),
                     _errors(exc), _status(exc))
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


# -- end one's emergency access early ------------------------------------------------------


@router.post("/cases/{case_id}/emergency/{access_id}/end")
def end_emergency(session: SessionDep, case_id: PathId, access_id: PathId,
                  actor: Glass) -> Response:
    """End your break-the-glass access now; the case list follows (the case may be gone)."""
    emergency.end(session, actor=actor, case_id=case_id, access_id=access_id)
    return RedirectResponse("/cases", status_code=303)


# -- change or end an organisation's part --------------------------------------------------


def _participant_step(session: SessionDep, actor: Actor, case_id: int, participant_id: int,
                      typed: dict[str, str], remove: bool) -> Step:
    case = service.load(session, actor=actor, case_id=case_id, action="case.update")
    service.require_coordinator(case, actor)
    row = session.get(CaseParticipant, participant_id)
    if row is None or row.case_id != case.id:
        raise Forbidden(REFUSED)
    org = auth_service.directory(session).get(row.org_id)
    about = gettext(N_("%(org)s in phase %(phase)s, as %(raci)s")) % {
        "org": org.name if org else "?", "phase": label("phase", row.phase),
        "raci": label("raci", row.raci)}
    reason = Field("reason", gettext(N_("Reason")), kind="textarea",
                   value=typed.get("reason") or "", required=True, minlength=3)
    base = f"/cases/{case.id}/participants/{row.id}"
    if remove:
        return Step(title=gettext(N_("End an organisation's part")), action=f"{base}/remove",
                    submit=gettext(N_("End this part")), back=f"/cases/{case.id}#raci",
                    intro=[about], fields=[reason])
    phase = typed.get("phase") or row.phase.value
    raci = typed.get("raci") or row.raci.value
    return Step(title=gettext(N_("Change an organisation's part")), action=f"{base}/change",
                submit=gettext(N_("Save the change")), back=f"/cases/{case.id}#raci",
                intro=[about], fields=[
                    Field("phase", gettext(N_("Phase")), kind="select", value=phase,
                          options=[(p.value, label("phase", p)) for p in Phase]),
                    Field("raci", gettext(N_("Role in the phase (RACI)")), kind="select",
                          value=raci, options=[(r.value, label("raci", r)) for r in Raci]),
                    reason])


@router.get("/cases/{case_id}/participants/{participant_id}/change")
def change_form(request: Request, session: SessionDep, case_id: PathId,
                participant_id: PathId, actor: Worker) -> Response:
    """The form to change an organisation's phase or RACI letter."""
    return _page(request, _participant_step(session, actor, case_id, participant_id, {},
                                            remove=False))


@router.get("/cases/{case_id}/participants/{participant_id}/remove")
def remove_form(request: Request, session: SessionDep, case_id: PathId,
                participant_id: PathId, actor: Worker) -> Response:
    """The form to end an organisation's part in a phase."""
    return _page(request, _participant_step(session, actor, case_id, participant_id, {},
                                            remove=True))


@router.post("/cases/{case_id}/participants/{participant_id}/change")
def change_participant(request: Request, session: SessionDep, case_id: PathId,
                       participant_id: PathId, actor: Worker, form: FormDep) -> Response:
    """Change the phase or RACI letter, with the reason (audited)."""
    typed = _typed(form, "phase", "raci", "reason")
    try:
        data = _model(ParticipantChange, typed)
        coordination.change_participant(session, actor=actor, case_id=case_id,
                                        participant_id=participant_id, data=data)
    except (ValidationError, ValidationFailed, Conflict) as exc:
        session.rollback()
        return _page(request, _participant_step(session, actor, case_id, participant_id,
                                                typed, remove=False),
                     _errors(exc), _status(exc))
    return RedirectResponse(f"/cases/{case_id}#raci", status_code=303)


@router.post("/cases/{case_id}/participants/{participant_id}/remove")
def remove_participant(request: Request, session: SessionDep, case_id: PathId,
                       participant_id: PathId, actor: Worker, form: FormDep) -> Response:
    """End the organisation's part in the phase, with the reason (audited)."""
    typed = _typed(form, "reason")
    try:
        data = _model(ParticipantRemove, typed)
        coordination.remove_participant(session, actor=actor, case_id=case_id,
                                        participant_id=participant_id, data=data)
    except (ValidationError, ValidationFailed, Conflict) as exc:
        session.rollback()
        return _page(request, _participant_step(session, actor, case_id, participant_id,
                                                typed, remove=True),
                     _errors(exc), _status(exc))
    return RedirectResponse(f"/cases/{case_id}#raci", status_code=303)
