"""The periodic job inside ``ketenzicht serve``: every domain's deadlines, then mail.

It sits above the domains (beside ``cli`` and ``main``) because it runs the jobs that the
domains declare in their manifests (``ketenzicht.domains``), in domain order: case
reminders and escalations with unanswered referrals, signals past their routing deadline,
then the e-mail outbox when ``KZ_SMTP_URL`` is set.

Every ``KZ_CASES_ESCALATE_MINUTES`` (0 switches it off; cron with ``ketenzicht cases
escalate`` is the alternative) it runs each job in a transaction of its own. A failing run
is logged and retried at the next tick; what it did not commit is done then, exactly once.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from ketenzicht import domains
from ketenzicht.config import Settings
from ketenzicht.core import context
from ketenzicht.db.session import default_session_factory, unit_of_work

log = logging.getLogger("ketenzicht.scheduler")


def tick(factory: sessionmaker[Session], settings: Settings) -> dict[str, int]:
    """One run: every domain's job, each in its own transaction; their counts together."""
    context.new_request_id()
    counts: dict[str, int] = {}
    for _domain, job in domains.jobs():
        # A transaction per job: a failure in one cannot undo what another committed.
        with unit_of_work(factory) as session:
            counts.update(job(session, settings))
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
    scheduler = Scheduler(factory or default_session_factory(settings),
                          settings, settings.cases_escalate_minutes * 60)
    scheduler.start()
    return scheduler
