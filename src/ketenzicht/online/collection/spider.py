"""The ad spider: walks listing pages, reads ad pages through a site profile, fetches images.

All site knowledge is in the profile (and an optional adapter); this class knows only the
shape "listing pages with pagination lead to ad pages with images".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from twisted.python.failure import Failure

from ketenzicht.config import Settings
from ketenzicht.online.collection import health, service
from ketenzicht.online.collection.models import CrawlRun
from ketenzicht.online.collection.profiles import Adapter, SiteProfile
from ketenzicht.online.collection.recovery import REPLAYED, Source
from ketenzicht.online.collection.warc import RotatingWarcWriter

# Scrapy's own counters worth keeping with a run, next to ours (``kz/...``).
SCRAPY_STATS = ("offsite/filtered", "robotstxt/forbidden", "retry/count", "retry/max_reached",
                "downloader/response_count")


@dataclass
class CrawlContext:
    """What the spider and its middlewares share; passed in by the runner."""

    profile: SiteProfile
    adapter: Adapter
    settings: Settings
    session_factory: sessionmaker[Session]
    warc: RotatingWarcWriter
    run_id: int
    seen_ads: set[str] = field(default_factory=set)
    # Every ad URL a listing page of this run showed: "gone" is judged against this.
    listed_ads: set[str] = field(default_factory=set)
    health: health.Health = field(default_factory=health.Health)
    base_stats: dict[str, Any] = field(default_factory=dict)
    replay: dict[str, Source] = field(default_factory=dict)
    done_ads: set[str] = field(default_factory=set)

    def totals(self, stats: StatsCollector | None) -> dict[str, Any]:
        """The run's statistics: what earlier processes of this run stored, plus this one's."""
        current = stats.get_stats() if stats is not None else {}
        out: dict[str, Any] = {k[3:]: v for k, v in current.items()
                               if k.startswith("kz/") and isinstance(v, int | float)}
        out |= {k: current[k] for k in SCRAPY_STATS if k in current}
        for key, value in self.base_stats.items():
            if isinstance(value, int) and isinstance(out.get(key, 0), int):
                out[key] = out.get(key, 0) + value
        return dict(sorted(out.items()))

    def checkpoint(self, session: Session, stats: StatsCollector | None) -> None:
        """Store the totals in the transaction that stores the work they count.

        A killed process then leaves totals that match what it committed, and the resumed
        process starts from them.
        """
        session.execute(update(CrawlRun).where(CrawlRun.id == self.run_id)
                        .values(stats=self.totals(stats)))


def _first(response: TextResponse, selector: str | None) -> str | None:
    if not selector:
        return None
    for css in selector.split(", "):
        value = response.css(css).get()
        if value and value.strip():
            return value.strip()
    return None


def _joined(response: TextResponse, selector: str) -> str:
    for css in selector.split(", "):
        parts = [p.strip() for p in response.css(css).getall() if p.strip()]
        if parts:
            return "\n".join(parts)
    return ""


class AdSpider(Spider):
    """One spider class for every profile."""

    name = "ketenzicht-ads"
    kz: CrawlContext

    def __init__(self, *args: Any, kz: CrawlContext, start_urls: list[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kz = kz
        self.allowed_domains = list(kz.profile.allowed_domains)
        self.start_urls = start_urls or list(kz.profile.start_urls)
        self.listing_pages = 0

    def _inc(self, key: str, by: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, by)

    def start_requests(self) -> Iterator[Request]:
        """The profile's start URLs, as listing pages."""
        for url in self.start_urls:
            yield Request(url, callback=self.parse, errback=self.listing_failed)

    def _count(self, failure: Failure) -> bool:
        """Count a failed request by its kind; True when the site looks broken.

        A run of site failures (5xx, network) closes the run as failed at once.
        """
        self._inc(f"kz/errors/{failure.type.__name__ if failure.type else 'unknown'}")
        limit = self.kz.settings.online_crawl_max_consecutive_failures
        return health.is_site_failure(failure) and self.kz.health.failed(limit)

    def failed(self, failure: Failure) -> None:
        """A request that failed for good (timeout, size cap, DNS, …)."""
        if self._count(failure):
            raise CloseSpider(health.SERVER_ERRORS)

    def listing_failed(self, failure: Failure) -> None:
        """A listing page that failed: the listing is incomplete, so nothing is judged gone."""
        self.kz.health.listing_failed += 1
        self._inc("kz/errors/listing_failed")
        self.failed(failure)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Request]:
        """A listing page: follow ad links (conditionally when known) and the next page."""
        if not isinstance(response, TextResponse):
            self._inc("kz/errors/not_text")
            return
        self.listing_pages += 1
        self.kz.health.listing_ok += 1
        self.kz.health.answered()
        if REPLAYED not in response.flags:  # counted by the process that fetched it
            self._inc("kz/pages/listing")
        rules = self.kz.profile.listing
        limit = self.settings.getint("DEPTH_LIMIT")
        if limit and int(response.meta.get("depth", 0)) + 1 > limit:
            # Scrapy's DepthMiddleware would drop what follows without counting it.
            self._inc("kz/errors/depth_cap")
            return
        for href in response.css(rules.ad_links).getall():
            url = response.urljoin(href) + (rules.ad_url_suffix or "")
            self.kz.listed_ads.add(url)
            if url in self.kz.done_ads:
                # Stored by this run before it was stopped: seen, and not fetched again.
                self.kz.seen_ads.add(url)
                continue
            yield self._ad_request(url)
        if rules.next_page:
            nxt = response.css(rules.next_page).get()
            if nxt:
                if self.listing_pages >= rules.max_pages:
                    self._inc("kz/errors/pagination_cap")
                else:
                    yield Request(response.urljoin(nxt), callback=self.parse,
                                  errback=self.listing_failed)

    def _ad_request(self, url: str) -> Request:
        headers: dict[str, str] = {}
        with self.kz.session_factory() as session:
            last = service.latest_capture(session, url=url)
            if last is not None:
                if last.etag:
                    headers["If-None-Match"] = last.etag
                if last.last_modified:
                    headers["If-Modified-Since"] = last.last_modified
        return Request(url, callback=self.parse_ad, errback=self.failed, headers=headers,
                       meta={"handle_httpstatus_list": [304, 404, 410]})

    def parse_ad(self, response: Response, **kwargs: Any) -> Iterator[Request | dict[str, Any]]:
        """An ad page: 304 only touches the ad, 404/410 marks it gone, 200 is read."""
        if REPLAYED not in response.flags:
            self._inc("kz/pages/ad")
        self.kz.health.answered()
        site = self.kz.profile.name
        if response.status == 304:
            self.kz.seen_ads.add(response.url)
            with self.kz.session_factory() as session, session.begin():
                service.touch(session, site=site, url=response.url, run_id=self.kz.run_id)
                self._inc("kz/ads/unchanged")
                self._inc("kz/ads/not_modified")
                self.kz.checkpoint(session, self.crawler.stats)
            return
        if response.status in (404, 410):
            with self.kz.session_factory() as session, session.begin():
                self._inc("kz/ads/gone", service.mark_gone(
                    session, site=site, run_id=self.kz.run_id, urls={response.url}))
                self.kz.checkpoint(session, self.crawler.stats)
            return
        if not isinstance(response, TextResponse):
            self._inc("kz/errors/not_text")
            return
        if "\ufffd" in response.text:
            self._inc("kz/errors/bad_encoding")
        ad = self.kz.profile.ad
        fields: dict[str, Any] = {
            "title": _first(response, ad.title) or "",
            "text": _joined(response, ad.text),
            "posted_at": _first(response, ad.posted_at),
            "city": _first(response, ad.city),
            "age": _first(response, ad.age),
            "phone": _first(response, ad.phone),
        }
        fields = self.kz.adapter.adjust(fields, url=response.url)
        found = response.css(ad.images).getall() if ad.images else []
        images = [response.urljoin(u) for u in found]
        item: dict[str, Any] = {"url": response.url, "fields": fields, "images": [],
                "capture_id": response.meta.get("kz_capture_id")}
        yield from self._next_image(item, images)

    def _next_image(self, item: dict[str, Any], todo: list[str]
                    ) -> Iterator[Request | dict[str, Any]]:
        if todo:
            yield Request(todo[0], callback=self.parse_image, errback=self.image_failed,
                          dont_filter=True, meta={"kz_item": item, "kz_todo": todo[1:]})
        else:
            yield item

    def parse_image(self, response: Response, **kwargs: Any) -> Iterator[Request | dict[str, Any]]:
        """Store the image under its SHA-256, then go on with the ad's next image."""
        item, todo = response.meta["kz_item"], response.meta["kz_todo"]
        if response.status == 200 and response.body:
            with self.kz.session_factory() as session, session.begin():
                image = service.store_image(
                    session, data=response.body,
                    content_type=(response.headers.get("Content-Type") or b"").decode("latin-1"),
                    capture_id=response.meta.get("kz_capture_id"), settings=self.kz.settings)
                item["images"].append(image.sha256)
                self._inc("kz/images")
                self.kz.checkpoint(session, self.crawler.stats)
        yield from self._next_image(item, todo)

    def image_failed(self, failure: Failure) -> Iterator[Request | dict[str, Any]]:
        """An image that cannot be fetched does not lose its ad (nor closes the run here:
        the ad is stored first; the next failed page closes it if the site is broken)."""
        self._count(failure)
        request = failure.request  # type: ignore[attr-defined]
        yield from self._next_image(request.meta["kz_item"], request.meta["kz_todo"])
