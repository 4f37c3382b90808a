"""The one Jinja environment: every page, the selfcheck's public pages and the PDF documents.

Templates are translated with Babel through one pair of gettext callables that read the
catalogue of the current render: the platform's, or a domain's own (the public selfcheck
has its own catalogue domain and layout; see :func:`catalogue`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from ketenzicht import __version__
from ketenzicht.auth.enums import ORG_TYPE_LABELS, ROLE_LABELS, Role
from ketenzicht.auth.permissions import authorize
from ketenzicht.core import formatting, i18n, labels
from ketenzicht.web import cssbundle
from ketenzicht.web.menu import menu_for

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
    extensions=["jinja2.ext.i18n"],
    autoescape=jinja2.select_autoescape(default=True),
    undefined=jinja2.StrictUndefined,
)
templates = Jinja2Templates(env=_env)

Gettext = tuple[Callable[[str], str], Callable[[str, str, int], str]]
_catalogue: ContextVar[Gettext] = ContextVar("catalogue", default=(i18n.gettext, i18n.ngettext))


@contextmanager
def catalogue(gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]
              ) -> Iterator[None]:
    """Translate what is rendered inside the block with these callables."""
    token = _catalogue.set((gettext, ngettext))
    try:
        yield
    finally:
        _catalogue.reset(token)


def _gettext(message: str) -> str:
    return _catalogue.get()[0](message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue.get()[1](singular, plural, n)


templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    _gettext, _ngettext, newstyle=True
)
templates.env.globals.update(
    app_version=__version__,
    bundle_url=cssbundle.bundle_url,
    org_type_label=lambda t: ORG_TYPE_LABELS.get(t, str(t)),
    role_label=lambda r: ROLE_LABELS.get(r, str(r)),
    language_name=i18n.language_name,
    locales=i18n.LOCALES,
    main_menu=menu_for,
    label=labels.label,
    label_of=labels.label,  # for macros whose own argument is called "label"
    label_choices=labels.choices,
)


def roles_text(roles: Iterable[str]) -> str:
    """Roles as a sorted, readable list ("coördinator, medewerker")."""
    return ", ".join(sorted(ROLE_LABELS.get(Role(r), str(r)) for r in roles))


templates.env.filters["roles_text"] = roles_text
# Babel formatting in the reader's language; times in Dutch local time (core/formatting.py).
templates.env.filters.update(
    datetime=formatting.format_datetime, day=formatting.format_day,
    number=formatting.format_number, money=formatting.format_money,
    share=formatting.format_share,
    label=lambda value, kind: labels.label(kind, value),
)


def _can(request: Request, action: str) -> bool:
    return authorize(getattr(request.state, "actor", None), action).allowed


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page (or an ``_partial``) with the request's language, actor and CSRF token."""
    ctx: dict[str, Any] = {
        "locale": i18n.get_locale(),
        "actor": getattr(request.state, "actor", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "can": lambda action: _can(request, action),
        "request_id": getattr(request.state, "request_id", ""),
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def render_document(name: str, context: dict[str, Any]) -> str:
    """A template rendered to a string, outside any request (PDF documents)."""
    return templates.get_template(name).render(context)
