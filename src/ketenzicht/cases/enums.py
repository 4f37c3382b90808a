"""Statuses, roles and phases of a case, and the status machine as a table."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_
from ketenzicht.core.statemachine import StateMachine


class CaseStatus(StrEnum):
    """Where a case stands; investigation and care may run in parallel."""

    AANGEMELD = "aangemeld"
    IN_BEHANDELING = "in_behandeling"
    OPSPORING = "opsporing"
    HULPVERLENING = "hulpverlening"
    OPSPORING_EN_HULPVERLENING = "opsporing_en_hulpverlening"
    AFGESLOTEN = "afgesloten"
    HEROPEND = "heropend"


_S = CaseStatus
_TRACKS = (_S.OPSPORING, _S.HULPVERLENING, _S.OPSPORING_EN_HULPVERLENING)

# Every step needs a reason (service); a closed case is only ever reopened, never edited.
CASE_MACHINE: StateMachine[CaseStatus] = StateMachine.from_pairs("case", [
    (_S.AANGEMELD, _S.IN_BEHANDELING),
    (_S.AANGEMELD, _S.AFGESLOTEN),
    *((_S.IN_BEHANDELING, t) for t in _TRACKS),
    (_S.IN_BEHANDELING, _S.AFGESLOTEN),
    (_S.OPSPORING, _S.OPSPORING_EN_HULPVERLENING),
    (_S.HULPVERLENING, _S.OPSPORING_EN_HULPVERLENING),
    (_S.OPSPORING_EN_HULPVERLENING, _S.OPSPORING),
    (_S.OPSPORING_EN_HULPVERLENING, _S.HULPVERLENING),
    *((t, _S.AFGESLOTEN) for t in _TRACKS),
    (_S.AFGESLOTEN, _S.HEROPEND),
    (_S.HEROPEND, _S.IN_BEHANDELING),
    *((_S.HEROPEND, t) for t in _TRACKS),
])

OPEN_STATUSES = frozenset(CaseStatus) - {CaseStatus.AFGESLOTEN}


class PersonRole(StrEnum):
    """The role a (pseudonymised) person has in a case."""

    PRESUMED_VICTIM = "presumed_victim"
    SUSPECT = "suspect"
    WITNESS = "witness"


class Phase(StrEnum):
    """Phases of the chain in which an organisation takes part."""

    SIGNALERING = "signalering"
    OPSPORING = "opsporing"
    HULPVERLENING = "hulpverlening"
    OPVANG = "opvang"
    VERVOLGING = "vervolging"


class Raci(StrEnum):
    """Responsible, consulted or informed; accountable is the coordinator alone."""

    RESPONSIBLE = "responsible"
    CONSULTED = "consulted"
    INFORMED = "informed"


class TaskStatus(StrEnum):
    """A task of a process agreement."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class HandoverStatus(StrEnum):
    """A proposed hand-over of the coordinator role."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Trigger(StrEnum):
    """Events that create the tasks of a process template."""

    CASE_OPENED = "case_opened"
    ACUTE_SIGNAL = "acute_signal"
    VICTIM_ADDED = "victim_added"
    FOREIGN_VICTIM_ADDED = "foreign_victim_added"
    STATUS_HULPVERLENING = "status_hulpverlening"
    STATUS_OPSPORING = "status_opsporing"
    # The person accepted the B8 reflection period (cases.procedures.b8): its dates
    # count from here, not from when the person was added.
    B8_ACCEPTED = "b8_accepted"


class ConferenceStatus(StrEnum):
    """Minutes of a case conference: editable as a draft, immutable once final."""

    DRAFT = "draft"
    FINAL = "final"


class ReferralStatus(StrEnum):
    """A referral to another organisation."""

    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DONE = "done"
    REVOKED = "revoked"


_R = ReferralStatus
# Rejecting needs a reason (service); the sender may revoke until the referral is done.
REFERRAL_MACHINE: StateMachine[ReferralStatus] = StateMachine.from_pairs("referral", [
    (_R.SENT, _R.ACCEPTED), (_R.SENT, _R.REJECTED), (_R.SENT, _R.REVOKED),
    (_R.ACCEPTED, _R.DONE), (_R.ACCEPTED, _R.REVOKED),
])
OPEN_REFERRALS = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED})


class FieldCategory(StrEnum):
    """How sensitive a piece of case content is; decides which organisation types see it."""

    GENERAL = "general"
    CARE = "care"  # care and medical details
    INVESTIGATION = "investigation"  # investigative intelligence
    IDENTITY = "identity"  # who the person is: nationality, papers, where they live
    SHELTER = "shelter"  # shelter and safe-house details: where the person stays


class DataCategory(StrEnum):
    """Categories of personal data a referral shares (AVG art. 30 record)."""

    IDENTITY = "identity"
    CONTACT = "contact"
    CARE = "care"
    INVESTIGATION = "investigation"
    RESIDENCE = "residence"
    WORK = "work"
    SHELTER = "shelter"


class LinkKind(StrEnum):
    """What a case link points to in another domain (by id only)."""

    ONLINE_NETWORK = "online_network"


# Words for the codes above (core.labels); pages show these, never the code.
labels.register("case_status", {
    CaseStatus.AANGEMELD: N_("Reported"), CaseStatus.IN_BEHANDELING: N_("In progress"),
    CaseStatus.OPSPORING: N_("Investigation"), CaseStatus.HULPVERLENING: N_("Care and support"),
    CaseStatus.OPSPORING_EN_HULPVERLENING: N_("Investigation and care"),
    CaseStatus.AFGESLOTEN: N_("Closed"), CaseStatus.HEROPEND: N_("Reopened")})
labels.register("person_role", {
    PersonRole.PRESUMED_VICTIM: N_("presumed victim"), PersonRole.SUSPECT: N_("suspect"),
    PersonRole.WITNESS: N_("witness")})
labels.register("phase", {
    Phase.SIGNALERING: N_("Signalling"), Phase.OPSPORING: N_("Investigation"),
    Phase.HULPVERLENING: N_("Care and support"), Phase.OPVANG: N_("Shelter"),
    Phase.VERVOLGING: N_("Prosecution")})
labels.register("raci", {
    Raci.RESPONSIBLE: N_("Responsible"), Raci.CONSULTED: N_("Consulted"),
    Raci.INFORMED: N_("Informed")})
labels.register("task_status", {
    TaskStatus.OPEN: N_("open"), TaskStatus.DONE: N_("done"),
    TaskStatus.CANCELLED: N_("cancelled")})
labels.register("referral_status", {
    ReferralStatus.SENT: N_("sent"), ReferralStatus.ACCEPTED: N_("accepted"),
    ReferralStatus.REJECTED: N_("rejected"), ReferralStatus.DONE: N_("done"),
    ReferralStatus.REVOKED: N_("revoked")})
labels.register("field_category", {
    FieldCategory.GENERAL: N_("general"), FieldCategory.CARE: N_("care or medical"),
    FieldCategory.INVESTIGATION: N_("investigation"), FieldCategory.IDENTITY: N_("identity"),
    FieldCategory.SHELTER: N_("shelter")})
labels.register("data_category", {
    DataCategory.IDENTITY: N_("identity"), DataCategory.CONTACT: N_("contact details"),
    DataCategory.CARE: N_("care"), DataCategory.INVESTIGATION: N_("investigation"),
    DataCategory.RESIDENCE: N_("residence"), DataCategory.WORK: N_("work"),
    DataCategory.SHELTER: N_("shelter")})
labels.register("conference_status", {ConferenceStatus.DRAFT: N_("draft"),
                                      ConferenceStatus.FINAL: N_("final")})
labels.register("handover_status", {
    HandoverStatus.PENDING: N_("pending"), HandoverStatus.ACCEPTED: N_("accepted"),
    HandoverStatus.DECLINED: N_("declined"), HandoverStatus.WITHDRAWN: N_("withdrawn")})
# The kinds of line in a case's timeline (cases.reads).
labels.register("timeline", {
    "status": N_("status"), "task": N_("task"), "handover": N_("hand-over"),
    "decision": N_("decision"), "reminder": N_("reminder"), "note": N_("note"),
    "referral": N_("referral"), "conference": N_("case conference"),
    "minutes": N_("minutes"), "emergency_access": N_("emergency access")})
