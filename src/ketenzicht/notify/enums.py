"""States of a queued e-mail."""

from __future__ import annotations

from enum import StrEnum


class MailStatus(StrEnum):
    """Where an e-mail of the outbox stands."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum number of attempts
    NO_ADDRESS = "no_address"  # the recipient has no e-mail address for notifications
