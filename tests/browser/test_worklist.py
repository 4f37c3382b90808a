"""A police officer starts the day on the worklist (issue 18), in real Chromium: the routed
signal is there, its page opens a case (a second try is warned), and a task of the case
is completed on the page. axe is clean on each page visited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from ketenzicht.auth.models import User
from ketenzicht.auth.service import actor_for
from ketenzicht.core import clock
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.models import SignalRoute
from ketenzicht.signals.schemas import SignalCreate
from ketenzicht.signals.service import create_signal
from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def routed_signal(live_server: LiveServer) -> int:
    """A nurse's signal routed to the police demo account's organisation, the most urgent."""
    factory = make_session_factory(make_engine(live_server.database_url))
    with factory() as session:
        def user(name: str) -> User:
            return session.query(User).filter_by(username=name).one()
        nurse = user(live_server.account("zorg").username)
        police = user(live_server.account("politie").username)
        signal = create_signal(session, actor=actor_for(nurse), data=SignalCreate(
            form=ExploitationForm.SEXUAL, place="Kerkrade", pseudonym="Maria D.",
            nationality="RO", seen="SEH: blauwe plekken, de vriend praat voor haar."))
        # Long overdue, so that it leads the worklist whatever else the demo routed.
        signal.routes.append(SignalRoute(org_id=police.organisation_id, purpose="investigate",
                                         deadline_at=clock.now() - timedelta(days=30)))
        session.commit()
        return signal.id


def test_worklist_to_case_to_task(page: Any, live_server: LiveServer,
                                  routed_signal: int) -> None:
    log_in(page, live_server, "politie")
    section = page.locator("#worklist-signals")
    assert "Signalen naar uw organisatie" in section.inner_text()
    assert "te laat" in section.inner_text()
    assert_accessible(page)
    section.get_by_role("link", name=f"Signaal {routed_signal}", exact=True).click()
    page.wait_for_url(f"{live_server.url}/signals/{routed_signal}")
    assert "Vanuit dit signaal is nog geen casus geopend." in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Casus openen vanuit dit signaal").click()
    page.wait_for_url(f"{live_server.url}/cases/from-signal/{routed_signal}")
    assert_accessible(page)
    page.get_by_label("Titel van de casus").fill("Casus Kerkrade")
    page.get_by_role("button", name="Casus openen").click()
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    case_url = page.url
    case_id = case_url.rsplit("/", 1)[1]
    assert "Casus Kerkrade" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)

    # A second try from the same signal is warned, and names the first case.
    page.goto(f"{live_server.url}/signals/{routed_signal}")
    assert page.get_by_role("link", name=f"Casus {case_id}: Casus Kerkrade").count() == 1
    page.get_by_role("link", name="Casus openen vanuit dit signaal").click()
    warning = page.locator("#step-warning")
    assert f"Dit signaal heeft al casus {case_id}" in warning.inner_text()
    assert_accessible(page)
    page.get_by_label("Titel van de casus").fill("Nog een casus")
    page.get_by_role("button", name="Casus openen").click()  # not confirmed: refused
    assert "Vanuit dit signaal is al een casus geopend" in page.locator("main").inner_text()
    assert page.get_by_label("Titel van de casus").input_value() == "Nog een casus"
    assert_accessible(page)

    # Complete the first task of the new case, on the case page.
    page.goto(case_url)
    button = page.get_by_role("button", name=re.compile(r"Taak \d+ afronden")).first
    name = button.inner_text()
    task_id = re.search(r"\d+", name).group(0)  # type: ignore[union-attr]
    page.locator(f"#done-note-{task_id}").fill("Slachtoffer gesproken")
    button.click()
    page.wait_for_url(re.compile(rf".*/cases/{case_id}#task-{task_id}$"))
    assert page.get_by_role("button", name=name).count() == 0
    assert "afgerond" in page.locator(f"section[aria-labelledby='task-{task_id}']").inner_text()
    assert_accessible(page)

    # Back on the start page, the case is one the police coordinates now.
    page.goto(f"{live_server.url}/")
    coordinated = page.locator("#worklist-coordinated").inner_text()
    assert "Casus Kerkrade" in coordinated
    assert_accessible(page)
