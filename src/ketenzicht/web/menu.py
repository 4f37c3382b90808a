"""The main menu and the section menus, shown by the permission check of the page they link to.

A menu entry names only a path and a label. Whether an actor sees it is decided by the
``require(action)`` of the GET route at that path, read from the app's own routes, so a
link and its page can never disagree: a link that would answer "Geen toegang" is not
shown, and a page a role may open is reachable from the menu (tests/web/test_daily.py).
A section (Shelter) links to the first of its pages the actor may open; the pages of the
section the actor may open are listed under the main menu on every page of the section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant

from ketenzicht.auth.permissions import authorize
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.web.deps import Require


@dataclass(frozen=True)
class Entry:
    """A page in the menu: its path and its label (an English msgid)."""

    href: str
    label: str


@dataclass(frozen=True)
class Section:
    """A main-menu item; with more than one entry it also has a section menu."""

    label: str
    entries: tuple[Entry, ...]


MENU: tuple[Section, ...] = (
    Section(N_("Start"), (Entry("/", N_("Start")),)),
    Section(N_("Signals"), (Entry("/signals", N_("Signals")),
                            Entry("/signals/drafts", N_("My drafts")))),
    Section(N_("Signal inbox"), (Entry("/signals/inbox", N_("Signal inbox")),)),
    Section(N_("Cases"), (Entry("/cases", N_("Cases")),
                          Entry("/cases/referrals", N_("Referrals to your organisation")))),
    Section(N_("Online networks"), (Entry("/online/networks", N_("Online networks")),
                                    Entry("/online/search", N_("Search online ads")),
                                    Entry("/online/watchlist", N_("My watchlist")))),
    Section(N_("Crawling"), (Entry("/online/crawl", N_("Crawling")),
                             Entry("/online/crawl/captures", N_("Capture index")))),
    Section(N_("Undercover operations"), (Entry("/operations", N_("Undercover operations")),)),
    Section(N_("Monitor"), (Entry("/monitor", N_("Monitor")),)),
    Section(N_("Shelter"), (
        Entry("/shelter", N_("National overview")),
        Entry("/shelter/my", N_("Update my places")),
        Entry("/shelter/offers", N_("Offers for my places")),
        Entry("/shelter/placements", N_("Placements at my units")),
        Entry("/shelter/manage", N_("Manage my locations and units")),
        Entry("/shelter/requests", N_("Placement requests")),
        Entry("/shelter/batch", N_("Batch placement")),
        Entry("/shelter/units", N_("Shelter units")),
    )),
    Section(N_("Organisations"), (Entry("/organisations", N_("Organisations")),)),
    Section(N_("Audit log"), (Entry("/audit", N_("Audit log")),)),
    Section(N_("My account"), (Entry("/account", N_("My account")),)),
    Section(N_("Notifications"), (Entry("/notifications", N_("Notifications")),)),
)


@dataclass(frozen=True)
class Link:
    """A menu link as the template draws it."""

    href: str
    label: str
    current: bool


@dataclass(frozen=True)
class Menu:
    """What one actor sees: the main menu and the current section's pages."""

    main: tuple[Link, ...]
    section: tuple[Link, ...]
    section_label: str


def _require_of(dependant: Dependant) -> str | None:
    stack = [dependant]
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Require):
            return dep.call.action
        stack.extend(dep.dependencies)
    return None


def page_actions(app: FastAPI) -> dict[str, str | None]:
    """The action each GET page demands, by path (None: open to every logged-in user)."""
    cached: dict[str, str | None] | None = getattr(app.state, "page_actions", None)
    if cached is not None:
        return cached
    found: dict[str, str | None] = {}
    for route in app.routes:
        contexts: Any = getattr(route, "effective_route_contexts", None)
        if contexts is None:
            continue
        for ctx in contexts():
            if "GET" in ctx.methods:
                found.setdefault(ctx.path, _require_of(ctx.dependant))
    app.state.page_actions = found
    return found


def _current(path: str) -> str | None:
    """The menu path the page at ``path`` belongs to: the longest prefix among the entries."""
    best: str | None = None
    for section in MENU:
        for entry in section.entries:
            href = entry.href
            hit = path == href if href == "/" else (path == href or path.startswith(href + "/"))
            if hit and (best is None or len(href) > len(best)):
                best = href
    return best


def menu_for(request: Request) -> Menu:
    """The menu of the request's actor; every link is one its page would let through."""
    actor = getattr(request.state, "actor", None)
    if actor is None:
        return Menu((), (), "")
    actions = page_actions(request.app)

    def allowed(href: str) -> bool:
        if href not in actions:
            return False
        action = actions[href]
        return action is None or authorize(actor, action).allowed

    here = _current(request.url.path)
    main: list[Link] = []
    section_links: tuple[Link, ...] = ()
    section_label = ""
    for section in MENU:
        visible = [e for e in section.entries if allowed(e.href)]
        if not visible:
            continue
        in_section = any(e.href == here for e in section.entries)
        main.append(Link(visible[0].href, gettext(section.label), in_section))
        if in_section and len(visible) > 1:
            section_label = gettext(section.label)
            section_links = tuple(Link(e.href, gettext(e.label), e.href == here)
                                  for e in visible)
    return Menu(tuple(main), section_links, section_label)
