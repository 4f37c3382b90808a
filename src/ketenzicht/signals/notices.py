"""Who hears about routed, forwarded and escalated signals, through ``ketenzicht.notify``.

Texts say that there is a signal, its number, how urgent it is and by when it must be
answered, and link to it: never what was seen, nor anything about the person, because an
e-mail leaves access control behind. The signal page checks access as always. Texts are
``Msg``: ``notify`` writes them in each recipient's language (the scheduler that escalates
has none). They are sent by ``signals.subscriptions`` after the routing commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ketenzicht.core.formatting import LocalTime
from ketenzicht.core.i18n import N_
from ketenzicht.notify import service as notify
from ketenzicht.notify.schemas import Msg
from ketenzicht.signals.enums import ESCALATION_PURPOSE, RouteCause

# The same words as the ``route_purpose`` labels (signals.enums), as messages to render later.
PURPOSES = {
    "investigate": N_("investigation"),
    "care": N_("care"),
    ESCALATION_PURPOSE: N_("escalation: see that it is taken on"),
}
HANDLE = "signal.handle"  # whoever may answer a routing is told of it
NO_DETAILS = N_("This message holds no details of the signal; open it to read them.")


def link(signal_id: int) -> str:
    """The signal's page (``notify`` makes it absolute for e-mail)."""
    return f"/signals/{signal_id}"


def _urgency(acute: bool) -> Msg:
    return Msg(N_("acute danger, act now")) if acute else Msg(N_("normal"))


def routed(
    session: Session,
    *,
    signal_id: int,
    org_id: int,
    purpose: str,
    cause: RouteCause,
    deadline_at: datetime,
    acute: bool,
    from_org: str = "",
) -> int:
    """Tell everyone at ``org_id`` who may handle signals that one arrived; how many were told.

    ``from_org`` names the organisation that forwarded it, or whose deadline passed.
    """
    what = Msg(PURPOSES.get(purpose, purpose))
    due, urgency = LocalTime(deadline_at), _urgency(acute)
    if cause is RouteCause.FORWARDED:
        subject = Msg(
            N_("Signal %(id)s was forwarded to your organisation: %(purpose)s"),
            id=signal_id,
            purpose=what,
        )
        body = Msg(
            N_(
                "Forwarded by %(org)s. Urgency: %(urgency)s. Accept or forward it "
                "before %(deadline)s. %(no_details)s"
            ),
            org=from_org,
            urgency=urgency,
            deadline=due,
            no_details=Msg(NO_DETAILS),
        )
    elif cause is RouteCause.ESCALATED:
        subject = Msg(N_("Signal %(id)s was escalated to your organisation"), id=signal_id)
        body = Msg(
            N_(
                "%(org)s did not accept or forward it before its deadline and keeps "
                "it. Urgency: %(urgency)s. See that it is taken on before "
                "%(deadline)s. %(no_details)s"
            ),
            org=from_org,
            urgency=urgency,
            deadline=due,
            no_details=Msg(NO_DETAILS),
        )
    else:
        subject = Msg(
            N_("Signal %(id)s for your organisation: %(purpose)s"), id=signal_id, purpose=what
        )
        body = Msg(
            N_("Urgency: %(urgency)s. Accept or forward it before %(deadline)s. %(no_details)s"),
            urgency=urgency,
            deadline=due,
            no_details=Msg(NO_DETAILS),
        )
    if acute:
        subject = Msg(N_("Acute danger: %(subject)s"), subject=subject)
    # The routing job or the person who reported or forwarded: the event names no actor.
    return len(
        notify.send(
            session,
            actor=None,
            recipients=notify.people_who_may(session, org_id, HANDLE),
            kind=f"signals.{cause}",
            subject=subject,
            body=body,
            link=link(signal_id),
            urgent=acute,
        )
    )


def deadline_passed(
    session: Session,
    *,
    signal_id: int,
    org_id: int,
    deadline_at: datetime,
    added_org: str,
    acute: bool,
) -> int:
    """Tell the organisation whose deadline passed that a party was added; it keeps the
    signal. Returns how many were told."""
    subject = Msg(
        N_("Signal %(id)s: the deadline passed, %(org)s was added"), id=signal_id, org=added_org
    )
    body = Msg(
        N_(
            "No one at your organisation accepted or forwarded this signal before "
            "%(deadline)s. It stays in your inbox; %(org)s was added to see that it "
            "is taken on. %(no_details)s"
        ),
        deadline=LocalTime(deadline_at),
        org=added_org,
        no_details=Msg(NO_DETAILS),
    )
    return len(
        notify.send(
            session,
            actor=None,
            recipients=notify.people_who_may(session, org_id, HANDLE),
            kind="signals.deadline_passed",
            subject=subject,
            body=body,
            link=link(signal_id),
            urgent=acute,
        )
    )


def reencode(session: Session, *, org_id: int, signal_ids: list[int]) -> int:
    """Tell an organisation that the server-made encodings of its signals were dropped, and
    that the identities must be encoded at the source again to link (issue 22)."""
    subject = Msg.ngettext("%(n)s signal must be encoded again at your organisation",
                           "%(n)s signals must be encoded again at your organisation",
                           len(signal_ids), n=len(signal_ids))
    body = Msg(N_("Your organisation does not share identities. Ketenzicht used to encode "
                  "them on its server, with its own key; that has stopped, because the "
                  "platform should never see identities or hold the key. The encodings of "
                  "these signals were therefore removed, and they no longer link: %(ids)s. "
                  "Encode their identities again at your organisation with the linkage key "
                  "(ketenzicht linkage encode) and send the encodings to "
                  "/api/v1/signals/<number>/encodings."),
               ids=", ".join(f"#{i}" for i in sorted(signal_ids)))
    # A migration drops them, not a person.
    return len(notify.send(session, actor=None, recipients=notify.org_people(session, org_id),
                           kind="signals.reencode", subject=subject, body=body,
                           link="/signals"))
