"""Who hears about what in a case, through ``ketenzicht.notify``.

Notification texts name the case by number and link to it; they never carry the
title, pseudonyms or other content, because an e-mail leaves need-to-know behind.
The recipient opens the link and the case page checks access as always. Texts are
``Msg``: ``notify`` writes them in each recipient's own language, not the sender's.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.i18n import N_
from ketenzicht.notify import service as notify
from ketenzicht.notify.messages import Msg

# Looks up the people of an organisation to notify; a national, system reader.
_PEOPLE = Actor(user_id=0, username="cases-notify", organisation_id=0, org_type=OrgType.BEHEER,
                roles=frozenset({Role.BEHEERDER}), via="system")


def org_people(session: Session, org_id: int | None) -> list[int]:
    """The coordinators of an organisation; all its active people when it has none."""
    if org_id is None:
        return []
    users = [u for u in auth_service.list_users(session, actor=_PEOPLE, organisation_id=org_id)
             if u.is_active and not u.is_system]
    coordinators = [u.id for u in users if Role.COORDINATOR in u.roles]
    return coordinators or [u.id for u in users]


def case_coordinators(session: Session, *, coordinator_org_id: int,
                      coordinator_user_id: int | None) -> list[int]:
    """The person holding the coordinator role, else the coordinator organisation's people."""
    if coordinator_user_id is not None:
        return [coordinator_user_id]
    return org_people(session, coordinator_org_id)


def tell(session: Session, users: Iterable[int], *, kind: str, case_id: int, subject: Msg,
         body: Msg | str = "", link: str | None = None) -> int:
    """Notify ``users`` about case ``case_id`` (link to the case unless given)."""
    made = notify.send(session, recipients=list(users), kind=kind, subject=subject, body=body,
                       link=link or f"/cases/{case_id}")
    return len(made)


def case_subject(case_id: int, what: Msg) -> Msg:
    """``Case 12: what``, in the language of whoever reads it."""
    return Msg(N_("Case %(id)s: %(what)s"), id=case_id, what=what)
