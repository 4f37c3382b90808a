"""JSON routes of the online workspace (under /api/v1/online)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from ketenzicht.auth.schemas import Actor
from ketenzicht.online.workspace import queries, search, service, watch
from ketenzicht.online.workspace.enums import TriageStatus
from ketenzicht.online.workspace.networks.models import Network
from ketenzicht.online.workspace.params import parse_filter
from ketenzicht.online.workspace.schemas import (
    NetworkPage,
    NetworkSummary,
    ReasonRead,
    SearchRead,
    StatusUpdate,
    TriageRead,
    WatchCreate,
    WatchRead,
)
from ketenzicht.web.deps import PathId, SessionDep, require

router = APIRouter(prefix="/online", tags=["online"])


def _summary(n: Network, status: TriageStatus, reasons: list[ReasonRead] | None = None,
             cities: list[str] | None = None) -> NetworkSummary:
    return NetworkSummary(id=n.id, key=n.key, score=n.score, size=n.size, names=n.names,
                          phones=n.phones, recent_cities=cities or [], first_seen=n.first_seen,
                          last_seen=n.last_seen, status=status, reasons=reasons or [])


@router.get("/networks", response_model=NetworkPage)
def list_networks(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("online.network.view"))],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> NetworkPage:
    """Networks ranked by risk score; the page's filters as in the HTML list."""
    f = parse_filter(dict(request.query_params))
    rows, total = service.list_networks(session, actor=actor, f=f)
    return NetworkPage(total=total, page=f.page, networks=[
        _summary(r.network, r.status, [ReasonRead(code=x.code, weight=x.weight, fact=x.fact,
                                                  params=x.params)
                                       for x in r.reasons], r.recent_cities) for r in rows])


@router.get("/networks/{network_id}", response_model=NetworkSummary)
def get_network(session: SessionDep,
                actor: Annotated[Actor, Depends(require("online.network.view"))],
                network_id: PathId) -> NetworkSummary:
    """One network with all its reasons (the view is audited)."""
    d = service.detail(session, actor=actor, network_id=network_id)
    triage = service.triage_of(session, key=d.network.key)
    return _summary(d.network, triage.status if triage else TriageStatus.NEW,
                    [ReasonRead(code=r.code, weight=r.weight, fact=r.fact, params=r.params)
                     for r in d.reasons],
                    [s.city for s in d.trajectory])


@router.post("/networks/{network_id}/status", response_model=TriageRead)
def set_status(body: StatusUpdate, session: SessionDep,
               actor: Annotated[Actor, Depends(require("online.network.triage"))],
               network_id: PathId) -> TriageRead:
    """Record a triage decision with its reason (409 on a stale version)."""
    triage = service.set_status(session, actor=actor, network_id=network_id, status=body.status,
                                reason=body.reason, version=body.version)
    return TriageRead(network_key=triage.network_key, status=triage.status,
                      version=triage.version)


@router.get("/search", response_model=SearchRead)
def run_search(session: SessionDep, actor: Annotated[Actor, Depends(require("online.search"))],
               kind: search.SearchKind, q: Annotated[str, Query(min_length=1, max_length=500)]
               ) -> SearchRead:
    """Search by phone (any spelling), e-mail, handle, name or free text."""
    result = search.search(session, actor=actor, kind=kind, query=q)
    status = queries.statuses(session, [n.key for n in result.networks])
    return SearchRead(kind=kind.value, values=result.values,
                      networks=[_summary(n, status[n.key]) for n in result.networks])


@router.get("/watches", response_model=list[WatchRead])
def list_watches(session: SessionDep, actor: Annotated[Actor, Depends(require("online.watch"))]
                 ) -> list[WatchRead]:
    """The actor's own watches."""
    return [WatchRead(id=w.id, kind=w.kind, value=w.value, label=w.label, hits=n)
            for w, n in watch.list_watches(session, actor=actor)]


@router.post("/watches", response_model=WatchRead, status_code=201)
def add_watch(body: WatchCreate, session: SessionDep,
              actor: Annotated[Actor, Depends(require("online.watch"))]) -> WatchRead:
    """Watch an identifier or (with ``network_id``) a network."""
    w = watch.add_watch(session, actor=actor, kind=body.kind, value=body.value,
                        label=body.label, network_id=body.network_id)
    return WatchRead(id=w.id, kind=w.kind, value=w.value, label=w.label, hits=0)


@router.delete("/watches/{watch_id}", status_code=204)
def remove_watch(session: SessionDep, actor: Annotated[Actor, Depends(require("online.watch"))],
                 watch_id: PathId) -> None:
    """Stop watching."""
    watch.remove_watch(session, actor=actor, watch_id=watch_id)
