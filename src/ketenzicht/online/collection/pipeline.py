"""Scrapy item pipeline: store each parsed ad through the service, one transaction per ad.

A new ad or a new version publishes :class:`AdCaptured`; its subscribers (linking, and
through it the watchlists) run after the ad's transaction commits, so the crawl never waits
on them to keep an ad and never loses one when they fail.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider

from ketenzicht.core import events
from ketenzicht.online.collection import service
from ketenzicht.online.collection.enums import AdChange
from ketenzicht.online.collection.events import AdCaptured
from ketenzicht.online.collection.spider import AdSpider


class StoreAds:
    """Record a sighting per ad; count new / changed / unchanged / duplicate."""

    def process_item(self, item: dict[str, Any], spider: Spider) -> dict[str, Any]:
        """Store one ad (a failure is counted and logged, never stops the crawl)."""
        assert isinstance(spider, AdSpider)
        kz = spider.kz
        fields = dict(item["fields"], images=item["images"])
        with kz.session_factory() as session, session.begin():
            ad, change = service.record_sighting(
                session, site=kz.profile.name, url=item["url"], fields=fields,
                capture_id=item["capture_id"], run_id=kz.run_id,
                language=kz.profile.language)
            if change in (AdChange.NEW, AdChange.CHANGED):
                version = service.versions(session, ad_id=ad.id)[-1]
                events.publish(session, AdCaptured(
                    ad_id=ad.id, version_id=version.id, capture_id=version.capture_id,
                    site=ad.site, change=change))
            # Counted in the transaction that stores the ad, so a killed run's totals match it.
            if spider.crawler.stats is not None:
                spider.crawler.stats.inc_value(f"kz/ads/{change.value}")
            kz.checkpoint(session, spider.crawler.stats)
        kz.seen_ads.add(item["url"])
        return item
