"""States of the procedures, and the B8 machine as a table."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_
from ketenzicht.core.statemachine import StateMachine


class ProcedureKind(StrEnum):
    """Which procedure a row is."""

    B8 = "b8"
    MELDCODE = "meldcode"


class B8State(StrEnum):
    """Where a B8 reflection period stands."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    RUNNING = "running"
    DECISION = "decision"
    ENDED = "ended"


_B = B8State
# offered -> accepted | declined; accepted -> running -> decision -> ended. A running
# period may also end without a decision (expired, left, public order): then it ends.
B8_MACHINE: StateMachine[B8State] = StateMachine.from_pairs("b8", [
    (_B.OFFERED, _B.ACCEPTED), (_B.OFFERED, _B.DECLINED),
    (_B.ACCEPTED, _B.RUNNING), (_B.RUNNING, _B.DECISION), (_B.RUNNING, _B.ENDED),
    (_B.DECISION, _B.ENDED),
])


class AgeGroup(StrEnum):
    """A person's age as far as it is known: unknown is its own value."""

    ADULT = "adult"
    MINOR = "minor"
    UNKNOWN = "unknown"


class MeldcodeState(StrEnum):
    """A meldcode in progress, or closed at step 5 (or at step 4 when there is no suspicion)."""

    OPEN = "open"
    CLOSED = "closed"


class PlanKind(StrEnum):
    """A plan of a case (MDA++ practice)."""

    TRIAGE = "triage"
    SAFETY = "safety"
    GOALS = "goals"


labels.register("b8_state", {
    _B.OFFERED: N_("offered"), _B.ACCEPTED: N_("accepted"), _B.DECLINED: N_("declined"),
    _B.RUNNING: N_("reflection period running"), _B.DECISION: N_("decision taken"),
    _B.ENDED: N_("ended")})
labels.register("age_group", {AgeGroup.ADULT: N_("adult"), AgeGroup.MINOR: N_("minor"),
                              AgeGroup.UNKNOWN: N_("age unknown")})
# The procedures' lines in a case's main timeline (procedures.reads.timeline_items).
labels.register("timeline", {
    ProcedureKind.B8: N_("B8 reflection period (bedenktijd)"),
    ProcedureKind.MELDCODE: N_("Meldcode domestic violence and child abuse")})
labels.register("meldcode_state", {MeldcodeState.OPEN: N_("in progress"),
                                   MeldcodeState.CLOSED: N_("closed")})
labels.register("plan_kind", {PlanKind.TRIAGE: N_("Triage"), PlanKind.SAFETY: N_("Safety plan"),
                              PlanKind.GOALS: N_("Plan with goals")})
