"""Closed vocabularies of the workspace."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_


class TriageStatus(StrEnum):
    """The team's decision about a network (the issue's nieuw / in onderzoek / ...)."""

    NEW = "nieuw"
    INVESTIGATING = "in_onderzoek"
    NO_ACTION = "geen_actie"
    CLOSED = "gesloten"


# Any status may follow any other except itself: a closed network can be reopened when it
# comes back, and "geen actie" can be revisited; each change needs a reason in the history.
TRIAGE_MACHINE: dict[TriageStatus, frozenset[TriageStatus]] = {
    status: frozenset(TriageStatus) - {status} for status in TriageStatus
}


class TriageEventKind(StrEnum):
    """What a line of a network's history records."""

    STATUS = "status"
    NOTE = "note"


class WatchKind(StrEnum):
    """What an investigator can watch."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    IMAGE = "image"  # a perceptual hash
    NETWORK = "network"  # a network key, matched through its identifiers too


# Words for the codes above (core.labels); pages show these, never the code.
labels.register("triage", {
    TriageStatus.NEW: N_("new"), TriageStatus.INVESTIGATING: N_("under investigation"),
    TriageStatus.NO_ACTION: N_("no action"), TriageStatus.CLOSED: N_("closed")})
labels.register("watch_kind", {
    WatchKind.PHONE: N_("phone number"), WatchKind.EMAIL: N_("e-mail address"),
    WatchKind.HANDLE: N_("handle"), WatchKind.IMAGE: N_("image"),
    WatchKind.NETWORK: N_("network")})
