"""The whole intake in Chromium with identities withheld: the page encodes them, only the
encodings leave the browser, the server stores and logs no raw value, and two organisations
with the shared key link while another key version links nothing."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.db.engine import make_engine
from ketenzicht.signals.models import SignalKey, SignalLink
from ketenzicht.signals.pprl import keys
from tests.browser.conftest import LiveServer
from tests.browser.test_shell import assert_accessible, log_in
from tests.factories.pprl import planted_in_tables

pytestmark = pytest.mark.browser

PERSON = "Yevdokiya Strzelczyk-Okonkwo"
FIELDS = {"Pseudoniem of naam zoals bekend": PERSON,
          "Werkgever of bedrijf": "Plantoria Kwekerij",
          "Telefoonnummer": "06-98765432", "Voertuig (kenteken)": "XZ-987-Q"}
NEEDLES = ["yevdokiya", "strzelczyk", "okonkwo", "plantoria", "98765432", "xz987q",
           "xz-987-q"]


def _report(browser: Any, server: LiveServer, org_type: str, shares: list[str],
            person: str, posted: list[str], *, check: bool = False) -> int:
    context = browser.new_context(locale="nl-NL")  # each organisation on its own device
    try:
        return _intake(context.new_page(), server, org_type, shares, person, posted, check)
    finally:
        context.close()


def _intake(page: Any, server: LiveServer, org_type: str, shares: list[str],
            person: str, posted: list[str], check: bool) -> int:
    log_in(page, server, org_type)
    page.goto(f"{server.url}/signals/new")
    page.on("request", lambda r: posted.append(r.post_data or "") if r.method == "POST"
            else None)
    page.get_by_label("Wat hebt u gezien of gehoord?").fill("Slaapt in de kas.")
    page.get_by_label("Nationaliteit").fill("UA")
    page.get_by_label("Geslacht").select_option("female")
    for label, value in FIELDS.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Pseudoniem of naam zoals bekend").fill(person)
    page.get_by_label("Mijn organisatie deelt geen identiteiten").check()
    page.get_by_label("Of plak de sleuteldelen, één per regel").fill("\n".join(shares))
    page.get_by_label("Geboortejaar van de persoon").fill("1994")
    status = page.locator("#pprl-status")
    version = shares[0].split("-")[2]
    status.filter(has_text=f"Sleutel {version}, vingerafdruk").wait_for()
    if check:  # the panel, shown, passes axe
        assert_accessible(page)
    page.get_by_role("button", name="Signaal vastleggen").click()
    page.wait_for_url(re.compile(r".*/signals/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture
def server_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log line of the test server, uvicorn's own too (they do not propagate)."""
    caplog.set_level(logging.DEBUG)
    for name in LOGGERS:
        logging.getLogger(name).addHandler(caplog.handler)
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield caplog
    for name in LOGGERS:
        logging.getLogger(name).removeHandler(caplog.handler)


def _assert_no_raw_value_sent(posted: list[str], intakes: int) -> None:
    with_encodings = [p for p in posted if "encodings=" in p and "key_version" in p]
    assert len(with_encodings) == intakes  # the form went, with encodings ...
    for body in posted:  # ... and no raw identity, and no share of the key
        assert not any(n in body.lower() for n in NEEDLES), body[:300]
        assert "kz-share" not in body


def test_withheld_intake_in_the_browser_sends_and_stores_no_raw_identity_and_links(
        browser: Any, live_server: LiveServer, server_log: pytest.LogCaptureFixture) -> None:
    shares = keys.keygen("2026", 2)
    posted: list[str] = []
    made = [_report(browser, live_server, "zorg", shares, PERSON, posted, check=True),
            # The same person written otherwise, by another organisation, same key.
            _report(browser, live_server, "politie", shares, "okonkwo, Yevdokiya STRZELCZYK",
                    posted)]
    _assert_no_raw_value_sent(posted, 2)
    engine = make_engine(live_server.database_url)
    try:
        with Session(engine) as db:
            found, scanned = planted_in_tables(db, NEEDLES)
            assert found == [] and scanned > 1000
            stored = {(k.signal_id, k.kind.value, k.key_version)
                      for k in db.scalars(select(SignalKey).where(
                          SignalKey.signal_id.in_(made)))}
            assert stored == {(s, kind, "2026") for s in made
                              for kind in ("person", "employer", "phone", "vehicle")}
            links = {(link.other_signal_id, link.kind.value) for link in db.scalars(
                select(SignalLink).where(SignalLink.signal_id == made[0]))}
            # Person, phone and plate agree; the employer alone, without region or sector,
            # stays below the model's threshold (as it would on raw values).
            assert {o for o, _k in links} == {made[1]}
            assert {k for _o, k in links} >= {"person", "phone", "vehicle"}
    finally:
        engine.dispose()
    assert not any(n in server_log.text.lower() for n in NEEDLES)
    assert "POST /signals/new" in server_log.text  # the server's log was captured


def test_with_another_key_version_nothing_links(
        browser: Any, live_server: LiveServer, server_log: pytest.LogCaptureFixture) -> None:
    posted: list[str] = []
    made = _report(browser, live_server, "opvang", keys.keygen("2027", 3), PERSON, posted)
    _assert_no_raw_value_sent(posted, 1)
    engine = make_engine(live_server.database_url)
    try:
        with Session(engine) as db:
            versions = set(db.scalars(select(SignalKey.key_version)
                                      .where(SignalKey.signal_id == made)))
            assert versions == {"2027"}
            assert db.scalar(select(SignalLink.id).where(SignalLink.signal_id == made)) is None
    finally:
        engine.dispose()
    assert not any(n in server_log.text.lower() for n in NEEDLES)
