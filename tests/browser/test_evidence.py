"""An investigator adds an item, links it to the open means element and sees the gap close."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser

# Demo case 1 (evidence seeder): act and purpose supported, the means still open.
MEANS_IN_1 = "table[id$='-sub1'] tr[data-element='middel']"


def test_add_item_link_it_and_the_gap_closes(page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server, "politie")
    page.goto(f"{live_server.url}/cases/1")
    page.locator("#evidence-link").click()
    page.wait_for_url(re.compile(r".*/cases/1/evidence$"))
    assert page.locator(MEANS_IN_1).first.get_attribute("data-coverage") == "open"
    assert "middel" in page.locator("[data-conclusion]").first.inner_text()
    assert_accessible(page)

    page.locator("#kind").select_option("telecom")
    page.locator("#title").fill("Berichten over schuld en dreiging")
    page.locator("#source").fill("Telecomaanbieder (test)")
    page.locator("#file").set_input_files(files=[{
        "name": "berichten.txt", "mimeType": "text/plain",
        "buffer": b"Je betaalt eerst je schuld af."}])
    page.locator("#add-item-submit").click()
    page.wait_for_url(re.compile(r".*/cases/1/evidence\?item=(\d+)#item-\1$"))
    item_id = page.url.rsplit("#item-", 1)[1]
    assert "Berichten over schuld en dreiging" in page.locator(f"#item-{item_id}").inner_text()

    page.locator(f"#link-form-{item_id} summary").click()  # each item's link form is folded
    page.locator(f"#element-{item_id}").select_option("middel")
    page.locator(f"#strength-{item_id}").select_option("sterk")
    page.locator(f"#link-{item_id}").click()
    page.wait_for_url(re.compile(r".*/cases/1/evidence#matrix$"))
    assert page.locator(MEANS_IN_1).first.get_attribute("data-coverage") == "gedekt"
    assert_accessible(page)

    page.goto(f"{live_server.url}/cases/1/evidence/wage")
    assert_accessible(page)


def test_a_file_over_the_limit_is_refused_before_sending_and_the_form_keeps_its_text(
        page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server, "politie")
    page.goto(f"{live_server.url}/cases/1/evidence")
    file_input = page.locator("#file")
    assert int(file_input.get_attribute("data-max-bytes")) == 25_000_000
    assert "25 MB" in page.locator("#file-hint").inner_text()
    # The script reads the limit from the page; a smaller one spares the test sending 25 MB
    # into the browser (the server's own refusal of such a body: tests/evidence).
    limit = 1_000
    file_input.evaluate(f"e => {{ e.dataset.maxBytes = '{limit}'; }}")
    page.locator("#title").fill("Camerabeelden van de woning")
    page.locator("#source").fill("Getuige (test)")
    items_before = page.locator("[id^='item-']").count()
    file_input.set_input_files(files=[{"name": "beelden.mp4", "mimeType": "video/mp4",
                                       "buffer": b"\0" * (limit + 1)}])
    page.locator("#add-item-submit").click()
    message = file_input.evaluate("e => e.validationMessage")
    assert "25 MB" in message and "groter dan de limiet" in message, message
    assert page.url.endswith("/cases/1/evidence")  # not sent: still the form
    assert page.locator("#title").input_value() == "Camerabeelden van de woning"
    assert page.locator("[id^='item-']").count() == items_before
    # A file under the limit clears the refusal and is sent.
    file_input.set_input_files(files=[{"name": "beelden.txt", "mimeType": "text/plain",
                                       "buffer": b"klein"}])
    assert file_input.evaluate("e => e.validationMessage") == ""
    page.locator("#add-item-submit").click()
    page.wait_for_url(re.compile(r".*/cases/1/evidence\?item=(\d+)#item-\1$"))
