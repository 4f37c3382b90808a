"""Who hears about what in a case, through ``ketenzicht.notify``.

Notification texts name the case by number and link to it; they never carry the
title, pseudonyms or other content, because an e-mail leaves need-to-know behind.
The recipient opens the link and the case page checks access as always. Texts are
``Msg``: ``notify`` writes them in each recipient's own language, not the sender's.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.i18n import N_
from ketenzicht.notify import service as notify
from ketenzicht.notify.schemas import Msg

org_people = notify.org_people  # whom to notify at an organisation


def case_coordinators(session: Session, *, coordinator_org_id: int,
                      coordinator_user_id: int | None) -> list[int]:
    """The person holding the coordinator role, else the coordinator organisation's people."""
    if coordinator_user_id is not None:
        return [coordinator_user_id]
    return org_people(session, coordinator_org_id)


def tell(session: Session, users: Iterable[int], *, actor: Actor | None, kind: str,
         case_id: int, subject: Msg, body: Msg | str = "", link: str | None = None) -> int:
    """Notify ``users`` about case ``case_id`` (link to the case unless given), on behalf of
    ``actor`` (None: the scheduler's deadline job)."""
    made = notify.send(session, actor=actor, recipients=list(users), kind=kind,
                       subject=subject, body=body, link=link or f"/cases/{case_id}")
    return len(made)


def case_subject(case_id: int, what: Msg) -> Msg:
    """``Case 12: what``, in the language of whoever reads it."""
    return Msg(N_("Case %(id)s: %(what)s"), id=case_id, what=what)
