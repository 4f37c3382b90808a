"""A healthcare worker reports a signal and sees why; the police finds it in its inbox."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_healthcare_worker_reports_and_police_inbox_receives(
    page: Any, live_server: LiveServer
) -> None:
    log_in(page, live_server, "zorg")
    page.goto(f"{live_server.url}/signals/new")
    assert page.get_by_role("status").first.inner_text().startswith("Acuut gevaar?")
    assert_accessible(page)
    page.get_by_label("Vorm van uitbuiting").select_option("sexual")
    page.get_by_label("Wat hebt u gezien of gehoord?").fill(
        "Jonge vrouw <onder druk>, paspoort bij haar 'vriend'.")
    # The nurse's own signs come first (issue 18); the full lists are folded behind them.
    assert page.locator("#profile-signs legend").inner_text().startswith(
        "Signalen in uw werk: Zorg")
    full = page.get_by_label("Wordt bewaakt, opgesloten of mag niet alleen naar buiten")
    assert not full.is_visible()
    page.get_by_label("Heeft geen eigen identiteitsbewijs of zorgpas bij zich; een ander "
                      "bewaart die").check()  # ticks PO_DOCUMENTS
    page.get_by_label("Iemand anders voert het woord of laat de patiënt niet alleen").check()
    page.locator("#full-lists > summary").click()
    page.get_by_label("Emotioneel afhankelijk van een (vermeende) partner die het werk "
                      "regelt").check()
    assert_accessible(page)
    page.get_by_label("Nationaliteit").fill("BG")
    page.get_by_label("Leeftijd", exact=True).fill("24")
    page.get_by_label("Pseudoniem of naam zoals bekend").fill("Desislava Petrova")
    page.get_by_label("Geslacht").select_option("female")
    page.get_by_role("button", name="Signaal vastleggen").click()
    page.wait_for_url(re.compile(r".*/signals/\d+$"))
    signal_id = page.url.rsplit("/", 1)[1]
    assert page.get_by_role("heading", level=1).inner_text() == f"Signaal {signal_id}"
    explanation = page.locator("#explanation").inner_text()
    assert "Dwang op de plaats van bestemming: positief (2 sterk)" in explanation
    assert "bedenktijd" in explanation  # B8 for a foreign presumed victim
    assert "<onder druk>" in page.get_by_text("Jonge vrouw").inner_text()  # escaped, shown
    assert_accessible(page)

    police = page.context.browser.new_context(locale="nl-NL")
    other = police.new_page()
    try:
        log_in(other, live_server, "politie")
        other.goto(f"{live_server.url}/signals/inbox")
        assert other.get_by_role("heading", level=1).inner_text() == "Inbox"
        # The inbox is paged, most urgent first; the newest is one click away.
        assert "signalen" in other.locator("#list-count").inner_text()
        other.get_by_role("link", name="ontvangen").click()
        other.wait_for_url(re.compile(r".*sort=-received"))
        link = other.get_by_role("link", name=f"Signaal {signal_id}", exact=True)
        assert link.count() == 1
        assert_accessible(other)
        link.click()
        other.wait_for_url(f"{live_server.url}/signals/{signal_id}")
        assert "Indicatoren aanwezig" in other.get_by_role("status").first.inner_text()

        # The police records what it saw of the same woman (name order swapped, a typo):
        # both signals are linked, with the reasons in words and no content of the other.
        other.goto(f"{live_server.url}/signals/new")
        other.get_by_label("Vorm van uitbuiting").select_option("sexual")
        other.get_by_label("Wat hebt u gezien of gehoord?").fill("Controle in een woning.")
        other.get_by_label("Nationaliteit").fill("BG")
        other.get_by_label("Leeftijd", exact=True).fill("25")
        other.get_by_label("Pseudoniem of naam zoals bekend").fill("Petrova Desislawa")
        other.get_by_label("Geslacht").select_option("female")
        other.get_by_role("button", name="Signaal vastleggen").click()
        other.wait_for_url(re.compile(r".*/signals/\d+$"))
        why = other.locator("details.kz-link-why").first
        why.locator("summary").click()
        # Name, nationality, gender and age band each give a reason; the wording is checked
        # in tests/signals/test_matching.py.
        assert why.locator("li").count() == 4
        assert "%" in why.locator("summary").inner_text()
        assert "Jonge vrouw" not in other.content()  # the other signal's content stays closed
        assert_accessible(other)
    finally:
        police.close()
