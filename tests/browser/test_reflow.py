"""Every public page reflows at 320 CSS pixels: nothing scrolls sideways (WCAG 1.4.10).

axe does not test Reflow, so this measures it: at a 320 px wide viewport the document may
be no wider than the viewport. The selfcheck's language buttons were the reason the check
was 694 px wide on a phone (issue 23).
"""

from __future__ import annotations

from typing import Any

import pytest

from ketenzicht.selfcheck.i18n import LOCALES
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

PUBLIC = ["/login", "/selfcheck", "/selfcheck/questions", "/selfcheck/help",
          "/selfcheck/rights"]


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the viewport (0 when it reflows)."""
    return int(page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_every_public_page_reflows_at_320_px(browser: Any, live_server: LiveServer) -> None:
    wide: list[tuple[str, str, int]] = []
    # Dutch, and the language whose names make the widest toggle; each at 320 x 640.
    for locale in ("nl-NL", "uk"):
        context = browser.new_context(locale=locale, viewport={"width": 320, "height": 640})
        page = context.new_page()
        for path in PUBLIC:
            page.goto(f"{live_server.url}{path}")
            if (extra := _overflow(page)) > 0:
                wide.append((locale, path, extra))
        context.close()
    assert wide == [], f"wider than 320 px (locale, page, extra px): {wide}"
    assert len(LOCALES) > 5  # the toggle that must wrap holds every selfcheck language
