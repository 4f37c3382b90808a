"""States of a queued e-mail."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_


class MailStatus(StrEnum):
    """Where an e-mail of the outbox stands."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum number of attempts
    NO_ADDRESS = "no_address"  # the recipient has no e-mail address for notifications


# Words for the codes above (core.labels).
labels.register("mail_status", {
    MailStatus.QUEUED: N_("waiting to be sent"), MailStatus.SENT: N_("sent"),
    MailStatus.FAILED: N_("failed"), MailStatus.NO_ADDRESS: N_("no e-mail address")})
