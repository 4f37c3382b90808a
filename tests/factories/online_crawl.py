"""Factories of the crawl half of ``online``: crawl runs, for the route access test."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.core import clock
from ketenzicht.online.collection.enums import RunStatus
from ketenzicht.online.collection.models import CrawlRun
from tests.factories.access import World


def make_run(db: Session, *, site: str = "demo", status: RunStatus = RunStatus.FINISHED,
             stats: dict[str, Any] | None = None) -> CrawlRun:
    """A crawl run with statistics, as the runner leaves it."""
    now = clock.now()
    run = CrawlRun(site=site, profile_version=1, started_at=now, job_dir="/nonexistent",
                   status=status, finished_at=now if status is not RunStatus.RUNNING else None,
                   stats=stats if stats is not None else {
                       "captures": 12, "ads/new": 3, "ads/changed": 1, "ads/unchanged": 5,
                       "ads/gone": 2, "errors/HttpError": 1, "errors/DownloadTimeoutError": 2,
                       "finish_reason": "finished"})
    db.add(run)
    db.flush()
    return run


def _run(db: Session, w: World) -> tuple[int, ResourceRef]:
    run = make_run(db)
    return run.id, ResourceRef(kind="crawl_run", id=run.id, owner_org_id=None)


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "run_id": _run,
}

ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("POST", "/online/crawl/start"): lambda w: {"profile": "demo"},
}
