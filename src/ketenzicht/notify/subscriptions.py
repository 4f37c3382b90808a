"""What ``notify`` hears of: urgent mail, handed to the mail server at once.

An acute signal has a deadline of two hours; the outbox job runs every
``KZ_CASES_ESCALATE_MINUTES``. So the mails of an urgent notification are tried as soon as
the write that queued them commits. A mail server that is down or slow (the connection
times out after at most ``URGENT_TIMEOUT`` seconds) changes nothing that was committed:
``delivery.deliver`` records the error on the mail, which stays queued, and the outbox job
tries it again, up to ``KZ_NOTIFY_MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy.orm import Session

from ketenzicht.config import get_settings
from ketenzicht.core.events import Event, Handler
from ketenzicht.notify import delivery
from ketenzicht.notify.events import UrgentMailQueued

URGENT_TIMEOUT = 10.0
_log = logging.getLogger(__name__)


def deliver_urgent(session: Session, item: UrgentMailQueued) -> None:
    """Send the urgent mails now when ``KZ_SMTP_URL`` is set; else they wait, queued."""
    settings = get_settings()
    url = settings.smtp_url.get_secret_value()
    if not url:
        return
    config = delivery.parse_smtp_url(url)
    config = replace(config, timeout=min(config.timeout, URGENT_TIMEOUT))
    try:
        with delivery.smtp_transport(config) as transport:
            counts = delivery.deliver(
                session,
                transport=transport,
                sender=settings.smtp_from,
                max_attempts=settings.notify_max_attempts,
                only=item.mail_ids,
            )
    except OSError as exc:  # could not even connect: record it on each mail, keep them queued
        counts = delivery.record_failure(session, item.mail_ids, exc, settings.notify_max_attempts)
    _log.info("urgent mail: %s", counts)


SUBSCRIPTIONS: tuple[tuple[type[Event], Handler], ...] = ((UrgentMailQueued, deliver_urgent),)
