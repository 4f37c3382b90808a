"""JSON routes of the signals domain under /api/v1/signals."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import Response

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.i18n import get_locale
from ketenzicht.signals import export, inbox, service
from ketenzicht.signals.catalogue import catalogue
from ketenzicht.signals.explain import explanation, headline
from ketenzicht.signals.schemas import (
    DraftRead,
    DraftSummary,
    DraftWrite,
    EncodingsWrite,
    InboxItem,
    RegistrationRow,
    RouteDecision,
    RouteForward,
    RouteRead,
    ScreenRequest,
    ScreenResponse,
    SignalCreate,
    SignalRead,
    SignalSummary,
)
from ketenzicht.signals.screening import ScreeningInput, screen
from ketenzicht.web.deps import PathId, SessionDep, SettingsDep, require

router = APIRouter(prefix="/signals", tags=["signals"])

Creator = Annotated[Actor, Depends(require("signal.create"))]


@router.get("/indicators")
def indicators(actor: Creator) -> dict[str, Any]:
    """The ILO/EC indicators (with grades per profile), the Dutch checklists and HTCDS values."""
    cat = catalogue()
    locale = get_locale()
    return {
        "source": cat.source,
        "dimensions": {str(d): label.text(locale) for d, label in cat.dimension_labels.items()},
        "indicators": {code: {"label": label.text(locale),
                              "dimension": str(cat.indicator_dimension[code]),
                              "grades": {str(p): (g[1] if (g := pl.grade_of(code)) else None)
                                         for p, pl in cat.profiles.items()}}
                       for code, label in cat.indicators.items()},
        "profiles": {str(p): {"page": pl.page, "verification": pl.verification}
                     for p, pl in cat.profiles.items()},
        "checklists": [{"key": c.key, "label": c.label.text(locale), "source": c.source,
                        "items": {i.code: {"label": i.label.text(locale), "ilo": list(i.ilo)}
                                  for cl in c.clusters for i in cl.items}}
                       for c in cat.checklists],
        "control_methods": {k: {"label": v.label.text(locale), "ilo": list(v.ilo)}
                            for k, v in cat.control_methods.items()},
        "recruiter_relations": {k: v.text(locale) for k, v in cat.recruiter_relations.items()},
        "isic_sections": {k: v.text(locale) for k, v in cat.isic_sections.items()},
    }


@router.post("/screen", response_model=ScreenResponse)
def screen_only(data: ScreenRequest, actor: Creator) -> ScreenResponse:
    """Screen without recording anything (nothing personal is sent or stored)."""
    cat = catalogue()
    service.check_codes(data.indicators, data.checklist_items, data.control_methods)
    result = screen(ScreeningInput(
        form=data.form, minor=data.minor, nationality=data.nationality,
        acute_danger=data.acute_danger, indicators=tuple(data.indicators),
        items=tuple(data.checklist_items), control_methods=tuple(data.control_methods)),
        cat).to_dict()
    return ScreenResponse(indicators_present=result["indicators_present"],
                          headline=headline(result), b8=result["b8"],
                          explanation=explanation(result, cat), screening=result)


@router.post("", response_model=SignalRead, status_code=status.HTTP_201_CREATED)
def create(session: SessionDep, settings: SettingsDep, data: SignalCreate,
           actor: Creator) -> SignalRead:
    """Record a signal: screened, routed and linked at once; acute danger answers 112 first."""
    signal = service.create_signal(session, data=data, actor=actor,
                                   per_hour=settings.signals_intake_per_hour)
    return service.read_model(session, actor=actor, signal=signal)


@router.get("", response_model=list[SignalSummary])
def list_signals(
    session: SessionDep, actor: Annotated[Actor, Depends(require("signal.list"))],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[SignalSummary]:
    """Signals you reported, of your organisation (coordinators), or routed to it."""
    return [service.summary(s, actor)
            for s in service.list_signals(session, actor=actor, limit=limit)]


@router.get("/inbox", response_model=list[InboxItem])
def list_inbox(
    session: SessionDep, actor: Annotated[Actor, Depends(require("signal.inbox"))],
    include_closed: bool = False,
) -> list[InboxItem]:
    """Routings waiting for your organisation, the most urgent first."""
    routes = inbox.list_inbox(session, actor=actor, include_closed=include_closed)
    orgs = auth_service.directory(session)
    return [InboxItem(route=service.route_read(r, orgs), signal=service.summary(r.signal, actor))
            for r in routes]


@router.get("/export", response_model=list[RegistrationRow])
def export_registration(
    session: SessionDep,
    actor: Annotated[Actor, Depends(require("signal.export_pseudonymised"))],
    pseudonymised: bool = True,
    format: Literal["json", "csv"] = "json",
) -> Response | list[RegistrationRow]:
    """Presumed victims in the shape of CoMensha's registration (pseudonymised by default)."""
    rows = export.registration(session, actor=actor, pseudonymised=pseudonymised)
    if format == "csv":
        return Response(export.to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="registratie.csv"'})
    return rows


@router.post("/drafts", response_model=DraftRead, status_code=status.HTTP_201_CREATED)
def create_draft(session: SessionDep, data: DraftWrite, actor: Creator) -> DraftRead:
    """Keep an incomplete intake; nothing is checked until it is submitted."""
    draft = service.save_draft(session, actor=actor, payload=data.payload)
    return DraftRead.model_validate(draft, from_attributes=True)


@router.get("/drafts", response_model=list[DraftSummary])
def list_drafts(session: SessionDep, actor: Creator) -> list[DraftSummary]:
    """Your own drafts ("my drafts"), last changed first."""
    return service.list_drafts(session, actor=actor)


@router.get("/drafts/{draft_id}", response_model=DraftRead)
def get_draft(session: SessionDep, draft_id: PathId, actor: Creator) -> DraftRead:
    """One of your drafts."""
    draft = service.get_draft(session, actor=actor, draft_id=draft_id)
    return DraftRead.model_validate(draft, from_attributes=True)


@router.put("/drafts/{draft_id}", response_model=DraftRead)
def update_draft(session: SessionDep, draft_id: PathId, data: DraftWrite,
                 actor: Creator) -> DraftRead:
    """Replace what a draft holds."""
    draft = service.save_draft(session, actor=actor, payload=data.payload, draft_id=draft_id)
    return DraftRead.model_validate(draft, from_attributes=True)


@router.get("/{signal_id}", response_model=SignalRead)
def get_signal(
    session: SessionDep, signal_id: PathId,
    actor: Annotated[Actor, Depends(require("signal.view"))],
) -> SignalRead:
    """One signal with its explanation, routings and links."""
    signal = service.get_signal(session, actor=actor, signal_id=signal_id)
    return service.read_model(session, actor=actor, signal=signal)


@router.post("/{signal_id}/encodings", response_model=SignalRead)
def add_encodings(
    session: SessionDep, signal_id: PathId, data: EncodingsWrite,
    actor: Annotated[Actor, Depends(require("signal.view"))],
) -> SignalRead:
    """Attach encodings made at your organisation (``ketenzicht linkage encode``) to one of
    its own signals, e.g. after the server's old encodings were dropped; links at once."""
    signal = service.add_encodings(session, actor=actor, signal_id=signal_id, data=data)
    return service.read_model(session, actor=actor, signal=signal)


@router.post("/routes/{route_id}/accept", response_model=RouteRead)
def accept(
    session: SessionDep, route_id: PathId, data: RouteDecision,
    actor: Annotated[Actor, Depends(require("signal.handle"))],
) -> RouteRead:
    """Accept a signal routed to your organisation."""
    route = inbox.accept(session, actor=actor, route_id=route_id, data=data)
    return service.route_read(route, auth_service.directory(session))


@router.post("/routes/{route_id}/forward", response_model=RouteRead)
def forward(
    session: SessionDep, route_id: PathId, data: RouteForward,
    actor: Annotated[Actor, Depends(require("signal.handle"))],
) -> RouteRead:
    """Forward a signal to another organisation, with the reason."""
    route = inbox.forward(session, actor=actor, route_id=route_id, data=data)
    return service.route_read(route, auth_service.directory(session))
