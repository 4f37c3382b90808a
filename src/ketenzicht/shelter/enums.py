"""Kinds of shelter, eligibility categories and the statuses of a placement request."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core.i18n import N_
from ketenzicht.core.statemachine import StateMachine


class ShelterType(StrEnum):
    """The kinds of shelter in the Dutch chain."""

    COSM = "cosm"
    OMM = "omm"
    VROUWENOPVANG = "vrouwenopvang"
    MANNENOPVANG = "mannenopvang"
    MAATSCHAPPELIJK = "maatschappelijke_opvang"
    JEUGD_AMV = "jeugd_amv"
    CRISIS = "crisis"


SHELTER_TYPE_LABELS: dict[ShelterType, str] = {
    ShelterType.COSM: N_("COSM (categorical shelter for victims of trafficking)"),
    ShelterType.OMM: N_("OMM (shelter for protected minors)"),
    ShelterType.VROUWENOPVANG: N_("women's shelter"),
    ShelterType.MANNENOPVANG: N_("men's shelter"),
    ShelterType.MAATSCHAPPELIJK: N_("social shelter"),
    ShelterType.JEUGD_AMV: N_("youth / protected shelter for unaccompanied minors"),
    ShelterType.CRISIS: N_("crisis / emergency bed"),
}


class Gender(StrEnum):
    """Gender as a shelter's criteria and a request use it."""

    VROUW = "vrouw"
    MAN = "man"
    X = "x"


GENDER_LABELS: dict[Gender, str] = {
    Gender.VROUW: N_("woman"), Gender.MAN: N_("man"), Gender.X: N_("non-binary / other"),
}


class Exploitation(StrEnum):
    """Forms of exploitation (art. 273f Sr)."""

    SEKSUEEL = "seksueel"
    ARBEID = "arbeid"
    CRIMINEEL = "crimineel"
    ORGANEN = "organen"
    OVERIG = "overig"


EXPLOITATION_LABELS: dict[Exploitation, str] = {
    Exploitation.SEKSUEEL: N_("sexual exploitation"),
    Exploitation.ARBEID: N_("labour exploitation"),
    Exploitation.CRIMINEEL: N_("criminal exploitation"),
    Exploitation.ORGANEN: N_("organ removal"),
    Exploitation.OVERIG: N_("other exploitation"),
}


class LegalStatus(StrEnum):
    """Residence status of the person."""

    B8 = "b8"
    EU = "eu"
    NL = "nl"
    UNDOCUMENTED = "ongedocumenteerd"


LEGAL_STATUS_LABELS: dict[LegalStatus, str] = {
    LegalStatus.B8: N_("B8 reflection period / residence permit"),
    LegalStatus.EU: N_("EU citizen"),
    LegalStatus.NL: N_("Dutch citizen or settled"),
    LegalStatus.UNDOCUMENTED: N_("undocumented"),
}


class Authority(StrEnum):
    """Who places a person in shelter."""

    COMENSHA = "comensha"
    CENTRUMGEMEENTE = "centrumgemeente"
    NIDOS = "nidos"


AUTHORITY_LABELS: dict[Authority, str] = {
    Authority.COMENSHA: N_("CoMensha"),
    Authority.CENTRUMGEMEENTE: N_("centre municipality"),
    Authority.NIDOS: N_("Nidos (guardianship of unaccompanied minors)"),
}


class Security(StrEnum):
    """Security level of a shelter, and the level a person needs."""

    BASIS = "basis"
    VERHOOGD = "verhoogd"
    HOOG = "hoog"


SECURITY_RANK: dict[Security, int] = {Security.BASIS: 0, Security.VERHOOGD: 1, Security.HOOG: 2}
SECURITY_LABELS: dict[Security, str] = {
    Security.BASIS: N_("basic"), Security.VERHOOGD: N_("raised"), Security.HOOG: N_("high"),
}


class Urgency(StrEnum):
    """How soon a place is needed."""

    NOODBED = "noodbed"
    REGULIER = "regulier"


URGENCY_LABELS: dict[Urgency, str] = {
    Urgency.NOODBED: N_("emergency bed within 24 hours"), Urgency.REGULIER: N_("regular"),
}


