"""Run one crawl of one profile in this process (the CLI starts a process per crawl).

Twisted's reactor cannot be restarted, so a process runs exactly one crawl; the tests and
``make demo`` start ``ketenzicht online crawl`` as a subprocess.

A crawl keeps its job directory (``<capture dir>/jobs/<site>``, naming the open run) until
it has finished. When a crawl is stopped (SIGTERM, SIGINT) or killed (SIGKILL), the next
crawl of that site continues the same run: :mod:`.recovery` repairs the run's WARC files and
capture index, and the crawl walks the site again answering every URL the run already
captured from its WARC record (see ``ReplayMiddleware``). Scrapy's own ``JOBDIR`` queue is
not used: it is written only on a clean shutdown, so after a hard kill it is missing or
stale. A lock file held while crawling refuses a second crawl of the same site meanwhile.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht import __version__
from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.online.collection import health, launch, recovery, service
from ketenzicht.online.collection.enums import RunStatus
from ketenzicht.online.collection.models import CrawlRun
from ketenzicht.online.collection.profiles import SiteProfile, adapter_for
from ketenzicht.online.collection.spider import AdSpider, CrawlContext
from ketenzicht.online.collection.warc import RotatingWarcWriter

_RUN_FILE = "kz_run_id"


def user_agent(settings: Settings) -> str:
    """The identifying User-Agent, with the contact URL."""
    return f"Ketenzicht-crawler/{__version__} (+{settings.online_crawl_contact_url})"


def scrapy_settings(settings: Settings, *, max_pages: int | None) -> ScrapySettings:
    """Scrapy settings from ours: politeness, retries, timeouts, caps, the capture stack."""
    values: dict[str, Any] = {
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": user_agent(settings),
        "DOWNLOAD_DELAY": settings.online_crawl_delay,
        "RANDOMIZE_DOWNLOAD_DELAY": settings.online_crawl_delay > 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.online_crawl_concurrency,
        "CONCURRENT_REQUESTS": max(16, settings.online_crawl_concurrency),
        "AUTOTHROTTLE_ENABLED": settings.online_crawl_autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(settings.online_crawl_delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(settings.online_crawl_concurrency),
        "DOWNLOAD_TIMEOUT": settings.online_crawl_timeout,
        "RETRY_ENABLED": settings.online_crawl_retries > 0,
        "RETRY_TIMES": settings.online_crawl_retries,
        "KZ_RETRY_BACKOFF": settings.online_crawl_backoff_seconds,
        "DOWNLOAD_MAXSIZE": settings.online_crawl_max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "DEPTH_LIMIT": settings.online_crawl_depth_limit,
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": settings.log_level.upper(),
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "ketenzicht.online.collection.middleware.BackoffRetryMiddleware": 550,
            "ketenzicht.online.collection.middleware.ReplayMiddleware": 980,
            "ketenzicht.online.collection.middleware.CaptureMiddleware": 990,
            # An unreadable robots.txt forbids all (RFC 9309), which Scrapy's does not.
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "ketenzicht.online.collection.health.StrictRobotsTxtMiddleware": 100,
        },
        "ITEM_PIPELINES": {"ketenzicht.online.collection.pipeline.StoreAds": 300},
    }
    if max_pages:
        values["CLOSESPIDER_PAGECOUNT"] = max_pages
    return ScrapySettings(values)


def _open_run(factory: sessionmaker[Session], *, profile: SiteProfile, job_dir: Path,
              max_pages: int | None, actor: Actor | None, settings: Settings
              ) -> tuple[int, recovery.Recovered | None, dict[str, Any]]:
    marker = job_dir / _RUN_FILE
    with factory() as session, session.begin():
        if marker.exists():
            run = session.get(CrawlRun, int(marker.read_text() or 0))
            if (run is not None and run.site == profile.name
                    and run.status in (RunStatus.RUNNING, RunStatus.INTERRUPTED)):
                run.status = RunStatus.RUNNING
                audit.record(session, actor=actor, action="online.crawl.resume",
                             resource_type="crawl_run", resource_id=run.id)
                found = recovery.recover(session, run=run, settings=settings, actor=actor)
                base = dict(run.stats or {})
                base["warc/truncated_records"] = (base.get("warc/truncated_records", 0)
                                                  + found.truncated)
                base["warc/orphans_indexed"] = base.get("warc/orphans_indexed", 0) + found.orphans
                base["resumed"] = base.get("resumed", 0) + 1
                run.stats = base
                return run.id, found, base
        shutil.rmtree(job_dir, ignore_errors=True)
        job_dir.mkdir(parents=True)
        run = service.start_run(session, site=profile.name, profile_version=profile.version,
                                job_dir=str(job_dir), max_pages=max_pages, actor=actor)
        tmp = marker.with_suffix(".part")
        tmp.write_text(str(run.id))
        tmp.replace(marker)
        return run.id, None, {}


def crawl(profile: SiteProfile, *, settings: Settings, factory: sessionmaker[Session],
          actor: Actor | None, max_pages: int | None = None,
          start_urls: list[str] | None = None) -> CrawlRun:
    """Crawl ``profile`` once (resuming a stopped or killed run); return the closed run."""
    if actor is not None:
        enforce(actor, "online.crawl")
    root = service.capture_dir(settings)
    with launch.site_lock(settings, profile.name):
        return _crawl(profile, settings=settings, factory=factory, actor=actor,
                      max_pages=max_pages, start_urls=start_urls, root=root)


def _crawl(profile: SiteProfile, *, settings: Settings, factory: sessionmaker[Session],
           actor: Actor | None, max_pages: int | None, start_urls: list[str] | None,
           root: Path) -> CrawlRun:
    job_dir = root / "jobs" / profile.name
    run_id, found, base = _open_run(factory, profile=profile, job_dir=job_dir,
                                    max_pages=max_pages, actor=actor, settings=settings)
    warc = RotatingWarcWriter(root / "warc", prefix=f"{profile.name}-run{run_id}",
                              max_bytes=settings.online_warc_max_bytes)
    kz = CrawlContext(profile=profile, adapter=adapter_for(profile), settings=settings,
                      session_factory=factory, warc=warc, run_id=run_id, base_stats=base)
    if found is not None:
        kz.replay, kz.done_ads = found.replay, found.done_ads
        kz.seen_ads |= found.done_ads
    process = CrawlerProcess(scrapy_settings(settings, max_pages=max_pages),
                             install_root_handler=False)
    crawler = process.create_crawler(AdSpider)
    process.crawl(crawler, kz=kz, start_urls=start_urls)
    process.start()
    warc.close()
    ours = kz.totals(crawler.stats)
    reason = str((crawler.stats.get_stats() if crawler.stats else {}).get(
        "finish_reason", "unknown"))
    ours["finish_reason"] = reason
    failure, not_judged = health.verdict(kz.health, ours, reason=reason, max_pages=max_pages)
    finished = reason in ("finished", "closespider_pagecount")
    status = (RunStatus.FAILED if failure else
              RunStatus.FINISHED if finished else RunStatus.INTERRUPTED)
    if failure:
        ours["failure"] = failure
    with factory() as session, session.begin():
        run = session.get(CrawlRun, run_id)
        assert run is not None
        # Exact even when an earlier process of this run was killed between checkpoints.
        ours["captures"], ours["warc_bytes"] = service.capture_totals(session, run_id=run_id)
        if not_judged is None:
            ours["ads/gone"] = ours.get("ads/gone", 0) + service.mark_gone(
                session, site=profile.name, run_id=run_id, listed=kz.listed_ads)
        else:
            ours["gone_check"] = not_judged
        service.finish_run(session, run=run, status=status, stats=ours, actor=actor)
    if status is not RunStatus.INTERRUPTED:
        shutil.rmtree(job_dir, ignore_errors=True)
    return run
