"""Log in, navigate, switch language and log out in real Chromium; axe finds no A/AA issues."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page; fail with each WCAG 2.1 A/AA violation named."""
    # After a form submit the new document may still be loading its stylesheets: axe
    # would then judge a quick-exit link without its button colours on the dark bar
    # (a flaky colour-contrast failure). Judge the page as it is rendered.
    page.wait_for_load_state("load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG},
                                      "resultTypes": ["violations"]})
    violations = results.response["violations"]
    report = [f"{v['id']} ({v['impact']}): {v['help']} at "
              f"{[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert not violations, f"{page.url}:\n" + "\n".join(report)


def log_in(page: Any, server: LiveServer, org_type: str) -> None:
    account = server.account(org_type)
    page.goto(f"{server.url}/login")
    page.get_by_label("Gebruikersnaam").fill(account.username)
    page.get_by_label("Wachtwoord").fill(account.password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server.url}/")


def test_login_page_is_accessible(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page)


def test_wrong_password_is_announced(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Gebruikersnaam").fill("politie-demo")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("Onbekende gebruikersnaam")
    assert_accessible(page)


def test_beheerder_navigates_switches_language_and_logs_out(
    page: Any, live_server: LiveServer
) -> None:
    log_in(page, live_server, "beheer")
    assert_accessible(page)
    for link, heading in (("Organisaties", "Organisaties in de keten"),
                          ("Auditlog", "Auditlog"), ("Mijn account", "Mijn account")):
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=link).click()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert_accessible(page)
    page.goto(f"{live_server.url}/organisations")
    page.get_by_role("link", name="Politie, eenheid Demostad (demo)").click()
    assert page.get_by_role("table").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="politie-demo").click()
    assert page.get_by_role("heading", level=2).first.inner_text() == "Dit account wijzigen"
    assert_accessible(page)
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=2).first.inner_text() == "Change this account"
    assert_accessible(page)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/login")
    page.goto(f"{live_server.url}/audit")
    assert page.url.startswith(f"{live_server.url}/login")


def test_medewerker_sees_no_audit_and_gets_a_friendly_403(page: Any,
                                                         live_server: LiveServer) -> None:
    log_in(page, live_server, "zorg")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Auditlog").count() == 0
    response = page.goto(f"{live_server.url}/audit")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"
    assert_accessible(page)


def test_pages_work_on_a_small_screen(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, "gemeente")
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"horizontal scrolling on a phone: {width}px"
    context.close()


def test_the_accessibility_check_can_fail(page: Any) -> None:
    # Guards the guard: a page with known WCAG failures must be reported.
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
