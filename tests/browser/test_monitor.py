"""The Rapporteur reads the dashboard, opens a chart's table, and uploads figures."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_dashboard_is_accessible_and_explains_itself(page: Any, live_server: LiveServer,
                                                      tmp_path: Any) -> None:
    log_in(page, live_server, "rapporteur")
    page.goto(f"{live_server.url}/monitor")
    assert page.locator("main svg[role=img]").count() == 1
    assert page.locator("#funnel-title").count() == 1
    # The demo's official figures have a year with fewer than 5 convictions for begging.
    page.goto(f"{live_server.url}/monitor?form=forced_begging")
    assert page.locator("td", has_text="<5").count() >= 1
    page.locator("#funnel details summary").click()
    assert page.locator("#funnel details table").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/monitor/registrations")
    assert page.locator("main svg[role=img]").count() == 4
    assert_accessible(page)

    page.goto(f"{live_server.url}/monitor/dark-number")
    assert page.locator("#dark svg[role=img]").count() == 1
    assert_accessible(page)

    bad = tmp_path / "cijfers.csv"
    bad.write_text("year,stage,form,count\n2025,cases,all,12\n2025,arrests,all,1\n")
    page.goto(f"{live_server.url}/monitor/figures")
    page.locator("#f-source").fill("Testbron")
    page.locator("#f-file").set_input_files(str(bad))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "3" in alert.inner_text()
    assert_accessible(page)


def test_coordinator_sees_the_menu_item(page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server, "gemeente")
    page.locator("nav a[href='/monitor']").click()
    page.wait_for_url(f"{live_server.url}/monitor")
    assert page.locator("main svg[role=img]").count() == 1
