"""Need-to-know in the browser: a police officer does not read a care summary (issue 18)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser

GGZ = "SEH-verpleegkundige: GGZ-voorgeschiedenis, medicatie tegen angst (synthetisch)"


def test_police_does_not_read_a_care_summary(page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server, "zorg")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_label("Titel").fill("Casus SEH Demostad")
    page.get_by_label("Samenvatting").fill(GGZ)
    # A care organisation writes care or medical details unless it chooses otherwise.
    choice = page.get_by_label("Wie mag dit lezen (soort informatie)")
    assert choice.input_value() == "care"
    assert "zorg of medisch" in choice.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Casus openen").click()
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    case_url = page.url
    summary = page.locator("#case-summary")
    assert GGZ in summary.inner_text() and "zorg of medisch" in summary.inner_text()
    page.locator("#add-participant summary").click()
    form = page.locator("#add-participant")
    form.get_by_label("Organisatie", exact=True).select_option(
        label="Politie, eenheid Demostad (demo)")
    form.get_by_label("Fase", exact=True).select_option("opsporing")
    form.get_by_role("button", name="Organisatie toevoegen").click()
    page.wait_for_url(re.compile(re.escape(case_url) + r"#raci$"))
    assert_accessible(page)

    police = page.context.browser.new_context(locale="nl-NL")
    other = police.new_page()
    try:
        log_in(other, live_server, "politie")
        other.goto(case_url)
        assert "Casus SEH Demostad" in other.get_by_role("heading", level=1).inner_text()
        assert GGZ not in other.content()
        assert "Niet zichtbaar voor uw organisatie (zorg of medisch)" in other.locator(
            "#case-summary").inner_text()
        assert GGZ not in other.goto(case_url.replace("/cases/", "/api/v1/cases/")).text()
        other.goto(case_url)
        assert_accessible(other)
    finally:
        police.close()
