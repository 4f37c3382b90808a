"""HTML routes of the online workspace: networks, captures, search, watchlist, hand-overs."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core import ports
from ketenzicht.core.errors import DomainError, ValidationFailed
from ketenzicht.online.collection import public as replay
from ketenzicht.online.workspace import flows, geo, queries, report, search, service, watch
from ketenzicht.online.workspace.enums import TriageStatus, WatchKind
from ketenzicht.online.workspace.params import BAD_FILTER, parse_filter
from ketenzicht.web.deps import FormDep, PathId, SessionDep, SettingsDep, require
from ketenzicht.web.middleware import CSP
from ketenzicht.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_UPLOAD = 10_000_000

View = Annotated[Actor, Depends(require("online.network.view"))]
Triage = Annotated[Actor, Depends(require("online.network.triage"))]
Export = Annotated[Actor, Depends(require("online.network.export"))]
Handover = Annotated[Actor, Depends(require("online.network.handover"))]
Capture = Annotated[Actor, Depends(require("online.capture.view"))]
Search = Annotated[Actor, Depends(require("online.search"))]
Watch = Annotated[Actor, Depends(require("online.watch"))]


def map_csp(settings: Settings) -> str:
    """The page CSP, with the tile server's origin added to ``img-src`` when one is set."""
    url = settings.online_map_tile_url
    if not url:
        return CSP
    parts = urlsplit(url)
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {parts.scheme}://{parts.netloc}")


@router.get("/online")
def online_home(actor: View) -> Response:
    """The workspace starts at the network list."""
    return RedirectResponse("/online/networks", status_code=303)


@router.get("/online/networks")
def networks_page(request: Request, session: SessionDep, actor: View) -> Response:
    """Networks ranked by risk score, with filters."""
    params = dict(request.query_params)
    f = parse_filter(params)
    rows, total = service.list_networks(session, actor=actor, f=f)
    run = queries.latest_run(session)
    options = queries.filter_options(session, run=run)
    return render(request, "online/networks.html", {
        "rows": rows, "total": total, "f": f, "params": params, "options": options, "run": run,
        "statuses": list(TriageStatus), "page_size": queries.PAGE_SIZE,
        "count_cap": queries.COUNT_CAP})


@router.get("/online/networks/{network_id}")
def network_page(request: Request, session: SessionDep, settings: SettingsDep, actor: View,
                 network_id: PathId) -> Response:
    """One network: reasons, template, ads with captures, movement, identifiers, triage."""
    d = service.detail(session, actor=actor, network_id=network_id)
    triage = service.triage_of(session, key=d.network.key)
    stops = [(s.city, f"{s.first_seen:%Y-%m-%d}", f"{s.last_seen:%Y-%m-%d}")
             for s in d.trajectory]
    map_data = {"tiles": settings.online_map_tile_url,
                "attribution": settings.online_map_attribution,
                "stops": geo.trajectory_points(stops)}
    response = render(request, "online/network.html", {
        "d": d, "n": d.network, "triage": triage,
        "status": triage.status if triage else TriageStatus.NEW,
        "history": service.history(session, actor=actor, key=d.network.key),
        "statuses": list(TriageStatus), "map_json": json.dumps(map_data),
        "timeline": _timeline(d), "undercover": _undercover(session, actor, d)})
    response.headers["Content-Security-Policy"] = map_csp(settings)
    return response


def _undercover(session: SessionDep, actor: Actor, d: queries.NetworkDetail
                ) -> list[dict[str, Any]]:
    """Undercover counterparts in this network, asked of the domain that holds them (which
    the workspace may not import): only those the reader may know of, else nothing."""
    return ports.ask(ports.COUNTERPARTS_IN_NETWORK, session, actor=actor,
                     identifiers=[(i.identifier.kind.value, i.identifier.value)
                                  for i in d.identifiers])


