"""The public selfcheck in real Chromium: every page and language accessible (axe), the
whole check without JavaScript, and the quick exit that leaves no way back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ketenzicht.selfcheck.i18n import LOCALES
from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible

pytestmark = pytest.mark.browser

EXIT = "https://www.buienradar.nl/"
PAGES = ["", "/questions", "/help", "/rights"]
SENT = {"uk": "Ваше повідомлення надіслано", "es": "Tu aviso se envió"}


def _context(browser: Any, locale: str, *, javascript: bool = True) -> Any:
    context = browser.new_context(locale=locale, java_script_enabled=javascript)
    # The neutral site is stood in for locally: the test network reaches no outside host.
    context.route(f"{EXIT}**", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body="<!doctype html><html lang='nl'><title>Weer</title><h1>Het weer</h1></html>"))
    return context


@pytest.fixture
def make_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(locale: str = "nl-NL", *, javascript: bool = True) -> Any:
        context = _context(browser, locale, javascript=javascript)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _fill(page: Any, *, pay: str = "400", hours: str = "45") -> None:
    page.locator("#q-age").fill("29")
    page.locator("#q-period-week").check()
    page.locator("#q-hours").fill(hours)
    page.locator("#q-pay").fill(pay)
    page.locator("#q-pay_kind-gross").check()
    page.locator("#q-passport-me").check()
    page.locator("#q-ded_housing").fill("150")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_in_every_language_is_accessible(make_page: Any, live_server: LiveServer,
                                                    locale: str) -> None:
    page = make_page(locale)
    for path in PAGES:
        page.goto(f"{live_server.url}/selfcheck{path}")
        html = page.locator("html")
        assert html.get_attribute("lang") == locale
        assert html.get_attribute("dir") == "ltr"  # none of these languages is right-to-left
        assert page.locator("[data-quick-exit]").get_attribute("href") == EXIT
        assert_accessible(page)


@pytest.mark.parametrize("locale", LOCALES)
def test_result_and_corrections_are_accessible_in_every_language(
        make_page: Any, live_server: LiveServer, locale: str) -> None:
    page = make_page(locale)
    page.goto(f"{live_server.url}/selfcheck/questions")
    _fill(page, hours="200")
    page.locator("#sc-answers button[type=submit]").click()
    assert page.locator("#e-hours").is_visible()
    assert page.locator("#q-pay").input_value() == "400"
    assert_accessible(page)
    page.locator("#q-hours").fill("45")
    page.locator("#sc-answers button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator(".sc-finding").count() >= 1
    page.locator("[data-print]").wait_for(state="visible")  # JavaScript shows the button
    assert_accessible(page)


def test_the_whole_check_works_without_javascript(make_page: Any,
                                                  live_server: LiveServer) -> None:
    page = make_page("en-GB", javascript=False)
    page.goto(f"{live_server.url}/zelftest")
    page.get_by_role("link", name="Start the check").click()
    _fill(page)
    # Switching language mid-way keeps the answers: the buttons post the form.
    page.get_by_role("navigation", name="Language").get_by_role("button", name="polski").click()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("#q-pay").input_value() == "400"
    page.locator("#sc-answers button[type=submit]").click()
    # Wait for the result page itself: without JavaScript the post is a full page load, and
    # the URL can change before the new page's heading is there.
    page.wait_for_url("**/zelftest/result")
    page.get_by_role("heading", level=1,
                     name="Twoje odpowiedzi pokazują poważne problemy.").wait_for()
    assert page.locator("[data-print]").is_hidden()  # nothing that needs JavaScript shows
    page.get_by_role("navigation", name="Język").get_by_role("button", name="română").click()
    assert page.locator("html").get_attribute("lang") == "ro"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Răspunsurile tale arată probleme grave.")
    page.get_by_role("button", name="Schimbă răspunsurile mele").click()
    assert page.locator("#q-hours").input_value() == "45"
    # (No axe here: it runs as a script. The same pages are checked with it above.)
    # The quick exit is a plain link without JavaScript.
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(EXIT)
    cookies = {c["name"] for c in page.context.cookies()}
    assert cookies == {"kz_lang"}, cookies


@pytest.mark.parametrize("locale", ["uk", "es"])
def test_the_opt_in_signal_is_accessible_and_works_without_javascript(
        make_page: Any, live_server: LiveServer, locale: str) -> None:
    page = make_page(locale, javascript=False)
    page.goto(f"{live_server.url}/selfcheck/questions")
    _fill(page)
    page.locator("#sc-answers button[type=submit]").click()
    page.locator("#s-A").check()
    page.locator("#s-place").fill("Westland")
    page.locator("form[aria-labelledby=sc-signal] button[type=submit]").click()
    assert page.url.endswith("/selfcheck/signal?lang=" + locale)
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("h1").inner_text() == SENT[locale]
    # Back with JavaScript, so that axe can run on the offer and the confirmation.
    page = make_page(locale)
    page.goto(f"{live_server.url}/selfcheck/questions")
    _fill(page)
    page.locator("#sc-answers button[type=submit]").click()
    assert page.locator("form[aria-labelledby=sc-signal]").is_visible()
    assert_accessible(page)
    page.locator("form[aria-labelledby=sc-signal] button[type=submit]").click()
    assert_accessible(page)
    assert {c["name"] for c in page.context.cookies()} <= {"kz_lang"}


def test_quick_exit_replaces_the_history_entry(make_page: Any, live_server: LiveServer) -> None:
    page = make_page("nl-NL")
    page.goto(f"{live_server.url}/selfcheck")
    page.get_by_role("link", name="Hulp krijgen").first.click()
    page.wait_for_url(f"{live_server.url}/selfcheck/help")
    length = page.evaluate("history.length")
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(EXIT)
    assert page.evaluate("history.length") == length  # replaced, not added
    page.go_back()
    assert not page.url.endswith("/selfcheck/help")  # the page that was open is gone


def test_back_after_the_quick_exit_cannot_return_to_the_check(
        make_page: Any, live_server: LiveServer) -> None:
    page = make_page("nl-NL")
    page.goto(f"{live_server.url}/selfcheck")
    page.goto(f"{live_server.url}/selfcheck/questions")
    _fill(page)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/selfcheck/result**")
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(EXIT)
    def outside(url: str) -> bool:
        return "/selfcheck" not in url and "/zelftest" not in url

    # Back, again and again, down to the tab's first page: never a page of the check.
    for _ in range(3):
        page.go_back()
        page.wait_for_url(outside)
        assert page.url == EXIT or page.url == "about:blank", page.url
    # A fresh visit in the same tab works again.
    page.goto(f"{live_server.url}/selfcheck/help")
    assert page.url.endswith("/selfcheck/help")
    assert page.locator("[data-quick-exit]").is_visible()


def test_escape_twice_leaves_too(make_page: Any, live_server: LiveServer) -> None:
    page = make_page("en-GB")
    page.goto(f"{live_server.url}/selfcheck/rights")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT)


def test_no_cookie_but_the_chosen_language(make_page: Any, live_server: LiveServer) -> None:
    page = make_page("es-ES")
    page.goto(f"{live_server.url}/selfcheck")
    assert page.context.cookies() == []
    page.get_by_role("link", name="українська").click()
    assert page.locator("html").get_attribute("lang") == "uk"
    assert [c["name"] for c in page.context.cookies()] == ["kz_lang"]
