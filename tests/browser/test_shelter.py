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


def _english(browser: Any, live_server: LiveServer, org_type: str) -> Any:
    # English pages: their words are the msgids, whether or not the Dutch catalogue has them.
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/lang/en")
    log_in_en(page, live_server, org_type)
    return context, page


def log_in_en(page: Any, server: LiveServer, org_type: str) -> None:
    account = server.account(org_type)
    page.goto(f"{server.url}/login")
    page.locator("input[name=username]").fill(account.username)
    page.locator("input[name=password]").fill(account.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server.url}/")


def test_beheer_registers_a_location_and_a_unit(browser: Any, live_server: LiveServer) -> None:
    context, page = _english(browser, live_server, "beheer")
    page.goto(f"{live_server.url}/shelter/manage")
    assert_accessible(page)
    page.get_by_role("link", name="New location").click()
    assert_accessible(page)
    page.get_by_label("Provider").select_option(label="Opvang Demostad (demo)")
    page.get_by_label("Name", exact=True).fill("Huis Browsertest")
    page.get_by_label("Municipality", exact=True).fill("Assen")
    page.get_by_label("Centre municipality").fill("Assen")
    page.get_by_label("Safety region").select_option("vr03")
    page.get_by_label("Secret address", exact=False).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/shelter/manage/locations/\d+/units/new$"))
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Groep Browser")
    page.get_by_label("Type").select_option("cosm")
    page.get_by_label("Capacity (places)").fill("4")
    page.get_by_label("Free places now").fill("2")
    page.get_by_role("group", name="Gender").get_by_label("woman").check()
    page.get_by_role("group", name="Residence status").get_by_label("EU citizen").check()
    page.get_by_role("group", name="Placed by").get_by_label("CoMensha").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/shelter/manage\?saved=1#loc-\d+$"))
    section = page.locator("section").filter(has_text="Huis Browsertest")
    row = section.locator("tr").filter(has_text="Groep Browser")
    assert row.locator("td").all_inner_texts()[2:4] == ["2", "4"]  # free, capacity
    assert_accessible(page)
    row.get_by_role("link", name=re.compile("^Edit ")).click()
    assert_accessible(page)
    page.get_by_label("Capacity (places)").fill("1")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/shelter/manage\?saved=1$"))
    row = page.locator("section").filter(has_text="Huis Browsertest").locator("tr").filter(
        has_text="Groep Browser")
    assert row.locator("td").all_inner_texts()[2:4] == ["1", "1"]
    context.close()


def test_shelter_ends_a_placement(browser: Any, live_server: LiveServer) -> None:
    context, page = _english(browser, live_server, "comensha")
    page.goto(f"{live_server.url}/shelter/requests/new")
    page.get_by_label("Pseudonym").fill("CM-BROWSER-UIT")
    page.get_by_label("Age", exact=True).fill("33")
    page.get_by_label("Gender").select_option("vrouw")
    page.get_by_label("Residence status").select_option("eu")
    page.get_by_label("Form of exploitation").select_option("arbeid")
    page.get_by_label("Current region").select_option("vr02")
    page.get_by_role("button", name="Submit request").click()
    page.wait_for_url(re.compile(r".*/shelter/requests/\d+$"))
    request_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("button", name=re.compile(r"^Hold a place at Opvang Demostad")).first.click()
    page.wait_for_url(re.compile(r".*/shelter/requests/\d+$"))
    context.close()

    context, page = _english(browser, live_server, "opvang")
    page.goto(f"{live_server.url}/shelter/offers")
    offer = page.locator("section.kz-offer", has=page.locator(
        "form[action$='/accept']")).filter(has_text="age 33").first
    offer.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"{live_server.url}/shelter/offers")
    page.locator("section.kz-offer").filter(has_text="age 33").first.get_by_role(
        "button", name="The person has arrived").click()
    page.goto(f"{live_server.url}/shelter/placements")
    assert_accessible(page)
    placement = page.locator("section").filter(has_text="CM-BROWSER-UIT")
    placement.get_by_label("Reason for leaving").select_option("doorstroom")
    placement.get_by_role("button", name="End placement of CM-BROWSER-UIT").click()
    page.wait_for_url(re.compile(r".*/shelter/placements\?ended=\d+$"))
    assert "Placement ended" in page.locator("main").inner_text()
    assert "CM-BROWSER-UIT" not in page.locator("main").inner_text()
    assert_accessible(page)
    context.close()
    assert request_id.isdigit()


def test_batch_plan_and_overview_windows(browser: Any, live_server: LiveServer) -> None:
    context, page = _english(browser, live_server, "comensha")
    page.goto(f"{live_server.url}/shelter/batch")
    assert page.get_by_role("heading", level=1).inner_text() == "Batch placement"
    assert "Placed by the optimal plan" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/shelter")
    page.get_by_role("link", name="90 days").click()
    page.wait_for_url(re.compile(r".*/shelter\?days=90"))
    assert "Occupancy over the last 90 days" in page.locator("main").inner_text()
    assert page.locator("svg.kz-shelter-map path").count() == 1
    assert_accessible(page)
    context.close()
