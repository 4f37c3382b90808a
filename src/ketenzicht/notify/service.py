"""Send notifications (in-app, plus one queued e-mail each) and read one's own.

``send`` is the one entry point for every domain. Bodies carry case numbers,
pseudonyms and links only: what a recipient may see, never more, because an
e-mail leaves the platform's access control. The in-app notification links to a path
of this site; its e-mail carries the same link made absolute with ``KZ_BASE_URL``, since
a mail program knows no site to resolve a path against.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import REFUSED, Resource, ResourceRef, enforce, where_allowed
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import get_settings
from ketenzicht.core import clock, events
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.core.listing import ListQuery, ListSpec, Page, paginate
from ketenzicht.notify import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.notify.enums import MailStatus
from ketenzicht.notify.events import UrgentMailQueued
from ketenzicht.notify.messages import Msg
from ketenzicht.notify.models import Notification, NotifyAddress, OutboxMail

SUBJECT_MAX = 200
BAD_LINK = N_("A notification links only to a page of this site (a path starting with /).")


def _text(message: str | Msg, locale: str) -> str:
    return message if isinstance(message, str) else message.text(locale)


def _one_line(text: str) -> str:
    # A subject becomes an e-mail header: a line break in it would inject headers.
    return " ".join(text.split())[:SUBJECT_MAX]


def org_people(session: Session, org_id: int | None) -> list[int]:
    """Whom to notify at an organisation: its coordinators, else all its active people.

    A lookup of ids and roles for delivery, not a read of personal data on someone's
    behalf: no actor and no audit entry per notification (see ``auth.service``).
    """
    return auth_service.people_to_notify(session, org_id)


def people_who_may(session: Session, org_id: int | None, action: str) -> list[int]:
    """Whom to notify at an organisation of work of one kind: everyone whose role may do
    ``action`` there (ids for delivery, not an audited read; see ``auth.service``)."""
    return auth_service.people_who_may(session, org_id, action)


def absolute(link: str) -> str:
    """A path of this site as the absolute address users open it at (``KZ_BASE_URL``)."""
    return f"{get_settings().base_url}{link}"


def send(session: Session, *, actor: audit.AuditActor | None, recipients: Sequence[int],
         kind: str, subject: str | Msg, body: str | Msg = "", link: str | None = None,
         urgent: bool = False) -> list[Notification]:
    """Notify each active user in ``recipients`` once, in-app and by a queued e-mail.

    A ``Msg`` subject or body is translated per recipient, into the language that
    recipient chose (``auth.service.active_locales``), whoever or whatever triggered it; a
    plain ``str`` is sent as it is. Unknown and inactive accounts are skipped. ``link``
    is a path on this site. The audit entry names ``actor``, the person whose action
    caused the notification (None: a job of the scheduler, such as an escalation).
    ``urgent`` (acute danger): the e-mails are handed to the mail server as soon as this
    transaction commits, not at the next run of the outbox job.
    """
    if link is not None and (not link.startswith("/") or link.startswith("//")):
        raise ValidationFailed(BAD_LINK)
    wanted = list(dict.fromkeys(recipients))
    if not wanted:
        return []
    # Ids, the active flag and the language only: delivery, not a read of personal data.
    locales = auth_service.active_locales(session, wanted)
    now = clock.now()
    made: list[Notification] = []
    texts: dict[str, tuple[str, str]] = {}
    for user_id in (u for u in wanted if u in locales):
        locale = auth_service.locale_of(locales[user_id])
        if locale not in texts:
            texts[locale] = (_one_line(_text(subject, locale)), _text(body, locale))
        note = Notification(user_id=user_id, kind=kind[:64], subject=texts[locale][0],
                            body=texts[locale][1], link=link, created_at=now)
        session.add(note)
        made.append(note)
    session.flush()
    mails = []
    for note in made:
        mail_body = note.body if link is None else f"{note.body}\n\n{absolute(link)}"
        mails.append(OutboxMail(notification_id=note.id, recipient_user_id=note.user_id,
                                subject=note.subject, body=mail_body, created_at=now))
    session.add_all(mails)
    session.flush()
    if urgent and mails:
        events.publish(session, UrgentMailQueued(mail_ids=tuple(m.id for m in mails)))
    if made:
        audit.record(session, actor=actor, action="notify", resource_type="notification",
                     resource_id=made[0].id,
                     detail={"kind": kind, "users": [n.user_id for n in made]})
    return made


# Notifications and mails are their recipient's own.
NOTIFICATION = Resource(kind="notification", owner_user=Notification.user_id)
MAIL = Resource(kind="notify_mail", owner_user=OutboxMail.recipient_user_id)


def _own(actor: Actor) -> ResourceRef:
    return ResourceRef(kind="notification", id=None, owner_org_id=None,
                       owner_user_id=actor.user_id)


def inbox_spec() -> ListSpec:
    """What the notifications page may be filtered and sorted by: newest first."""
    return ListSpec(sorts={"received": (Notification.id,)}, default_sort="received",
                    descending_by_default=frozenset({"received"}),
                    filters={"status": frozenset({"unread", "read"})})


def page_for(session: Session, *, actor: Actor, query: ListQuery) -> Page[Notification]:
    """One page of the actor's notifications; only the page's notifications are audited."""
    enforce(actor, "notification.view", _own(actor))
    stmt = select(Notification).where(where_allowed(actor, "notification.view", NOTIFICATION))
    if (status := query.filters.get("status")) == "unread":
        stmt = stmt.where(Notification.read_at.is_(None))
    elif status == "read":
        stmt = stmt.where(Notification.read_at.is_not(None))
    page: Page[Notification] = paginate(session, stmt, query, inbox_spec())
    audit.record_read(session, actor=actor, resource_type="notification",
                      ids=[n.id for n in page.items])
    return page


def list_for(session: Session, *, actor: Actor, limit: int = 100,
             unread_only: bool = False) -> list[Notification]:
    """The actor's notifications, newest first (the read is audited)."""
    enforce(actor, "notification.view", _own(actor))
    stmt = (select(Notification).where(where_allowed(actor, "notification.view", NOTIFICATION))
            .order_by(Notification.id.desc()).limit(limit))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    rows = list(session.scalars(stmt))
    audit.record_read(session, actor=actor, resource_type="notification",
                      ids=[n.id for n in rows])
    return rows


