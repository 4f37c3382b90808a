"""Who hears about escalated signals, through ``ketenzicht.notify``.

Texts name signals by number and link to the inbox; never content, because an e-mail
leaves access control behind. The inbox checks access as always. Texts are ``Msg``:
``notify`` writes them in each recipient's language (the scheduler that escalates has none).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.i18n import N_
from ketenzicht.notify import service as notify
from ketenzicht.notify.messages import Msg

# Looks up the people of an organisation to notify; a national, system reader.
_PEOPLE = Actor(user_id=0, username="signals-notify", organisation_id=0,
                org_type=OrgType.BEHEER, roles=frozenset({Role.BEHEERDER}), via="system")


def org_people(session: Session, org_id: int) -> list[int]:
    """The coordinators of an organisation; all its active people when it has none."""
    users = [u for u in auth_service.list_users(session, actor=_PEOPLE, organisation_id=org_id)
             if u.is_active and not u.is_system]
    coordinators = [u.id for u in users if Role.COORDINATOR in u.roles]
    return coordinators or [u.id for u in users]


def escalated(session: Session, *, org_id: int, signal_ids: list[int]) -> int:
    """Tell an organisation that signals were escalated to its inbox; how many were told."""
    subject = Msg.ngettext("%(n)s signal escalated to your inbox",
                           "%(n)s signals escalated to your inbox",
                           len(signal_ids), n=len(signal_ids))
    body = Msg(N_("No one accepted or forwarded these signals before their deadline: "
                  "%(ids)s. Decide on them in your inbox."),
               ids=", ".join(f"#{i}" for i in sorted(signal_ids)))
    return len(notify.send(session, recipients=org_people(session, org_id),
                           kind="signals.escalated", subject=subject, body=body,
                           link="/signals/inbox"))
