"""The trimmed stylesheet bundle looks exactly like the full NL Design System stylesheets.

Each page is rendered twice in real Chromium: with the bundle it ships, and with the bundle
swapped, in the same place, for the three full stylesheets it was trimmed from. The two
screenshots must be the same to the pixel; a rule the trimming dropped but a page needs
would show as a difference.
"""

from __future__ import annotations

from typing import Any

import pytest

from ketenzicht.web.cssbundle import BUNDLES
from tests.browser.conftest import LiveServer
from tests.browser.test_shell import log_in

pytestmark = pytest.mark.browser

SWAP = """async (files) => {
  const bundle = document.querySelector('link[href^="/static/bundle/site.css"]');
  const loaded = files.map((f) => new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/static/' + f;
    link.onload = resolve; link.onerror = reject;
    bundle.before(link);
  }));
  await Promise.all(loaded);
  bundle.remove();
  await document.fonts.ready;
}"""


def _same_with_full_css(page: Any) -> bool:
    page.wait_for_load_state("load")
    trimmed = page.screenshot(full_page=True, animations="disabled")
    page.evaluate(SWAP, list(BUNDLES["site"]))
    assert page.locator('link[href^="/static/bundle/"]').count() == 0
    full = page.screenshot(full_page=True, animations="disabled")
    return bool(trimmed == full)


def test_public_and_professional_pages_look_the_same_trimmed(
        page: Any, live_server: LiveServer) -> None:
    different = []
    for path in ("/login", "/selfcheck", "/selfcheck/questions"):
        page.goto(f"{live_server.url}{path}")
        if not _same_with_full_css(page):
            different.append(path)
    log_in(page, live_server, "zorg")
    for path in ("/", "/signals/new", "/shelter/requests"):
        page.goto(f"{live_server.url}{path}")
        if not _same_with_full_css(page):
            different.append(path)
    assert different == [], f"pages that look different with the trimmed bundle: {different}"
