"""Pydantic in/out shapes of the evidence domain."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ketenzicht.core.i18n import N_, gettext
from ketenzicht.core.ids import RecordId
from ketenzicht.core.text import CleanStr
from ketenzicht.evidence.enums import ItemKind, Strength
from ketenzicht.selfcheck.schemas import PayKind, Period


class CaptureCitation(BaseModel):
    """A crawled page as evidence cites it: where its WARC record is and its payload hash.

    Handed in by ``online`` (which looks the capture up), so evidence needs no crawler.
    """

    model_config = ConfigDict(frozen=True)

    capture_id: int
    url: str
    captured_at: datetime
    warc_file: str
    warc_offset: int
    warc_record_id: str
    sha256: str


class ItemCreate(BaseModel):
    """A new item's description; its bytes come separately (upload or base64)."""

    kind: ItemKind
    title: CleanStr = Field(min_length=2, max_length=200)
    source: CleanStr = Field(min_length=2, max_length=300)
    obtained_on: date
    filename: CleanStr = Field(default="item.bin", min_length=1, max_length=200)
    note: CleanStr = Field(default="", max_length=5000)
    #: For a victim's statement: the people (user ids) who may see it; the adder always may.
    restricted_to: list[RecordId] = Field(default_factory=list, max_length=50)


class ItemUpload(ItemCreate):
    """An item through the API, its content base64-encoded."""

    content_base64: str = Field(min_length=1)


class LinkCreate(BaseModel):
    """Link an item to an element (or ``element.factor``) for one or more suspects."""

    element: CleanStr = Field(min_length=1, max_length=64)
    suspect_ids: list[RecordId] = Field(min_length=1, max_length=50)
    strength: Strength
    note: CleanStr = Field(default="", max_length=2000)


class SettingIn(BaseModel):
    """The framework a case is evaluated under, and whether the victim is a minor."""

    framework: CleanStr = Field(min_length=1, max_length=64)
    victim_minor: bool | None = None


class ChargesIn(BaseModel):
    """The sub-clauses the prosecutor charges one suspect with (empty: none chosen yet)."""

    suspect_id: RecordId
    subclauses: list[CleanStr] = Field(default_factory=list, max_length=20)


class DeductionIn(BaseModel):
    """One itemised deduction."""

    kind: str = Field(pattern=r"^(housing|transport|insurance|fines|other)$")
    amount: Decimal = Field(ge=0, le=1_000_000, decimal_places=2)
    authorised: bool = False


#: The most hours there are in a day, a week and (52/12 weeks) a month.
HOURS_IN = {Period.DAY: Decimal(24), Period.WEEK: Decimal(7 * 24),
            Period.MONTH: Decimal(7 * 24) * 52 / 12}
IMPOSSIBLE_HOURS = N_("%(hours)s hours in one %(period)s is impossible: there are only "
                      "%(most)s; check the hours and the period.")


def impossible_hours(period: Period, hours: Decimal) -> dict[str, str] | None:
    """The parameters of ``IMPOSSIBLE_HOURS`` when no one can work that long, else None."""
    most = HOURS_IN[period]
    if hours > most:
        return {"hours": str(hours), "period": period.value,
                "most": str(most.quantize(Decimal(1)))}
    return None


class WagePeriodIn(BaseModel):
    """Hours, pay and itemised deductions of one period of work."""

    on: date
    period: Period = Period.WEEK
    hours: Decimal = Field(gt=0, le=744, decimal_places=2)
    pay: Decimal = Field(ge=0, le=1_000_000, decimal_places=2)
    pay_kind: PayKind = PayKind.GROSS
    deductions: list[DeductionIn] = Field(default_factory=list, max_length=20)
    #: Holiday allowance paid for the period (the minimum is 8 % of the minimum wage).
    holiday_paid: Decimal = Field(default=Decimal(0), ge=0, le=1_000_000, decimal_places=2)

    @model_validator(mode="after")
    def _possible(self) -> WagePeriodIn:
        if (problem := impossible_hours(self.period, self.hours)) is not None:
            raise ValueError(gettext(IMPOSSIBLE_HOURS) % problem)
        return self


class WageCheckIn(WagePeriodIn):
    """One period of work (and optionally more), the worker's age, and whether to save."""

    age: int | None = Field(default=None, ge=0, le=120)
    #: Further periods, each checked at the rate of its own date and added up.
    more_periods: list[WagePeriodIn] = Field(default_factory=list, max_length=60)
    #: Save the result as an evidence item of the case.
    save: bool = False
    title: CleanStr = Field(default="Loontoets", min_length=2, max_length=200)
    source: CleanStr = Field(default="Loonstroken en urenregistratie", min_length=2,
                             max_length=300)


class LinkRead(BaseModel):
    """A link as shown."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    element: str
    suspect_id: int
    strength: Strength
    note: str


class ItemRead(BaseModel):
    """An item as shown: its chain of custody and links, never its content."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    kind: ItemKind
    title: str
    source: str
    obtained_on: date
    added_by_user_id: int
    added_by_org_id: int
    created_at: datetime
    sha256: str
    size: int
    filename: str
    note: str
    restricted: bool = False
    capture_id: int | None
    warc_record_id: str | None
    capture_sha256: str | None
    facts: dict[str, Any]
    links: list[LinkRead]


class CellRead(BaseModel):
    """One element of a sub-clause for one suspect."""

    element: str
    title: str
    coverage: str
    item_ids: list[int]
    open_factors: list[str]
    victim_only: bool
    alternatives: list[dict[str, Any]]


class RowRead(BaseModel):
    """One sub-clause for one suspect."""

    subclause: str
    title: str
    complete: bool
    cells: list[CellRead]
    #: Chosen by the prosecutor for this suspect.
    charged: bool = False


class MatrixRead(BaseModel):
    """The matrix of one suspect, with the advice (never a verdict)."""

    case_id: int
    suspect_id: int
    suspect: str
    framework: str
    framework_status: str
    victim_minor: bool | None
    rows: list[RowRead]
    #: The charged sub-clauses (the conclusion speaks of these; empty: none chosen yet).
    charged: list[str] = Field(default_factory=list)
    conclusion: str
    reasons: list[str]
    advice_only: str


class WageCheckRead(BaseModel):
    """The wage check's answer."""

    verdict: str
    arrears: str | None
    facts: dict[str, Any]
    item_id: int | None = None


class VerificationRead(BaseModel):
    """What verifying a dossier found."""

    ok: bool
    signature_valid: bool
    altered: list[str]
    missing: list[str]
    unexpected: list[str]
    problem: str | None