def _timeline(d: queries.NetworkDetail) -> dict[str, Any]:
    """An SVG timeline strip per persona: one bar per stop, placed by date."""
    stops = [s for group in d.personas.values() for s in group] or d.trajectory
    if not stops:
        return {"rows": [], "width": 0, "start": None, "end": None}
    start = min(s.first_seen for s in stops)
    end = max(s.last_seen for s in stops)
    span = max((end - start).total_seconds(), 86_400.0)
    width, label = 720, 140
    plot = width - label - 90  # room after the last bar for its city's name
    groups = d.personas or {"": d.trajectory}
    rows = []
    for i, (persona, group) in enumerate(sorted(groups.items())):
        bars = []
        for s in group:
            x0 = label + (s.first_seen - start).total_seconds() / span * plot
            x1 = label + (s.last_seen - start).total_seconds() / span * plot
            bars.append({"x": round(x0, 1), "w": round(max(x1 - x0, 6.0), 1), "city": s.city,
                         "from": f"{s.first_seen:%Y-%m-%d}", "to": f"{s.last_seen:%Y-%m-%d}"})
        rows.append({"persona": persona, "y": 10 + i * 34, "bars": bars})
    return {"rows": rows, "width": width, "height": 20 + len(rows) * 34, "label": label,
            "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}


@router.get("/online/map/base.json")
def map_base(actor: View) -> Response:
    """The map's offline background: the outline of the Netherlands and municipality points."""
    return JSONResponse(geo.base_layer())


def _form(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _back(network_id: int, fragment: str = "") -> RedirectResponse:
    return RedirectResponse(f"/online/networks/{network_id}{fragment}", status_code=303)


@router.post("/online/networks/{network_id}/status")
def set_status(request: Request, session: SessionDep, actor: Triage,
               network_id: PathId, raw: FormDep) -> Response:
    """Record a triage decision (status with reason)."""
    form = _form(raw)
    try:
        status = TriageStatus(form.get("status", ""))
        version = int(form["version"]) if form.get("version") else None
    except ValueError as exc:
        raise ValidationFailed(BAD_FILTER, name="status") from exc
    service.set_status(session, actor=actor, network_id=network_id, status=status,
                       reason=form.get("reason", ""), version=version)
    return _back(network_id, "#triage")


@router.post("/online/networks/{network_id}/notes")
def add_note(request: Request, session: SessionDep, actor: Triage,
             network_id: PathId, raw: FormDep) -> Response:
    """Add a note to the network's history."""
    form = _form(raw)
    service.add_note(session, actor=actor, network_id=network_id, text=form.get("text", ""))
    return _back(network_id, "#triage")


@router.post("/online/networks/{network_id}/watch")
def watch_network(session: SessionDep, actor: Watch, network_id: PathId) -> Response:
    """Watch this network (matched later by its key and its identifiers)."""
    watch.add_watch(session, actor=actor, kind=WatchKind.NETWORK, network_id=network_id)
    return RedirectResponse("/online/watchlist", status_code=303)


@router.post("/online/networks/{network_id}/signal")
def make_signal(session: SessionDep, actor: Handover, network_id: PathId) -> Response:
    """"Maak signaal": a signal prefilled with the network's facts and a link back."""
    signal = flows.make_signal(session, actor=actor, network_id=network_id)
    return RedirectResponse(f"/signals/{signal.id}", status_code=303)


@router.post("/online/networks/{network_id}/dossier")
def to_dossier(request: Request, session: SessionDep, actor: Handover,
               network_id: PathId, raw: FormDep) -> Response:
    """"Naar dossier": the report and the cited captures into a case's evidence."""
    form = _form(raw)
    try:
        case_id = int(form.get("case_id", ""))
    except ValueError as exc:
        raise ValidationFailed(BAD_FILTER, name="case_id") from exc
    result = flows.to_dossier(session, actor=actor, network_id=network_id, case_id=case_id,
                              note=form.get("note", "")[:5000])
    return RedirectResponse(f"/cases/{result.case_id}", status_code=303)


@router.get("/online/networks/{network_id}/report.json")
def report_json(session: SessionDep, actor: Export, network_id: PathId) -> Response:
    """The network report as canonical JSON."""
    data = report.build(session, actor=actor, network_id=network_id)
    return Response(report.to_json(data), media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="netwerk-{network_id}.json"'})


@router.get("/online/networks/{network_id}/report.pdf")
def report_pdf(session: SessionDep, actor: Export, network_id: PathId) -> Response:
    """The network report as PDF."""
    data = report.build(session, actor=actor, network_id=network_id)
    return Response(report.to_pdf(data), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="netwerk-{network_id}.pdf"'})


@router.get("/online/captures/{capture_id}")
def capture_page(request: Request, session: SessionDep, settings: SettingsDep, actor: Capture,
                 capture_id: PathId) -> Response:
    """A capture: its metadata, SHA-256 and verification, and the page in a sandboxed frame."""
    result = replay.replay(session, actor=actor, capture_id=capture_id, settings=settings)
    return render(request, "online/capture.html", {"r": result, "c": result.capture})


@router.get("/online/captures/{capture_id}/raw")
def capture_raw(session: SessionDep, settings: SettingsDep, actor: Capture,
                capture_id: PathId) -> Response:
    """The captured bytes, under a CSP that forbids scripts and outgoing requests."""
    result = replay.replay(session, actor=actor, capture_id=capture_id, settings=settings)
    body = result.payload if result.payload is not None else b""
    return Response(body, media_type=replay.safe_content_type(result.content_type), headers={
        "Content-Security-Policy": replay.REPLAY_CSP,
        "X-Frame-Options": "SAMEORIGIN",  # only our capture page may frame it
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline"})


@router.get("/online/search")
def search_page(request: Request, session: SessionDep, actor: Search) -> Response:
    """Search by phone, e-mail, handle, name or text (image: the upload form below)."""
    kind_raw = request.query_params.get("kind", "phone")
    query = request.query_params.get("q", "")
    result, errors = None, []
    try:
        kind = search.SearchKind(kind_raw)
    except ValueError:
        kind = search.SearchKind.PHONE
    if query.strip():
        try:
            result = search.search(session, actor=actor, kind=kind, query=query)
        except ValidationFailed as exc:
            errors.append(exc.localized())
    return render(request, "online/search.html", {
        "kinds": [k for k in search.SearchKind if k is not search.SearchKind.IMAGE],
        "kind": kind, "q": query, "result": result, "errors": errors})


@router.post("/online/search/image")
def search_image(request: Request, session: SessionDep, actor: Search, form: FormDep) -> Response:
    """Search by an uploaded image, matched by perceptual hash."""
    upload = form.get("image")
    data = b""
    if upload is not None and not isinstance(upload, str):
        data = upload.file.read(MAX_UPLOAD)
    errors: list[str] = []
    result = None
    try:
        result = search.search(session, actor=actor, kind=search.SearchKind.IMAGE, image=data)
    except DomainError as exc:
        errors.append(exc.localized())
    return render(request, "online/search.html", {
        "kinds": [k for k in search.SearchKind if k is not search.SearchKind.IMAGE],
        "kind": search.SearchKind.IMAGE, "q": "", "result": result, "errors": errors},
        status_code=200 if result else 422)


@router.get("/online/watchlist")
def watchlist_page(request: Request, session: SessionDep, actor: Watch) -> Response:
    """The actor's watches and the new ads they brought."""
    return render(request, "online/watchlist.html", {
        "watches": watch.list_watches(session, actor=actor),
        "hits": watch.list_hits(session, actor=actor),
        "kinds": [k for k in WatchKind if k is not WatchKind.NETWORK], "errors": []})


@router.post("/online/watchlist")
def add_watch(request: Request, session: SessionDep, actor: Watch, raw: FormDep) -> Response:
    """Watch an identifier (phone in any spelling, e-mail, handle or image hash)."""
    form = _form(raw)
    try:
        kind = WatchKind(form.get("kind", ""))
        if kind is WatchKind.NETWORK:
            raise ValueError(kind)
    except ValueError as exc:
        raise ValidationFailed(BAD_FILTER, name="kind") from exc
    watch.add_watch(session, actor=actor, kind=kind, value=form.get("value", ""),
                    label=form.get("label", ""))
    return RedirectResponse("/online/watchlist", status_code=303)


@router.post("/online/watchlist/{watch_id}/remove")
def remove_watch(session: SessionDep, actor: Watch, watch_id: PathId) -> Response:
    """Stop watching."""
    watch.remove_watch(session, actor=actor, watch_id=watch_id)
    return RedirectResponse("/online/watchlist", status_code=303)
