"""A coordinator files a request, gets ranked matches and holds a place; the shelter accepts.

Real Chromium through Playwright; axe finds no WCAG 2.1 A/AA violations on any page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_request_match_offer_accept(browser: Any, live_server: LiveServer) -> None:
    coordinator = browser.new_context(locale="nl-NL")
    page = coordinator.new_page()
    log_in(page, live_server, "comensha")
    page.goto(f"{live_server.url}/shelter")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Opvangplekken")
    assert_accessible(page)
    page.goto(f"{live_server.url}/shelter/requests/new")
    assert_accessible(page)
    page.get_by_label("Pseudoniem").fill("CM-BROWSER-0001")
    page.get_by_label("Leeftijd", exact=True).fill("29")
    page.get_by_label("Geslacht").select_option("vrouw")
    page.get_by_label("Verblijfsstatus").select_option("eu")
    page.get_by_label("Vorm van uitbuiting").select_option("seksueel")
    page.get_by_label("Huidige regio").select_option("vr01")
    page.get_by_label("Noord-Holland Noord").check()
    page.get_by_role("button", name="Verzoek indienen").click()
    page.wait_for_url(re.compile(r".*/shelter/requests/\d+$"))
    assert page.get_by_role("heading", name="Passende plekken").count() == 1
    scores = page.locator(".kz-match .utrecht-data-badge").all_inner_texts()
    values = [float(s.split()[-1]) for s in scores]
    assert values and values == sorted(values, reverse=True)  # ranked
    assert page.locator(".kz-match li").count() >= 4  # each score explained
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Een plek vasthouden bij Opvang Demostad"))\
        .first.click()
    page.wait_for_url(re.compile(r".*/shelter/requests/\d+$"))
    assert "plek vastgehouden" in page.locator("main").inner_text()
    assert_accessible(page)
    request_url = page.url
    coordinator.close()

    shelter = browser.new_context(locale="nl-NL")
    page = shelter.new_page()
    log_in(page, live_server, "opvang")
    assert page.goto(request_url).status == 403  # not before accepting
    page.goto(f"{live_server.url}/shelter/offers")
    assert "CM-BROWSER-0001" not in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Aanvaarden").first.click()
    page.wait_for_url(f"{live_server.url}/shelter/offers")
    page.get_by_role("link", name="Het volledige verzoek").first.click()
    assert "CM-BROWSER-0001" in page.locator("h1").inner_text()
    assert "aanvaard door de opvang" in page.locator("main").inner_text()
    assert_accessible(page)
    shelter.close()


def test_quick_update_on_a_phone(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, "opvang")
    page.goto(f"{live_server.url}/shelter/my")
    assert_accessible(page)
    field = page.get_by_label("Nu vrije plekken").first
    field.fill("1")
    page.get_by_role("button", name="Opslaan").first.click()
    page.get_by_text("Opgeslagen.").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    context.close()
