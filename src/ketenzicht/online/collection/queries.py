"""Read-side queries of the crawl management pages and the re-crawl schedule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.online.collection.enums import RunStatus
from ketenzicht.online.collection.models import Capture, CrawlRun
from ketenzicht.online.collection.profiles import ProfileCheck

PAGE_SIZE = 50


@dataclass(frozen=True)
class SiteSchedule:
    """A profile with its validation outcome, its last finished run and when it is due."""

    check: ProfileCheck
    last: CrawlRun | None
    open_run: CrawlRun | None
    next_due: datetime | None

    @property
    def due(self) -> bool:
        """True when a valid profile was never crawled or its interval has passed."""
        return (self.check.profile is not None and self.check.profile.scheduled
                and self.next_due is None)


def schedule(session: Session, *, checks: Sequence[ProfileCheck], now: datetime
             ) -> list[SiteSchedule]:
    """Each profile's place in the re-crawl schedule (``next_due`` None: due now)."""
    out: list[SiteSchedule] = []
    for check in checks:
        last = session.scalars(select(CrawlRun).where(
            CrawlRun.site == check.name, CrawlRun.status == RunStatus.FINISHED)
            .order_by(CrawlRun.id.desc()).limit(1)).first()
        open_run = session.scalars(select(CrawlRun).where(
            # A failed run is closed (the next crawl starts afresh); only these resume.
            CrawlRun.site == check.name,
            CrawlRun.status.in_((RunStatus.RUNNING, RunStatus.INTERRUPTED)))
            .order_by(CrawlRun.id.desc()).limit(1)).first()
        next_due: datetime | None = None
        if check.profile is not None and last is not None and last.finished_at is not None:
            at = last.finished_at + check.profile.recrawl_interval
            next_due = at if at > now else None
        out.append(SiteSchedule(check, last, open_run, next_due))
    return out


def due(session: Session, *, checks: Sequence[ProfileCheck], now: datetime) -> list[str]:
    """Names of the valid profiles that are due for a crawl."""
    return [s.check.name for s in schedule(session, checks=checks, now=now) if s.due]


def get_run(session: Session, run_id: int) -> CrawlRun | None:
    """One run, or None."""
    return session.get(CrawlRun, run_id)


def list_runs(session: Session, *, site: str | None = None, offset: int = 0,
              limit: int = PAGE_SIZE) -> tuple[list[CrawlRun], int]:
    """Runs newest first, one page of them, and how many there are."""
    query = select(CrawlRun)
    if site:
        query = query.where(CrawlRun.site == site)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(session.scalars(query.order_by(CrawlRun.id.desc()).offset(offset).limit(limit)))
    return rows, total


def list_captures(session: Session, *, run_id: int | None = None, url: str | None = None,
                  offset: int = 0, limit: int = PAGE_SIZE) -> tuple[list[Capture], int]:
    """Entries of the capture index, newest first, filtered by run and URL part."""
    query = select(Capture)
    if run_id is not None:
        query = query.where(Capture.run_id == run_id)
    if url:
        escaped = url.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Capture.url.like(f"%{escaped}%", escape="\\"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(session.scalars(query.order_by(Capture.id.desc()).offset(offset).limit(limit)))
    return rows, total


def error_count(run: CrawlRun) -> int:
    """All errors of a run, over their kinds."""
    return sum(v for k, v in (run.stats or {}).items()
               if k.startswith("errors/") and isinstance(v, int))