def unread_count(session: Session, *, actor: Actor) -> int:
    """How many of the actor's notifications are unread (a count, not audited)."""
    enforce(actor, "notification.view", _own(actor))
    return int(session.scalar(select(func.count()).select_from(Notification).where(
        where_allowed(actor, "notification.view", NOTIFICATION),
        Notification.read_at.is_(None))) or 0)


def mark_read(session: Session, *, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read; another's is refused like a missing one."""
    note = session.get(Notification, notification_id)
    if note is None:
        raise Forbidden(REFUSED)
    enforce(actor, "notification.update", NOTIFICATION.ref(note))
    if note.read_at is None:
        note.read_at = clock.now()
        session.flush()
    return note


def mark_all_read(session: Session, *, actor: Actor) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    enforce(actor, "notification.update", _own(actor))
    result = session.execute(
        update(Notification).where(where_allowed(actor, "notification.update", NOTIFICATION),
                                   Notification.read_at.is_(None))
        .values(read_at=clock.now()).execution_options(synchronize_session="fetch"))
    return int(getattr(result, "rowcount", 0) or 0)


def mails_for(session: Session, *, actor: Actor, limit: int = 50) -> list[OutboxMail]:
    """The e-mails queued or sent to the actor, newest first (the in-app mailbox)."""
    enforce(actor, "notification.view", _own(actor))
    rows = list(session.scalars(select(OutboxMail)
                                .where(where_allowed(actor, "notification.view", MAIL))
                                .order_by(OutboxMail.id.desc()).limit(limit)))
    audit.record_read(session, actor=actor, resource_type="notify_mail", ids=[m.id for m in rows])
    return rows


def get_address(session: Session, *, actor: Actor) -> str:
    """The actor's address for notification e-mails ('' when none)."""
    enforce(actor, "notification.view", _own(actor))
    row = session.get(NotifyAddress, actor.user_id)
    return row.email if row else ""


def set_address(session: Session, *, actor: Actor, email: str) -> str:
    """Set (or with '' remove) the actor's address for notification e-mails."""
    enforce(actor, "notification.update", _own(actor))
    row = session.get(NotifyAddress, actor.user_id)
    if not email:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(NotifyAddress(user_id=actor.user_id, email=email))
    else:
        row.email = email
    session.flush()
    audit.record(session, actor=actor, action="set_notify_address", resource_type="user",
                 resource_id=actor.user_id, detail={"set": bool(email)})
    return email


def queued_count(session: Session) -> int:
    """E-mails waiting in the outbox."""
    return int(session.scalar(select(func.count()).select_from(OutboxMail).where(
        OutboxMail.status == MailStatus.QUEUED)) or 0)
