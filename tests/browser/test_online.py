"""An investigator works with networks of the crawled demo site in real Chromium (with axe).

Filter the list, open a network, see its reasons, template and movement (timeline and the
map's offline outline), replay a capture in its sandbox, watch the network, receive the
notification when a crawl brings a new ad, and make a signal. The server here has no tile
server configured (offline fallback), and any request to another host is aborted.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.config import Settings, get_settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.demo import seed as demo_seed
from ketenzicht.main import create_app
from ketenzicht.online import seed as online_seed
from ketenzicht.online.workspace.networks.models import Network
from tests.browser.conftest import LiveServer, _free_port
from tests.browser.test_shell import assert_accessible, log_in
from tests.factories.online import ad_fields, crawl_through_pipeline

pytestmark = pytest.mark.browser


class OnlineServer(LiveServer):
    """The live server plus its session factory, so the test can crawl into its database."""

    factory: sessionmaker[Session]


@pytest.fixture(scope="module")
def online_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OnlineServer]:
    var = tmp_path_factory.mktemp("online-browser-var")
    settings = Settings(var_dir=var, online_map_tile_url="")
    upgrade(settings.database_url)
    factory = make_session_factory(make_engine(settings.database_url))
    # The seeders read get_settings() for the capture directory: point it at this var/.
    before = os.environ.get("KZ_VAR_DIR")
    os.environ["KZ_VAR_DIR"] = str(var)
    get_settings.cache_clear()
    try:
        with unit_of_work(factory) as session:
            # Only what this test needs (the other demo seeders take minutes on CI).
            ctx = demo_seed.SeedContext()
            demo_seed.seeders()[0](session, ctx)
            online_seed.seed(session, ctx)
    finally:
        if before is None:
            os.environ.pop("KZ_VAR_DIR", None)
        else:
            os.environ["KZ_VAR_DIR"] = before
        get_settings.cache_clear()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, session_factory=factory),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    live = OnlineServer(url=f"http://127.0.0.1:{port}", accounts=ctx.accounts)
    live.factory = factory
    yield live
    server.should_exit = True
    thread.join(timeout=10)


def _local_only(page: Any, server: LiveServer) -> None:
    page.route(re.compile(r"^(?!" + re.escape(server.url) + ").*"),
               lambda route: route.abort())


def _top_network(server: OnlineServer) -> Network:
    with server.factory() as session:
        return session.scalars(select(Network).order_by(Network.score.desc())).first()


def test_filter_open_replay_watch_notify_and_signal(page: Any, online_server: OnlineServer
                                                   ) -> None:
    _local_only(page, online_server)
    log_in(page, online_server, "politie")
    page.goto(f"{online_server.url}/online/networks")
    rows = page.locator("#networks tbody tr")
    assert rows.count() >= 5
    assert_accessible(page)

    # Filter: the seed put the top network "in onderzoek".
    page.select_option("#f-status", "in_onderzoek")
    page.locator("form.kz-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r".*status=in_onderzoek.*"))
    assert rows.count() == 1

    # Open it: reasons, template, movement.
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/online/networks/\d+$"))
    assert page.locator("#reasons + ol li").count() >= 1
    assert page.locator("#template").count() == 1
    assert page.locator("svg.kz-timeline rect").count() >= 1
    page.wait_for_selector("#kz-map[data-ready=true]")
    assert page.locator("#kz-map path.leaflet-interactive").count() >= 1  # the outline
    assert_accessible(page)
    network_url = page.url

    # Replay a capture: hash shown and verified, page inside a sandboxed frame.
    page.locator("a[href^='/online/captures/']").first.click()
    page.wait_for_url(re.compile(r".*/online/captures/\d+$"))
    assert re.fullmatch(r"[0-9a-f]{64}", page.locator("#sha256").inner_text())
    assert page.locator("#verification .kz-verified").count() == 1
    frame = page.locator("iframe.kz-replay")
    assert frame.get_attribute("sandbox") == ""
    assert page.frame_locator("iframe.kz-replay").locator("body").inner_text(timeout=5000)
    assert_accessible(page)

    # Watch the network, then a crawl brings a new ad with the network's phone number.
    page.goto(network_url)
    page.locator("form[action$='/watch'] button").click()
    page.wait_for_url(f"{online_server.url}/online/watchlist")
    assert page.locator("#watches li").count() >= 1
    top = _top_network(online_server)
    crawl_through_pipeline(online_server.factory, url="http://127.0.0.1:8765/ad/9001",
                           fields=ad_fields(9001, title="Nieuw in Zwolle", city="Zwolle",
                                            text=f"Bel {top.phones[0]}", phone=top.phones[0]))
    page.goto(f"{online_server.url}/notifications")
    assert "Zwolle" in page.locator("main").inner_text()
    page.goto(f"{online_server.url}/online/watchlist")
    assert "Nieuw in Zwolle" in page.locator("#hits").inner_text()
    assert_accessible(page)

    # Make a signal from the network: it links back.
    page.goto(network_url)
    page.locator("form[action$='/signal'] button").click()
    page.wait_for_url(re.compile(r".*/signals/\d+$"))
    assert network_url.split(online_server.url, 1)[1] in page.locator("main").inner_text()
    assert_accessible(page)


def test_an_analyst_finds_a_recruiter_reads_why_and_makes_a_signal(
        page: Any, online_server: OnlineServer) -> None:
    _local_only(page, online_server)
    log_in(page, online_server, "politie")
    page.goto(f"{online_server.url}/online/networks")
    page.locator("a[href='/online/recruitment']").click()
    page.wait_for_url(f"{online_server.url}/online/recruitment")
    assert page.locator("tbody tr").count() >= 3
    assert_accessible(page)

    # The top account: its posts, the marked spans and the reasons in words.
    page.locator("tbody tr a").first.click()
    page.wait_for_url(re.compile(r".*/online/recruitment/accounts/\d+$"))
    assert float(page.locator("#max-score").inner_text().replace(",", ".")) > 0.5
    assert page.locator("article.kz-post mark").count() >= 1
    assert page.locator("article.kz-post .kz-reasons li").count() >= 2
    assert page.locator("#channels dt, #channels + dl dt").count() >= 1
    assert_accessible(page)
    account_path = page.url.split(online_server.url, 1)[1]

    # One click: the signal, criminal exploitation, minor likely, linking back.
    page.locator("#make-signal button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/signals/\d+$"))
    main = page.locator("main").inner_text()
    assert account_path in main and "Minderjarig: waarschijnlijk" in main
    assert_accessible(page)
