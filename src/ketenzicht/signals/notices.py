"""Who hears about escalated signals, through ``ketenzicht.notify``.

Texts name signals by number and link to the inbox; never content, because an e-mail
leaves access control behind. The inbox checks access as always. Texts are ``Msg``:
``notify`` writes them in each recipient's language (the scheduler that escalates has none).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.core.i18n import N_
from ketenzicht.notify import service as notify
from ketenzicht.notify.schemas import Msg


def escalated(session: Session, *, org_id: int, signal_ids: list[int]) -> int:
    """Tell an organisation that signals were escalated to its inbox; how many were told."""
    subject = Msg.ngettext("%(n)s signal escalated to your inbox",
                           "%(n)s signals escalated to your inbox",
                           len(signal_ids), n=len(signal_ids))
    body = Msg(N_("No one accepted or forwarded these signals before their deadline: "
                  "%(ids)s. Decide on them in your inbox."),
               ids=", ".join(f"#{i}" for i in sorted(signal_ids)))
    # Only the deadline job escalates (CLI or scheduler): no person to name.
    return len(notify.send(session, actor=None, recipients=notify.org_people(session, org_id),
                           kind="signals.escalated", subject=subject, body=body,
                           link="/signals/inbox"))


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
