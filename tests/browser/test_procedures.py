"""The police offer the B8 reflection period on a case page; it is accepted and runs."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_b8_offered_accepted_running_on_the_case_page(page: Any,
                                                       live_server: LiveServer) -> None:
    log_in(page, live_server, "politie")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_label("Titel").fill("Casus Bedenktijd")
    page.get_by_label("Pseudoniem").fill("Olena K.")
    page.get_by_label("Nationaliteit (twee letters)").fill("UA")
    page.get_by_role("button", name="Casus openen").click()
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    case_url = page.url
    assert "Geen B8-bedenktijd aangeboden." in page.locator("main").inner_text()
    page.locator("#b8-offer summary").click()
    page.get_by_label("Leeftijd").select_option("adult")
    assert_accessible(page)
    page.get_by_role("button", name="B8-aanbod vastleggen").click()
    page.wait_for_url(f"{case_url}#procedures")
    section = page.locator("section[id^='b8-proc-']")
    assert "aangeboden" in section.locator(".b8-state").inner_text()

    section.get_by_role("button", name="Vastleggen: aanvaard").click()
    page.wait_for_url(f"{case_url}#procedures")
    section = page.locator("section[id^='b8-proc-']")
    assert "aanvaard" in section.locator(".b8-state").inner_text()
    # The end of the period counts from the acceptance, three months on.
    assert "Einde van de bedenktijd" in section.locator(".b8-deadlines").inner_text()

    section.get_by_role("button", name="Vastleggen: bedenktijd loopt").click()
    page.wait_for_url(f"{case_url}#procedures")
    section = page.locator("section[id^='b8-proc-']")
    assert "bedenktijd loopt" in section.locator(".b8-state").inner_text()
    steps = section.locator(".b8-timeline li")
    assert steps.count() == 3
    assert "Politie" in steps.nth(0).inner_text()
    assert_accessible(page)


def test_a_care_professional_walks_the_meldcode(page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server, "zorg")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_label("Titel").fill("Casus SEH")
    page.get_by_label("Pseudoniem").fill("Ana M.")
    page.get_by_role("button", name="Casus openen").click()
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    case_url = page.url
    page.get_by_role("button", name="Meldcode starten").click()
    page.wait_for_url(f"{case_url}#procedures")
    for extra in ("signs", "consult", "talk"):
        if extra == "consult":
            page.get_by_label("Collega", exact=True).check()
        page.get_by_role("button", name=re.compile(r"^Stap vastleggen")).click()
        page.wait_for_url(f"{case_url}#procedures")
    questions = page.locator("select[name^='answer_']")
    assert questions.count() == 5
    assert_accessible(page)
    questions.nth(0).select_option("yes")
    questions.nth(1).select_option("yes")
    page.get_by_role("button", name=re.compile(r"^Stap vastleggen")).click()
    page.wait_for_url(f"{case_url}#procedures")
    steps = page.locator(".meldcode-steps li")
    assert "advies: Melden bij Veilig Thuis" in steps.nth(3).inner_text()
    assert "Art. 5.2.6 Wet maatschappelijke ondersteuning 2015" in page.locator(
        "main").inner_text()
    assert_accessible(page)
