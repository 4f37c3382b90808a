"""Scrapy item pipeline: store each parsed ad through the service, one transaction per ad."""

from __future__ import annotations

from typing import Any

from scrapy import Spider

from ketenzicht.online.collection import service
from ketenzicht.online.collection.spider import AdSpider
from ketenzicht.online.workspace import public as watch


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
            watch.on_crawled(session, site=kz.profile.name, url=item["url"], change=change)
            # Counted in the transaction that stores the ad, so a killed run's totals match it.
            if spider.crawler.stats is not None:
                spider.crawler.stats.inc_value(f"kz/ads/{change.value}")
            kz.checkpoint(session, spider.crawler.stats)
        kz.seen_ads.add(item["url"])
        return item
