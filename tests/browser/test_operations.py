"""The named operator opens the demo operation, a verified conversation, and meets the guard."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_operation_page_conversation_and_guard(page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server, "politie")  # politie-demo is the operator named in the order
    page.goto(f"{live_server.url}/operations")
    assert_accessible(page)
    page.locator("#operations a").first.click()
    page.wait_for_url(re.compile(r".*/operations/\d+$"))
    assert "afgegeven" in page.locator("#order-status").inner_text()
    assert "dagen" in page.locator("#order-status").inner_text()  # time left
    assert page.locator("#versions tbody tr").count() == 1
    assert page.locator("[data-persona]").count() == 2
    assert page.locator("#conversation-list tbody tr").count() == 4
    # The demo campaign's figures, small cells hidden (one warning shows as "<5").
    assert "<5" in page.locator("#campaign-figures tbody tr").first.inner_text()
    flags = page.locator("#flags").locator("xpath=following-sibling::ul[1]")
    assert "Gesprek" in flags.inner_text()
    assert_accessible(page)

    page.locator("#conversation-list a").first.click()
    page.wait_for_url(re.compile(r".*/conversations/\d+$"))
    assert "Keten gecontroleerd: 4 berichten" in page.locator("#chain-status").inner_text()
    assert_accessible(page)

    # A decoy-first offer in a fresh conversation: refused with the reason, then confirmed.
    page.go_back()
    page.locator("#platform").fill("Demoplatform")
    page.locator("#counterpart_handle").fill("nieuwe_klant")
    page.locator("#conversation-form button").click()
    page.wait_for_url(re.compile(r".*/conversations/\d+$"))
    page.locator("#direction").select_option("outbound")
    page.locator("#text").fill("Seks voor 100 euro?")
    page.locator("#message-form button").click()
    flags = page.locator("#guard-flags")
    assert "als eerste een handeling of prijs" in flags.inner_text()
    assert page.locator("#messages tbody tr[data-direction]").count() == 0
    assert_accessible(page)
    page.locator("#confirm_reason").fill("Bewust, in overleg met de teamleider (test)")
    page.locator("#message-form button").click()
    page.wait_for_url(re.compile(r".*/conversations/\d+#last$"))
    row = page.locator("#messages tbody tr[data-direction='outbound']")
    assert "Bevestigd door " in row.inner_text()
    assert "Keten gecontroleerd: 1 berichten" in page.locator("#chain-status").inner_text()
    assert_accessible(page)
