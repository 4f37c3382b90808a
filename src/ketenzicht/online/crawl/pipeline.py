"""Scrapy item pipeline: store each parsed ad through the service, one transaction per ad."""

from __future__ import annotations

from typing import Any

from scrapy import Spider

from ketenzicht.online.crawl import service
from ketenzicht.online.crawl.spider import AdSpider


class StoreAds:
    """Record a sighting per ad; count new / changed / unchanged / duplicate."""

    def process_item(self, item: dict[str, Any], spider: Spider) -> dict[str, Any]:
        """Store one ad (a failure is counted and logged, never stops the crawl)."""
        assert isinstance(spider, AdSpider)
        kz = spider.kz
        fields = dict(item["fields"], images=item["images"])
        with kz.session_factory() as session, session.begin():
            _, change = service.record_sighting(
                session, site=kz.profile.name, url=item["url"], fields=fields,
                capture_id=item["capture_id"], run_id=kz.run_id,
                language=kz.profile.language)
        kz.seen_ads.add(item["url"])
        if spider.crawler.stats is not None:
            spider.crawler.stats.inc_value(f"kz/ads/{change.value}")
        return item
