"""A real server on a seeded SQLite database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import UserCreate
from ketenzicht.config import Settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.demo import seed as demo_seed
from ketenzicht.main import create_app

CHROMIUM = Path("/usr/bin/chromium")
SELFCHECK_ACCOUNT = "selfcheck-signals"
# Without these, Chromium reaches for Google's services, which this network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@dataclass
class LiveServer:
    """Where the app listens, and the demo accounts it was seeded with."""

    url: str
    accounts: list[demo_seed.DemoAccount]
    database_url: str = ""

    def account(self, org_type: str) -> demo_seed.DemoAccount:
        """The demo account of one organisation type."""
        return next(a for a in self.accounts if a.organisation_type == org_type)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    var = tmp_path_factory.mktemp("browser-var")
    settings = Settings(var_dir=var, selfcheck_signal_account=SELFCHECK_ACCOUNT)
    upgrade(settings.database_url)
    factory = make_session_factory(make_engine(settings.database_url))
    with unit_of_work(factory) as session:
        session.info["settings"] = settings  # seeders that store files use its var_dir
        ctx = demo_seed.seed(session)
        # The system account that the public selfcheck sends its anonymous signals as.
        auth_service.create_user(session, data=UserCreate(
            username=SELFCHECK_ACCOUNT, display_name="Selfcheck signals", is_system=True,
            organisation_id=ctx.organisations[OrgType.ARBEIDSINSPECTIE].id,
            roles=[Role.MEDEWERKER]), actor=None)
    port = _free_port()
    config = uvicorn.Config(create_app(settings, session_factory=factory), host="127.0.0.1",
                            port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveServer(url=f"http://127.0.0.1:{port}", accounts=ctx.accounts,
                     database_url=settings.database_url)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests skipped: Debian's chromium is not installed at "
                    "/usr/bin/chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="nl-NL")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()
