"""The periodic job inside ``ketenzicht serve``: every domain's deadlines, then mail.

It sits above the domains (beside ``cli`` and ``main``) because it runs jobs of several of
them: case reminders and escalations, unanswered referrals, signals past their routing
deadline.

Every ``KZ_CASES_ESCALATE_MINUTES`` (0 switches it off; cron with ``ketenzicht cases
escalate`` is the alternative) it runs one escalation in a transaction of its own and,
when ``KZ_SMTP_URL`` is set, delivers the e-mail outbox. A failing run is logged and
retried at the next tick; what it did not commit is done then, exactly once.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.cases import escalation
from ketenzicht.config import Settings
from ketenzicht.core import clock, context
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.notify import delivery
from ketenzicht.operations import notices as operation_notices
from ketenzicht.signals import inbox

log = logging.getLogger("ketenzicht.scheduler")


def tick(factory: sessionmaker[Session], settings: Settings) -> dict[str, int]:
    """One run: escalations (one transaction), then mail delivery if SMTP is configured."""
    context.new_request_id()
    with unit_of_work(factory) as session:
        counts = escalation.run(session)
    # A transaction per domain: a failure in one cannot undo what the other committed.
    with unit_of_work(factory) as session:
        counts["signals_escalated"] = inbox.escalate_due(session, clock.now())
    with unit_of_work(factory) as session:
        counts.update(operation_notices.warn_due(session, now=clock.now()))
    url = settings.smtp_url.get_secret_value()
    if url:
        with delivery.smtp_transport(delivery.parse_smtp_url(url)) as transport, \
                unit_of_work(factory) as session:
            sent = delivery.deliver(session, transport=transport, sender=settings.smtp_from,
                                    max_attempts=settings.notify_max_attempts)
        counts.update({f"mail_{k}": v for k, v in sent.items()})
    return counts


class Scheduler(threading.Thread):
    """Runs :func:`tick` every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings,
                 interval: float) -> None:
        super().__init__(name="ketenzicht-escalations", daemon=True)
        self.factory, self.settings, self.interval = factory, settings, interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Tick, then wait; a failed tick is logged and the loop goes on."""
        while not self._stop_event.is_set():
            try:
                counts = tick(self.factory, self.settings)
                log.info("escalation run: %s", counts)
            except Exception:
                log.exception("escalation run failed; retrying at the next tick")
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        """Ask the loop to end after the current run."""
        self._stop_event.set()


def start(settings: Settings, factory: sessionmaker[Session] | None = None
          ) -> Scheduler | None:
    """Start the background job, unless ``cases_escalate_minutes`` is 0."""
    if settings.cases_escalate_minutes <= 0:
        return None
    scheduler = Scheduler(factory or make_session_factory(make_engine(settings.database_url)),
                          settings, settings.cases_escalate_minutes * 60)
    scheduler.start()
    return scheduler
