"""In/out shapes of the shelter domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from ketenzicht.core.ids import RecordId
from ketenzicht.core.text import CleanStr
from ketenzicht.shelter.enums import (
    Authority,
    DeclineReason,
    EndReason,
    Exploitation,
    Gender,
    LegalBasis,
    LegalStatus,
    OfferStatus,
    RequestStatus,
    Security,
    ShelterType,
    Urgency,
)
from ketenzicht.shelter.regions import REGIONS

MAX_PLACES = 1000
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
PERSON_REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$"


def _region(value: str) -> str:
    if value not in REGIONS:
        raise ValueError(f"unknown region {value!r}: use vr01 … vr25")
    return value


def _unique(values: list[str]) -> list[str]:
    return sorted(set(values))


class _LocationFields(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: CleanStr = Field(min_length=2, max_length=200)
    gemeente: CleanStr = Field(min_length=2, max_length=100)
    centrumgemeente: CleanStr = Field(min_length=2, max_length=100)
    region: str = Field(description="Safety region code, vr01 … vr25.", max_length=8)
    address: CleanStr | None = Field(default=None, max_length=300)
    lat: float | None = Field(default=None, ge=50.5, le=53.7)
    lon: float | None = Field(default=None, ge=3.2, le=7.3)
    secret_address: bool = False

    _check_region = field_validator("region")(_region)


class LocationCreate(_LocationFields):
    """Input to register a location of a provider."""

    organisation_id: RecordId | None = Field(
        default=None, description="The provider; defaults to your own organisation.")


class LocationUpdate(_LocationFields):
    """A location's new particulars; ``version`` is the one you saw (409 when stale)."""

    version: int = Field(ge=1)


