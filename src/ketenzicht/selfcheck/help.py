"""Where to get help: the contacts from ``data/help.yaml`` with words in every language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from babel.dates import format_time, get_day_names

from ketenzicht.core import i18n
from ketenzicht.selfcheck.i18n import N_, gettext

#: What each organisation does, in plain words (the data file holds the facts).
DESCRIPTIONS: dict[str, str] = {
    "emergency": N_("In danger right now? Call 112 for the police, an ambulance or the fire "
                    "brigade. The call is free."),
    "police": N_("The police, when there is no emergency. You can report exploitation and "
                 "threats, and ask for protection."),
    "fairwork": N_("Free advice for workers from abroad about pay, housing and your rights. "
                   "Also if you have no papers."),
    "inspectorate": N_("The Labour Inspectorate checks employers. You can report your "
                       "situation, also without giving your name."),
    "comensha": N_("The national centre against exploitation. They give advice and can "
                   "arrange a safe place to stay."),
    "anonymous": N_("Report a crime without giving your name. They never ask who you are. "
                    "The call is free."),
}
#: The order on the help page and in the result.
ORDER = ("emergency", "fairwork", "inspectorate", "comensha", "police", "anonymous")


@dataclass(frozen=True)
class Hours:
    """Days of the week, and optionally the times, that a line is open."""

    days: tuple[int, ...]
    open: time | None = None
    close: time | None = None


@dataclass(frozen=True)
class Contact:
    """One place to get help."""

    id: str
    name: str
    phone: str
    tel: str
    url: str
    source: str
    always: bool
    hours: tuple[Hours, ...]
    abroad: str | None = None
    email: str | None = None

    @property
    def description(self) -> str:
        """What this organisation does, in the current language."""
        return gettext(DESCRIPTIONS[self.id])

    def opening(self) -> str | None:
        """Opening hours in the current language, or None when the website says."""
        if self.always:
            return gettext("Day and night, every day")
        if not self.hours:
            return None
        return "; ".join(_hours_text(h) for h in self.hours)


def _hours_text(h: Hours) -> str:
    locale = i18n.get_locale()
    names = get_day_names("wide", locale=locale)
    if len(h.days) == 7:
        days = gettext("Every day")
    elif len(h.days) > 2 and list(h.days) == list(range(h.days[0], h.days[-1] + 1)):
        days = f"{names[h.days[0]]} – {names[h.days[-1]]}"
    else:
        days = ", ".join(names[d] for d in h.days)
    if h.open is None or h.close is None:
        return days
    times = (f"{format_time(h.open, 'short', locale=locale)} – "
             f"{format_time(h.close, 'short', locale=locale)}")
    return f"{days}, {times}"


def _time(value: Any) -> time | None:
    return time.fromisoformat(str(value)) if value is not None else None


@dataclass(frozen=True)
class Directory:
    """Every contact and the day the list was last checked."""

    checked: date
    contacts: tuple[Contact, ...]

    def get(self, contact_id: str) -> Contact:
        """One contact by its id."""
        return next(c for c in self.contacts if c.id == contact_id)


@lru_cache(maxsize=1)
def directory() -> Directory:
    """Read the shipped help file once, in the order of ``ORDER``."""
    text = resources.files("ketenzicht.selfcheck").joinpath("data/help.yaml").read_text(
        encoding="utf-8")
    raw = yaml.safe_load(text)
    contacts = {}
    for row in raw["contacts"]:
        hours_raw = row.get("hours")
        always = hours_raw == "always"
        hours = () if always or not hours_raw else tuple(
            Hours(tuple(h["days"]), _time(h.get("open")), _time(h.get("close")))
            for h in hours_raw)
        contacts[row["id"]] = Contact(
            id=row["id"], name=row["name"], phone=row["phone"], tel=row["tel"],
            url=row["url"], source=row["source"], always=always, hours=hours,
            abroad=row.get("abroad"), email=row.get("email"))
    if set(contacts) != set(DESCRIPTIONS) or set(ORDER) != set(DESCRIPTIONS):
        raise ValueError("help.yaml, DESCRIPTIONS and ORDER must name the same contacts")
    return Directory(checked=raw["checked"], contacts=tuple(contacts[i] for i in ORDER))
