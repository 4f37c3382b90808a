"""HTML routes of crawl management: site profiles, runs, starting a crawl, the capture index.

Replaying a capture is the workspace's page (``/online/captures/{id}``); these pages link
to it. A crawl is started as a background process (:mod:`.launch`), never in the request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.online.collection import health, launch, profiles, queries
from ketenzicht.web.deps import PathId, SessionDep, SettingsDep, require
from ketenzicht.web.templating import render

router = APIRouter(include_in_schema=False)

Crawl = Annotated[Actor, Depends(require("online.crawl"))]
ViewCaptures = Annotated[Actor, Depends(require("online.capture.view"))]
Page = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/online/crawl")
def crawl_page(request: Request, session: SessionDep, settings: SettingsDep, actor: Crawl,
               started: Annotated[str | None, Query(max_length=64)] = None,
               page: Page = 1) -> Response:
    """Site profiles with their validation, interval and schedule; the latest runs."""
    checks = profiles.check_all()
    sites = queries.schedule(session, checks=checks, now=clock.now())
    running = {s.check.name for s in sites if launch.is_running(settings, s.check.name)}
    runs, total = queries.list_runs(session, offset=(page - 1) * queries.PAGE_SIZE)
    return render(request, "online/crawl/index.html", {
        "sites": sites, "running": running, "runs": runs, "total": total, "page": page,
        "page_size": queries.PAGE_SIZE, "errors_of": queries.error_count,
        "started": started if started in {c.name for c in checks} else None})


@router.post("/online/crawl/start")
def start_crawl(request: Request, session: SessionDep, settings: SettingsDep, actor: Crawl,
                profile: Annotated[str, Form(max_length=64)]) -> Response:
    """Start a crawl of one profile in the background, then show the overview."""
    try:
        site = profiles.load(profile)
    except profiles.ProfileError as exc:
        raise ValidationFailed(N_("Site profile %(name)s cannot be used: %(problem)s"),
                               name=profile, problem=str(exc)) from exc
    launch.start(settings, profile=site.name, username=actor.username)
    audit.record(session, actor=actor, action="online.crawl.request", resource_type="crawl_run",
                 detail={"site": site.name, "profile_version": site.version})
    return RedirectResponse(f"/online/crawl?started={site.name}", status_code=303)


@router.get("/online/crawl/runs/{run_id}")
def run_page(request: Request, session: SessionDep, actor: Crawl, run_id: PathId,
             page: Page = 1) -> Response:
    """One run: status, every statistic (errors by kind) and its captures."""
    run = queries.get_run(session, run_id)
    if run is None:
        raise Forbidden(REFUSED)
    captures, total = queries.list_captures(session, run_id=run.id,
                                            offset=(page - 1) * queries.PAGE_SIZE)
    if captures:
        audit.record_read(session, actor=actor, resource_type="capture",
                          ids=[c.id for c in captures])
    stats = run.stats or {}
    verdicts = ("failure", "gone_check")
    return render(request, "online/crawl/run.html", {
        "run": run, "captures": captures, "total": total, "page": page,
        "page_size": queries.PAGE_SIZE, "errors": queries.error_count(run),
        "failure": health.REASONS.get(str(stats.get("failure", ""))),
        "gone_check": health.GONE_SKIPPED.get(str(stats.get("gone_check", ""))),
        "error_kinds": sorted((k[7:], v) for k, v in stats.items() if k.startswith("errors/")),
        # Counters only: a run's text fields (finish reason, verdicts) are said in words above.
        "other_stats": sorted((k, v) for k, v in stats.items()
                              if not k.startswith("errors/") and k not in verdicts
                              and isinstance(v, int | float))})


@router.get("/online/crawl/captures")
def captures_page(request: Request, session: SessionDep, actor: ViewCaptures,
                  run: Annotated[int | None, Query(ge=1, le=2**31)] = None,
                  url: Annotated[str | None, Query(max_length=300)] = None,
                  page: Page = 1) -> Response:
    """The capture index: URL, time, status, SHA-256, WARC file and offset, with replay links."""
    rows, total = queries.list_captures(session, run_id=run, url=(url or "").strip() or None,
                                        offset=(page - 1) * queries.PAGE_SIZE)
    if rows:
        audit.record_read(session, actor=actor, resource_type="capture",
                          ids=[c.id for c in rows])
    return render(request, "online/crawl/captures.html", {
        "rows": rows, "total": total, "page": page, "page_size": queries.PAGE_SIZE,
        "run": run, "url": url or ""})
