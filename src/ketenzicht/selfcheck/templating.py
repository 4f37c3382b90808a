"""The selfcheck's pages, rendered by the platform's one Jinja environment.

What differs from the professional pages is the catalogue (the selfcheck's own gettext
domain, in more languages), its layout (``selfcheck/base.html``: no professional header,
no account) and its helpers; all three are given per render, not by another environment.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse

from ketenzicht.core import i18n
from ketenzicht.selfcheck import i18n as sc_i18n
from ketenzicht.web.assets import asset_url
from ketenzicht.web.cssbundle import bundle_url
from ketenzicht.web.templating import catalogue, templates


def render(request: Request, name: str, context: dict[str, Any],
           status_code: int = 200) -> HTMLResponse:
    """Render a selfcheck page in the request's language, with the selfcheck's catalogue."""
    locale = i18n.get_locale()
    ctx: dict[str, Any] = {
        "locale": locale,
        "needs_review": sc_i18n.needs_review(locale),
        "locales": sc_i18n.LOCALES,
        "money": sc_i18n.money,
        "number": sc_i18n.number,
        "long_date": sc_i18n.long_date,
        "asset_url": asset_url,
        "bundle_url": bundle_url,
    }
    ctx.update(context)
    # Starlette renders the template when the response is made, so inside the block.
    with catalogue(sc_i18n.gettext, sc_i18n.ngettext):
        return templates.TemplateResponse(request, name, ctx, status_code=status_code)