class _UnitFields(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: CleanStr = Field(min_length=2, max_length=200)
    shelter_type: ShelterType
    capacity: int = Field(ge=0, le=MAX_PLACES)
    genders: list[Gender] = Field(min_length=1)
    age_min: int = Field(default=18, ge=0, le=120)
    age_max: int = Field(default=120, ge=0, le=120)
    accepts_minors: bool = False
    max_children: int = Field(default=0, ge=0, le=20)
    children_age_max: int = Field(default=17, ge=0, le=17)
    exploitation_forms: list[Exploitation] = Field(min_length=1)
    legal_statuses: list[LegalStatus] = Field(min_length=1)
    authorities: list[Authority] = Field(min_length=1)
    security: Security = Security.BASIS
    staffed_24_7: bool = False
    addiction_care: bool = False
    psychiatric_care: bool = False
    lvb_support: bool = False
    medical_care: bool = False
    wheelchair: bool = False
    pets: bool = False
    languages: list[LanguageCode] = Field(default_factory=lambda: ["nl"], max_length=30)
    max_stay_days: int | None = Field(default=None, ge=1, le=3650)

    @model_validator(mode="after")
    def _ages(self) -> _UnitFields:
        if self.age_min > self.age_max:
            raise ValueError("age_min must not exceed age_max")
        if self.age_min < 18 and not self.accepts_minors:
            raise ValueError("a unit whose age range starts below 18 must accept minors")
        self.languages = _unique(self.languages)
        return self


class UnitCreate(_UnitFields):
    """Input to register a unit (a group of like places) at a location."""

    location_id: RecordId
    available: int = Field(default=0, ge=0, le=MAX_PLACES)

    @model_validator(mode="after")
    def _consistent(self) -> UnitCreate:
        if self.available > self.capacity:
            raise ValueError("available must not exceed capacity")
        return self


class UnitUpdate(_UnitFields):
    """A unit's new capacity and criteria; ``version`` is the one you saw (409 when stale).

    The free places are reported through the availability route, not here; a
    capacity below the current free figure lowers that figure with it.
    """

    version: int = Field(ge=1)
    is_active: bool = True


class AvailabilityUpdate(BaseModel):
    """A provider's new figure of free places for one unit."""

    available: int = Field(ge=0, le=MAX_PLACES, description="Free places now (0 … capacity).")


class UnitRead(BaseModel):
    """A unit as shown in the registry; the address only to those who may see it."""

    id: int
    name: str
    shelter_type: ShelterType
    organisation_id: int
    location_id: int
    location_name: str
    gemeente: str
    centrumgemeente: str
    region: str
    police_unit: str
    address: str | None
    secret_address: bool
    capacity: int
    available: int
    held: int
    free: int
    available_updated_at: datetime
    available_updated_by: str
    stale: bool
    age_hours: float
    genders: list[str]
    age_min: int
    age_max: int
    accepts_minors: bool
    max_children: int
    children_age_max: int
    exploitation_forms: list[str]
    legal_statuses: list[str]
    authorities: list[str]
    security: Security
    staffed_24_7: bool
    addiction_care: bool
    psychiatric_care: bool
    lvb_support: bool
    medical_care: bool
    wheelchair: bool
    pets: bool
    languages: list[str]
    max_stay_days: int | None
    is_active: bool
    version: int


class ImportLineError(BaseModel):
    """One refused line of a CSV import."""

    line: int
    error: str


class ImportResult(BaseModel):
    """What a CSV import did; all lines or none are applied."""

    rows: int
    updated: int
    errors: list[ImportLineError]


class RequestCreate(BaseModel):
    """Input to file a placement request for a pseudonymous person."""

    model_config = ConfigDict(str_strip_whitespace=True)

    person_ref: CleanStr = Field(pattern=PERSON_REF_PATTERN, description=(
        "A pseudonym of the person, the same for every request about them (never a name)."))
    age: int | None = Field(default=None, ge=0, le=120, description="Exact age, if known.")
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    gender: Gender
    nationality: CleanStr | None = Field(default=None, max_length=64)
    legal_status: LegalStatus
    b8_start: date | None = None
    exploitation: Exploitation
    unaccompanied_minor: bool = False
    urgency: Urgency = Urgency.REGULIER
    exclude_regions: list[str] = Field(default_factory=list, max_length=25)
    needs_secret_address: bool = False
    security_need: Security = Security.BASIS
    languages: list[LanguageCode] = Field(default_factory=list, max_length=10)
    children_ages: list[Annotated[int, Field(ge=0, le=17)]] = Field(default_factory=list,
                                                                    max_length=12)
    pets: bool = False
    addiction: bool = False
    psychiatric: bool = False
    lvb: bool = False
    medical: bool = False
    wheelchair: bool = False
    current_region: str = Field(max_length=8)
    current_place: CleanStr | None = Field(default=None, max_length=200)
    referring_org_id: RecordId | None = None
    legal_basis: LegalBasis
    legal_basis_note: CleanStr | None = Field(default=None, max_length=500)
    respond_by: AwareDatetime | None = Field(default=None, description=(
        "Deadline for an answer; default 24 hours for an emergency bed, else 7 days."))
    notes: CleanStr | None = Field(default=None, max_length=4000)
    submit: bool = Field(default=False, description="Submit at once instead of saving a draft.")

    _check_region = field_validator("current_region")(_region)

    @field_validator("exclude_regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        return _unique([_region(v) for v in value])

    @model_validator(mode="after")
    def _consistent(self) -> RequestCreate:
        if self.age is not None:
            self.age_min = self.age_max = self.age
        if self.age_min is None or self.age_max is None:
            raise ValueError("give the age, or an age band with age_min and age_max")
        if self.age_min > self.age_max:
            raise ValueError("age_min must not exceed age_max")
        if self.legal_status is LegalStatus.B8 and self.b8_start is None:
            raise ValueError("b8_start is required for a person in the B8 reflection period")
        if self.unaccompanied_minor and self.age_min >= 18:
            raise ValueError("an unaccompanied minor is younger than 18")
        if self.needs_secret_address and self.security_need is Security.BASIS:
            self.security_need = Security.VERHOOGD
        self.languages = _unique(self.languages)
        return self


class OfferCreate(BaseModel):
    """Hold a place of a unit for a request."""

    unit_id: RecordId
    hold_hours: float | None = Field(default=None, gt=0, le=72, description=(
        "How long the hold lasts; default KZ_SHELTER_HOLD_HOURS."))


class OfferDecline(BaseModel):
    """Decline an offer; the reason is required, and a note when the reason is 'other'."""

    model_config = ConfigDict(str_strip_whitespace=True)

    reason: DeclineReason
    note: CleanStr | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _note_for_other(self) -> OfferDecline:
        if self.reason is DeclineReason.OTHER and not self.note:
            raise ValueError("say why in the note when the reason is 'other'")
        return self


class RequestEnd(BaseModel):
    """End a request or a placement, with the reason (and a note when it is 'other')."""

    model_config = ConfigDict(str_strip_whitespace=True)

    reason: EndReason
    note: CleanStr | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _note_for_other(self) -> RequestEnd:
        if self.reason is EndReason.OTHER and not self.note:
            raise ValueError("say why in the note when the reason is 'other'")
        return self


class ReasonRead(BaseModel):
    """One sentence of a match explanation."""

    code: str
    text: str
    points: float | None


class MatchRead(BaseModel):
    """One unit's outcome for a request."""

    unit_id: int
    unit_name: str
    location_name: str
    region: str
    shelter_type: ShelterType
    eligible: bool
    score: float
    free: int
    stale: bool
    age_hours: float
    distance_km: float
    reasons: list[ReasonRead]


class ExclusionRead(BaseModel):
    """How many units one criterion excludes for a request."""

    code: str
    text: str
    units: int


class MatchSummary(BaseModel):
    """A request's matching in numbers: units, eligible, and the excluded per reason."""

    units: int
    eligible: int
    excluded: int
    reasons: list[ExclusionRead] = Field(description=(
        "Units excluded per reason, most first; a unit failing several criteria counts "
        "under each."))


class OfferRead(BaseModel):
    """An offer (a hold on one place)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    request_id: int
    unit_id: int
    status: OfferStatus
    hold_until: datetime
    score: float
    decided_at: datetime | None
    decided_by: str | None
    decline_reason: DeclineReason | None
    decline_note: str | None


class RequestRead(BaseModel):
    """A placement request with the person's (pseudonymous) data, for those who may see it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_ref: str
    owner_org_id: int
    referring_org_id: int | None
    age_min: int
    age_max: int
    gender: Gender
    nationality: str | None
    legal_status: LegalStatus
    b8_start: date | None
    exploitation: Exploitation
    unaccompanied_minor: bool
    urgency: Urgency
    exclude_regions: list[str]
    needs_secret_address: bool
    security_need: Security
    languages: list[str]
    children_ages: list[int]
    pets: bool
    addiction: bool
    psychiatric: bool
    lvb: bool
    medical: bool
    wheelchair: bool
    current_region: str
    current_place: str | None
    legal_basis: LegalBasis
    legal_basis_note: str | None
    respond_by: datetime
    notes: str | None
    status: RequestStatus
    submitted_at: datetime | None
    placed_at: datetime | None
    ended_at: datetime | None
    end_reason: EndReason | None
    end_note: str | None
    ended_by: str | None
    receiving_org_id: int | None
    unit_id: int | None
    version: int


class BatchPair(BaseModel):
    """One request and the unit the batch plan gives it (None: no eligible place left)."""

    request_id: int
    unit_id: int | None
    cost: float | None
    greedy_unit_id: int | None = Field(default=None, description=(
        "The unit first-come matching would give this request, for comparison."))


class BatchPlan(BaseModel):
    """An optimal assignment of waiting requests to free places, next to first-come."""

    requests: int
    optimal_placed: int
    optimal_cost: float
    greedy_placed: int
    greedy_cost: float
    pairs: list[BatchPair]


class HoldOutcome(BaseModel):
    """What holding one pair of a batch plan did: an offer, or why not."""

    request_id: int
    unit_id: int
    offer_id: int | None
    error: str | None


class LocationRead(BaseModel):
    """A location; the address only for the provider when it is secret."""

    id: int
    organisation_id: int
    name: str
    gemeente: str
    centrumgemeente: str
    region: str
    address: str | None
    lat: float | None
    lon: float | None
    secret_address: bool
    version: int
