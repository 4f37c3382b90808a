"""Process templates (procesafspraken) from ``data/process_templates.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import workdays
from ketenzicht.cases.enums import Phase, Trigger

DATA = Path(__file__).resolve().parent / "data" / "process_templates.yaml"
REGIEVOERDER = "regievoerder"
OFFSET_KEYS = frozenset({"hours", "days", "working_days", "months"})


@dataclass(frozen=True)
class Offset:
    """A deadline offset: hours, calendar days, Dutch working days and months."""

    hours: int = 0
    days: int = 0
    working_days: int = 0
    months: int = 0

    def after(self, start: datetime) -> datetime:
        """The moment this offset after ``start``."""
        return workdays.due(start, hours=self.hours, days=self.days,
                            working_days=self.working_days, months=self.months)


@dataclass(frozen=True)
class TaskTemplate:
    """One task of a process agreement."""

    key: str
    title: dict[str, str]
    owner_role: str
    trigger: Trigger
    due: Offset
    escalate_after: Offset
    source: str
    # A regional escalation level (e.g. the Zorg- en Veiligheidshuis) before the national
    # one: past ``due`` + ``regional_after``, before ``due`` + ``escalate_after``.
    regional_after: Offset | None = None

    def text(self, locale: str) -> str:
        """The title in ``locale``, else in Dutch."""
        return self.title.get(locale) or self.title["nl"]


@dataclass(frozen=True)
class ProcessTemplate:
    """A named, versioned set of tasks."""

    key: str
    version: str
    title: dict[str, str]
    tasks: tuple[TaskTemplate, ...]
    # The organisation type of the regional escalation level, when the template has one.
    regional_org_type: str | None = None
    description: dict[str, str] | None = None

    def for_trigger(self, trigger: Trigger) -> list[TaskTemplate]:
        """The tasks that ``trigger`` creates."""
        return [t for t in self.tasks if t.trigger is trigger]

    def task(self, key: str) -> TaskTemplate | None:
        """One task by key."""
        return next((t for t in self.tasks if t.key == key), None)


def _offset(raw: Any, where: str) -> Offset:
    if not isinstance(raw, dict) or not raw or set(raw) - OFFSET_KEYS:
        raise ValueError(f"{where}: an offset needs some of {sorted(OFFSET_KEYS)}")
    values = {k: int(v) for k, v in raw.items()}
    if any(v < 0 for v in values.values()):
        raise ValueError(f"{where}: offsets are not negative")
    return Offset(**values)


parse_offset = _offset  # for other data files of this domain (procedures)
# A fixed moment to compare offsets of mixed units (a regional level must come first).
_REFERENCE = datetime(2026, 1, 5, 9, tzinfo=workdays.NL)


def _regional(item: dict[str, Any], escalate_after: Offset, where: str) -> Offset | None:
    if "regional_escalate_after" not in item:
        return None
    regional = _offset(item["regional_escalate_after"], where)
    if regional.after(_REFERENCE) >= escalate_after.after(_REFERENCE):
        raise ValueError(f"{where}: the regional level must come before the national one")
    return regional


def parse(raw: dict[str, Any]) -> dict[str, ProcessTemplate]:
    """Check and build the templates of one data file; raise ``ValueError`` naming the fault."""
    version = str(raw["version"])
    roles = {REGIEVOERDER, *(p.value for p in Phase)}
    out = {}
    for key, body in raw["templates"].items():
        tasks = []
        for item in body["tasks"]:
            where = f"{key}.{item.get('key')}"
            if item["owner_role"] not in roles:
                raise ValueError(f"{where}: unknown owner_role {item['owner_role']!r}")
            escalate_after = _offset(item["escalate_after"], where)
            tasks.append(TaskTemplate(
                key=item["key"], title=dict(item["title"]), owner_role=item["owner_role"],
                trigger=Trigger(item["trigger"]), due=_offset(item["due"], where),
                escalate_after=escalate_after, source=str(item.get("source", "")),
                regional_after=_regional(item, escalate_after, where)))
        if len({t.key for t in tasks}) != len(tasks):
            raise ValueError(f"{key}: task keys must be unique")
        regional = body.get("regional_org_type")
        if regional is not None:
            OrgType(regional)  # a ValueError names the unknown type
        if any(t.regional_after for t in tasks) and not regional:
            raise ValueError(f"{key}: a regional escalation needs regional_org_type")
        out[key] = ProcessTemplate(key=key, version=version, title=dict(body["title"]),
                                   tasks=tuple(tasks), regional_org_type=regional,
                                   description=dict(body["description"])
                                   if "description" in body else None)
    return out


@lru_cache(maxsize=1)
def templates() -> dict[str, ProcessTemplate]:
    """The packaged process templates, checked once."""
    with DATA.open(encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh))


def template(key: str) -> ProcessTemplate:
    """One template by key (``KeyError`` when unknown)."""
    return templates()[key]