class LegalBasis(StrEnum):
    """Why the person's data may be shared with shelters."""

    CONSENT = "toestemming"
    LEGAL_TASK = "wettelijke_taak"
    VITAL_INTEREST = "vitaal_belang"


LEGAL_BASIS_LABELS: dict[LegalBasis, str] = {
    LegalBasis.CONSENT: N_("consent of the person"),
    LegalBasis.LEGAL_TASK: N_("legal task (GDPR art. 6(1)(e))"),
    LegalBasis.VITAL_INTEREST: N_("vital interest (GDPR art. 6(1)(d))"),
}


class RequestStatus(StrEnum):
    """Where a placement request stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    PLACED = "placed"
    ENDED = "ended"


REQUEST_STATUS_LABELS: dict[RequestStatus, str] = {
    RequestStatus.DRAFT: N_("draft"),
    RequestStatus.SUBMITTED: N_("waiting for a place"),
    RequestStatus.OFFERED: N_("place held"),
    RequestStatus.ACCEPTED: N_("accepted by the shelter"),
    RequestStatus.DECLINED: N_("offer declined"),
    RequestStatus.PLACED: N_("placed"),
    RequestStatus.ENDED: N_("ended"),
}

WAITING = frozenset({RequestStatus.SUBMITTED, RequestStatus.DECLINED, RequestStatus.OFFERED})

R = RequestStatus
REQUEST_MACHINE: StateMachine[RequestStatus] = StateMachine.from_pairs("placement request", [
    (R.DRAFT, R.SUBMITTED), (R.DRAFT, R.ENDED),
    (R.SUBMITTED, R.OFFERED), (R.SUBMITTED, R.ENDED),
    # A hold that expires or is withdrawn puts the request back in the queue.
    (R.OFFERED, R.ACCEPTED), (R.OFFERED, R.DECLINED), (R.OFFERED, R.SUBMITTED),
    (R.DECLINED, R.OFFERED), (R.DECLINED, R.ENDED),
    (R.ACCEPTED, R.PLACED), (R.ACCEPTED, R.ENDED),
    (R.PLACED, R.ENDED),
])


class OfferStatus(StrEnum):
    """Where one offer (a hold on one unit) stands."""

    HELD = "held"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


OFFER_STATUS_LABELS: dict[OfferStatus, str] = {
    OfferStatus.HELD: N_("held"),
    OfferStatus.ACCEPTED: N_("accepted"),
    OfferStatus.DECLINED: N_("declined"),
    OfferStatus.EXPIRED: N_("expired"),
    OfferStatus.WITHDRAWN: N_("withdrawn"),
}


class DeclineReason(StrEnum):
    """Why an offer was declined (counted on the national overview)."""

    NOT_ELIGIBLE = "criteria"
    SAFETY = "veiligheid"
    CARE_NEEDS = "zorgbehoefte"
    NO_PLACE = "geen_plek"
    PERSON_REFUSED = "persoon_weigert"
    OTHER = "anders"


DECLINE_REASON_LABELS: dict[DeclineReason, str] = {
    DeclineReason.NOT_ELIGIBLE: N_("does not meet the criteria"),
    DeclineReason.SAFETY: N_("safety"),
    DeclineReason.CARE_NEEDS: N_("care needs cannot be met"),
    DeclineReason.NO_PLACE: N_("no place after all"),
    DeclineReason.PERSON_REFUSED: N_("the person refused"),
    DeclineReason.OTHER: N_("other"),
}


class EndReason(StrEnum):
    """Why a request or placement ended."""

    MOVED_ON = "doorstroom"
    TRANSFERRED = "overplaatsing"
    LEFT = "vertrokken"
    NO_SHOW = "niet_verschenen"
    WITHDRAWN = "ingetrokken"
    OTHER = "anders"


END_REASON_LABELS: dict[EndReason, str] = {
    EndReason.MOVED_ON: N_("moved on to housing or aftercare"),
    EndReason.TRANSFERRED: N_("transferred to another shelter"),
    EndReason.LEFT: N_("left the shelter"),
    EndReason.NO_SHOW: N_("did not arrive"),
    EndReason.WITHDRAWN: N_("request withdrawn"),
    EndReason.OTHER: N_("other"),
}
