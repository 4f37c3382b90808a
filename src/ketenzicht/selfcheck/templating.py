"""The selfcheck's Jinja environment: the same templates folder, its own catalogue domain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from ketenzicht.core import i18n
from ketenzicht.selfcheck import i18n as sc_i18n
from ketenzicht.web.assets import asset_url

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
    extensions=["jinja2.ext.i18n"],
    autoescape=jinja2.select_autoescape(default=True),
    undefined=jinja2.StrictUndefined,
)
templates = Jinja2Templates(env=_env)
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    sc_i18n.gettext, sc_i18n.ngettext, newstyle=True
)
templates.env.globals.update(
    language_name=i18n.language_name,
    locales=sc_i18n.LOCALES,
    money=sc_i18n.money,
    number=sc_i18n.number,
    long_date=sc_i18n.long_date,
    asset_url=asset_url,
)


def render(request: Request, name: str, context: dict[str, Any],
           status_code: int = 200) -> HTMLResponse:
    """Render a selfcheck page in the request's language."""
    locale = i18n.get_locale()
    ctx: dict[str, Any] = {"locale": locale, "needs_review": sc_i18n.needs_review(locale)}
    ctx.update(context)
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
