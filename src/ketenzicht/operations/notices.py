"""Expiry warnings: 7 days and 1 day before an order ends, to everyone named on it.

Run by the scheduler (``scheduler.tick``) and by ``ketenzicht operations tick``; each
warning is sent once per order version (an extension re-arms both). The message holds
the operation's number and end date only: e-mail leaves the platform's access control.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.core import clock
from ketenzicht.core.i18n import N_
from ketenzicht.notify import service as notify
from ketenzicht.notify.schemas import Msg
from ketenzicht.operations import service
from ketenzicht.operations.enums import LIVE
from ketenzicht.operations.models import Operation

KIND = "operation_expiry"


def warn_due(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Send the due warnings, then record expired orders as expired; returns counts."""
    now = now or clock.now()
    sent = 0
    for op in session.scalars(select(Operation).where(Operation.status.in_(list(LIVE)))
                              .order_by(Operation.id)):
        version = service.current(op)
        if version is None or now >= version.ends_at:
            continue
        left = version.ends_at - now
        for flag, window in (("warned_1d", timedelta(days=1)), ("warned_7d", timedelta(days=7))):
            if left <= window and not getattr(op, flag):
                # The scheduler's job: no person caused it, so no actor (the audit says so).
                notify.send(session, actor=None, recipients=sorted(service.people(op)),
                            kind=KIND,
                            subject=Msg(N_("Order of operation %(id)s ends on %(date)s"),
                                        id=op.id, date=version.ends_at.date().isoformat()),
                            body=Msg(N_("The written order of operation %(id)s ends on "
                                        "%(date)s. After that nothing can be recorded under "
                                        "it; ask the prosecutor for an extension in time."),
                                     id=op.id, date=version.ends_at.date().isoformat()),
                            link=f"/operations/{op.id}")
                op.warned_7d = True
                op.warned_1d = op.warned_1d or flag == "warned_1d"
                sent += 1
                break
    session.flush()
    expired = service.expire_due(session, now=now)
    return {"operation_warnings": sent, "operations_expired": len(expired)}
