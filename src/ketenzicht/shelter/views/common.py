"""What the shelter pages share: labels of enum values, Dutch wall-clock time, choices, errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from starlette.datastructures import FormData

from ketenzicht.core.errors import DomainError
from ketenzicht.core.i18n import gettext
from ketenzicht.shelter import enums
from ketenzicht.shelter.enums import ShelterType
from ketenzicht.shelter.regions import REGIONS, region_name
from ketenzicht.web.templating import templates
from ketenzicht.web.validation import messages as validation_messages

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_LABELS: dict[str, dict[Any, str]] = {
    "type": dict(enums.SHELTER_TYPE_LABELS), "gender": dict(enums.GENDER_LABELS),
    "exploitation": dict(enums.EXPLOITATION_LABELS),
    "legal_status": dict(enums.LEGAL_STATUS_LABELS), "authority": dict(enums.AUTHORITY_LABELS),
    "security": dict(enums.SECURITY_LABELS), "urgency": dict(enums.URGENCY_LABELS),
    "legal_basis": dict(enums.LEGAL_BASIS_LABELS),
    "status": dict(enums.REQUEST_STATUS_LABELS),
    "decline": dict(enums.DECLINE_REASON_LABELS), "end": dict(enums.END_REASON_LABELS),
    "offer": dict(enums.OFFER_STATUS_LABELS),
}


def shelter_label(kind: str, value: object) -> str:
    """The translated label of an enum value of this domain (the value itself if unknown)."""
    label = _LABELS.get(kind, {}).get(value)
    return gettext(label) if label else str(value)


def local_time(value: datetime | None) -> str:
    """A UTC time as Dutch wall-clock time, e.g. '27-11-2026 14:05'."""
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if value else "—"


templates.env.globals.update(shelter_label=shelter_label, region_name=region_name)
templates.env.filters["local_time"] = local_time


def form_errors(exc: ValidationError | DomainError) -> list[str]:
    if isinstance(exc, DomainError):
        return [exc.localized()]
    return validation_messages(exc.errors())


def labels_of(enum: type[StrEnum], kind: str) -> list[tuple[str, str]]:
    return [(str(m), shelter_label(kind, m)) for m in enum]


CHOICES: dict[str, Callable[[], list[tuple[str, str]]]] = {
    "types": lambda: labels_of(ShelterType, "type"),
    "genders": lambda: labels_of(enums.Gender, "gender"),
    "exploitations": lambda: labels_of(enums.Exploitation, "exploitation"),
    "legal_statuses": lambda: labels_of(enums.LegalStatus, "legal_status"),
    "securities": lambda: labels_of(enums.Security, "security"),
    "urgencies": lambda: labels_of(enums.Urgency, "urgency"),
    "legal_bases": lambda: labels_of(enums.LegalBasis, "legal_basis"),
    "declines": lambda: labels_of(enums.DeclineReason, "decline"),
    "ends": lambda: labels_of(enums.EndReason, "end"),
    "regions": lambda: [(r.code, r.name) for r in REGIONS.values()],
}


def choices() -> dict[str, list[tuple[str, str]]]:
    return {name: make() for name, make in CHOICES.items()}



def form_text(raw: FormData, name: str) -> str:
    """A text field of a form, stripped ('' when absent or a file)."""
    value = raw.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_id(raw: FormData, name: str) -> int:
    """A record id from a form field (0, which no record has, when it is not one)."""
    text = form_text(raw, name)
    return int(text) if text.isdigit() and len(text) < 10 else 0
