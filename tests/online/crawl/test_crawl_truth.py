"""A crawl tells the truth (issue 23): a site it could not see is a failed run, never an
empty site, and "gone" needs a complete listing that no longer shows the ad, or its 404/410.

Each test crawls the local demo site over real HTTP in subprocesses, on SQLite and on
PostgreSQL, and breaks the site in one way (``DemoSite.failure``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.config import Settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from ketenzicht.online.collection.demosite import DemoSite, serve
from ketenzicht.online.collection.enums import AdStatus, RunStatus
from ketenzicht.online.collection.models import CrawledAd, CrawlRun
from tests.online.crawl.conftest import crawl_cli

N_ADS = 20
REMOVED = {n for n in range(N_ADS) if n % 7 == 3}  # DemoSite.removed at epoch 2


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    """No page of these sites is slow on purpose, so a generous timeout: on a loaded machine
    a 2 s robots.txt timeout would fail a healthy run (as it must: unreadable robots.txt)."""
    return env | {"KZ_ONLINE_CRAWL_TIMEOUT": "15"}


@pytest.fixture
def demo() -> Iterator[tuple[DemoSite, str, object]]:
    site = DemoSite(n_ads=N_ADS, seed=11, slow_seconds=0)
    server, _ = serve(site)
    yield site, f"http://127.0.0.1:{server.server_address[1]}/ads", server
    server.shutdown()


def _factory(settings: Settings) -> sessionmaker[Session]:
    return make_session_factory(make_engine(settings.database_url))


def _statuses(factory: sessionmaker[Session]) -> dict[int, AdStatus]:
    with factory() as session:
        return {int(url.rsplit("/", 1)[-1]): status for url, status in session.execute(
            select(CrawledAd.url, CrawledAd.status).where(CrawledAd.url.contains("/ad/")))}


def test_an_unreachable_site_fails_the_run_and_marks_nothing_gone(
        demo: tuple[DemoSite, str, object], env: dict[str, str], settings_of: Settings) -> None:
    _site, start, server = demo
    first = crawl_cli(env, start)
    assert first["status"] == "finished"
    factory = _factory(settings_of)
    assert set(_statuses(factory).values()) == {AdStatus.ACTIVE}
    assert len(_statuses(factory)) == N_ADS

    server.shutdown()  # type: ignore[attr-defined]
    server.server_close()  # type: ignore[attr-defined]
    down = crawl_cli(env, start, exit_code=1)
    assert down["status"] == "failed" and down["stats"]["failure"] == "unreachable", down
    assert down["stats"]["gone_check"] == "failed" and "ads/gone" not in down["stats"]
    assert "no ad was marked gone" in down["stderr"]
    assert set(_statuses(factory).values()) == {AdStatus.ACTIVE}, "a failed crawl marked ads gone"
    with factory() as session:
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    assert [r.status for r in runs] == [RunStatus.FINISHED, RunStatus.FAILED]


def test_a_run_of_server_errors_stops_the_crawl_and_unreadable_robots_fetches_nothing(
        demo: tuple[DemoSite, str, object], env: dict[str, str], settings_of: Settings) -> None:
    site, start, _ = demo
    crawl_cli(env, start)
    factory = _factory(settings_of)

    site.failure, site.epoch = "ads_5xx", 2
    before = len(site.hits)
    broken = crawl_cli(env, start, exit_code=1)
    assert broken["status"] == "failed" and broken["stats"]["failure"] == "server_errors"
    ad_hits = [h for h in site.hits[before:] if h.startswith("/ad/")]
    # Stopped after the run of 5 failures (each tried twice), not at the end of the listing.
    assert len(ad_hits) < 2 * (N_ADS - len(REMOVED)), ad_hits
    assert set(_statuses(factory).values()) == {AdStatus.ACTIVE}

    site.failure = "robots_5xx"
    before = len(site.hits)
    no_robots = crawl_cli(env, start, exit_code=1)
    assert no_robots["stats"]["failure"] == "robots_unavailable"
    assert {h for h in site.hits[before:]} == {"/robots.txt"}, "crawled without robots.txt"
    assert set(_statuses(factory).values()) == {AdStatus.ACTIVE}


def test_gone_needs_a_complete_listing_that_no_longer_shows_the_ad_or_its_410(
        demo: tuple[DemoSite, str, object], env: dict[str, str], settings_of: Settings) -> None:
    site, start, _ = demo
    crawl_cli(env, start)
    factory = _factory(settings_of)

    # A few days later some ads are taken off the listings, but page 2 fails: not judged.
    site.epoch, site.unlist_only, site.failure = 2, True, "listing_page_2"
    partial = crawl_cli(env, start)
    assert partial["status"] == "finished"
    assert partial["stats"]["gone_check"] == "listing_incomplete"
    assert set(_statuses(factory).values()) == {AdStatus.ACTIVE}

    # The whole listing is read again: what it no longer shows is gone (their pages still
    # answer 200, as on many sites), and so is a listed ad whose own page answers 410.
    site.failure, site.dangling = None, {0}
    full = crawl_cli(env, start)
    assert "gone_check" not in full["stats"]
    statuses = _statuses(factory)
    gone = {n for n, s in statuses.items() if s is AdStatus.GONE}
    assert gone == REMOVED | {0}
    assert full["stats"]["ads/gone"] == len(REMOVED) + 1
