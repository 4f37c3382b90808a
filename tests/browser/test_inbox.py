"""An inbox of 1,000 signals in real Chromium, at 1280 and 320 px (issue 23): counted, first
page only, a filter narrows it, paging moves, axe is clean and nothing scrolls sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ketenzicht.auth.models import User
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in
from tests.factories.signals import bulk_routed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def busy_inbox(live_server: LiveServer) -> str:
    """1,000 more signals routed to the KMar demo account's organisation."""
    account = live_server.account("kmar")
    nurse = live_server.account("zorg")
    factory = make_session_factory(make_engine(live_server.database_url))
    with factory() as session:
        def user(name: str) -> User:
            return session.query(User).filter_by(username=name).one()
        kmar, zorg = user(account.username), user(nurse.username)
        bulk_routed(session, reporter_id=zorg.id, reporter_org_id=zorg.organisation_id,
                    to_org_id=kmar.organisation_id, n=1000)
        session.commit()
    return "kmar"


@pytest.mark.parametrize("width", [1280, 320])
def test_an_inbox_of_a_thousand_signals(browser: Any, live_server: LiveServer,
                                        busy_inbox: str, width: int) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server, busy_inbox)
        page.goto(f"{live_server.url}/signals/inbox")
        count = page.locator("#list-count").inner_text()
        total = int(re.search(r"([\d.]+) signalen", count).group(1).replace(".", ""))
        assert total >= 1000
        assert page.locator(".kz-inbox-item").count() == 25
        assert page.evaluate("document.documentElement.scrollWidth"
                             " - document.documentElement.clientWidth") <= 0
        assert_accessible(page)
        page.get_by_label("Regio").select_option("limburg")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url(re.compile(r".*region=limburg"))
        narrowed = int(re.search(r"([\d.]+) signalen", page.locator("#list-count")
                                 .inner_text()).group(1).replace(".", ""))
        assert 250 <= narrowed < total  # every fourth bulk signal, and any demo ones
        first = page.locator(".kz-inbox-item h2").first.inner_text()
        page.get_by_role("link", name="Volgende").click()
        page.wait_for_url(re.compile(r".*page=2"))
        assert "region=limburg" in page.url  # the filter is kept in the address
        assert page.locator(".kz-inbox-item h2").first.inner_text() != first
        assert_accessible(page)
    finally:
        context.close()
