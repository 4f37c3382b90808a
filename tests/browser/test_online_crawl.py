"""An investigator checks the site profiles and crawl runs and opens the capture index."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_crawl_pages_are_accessible_and_lead_to_the_captures(page: Any,
                                                             live_server: LiveServer) -> None:
    log_in(page, live_server, "politie")
    page.goto(f"{live_server.url}/online/crawl")
    demo = page.locator("#profile-demo")
    assert demo.locator("[data-valid=yes]").count() == 1
    assert demo.locator("form[action='/online/crawl/start'] button").count() == 1
    assert page.locator("#runs tbody a[href^='/online/crawl/runs/']").count() >= 1
    assert_accessible(page)

    page.locator("#runs tbody a[href^='/online/crawl/runs/']").first.click()
    page.wait_for_url(f"{live_server.url}/online/crawl/runs/*")
    assert page.locator("#stats tbody tr").count() >= 1
    assert page.locator("#captures a[href^='/online/captures/']").count() >= 1
    assert_accessible(page)

    page.goto(f"{live_server.url}/online/crawl")
    page.locator("main a[href='/online/crawl/captures']").click()
    page.wait_for_url(f"{live_server.url}/online/crawl/captures")
    everything = page.locator("#captures a[href^='/online/captures/']").count()
    assert everything >= 1
    assert_accessible(page)

    page.locator("#f-url").fill("robots.txt")
    page.locator("form.kz-filter button[type=submit]").click()
    page.wait_for_url("**/online/crawl/captures?*")
    rows = page.locator("#captures tbody tr")
    assert rows.count() < everything or everything == 1
    for text in rows.all_inner_texts():
        assert "robots.txt" in text
    assert_accessible(page)


def test_a_care_worker_gets_no_crawl_pages(page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server, "zorg")
    answer = page.goto(f"{live_server.url}/online/crawl")
    assert answer is not None and answer.status == 403
