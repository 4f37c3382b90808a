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


def test_coordinator_works_a_case_through_the_forms(page: Any,
                                                    live_server: LiveServer) -> None:
    log_in(page, live_server, "gemeente")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_label("Titel").fill("Casus Haven")
    page.get_by_role("button", name="Casus openen").click()
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    case_url = page.url

    page.locator("#add-person summary").click()
    page.locator("#person-role").select_option("witness")
    page.locator("#person-pseudonym").fill("Getuige H.")
    page.locator("#person-locations").fill("Rotterdam, Schiedam")
    page.locator("form[action$='/persons'] button").click()
    page.wait_for_url(re.compile(r".*/cases/\d+#persons$"))
    assert "Getuige H." in page.locator("main").inner_text()

    page.locator("#add-participant summary").click()
    page.locator("#participant-org").select_option(label="Politie, eenheid Demostad (demo)")
    page.locator("#participant-phase").select_option("opsporing")
    page.locator("form[action$='/participants'] button").click()
    page.wait_for_url(re.compile(r".*/cases/\d+#raci$"))
    assert "Politie" in page.locator("#raci").inner_text()

    page.locator("form[action$='/conferences'] >> xpath=..").locator("summary").click()
    page.locator("#conf-when").fill("2030-01-07T10:00")
    page.locator("#conf-agenda").fill("Veiligheid\nOpvang")
    page.locator("form[action$='/conferences'] button").click()
    page.wait_for_url(re.compile(r".*#conferences$"))
    page.locator("textarea[name='minutes']").fill("Veiligheid besproken.")
    page.locator("form[action$='/minutes'] button").click()
    page.wait_for_url(re.compile(r".*#conferences$"))
    page.locator("form[action$='/finalise'] button").click()
    page.wait_for_url(re.compile(r".*#conferences$"))
    assert page.locator("form[action$='/minutes']").count() == 0  # final: no editing
    correction = page.locator("form[action$='/versions']")
    correction.locator("xpath=..").locator("summary").click()
    correction.locator("textarea[name='text']").fill("Veiligheid en opvang besproken.")
    correction.locator("input[name='reason']").fill("Opvang ontbrak")
    correction.locator("button").click()
    page.wait_for_url(re.compile(r".*#conf-\d+$"))
    assert "Veiligheid en opvang besproken." in page.locator(".minutes").inner_text()
    history = page.locator(".minutes-history")
    history.locator("summary").click()
    assert "Veiligheid besproken." in history.inner_text()
    assert "Opvang ontbrak" in page.locator(".minutes-by").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/notifications")
    assert_accessible(page)
    page.goto(f"{live_server.url}/cases/referrals")
    assert_accessible(page)
    assert case_url


def test_outsider_breaks_the_glass(page: Any, live_server: LiveServer) -> None:
    # The Marechaussee takes part in no demo case: it needs emergency access to read one.
    log_in(page, live_server, "kmar")
    page.goto(f"{live_server.url}/cases/2/emergency")
    assert_accessible(page)
    page.locator("#glass-reason").fill("Slachtoffer staat aan de balie, acuut gevaar")
    page.locator("form[action$='/emergency'] button").click()
    page.wait_for_url(f"{live_server.url}/cases/2")
    assert page.locator("#emergency-banner").count() == 1
    assert_accessible(page)
