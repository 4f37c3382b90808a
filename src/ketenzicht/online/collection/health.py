"""Whether a crawl run saw the site well enough to be believed (issue 23: crawling tells the truth).

A crawl that could not reach its site is not a crawl that found the site empty. Three things
end a run as *failed*, with the reason kept in its statistics and shown on its page:

- ``unreachable``: not one listing page could be fetched (connection refused, DNS, timeouts);
- ``server_errors``: the site answered a run of ``online_crawl_max_consecutive_failures``
  5xx answers or network failures in a row (the crawl stops at once, so a broken site is not
  hammered to the end of its listing);
- ``robots_unavailable``: robots.txt could not be fetched (a network failure or a 5xx).
  Nothing is fetched then: as search engines do, an unreadable robots.txt is taken as
  "crawl nothing", never as "crawl everything".

Marking ads *gone* needs more than a run that did not fail. The run must have walked every
listing page it found (no listing page failed, no pagination or depth cap hit, no page
limit), and an ad is gone only when that complete listing no longer shows it; an ad page
answering 404 or 410 marks that one ad gone on its own. An ad that is listed but whose page
failed to load stays active.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from ketenzicht.core.i18n import N_

UNREACHABLE = "unreachable"
SERVER_ERRORS = "server_errors"
ROBOTS_UNAVAILABLE = "robots_unavailable"

# Shown on the run page; msgids in the catalogue.
REASONS = {
    UNREACHABLE: N_("the site could not be reached: not one listing page was fetched"),
    SERVER_ERRORS: N_("the site answered too many server errors or network failures in a "
                      "row; the crawl was stopped"),
    ROBOTS_UNAVAILABLE: N_("robots.txt could not be fetched, so nothing was crawled"),
}
GONE_SKIPPED = {
    "failed": N_("not judged: the run failed"),
    "page_limit": N_("not judged: the run had a page limit"),
    "listing_incomplete": N_("not judged: not every listing page was fetched"),
    "interrupted": N_("not judged: the run did not finish"),
}

# The failures that say something about the site's health (a 5xx, or the network), as
# opposed to one bad page (too large, off-site, bad encoding).
_NETWORK = (net.ConnectionRefusedError, net.ConnectError, net.DNSLookupError,
            net.TCPTimedOutError, net.TimeoutError, net.ConnectionLost,
            ResponseNeverReceived, ResponseFailed)


# Scrapy 2.13+ raises its own download exceptions; older ones raised Twisted's (above).
_NETWORK_NAMES = {"DownloadConnectionRefusedError", "CannotResolveHostError",
                  "DownloadTimeoutError", "DownloadFailedError", "ResponseDataLossError",
                  "TimeoutError"}


def is_network_error(exc: BaseException) -> bool:
    """True for a failure of the network, not of one page (refused, DNS, timeout, reset)."""
    return isinstance(exc, _NETWORK) or type(exc).__name__ in _NETWORK_NAMES


def is_site_failure(failure: Failure) -> bool:
    """True for a 5xx answer (after retries) or a network failure."""
    if isinstance(failure.value, HttpError):
        response = failure.value.response
        return response is not None and response.status >= 500
    return failure.value is not None and is_network_error(failure.value)


@dataclass
class Health:
    """What the spider saw of the site, kept on the crawl context."""

    listing_ok: int = 0
    listing_failed: int = 0
    consecutive: int = 0
    failure: str | None = None

    def answered(self) -> None:
        """Any answer that is not a server error resets the run of failures."""
        self.consecutive = 0

    def failed(self, limit: int) -> bool:
        """Count a site failure; True when the run of them has reached ``limit``."""
        self.consecutive += 1
        if self.consecutive >= limit and self.failure is None:
            self.failure = SERVER_ERRORS
        return self.failure == SERVER_ERRORS


def verdict(health: Health, stats: dict[str, Any], *, reason: str, max_pages: int | None
            ) -> tuple[str | None, str | None]:
    """(failure, why gone is not judged) for a closed run; ``(None, None)`` may mark gone."""
    failure = health.failure
    if failure is None and health.listing_ok == 0:
        failure = UNREACHABLE
    if failure is not None:
        return failure, "failed"
    if reason not in ("finished", "closespider_pagecount"):
        return None, "interrupted"
    if max_pages or reason == "closespider_pagecount":
        return None, "page_limit"
    caps = ("errors/pagination_cap", "errors/depth_cap")
    if health.listing_failed or any(stats.get(k) for k in caps):
        return None, "listing_incomplete"
    return None, None


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, except that an unreadable robots.txt forbids all.

    Scrapy lets every request through when robots.txt fails to download; a polite crawler
    must not (RFC 9309 §2.3.1.4: a 5xx or an unreachable robots.txt means "disallow all").
    A 4xx still means "no rules", as the RFC says.
    """

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._unavailable: set[str] = set()

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._mark_unavailable(netloc)
            self._robots_error(IgnoreRequest(f"robots.txt answered {response.status}"), netloc)
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # Not even robots.txt answered: the site is down, which is what the user must read.
        self._mark_unavailable(netloc, UNREACHABLE if is_network_error(exc) else None)
        super()._robots_error(exc, netloc)

    def _mark_unavailable(self, netloc: str, failure: str | None = None) -> None:
        self._unavailable.add(netloc)
        spider = self.crawler.spider
        kz = getattr(spider, "kz", None)
        if kz is not None and kz.health.failure is None:
            kz.health.failure = failure or ROBOTS_UNAVAILABLE

    def process_request_2(self, rp: Any, request: Request) -> None:
        if rp is None and urlparse_cached(request).netloc in self._unavailable:
            self._stats.inc_value("kz/errors/robots_unavailable")
            raise IgnoreRequest("robots.txt could not be fetched: nothing is crawled")
        super().process_request_2(rp, request)
