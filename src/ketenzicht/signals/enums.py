"""Statuses and categories of the signals domain."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_


class ExploitationForm(StrEnum):
    """Form of exploitation (art. 273f Sr); ``unknown`` is a valid answer."""

    SEXUAL = "sexual"
    LABOUR = "labour"
    CRIMINAL = "criminal"
    FORCED_BEGGING = "forced_begging"
    FORCED_MARRIAGE = "forced_marriage"
    ORGAN_REMOVAL = "organ_removal"
    OTHER = "other"
    UNKNOWN = "unknown"


class AgeBand(StrEnum):
    """Age bands of the registration (CoMensha uses 0-17 and adult bands)."""

    UNDER_12 = "0-11"
    A12_17 = "12-17"
    A18_22 = "18-22"
    A23_29 = "23-29"
    A30_49 = "30-49"
    A50_PLUS = "50+"
    UNKNOWN = "unknown"


MINOR_BANDS = frozenset({AgeBand.UNDER_12, AgeBand.A12_17})


class Gender(StrEnum):
    """Gender as recorded by the reporter (HTCDS ``gender``)."""

    FEMALE = "female"
    MALE = "male"
    TRANSGENDER_OTHER = "other"
    UNKNOWN = "unknown"


class Grade(StrEnum):
    """Strength of an ILO/EC operational indicator within a profile."""

    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


class Dimension(StrEnum):
    """The six dimensions of the ILO/EC operational indicators (2009)."""

    DECEPTIVE_RECRUITMENT = "deceptive_recruitment"
    COERCIVE_RECRUITMENT = "coercive_recruitment"
    VULNERABILITY_RECRUITMENT = "vulnerability_recruitment"
    EXPLOITATION = "exploitation"
    COERCION_DESTINATION = "coercion_destination"
    VULNERABILITY_DESTINATION = "vulnerability_destination"


RECRUITMENT = (Dimension.DECEPTIVE_RECRUITMENT, Dimension.COERCIVE_RECRUITMENT,
               Dimension.VULNERABILITY_RECRUITMENT)
DESTINATION = (Dimension.COERCION_DESTINATION, Dimension.VULNERABILITY_DESTINATION)


class Profile(StrEnum):
    """The four ILO/EC indicator lists."""

    ADULT_LABOUR = "adult_labour"
    ADULT_SEXUAL = "adult_sexual"
    CHILD_LABOUR = "child_labour"
    CHILD_SEXUAL = "child_sexual"


class RegistrationConsent(StrEnum):
    """Whether the person agreed to be registered by name with CoMensha.

    Without a ``yes`` CoMensha is still informed, but reads an anonymised registration.
    """

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class SignalStatus(StrEnum):
    """Life of a signal: open while any routing is open, handled when all are decided."""

    OPEN = "open"
    HANDLED = "handled"


class RouteStatus(StrEnum):
    """Life of one hand-over of a signal to an organisation."""

    OPEN = "open"
    ACCEPTED = "accepted"
    FORWARDED = "forwarded"
    ESCALATED = "escalated"


class RouteCause(StrEnum):
    """How a signal came to an organisation (``signal_route.cause``)."""

    ROUTED = "routed"  # by the routing table at intake
    FORWARDED = "forwarded"  # by the organisation before it, with a reason
    ESCALATED = "escalated"  # the organisation before it let the deadline pass


ESCALATION_PURPOSE = "escalation"  # the escalation party's task: see that it is taken on


class LinkKind(StrEnum):
    """What two signals can share."""

    PERSON = "person"
    EMPLOYER = "employer"
    ADDRESS = "address"
    PHONE = "phone"
    VEHICLE = "vehicle"


class LinkMethod(StrEnum):
    """How a link was found: on normalised values, or on Bloom-filter encodings only."""

    PLAIN = "plain"
    BLOOM = "bloom"


# Words for the codes above (core.labels); pages show these, never the code.
labels.register("form", {
    ExploitationForm.SEXUAL: N_("Sexual exploitation"),
    ExploitationForm.LABOUR: N_("Labour exploitation"),
    ExploitationForm.CRIMINAL: N_("Criminal exploitation"),
    ExploitationForm.FORCED_BEGGING: N_("Forced begging"),
    ExploitationForm.FORCED_MARRIAGE: N_("Forced marriage"),
    ExploitationForm.ORGAN_REMOVAL: N_("Organ removal"),
    ExploitationForm.OTHER: N_("Other"), ExploitationForm.UNKNOWN: N_("Unknown")})
labels.register("grade", {Grade.STRONG: N_("strong"), Grade.MEDIUM: N_("medium"),
                          Grade.WEAK: N_("weak")})
labels.register("profile", {
    Profile.ADULT_LABOUR: N_("adults, labour exploitation"),
    Profile.ADULT_SEXUAL: N_("adults, sexual exploitation"),
    Profile.CHILD_LABOUR: N_("children, labour exploitation"),
    Profile.CHILD_SEXUAL: N_("children, sexual exploitation")})
labels.register("signal_status", {SignalStatus.OPEN: N_("open"),
                                  SignalStatus.HANDLED: N_("handled")})
labels.register("route_status", {
    RouteStatus.OPEN: N_("open"), RouteStatus.ACCEPTED: N_("accepted"),
    RouteStatus.FORWARDED: N_("forwarded"), RouteStatus.ESCALATED: N_("escalated")})
# Why a signal goes to an organisation (signals/data/routing.yaml, ``purpose``).
labels.register("route_purpose", {"investigate": N_("investigation"), "care": N_("care"),
                                  "youth": N_("youth protection"),
                                  "inform": N_("registration (informed)"),
                                  ESCALATION_PURPOSE: N_("escalation: see that it is taken on")})
labels.register("route_cause", {
    RouteCause.ROUTED: N_("routed at intake"), RouteCause.FORWARDED: N_("forwarded"),
    RouteCause.ESCALATED: N_("escalated")})
labels.register("registration_consent", {
    RegistrationConsent.YES: N_("yes, by name"), RegistrationConsent.NO: N_("no: anonymised"),
    RegistrationConsent.UNKNOWN: N_("not asked or unknown: anonymised")})
# The ILO/EC combination rules (screening.RULES), as the page names them.
labels.register("screening_rule", {
    "2 strong": N_("2 strong"), "1 strong + 1 medium or weak": N_("1 strong + 1 medium or weak"),
    "3 medium": N_("3 medium"), "2 medium + 1 weak": N_("2 medium + 1 weak")})
labels.register("link_kind", {
    LinkKind.PERSON: N_("person"), LinkKind.EMPLOYER: N_("employer"),
    LinkKind.ADDRESS: N_("address"), LinkKind.PHONE: N_("phone number"),
    LinkKind.VEHICLE: N_("vehicle")})
labels.register("age_band", {AgeBand.UNKNOWN: N_("Unknown")})  # the others are numbers
labels.register("gender", {Gender.FEMALE: N_("Female"), Gender.MALE: N_("Male"),
                           Gender.TRANSGENDER_OTHER: N_("Other"), Gender.UNKNOWN: N_("Unknown")})
