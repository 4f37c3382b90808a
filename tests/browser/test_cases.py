"""A coordinator opens a case, assigns a task and hands the coordinator role over."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_coordinator_opens_assigns_and_hands_over(page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server, "gemeente")
    page.goto(f"{live_server.url}/cases/new")
    assert_accessible(page)
    page.get_by_label("Titel").fill("Casus Kas Vers")
    page.get_by_label("Pseudoniem").fill("Ion P.")
    page.get_by_label("Nationaliteit (twee letters)").fill("RO")
    page.get_by_role("button", name="Casus openen").click()
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    assert "Casus Kas Vers" in page.get_by_role("heading", level=1).inner_text()
    assert "B8" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"Taak \d+ toewijzen")).first.click()
    page.wait_for_url(re.compile(r".*/cases/\d+$"))

    # Demo case 1 is coordinated by the gemeente, with the police taking part.
    page.goto(f"{live_server.url}/cases/1")
    page.get_by_label("Overdragen aan").select_option(label="Politie, eenheid Demostad (demo)")
    page.get_by_label("Reden van de overdracht").fill("Opsporing neemt de regie")
    page.get_by_role("button", name="Overdracht voorstellen").click()
    page.wait_for_url(f"{live_server.url}/cases/1")
    assert page.locator("#pending-handover").count() == 1
    assert "Gemeente" in page.locator("#coordinator").inner_text()

    police = page.context.browser.new_context(locale="nl-NL")
    other = police.new_page()
    try:
        log_in(other, live_server, "politie")
        other.goto(f"{live_server.url}/cases/1")
        other.get_by_role("button", name="Regierol accepteren").click()
        other.wait_for_url(f"{live_server.url}/cases/1")
        assert "Politie" in other.locator("#coordinator").inner_text()
        assert_accessible(other)
    finally:
        police.close()
