"""Scrapy downloader middlewares: WARC capture, replay on resume, and retries with backoff.

``CaptureMiddleware`` sits next to the downloader (order 990), so it sees every raw response
(robots.txt, listing and ad pages, images, and the 5xx answers that are then retried) before
any other middleware changes it. Each one is written to the WARC file, indexed in the
database and committed at once: a crawl killed a moment later has lost nothing it fetched.

``ReplayMiddleware`` (order 980) answers, in a resumed run, every URL the run already
captured from its WARC record instead of the network, so resuming adds no second capture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from ketenzicht.core import clock
from ketenzicht.online.collection import service
from ketenzicht.online.collection.recovery import REPLAYED
from ketenzicht.online.collection.warc import read_record

if TYPE_CHECKING:
    from ketenzicht.online.collection.spider import AdSpider


def _headers(response: Response) -> list[tuple[str, str]]:
    out = []
    for key, values in response.headers.items():
        name = key.decode("latin-1")
        for value in values:
            out.append((name, value.decode("latin-1")))
    return out


class CaptureMiddleware:
    """Write each response to WARC and the capture index; put the capture id in ``meta``."""

    def process_request(self, request: Request, spider: Spider) -> None:
        """Refuse, as the last step before the network, any host outside the profile's domains.

        Scrapy's offsite filter already drops most of these; this is the guarantee, and it
        also covers the robots.txt of a host a redirect pointed to.
        """
        ctx: AdSpider = spider  # type: ignore[assignment]
        host = (urlsplit(request.url).hostname or "").lower()
        if not any(host == d or host.endswith("." + d) for d in ctx.kz.profile.allowed_domains):
            if ctx.crawler is not None and ctx.crawler.stats is not None:
                ctx.crawler.stats.inc_value("kz/errors/offsite_blocked")
            raise IgnoreRequest(f"off-site request not followed: {request.url}")

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        """Capture, then pass the response on unchanged."""
        ctx: AdSpider = spider  # type: ignore[assignment]
        if REPLAYED in response.flags:
            return response
        headers = _headers(response)
        at = clock.now()
        written = ctx.kz.warc.write_response(
            url=response.url, status=response.status, reason="", headers=headers,
            payload=response.body, at=at)
        with ctx.kz.session_factory() as session, session.begin():
            capture = service.add_capture(
                session, run_id=ctx.kz.run_id, url=response.url, status=response.status,
                written=written, at=at, headers={k.lower(): v for k, v in headers})
            request.meta["kz_capture_id"] = capture.id
        # No checkpoint here (the hottest path): a run's capture totals are counted from
        # the index when it finishes.
        if ctx.crawler is not None and ctx.crawler.stats is not None:
            ctx.crawler.stats.inc_value("kz/captures")
            ctx.crawler.stats.inc_value("kz/warc_bytes", written.size)
        return response


class ReplayMiddleware:
    """In a resumed run, answer a URL this run already captured from its WARC record."""

    def process_request(self, request: Request, spider: Spider) -> Response | None:
        """Return the stored response (marked replayed) or let the request go out."""
        ctx: AdSpider = spider  # type: ignore[assignment]
        source = ctx.kz.replay.get(request.url)
        if source is None:
            return None
        record = read_record(service.capture_dir(ctx.kz.settings) / "warc" / source.file,
                             source.offset)
        headers = Headers(record.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=record.payload)
        request.meta["kz_capture_id"] = source.capture_id
        if ctx.crawler is not None and ctx.crawler.stats is not None:
            ctx.crawler.stats.inc_value("kz/replayed")
        response: Response = cls(url=request.url, status=record.status, headers=headers,
                                 body=record.payload, request=request, flags=[REPLAYED])
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, but each retry waits ``backoff * 2**(attempt-1)`` seconds first."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff = float(settings.getfloat("KZ_RETRY_BACKOFF", 0.0))

    async def _later(self, result: Any) -> Any:
        if isinstance(result, Request) and self.backoff > 0:
            attempt = int(result.meta.get("retry_times", 1))
            delay = min(self.backoff * 2 ** (attempt - 1), 300.0)
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return result

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        """Retry a retryable status after the backoff."""
        result: Request | Response = await self._later(
            super().process_response(request, response))
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        """Retry a timeout or connection error after the backoff."""
        result: Request | Response | None = await self._later(
            super().process_exception(request, exception))
        return result
