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


# Counts the words in table cells that the browser broke over two lines: a word whose
# own text range has more than one line box ("Groninge|n", "2|0|2|6" in issue 23).
BROKEN_WORDS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g; let m;
      while ((m = re.exec(node.data)) !== null) {
        // A compound may break after its own hyphen ("'s-|Gravenhage"); a date may not.
        let start = m.index;
        for (const part of m[0].split(/(?<=\\p{L}-)(?=\\p{L})/u)) {
          const range = document.createRange();
          range.setStart(node, start); range.setEnd(node, start + part.length);
          start += part.length;
          const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
          if (tops.size > 1) out.push(part);
        }
      }
    }
  }
  return out;
}"""

TABLE_PAGES = {"politie": ["/signals/inbox", "/cases", "/online/networks", "/audit"],
               "zorg": ["/shelter", "/shelter/requests"]}


def test_table_cells_never_break_inside_a_word(browser: Any, live_server: LiveServer) -> None:
    from tests.browser.test_shell import log_in

    broken: list[tuple[int, str, list[str]]] = []
    for width in (1280, 320):
        for org, paths in TABLE_PAGES.items():
            context = browser.new_context(locale="nl-NL", viewport={"width": width,
                                                                     "height": 800})
            page = context.new_page()
            log_in(page, live_server, org)
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                if words := page.evaluate(BROKEN_WORDS):
                    broken.append((width, path, sorted(set(words))[:8]))
            context.close()
    assert broken == [], f"words broken inside table cells (width, page, words): {broken}"
