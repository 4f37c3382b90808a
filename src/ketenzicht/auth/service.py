"""Queries and writes of organisations and accounts (sessions and tokens: ``credentials``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.enums import Role, Scope
from ketenzicht.auth.models import Organisation as Organisation
from ketenzicht.auth.models import User as User
from ketenzicht.auth.models import UserRole
from ketenzicht.auth.passwords import hash_password, weakness
from ketenzicht.auth.permissions import (
    REFUSED,
    ResourceRef,
    authorize,
    enforce,
    roles_that_may,
)
from ketenzicht.auth.schemas import Actor, OrganisationCreate, UserCreate, UserUpdate
from ketenzicht.config import get_settings
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed, check_version
from ketenzicht.core.i18n import LOCALES, N_


def actor_for(user: User, *, via: str = "session", session_id: int | None = None) -> Actor:
    """The ``Actor`` a user acts as."""
    return Actor(
        user_id=user.id,
        username=user.username,
        organisation_id=user.organisation_id,
        org_type=user.organisation.org_type,
        roles=user.roles,
        via=via,
        session_id=session_id,
    )


def org_ref(org: Organisation) -> ResourceRef:
    """Authorisation facts of an organisation."""
    return ResourceRef(kind="organisation", id=org.id, owner_org_id=org.id)


def user_ref(user: User) -> ResourceRef:
    """Authorisation facts of an account."""
    return ResourceRef(kind="user", id=user.id, owner_org_id=user.organisation_id,
                       owner_user_id=user.id)


# -- the read port: what other domains may read without acting as someone -----------------
#
# ``Organisation`` and ``User`` are re-exported above because these functions hand them out:
# other domains name the type from here, never from ``auth.models``.


def directory(session: Session) -> dict[int, Organisation]:
    """Every organisation by id.

    The directory is national data and holds no personal data, so reading it needs no
    actor and writes no audit entry (routing reads it from the CLI and the scheduler too).
    """
    return {o.id: o for o in session.scalars(select(Organisation).order_by(Organisation.name))}


def organisation(session: Session, org_id: int) -> Organisation | None:
    """One organisation of the directory, or None (national data, as :func:`directory`)."""
    return session.get(Organisation, org_id)


def members(session: Session, org_id: int, *, actor: audit.AuditActor | None) -> list[User]:
    """The active people (not system accounts) of an organisation.

    People are personal data: the read is audited under ``actor``, the person whose
    action needs it (None only for a job of the scheduler or the operator's CLI).
    """
    users = list(session.scalars(select(User).where(
        User.organisation_id == org_id, User.is_active, User.is_system.is_(False))
        .order_by(User.id)))
    if users:
        audit.record_read(session, actor=actor, resource_type="user", ids=[u.id for u in users])
    return users


def search_members(session: Session, org_ids: Sequence[int], text: str, *,
                   actor: audit.AuditActor | None, limit: int = 10) -> list[User]:
    """Active people of these organisations whose name or username contains ``text``.

    For a picker that chooses people by name: only the accounts it returns are read, and
    that read is audited under ``actor`` as :func:`members` is.
    """
    needle = text.strip().lower()
    if len(needle) < 2 or not org_ids:
        return []
    pattern = "%" + needle.replace("\\", "").replace("%", "").replace("_", "") + "%"
    users = list(session.scalars(select(User).where(
        User.organisation_id.in_(list(org_ids)), User.is_active, User.is_system.is_(False),
        func.lower(User.display_name).like(pattern) | func.lower(User.username).like(pattern))
        .order_by(User.display_name, User.id).limit(limit)))
    if users:
        audit.record_read(session, actor=actor, resource_type="user", ids=[u.id for u in users])
    return users


def member(session: Session, user_id: int, *, actor: audit.AuditActor | None) -> User | None:
    """One account by id, or None; audited under ``actor`` as :func:`members` is."""
    user = session.get(User, user_id)
    if user is not None:
        audit.record_read(session, actor=actor, resource_type="user", ids=[user.id])
    return user


def people_to_notify(session: Session, org_id: int | None) -> list[int]:
    """Whom to notify at an organisation: its coordinators, else all its active people.

    Ids and roles for delivery only, not a read of personal data on someone's behalf:
    no actor and no audit entry per notification.
    """
    if org_id is None:
        return []
    users = list(session.scalars(select(User).where(
        User.organisation_id == org_id, User.is_active, User.is_system.is_(False))
        .order_by(User.id)))
    coordinators = [u.id for u in users if Role.COORDINATOR in u.roles]
    return coordinators or [u.id for u in users]


def people_who_may(session: Session, org_id: int | None, action: str) -> list[int]:
    """The active people of an organisation whose roles may do ``action`` there.

    Whom to tell that work of that kind arrived (a signal routed to the organisation goes
    to everyone who may handle it, not only to its coordinators). Ids for delivery only,
    as :func:`people_to_notify`: no actor and no audit entry.
    """
    org = session.get(Organisation, org_id) if org_id is not None else None
    if org is None or not org.is_active:
        return []
    roles = roles_that_may(action, org.org_type)
    users = session.scalars(select(User).where(
        User.organisation_id == org.id, User.is_active, User.is_system.is_(False))
        .order_by(User.id))
    return [u.id for u in users if u.roles & roles]


def member_ids(session: Session, org_id: int) -> list[int]:
    """The ids of an organisation's accounts, oldest first (ids only: no audit entry)."""
    return list(session.scalars(select(User.id).where(User.organisation_id == org_id)
                                .order_by(User.id)))


def active_locales(session: Session, user_ids: Sequence[int]) -> dict[int, str | None]:
    """The chosen language of each active account among ``user_ids`` (for delivery)."""
    return {user_id: locale for user_id, locale in session.execute(
        select(User.id, User.locale).where(User.id.in_(user_ids), User.is_active))}


def display_names(session: Session, user_ids: Sequence[int], *, actor: audit.AuditActor | None
                  ) -> dict[int, str]:
    """The display name of each account among ``user_ids``; audited under ``actor``."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    names = {user_id: name for user_id, name in session.execute(
        select(User.id, User.display_name).where(User.id.in_(wanted)))}
    if names:
        audit.record_read(session, actor=actor, resource_type="user", ids=sorted(names))
    return names


# -- organisations -------------------------------------------------------------------------


def list_organisations(session: Session, *, actor: Actor) -> list[Organisation]:
    """All organisations (the directory holds no personal data)."""
    enforce(actor, "organisation.view")
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def get_organisation(session: Session, *, actor: Actor, org_id: int) -> Organisation:
    """One organisation, or ``Forbidden`` when it is not visible or does not exist."""
    org = session.get(Organisation, org_id)
    if org is None:
        raise Forbidden(REFUSED)
    enforce(actor, "organisation.view", org_ref(org))
    return org


def create_organisation(
    session: Session, *, data: OrganisationCreate, actor: Actor | None
) -> Organisation:
    """Register an organisation; ``actor`` None means the operator's CLI."""
    if actor is not None:
        enforce(actor, "organisation.create")
    for column, value in (("code", data.code), ("name", data.name)):
        if session.scalar(select(Organisation.id).where(getattr(Organisation, column) == value)):
            raise Conflict(N_("An organisation with %(field)s '%(value)s' already exists."),
                           field=column, value=value)
    org = Organisation(code=data.code, name=data.name, org_type=data.org_type)
    session.add(org)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="organisation",
                 resource_id=org.id, detail={"code": org.code, "org_type": str(org.org_type)})
    return org


def find_organisation(session: Session, code: str) -> Organisation | None:
    """An organisation by its code (for the CLI)."""
    return session.scalar(select(Organisation).where(Organisation.code == code))


# -- users -------------------------------------------------------------------------------


def list_users(session: Session, *, actor: Actor, organisation_id: int | None = None) -> list[User]:
    """Accounts the actor may see, optionally of one organisation; the read is audited."""
    scope = enforce(actor, "user.view")
    stmt = select(User).order_by(User.username)
    if scope is not Scope.NATIONAL:
        if organisation_id is not None and organisation_id != actor.organisation_id:
            raise Forbidden(REFUSED)
        organisation_id = actor.organisation_id
    if organisation_id is not None:
        stmt = stmt.where(User.organisation_id == organisation_id)
    users = list(session.scalars(stmt))
    audit.record_read(session, actor=actor, resource_type="user", ids=[u.id for u in users])
    return users


def get_user(session: Session, *, actor: Actor, user_id: int, action: str = "user.view") -> User:
    """One account; refused alike whether it is out of scope or does not exist."""
    user = session.get(User, user_id)
    if user is None:
        raise Forbidden(REFUSED)
    enforce(actor, action, user_ref(user))
    if action == "user.view":
        audit.record_read(session, actor=actor, resource_type="user", ids=[user.id])
    return user


def create_user(session: Session, *, data: UserCreate, actor: Actor | None) -> User:
    """Create an account in an organisation the actor manages."""
    org = session.get(Organisation, data.organisation_id)
    if org is None:
        if actor is None:
            raise ValidationFailed(N_("Organisation %(id)s does not exist."),
                                   id=data.organisation_id)
        raise Forbidden(REFUSED)
    if actor is not None:
        enforce(actor, "user.create", org_ref(org))
    if session.scalar(select(User.id).where(User.username == data.username)):
        raise Conflict(N_("The username '%(username)s' is taken."), username=data.username)
    if not data.is_system and data.password is None:
        raise ValidationFailed(N_("A person's account needs a password (at least 12 characters)."))
    if data.password is not None:
        why = weakness(data.password, (data.username, *data.display_name.split()))
        if why is not None:
            raise ValidationFailed(why)
    user = User(
        username=data.username,
        display_name=data.display_name,
        organisation=org,
        password_hash=hash_password(data.password) if data.password else None,
        is_system=data.is_system,
        role_rows=[UserRole(role=r) for r in data.roles],
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent insert of the same username
        raise Conflict(N_("The username '%(username)s' is taken."), username=data.username) from exc
    audit.record(session, actor=actor, action="create", resource_type="user",
                 resource_id=user.id,
                 detail={"organisation_id": org.id, "roles": sorted(data.roles)})
    return user


def update_user(session: Session, *, actor: Actor, user_id: int, data: UserUpdate) -> User:
    """Change an account; refused with ``Conflict`` when someone else changed it first."""
    user = get_user(session, actor=actor, user_id=user_id, action="user.update")
    check_version(user.version, data.version)
    changed: dict[str, object] = {}
    if data.display_name is not None and data.display_name != user.display_name:
        user.display_name = changed["display_name"] = data.display_name
    if data.roles is not None and set(data.roles) != set(user.roles):
        if user.id == actor.user_id:
            raise ValidationFailed(N_("You cannot change your own roles."))
        # Change rows in place: replacing the list would INSERT before the
        # DELETE of the old rows and trip the (user, role) unique constraint.
        wanted = set(data.roles)
        for row in [r for r in user.role_rows if r.role not in wanted]:
            user.role_rows.remove(row)
        user.role_rows.extend(UserRole(role=r) for r in sorted(wanted - user.roles))
        changed["roles"] = sorted(data.roles)
    if data.is_active is not None and data.is_active != user.is_active:
        if user.id == actor.user_id and not data.is_active:
            raise ValidationFailed(N_("You cannot deactivate your own account."))
        user.is_active = changed["is_active"] = data.is_active
    if data.unlock and (user.locked_until is not None or user.failed_logins):
        user.locked_until, user.failed_logins = None, 0
        changed["unlocked"] = True
    if changed:
        # Touch the row itself so that its version moves even when only roles changed.
        user.updated_at = clock.now()
        session.flush()
        audit.record(session, actor=actor, action="update", resource_type="user",
                     resource_id=user.id, detail=changed)
    return user


def own_locale(session: Session, *, actor: Actor) -> str:
    """The language the actor's notifications are written in (the site's default until
    they choose one)."""
    user = session.get(User, actor.user_id)
    return locale_of(user.locale if user is not None else None)


def locale_of(chosen: str | None) -> str:
    """A person's chosen language, or the site's default when none (or an unknown) is set."""
    return chosen if chosen in LOCALES else get_settings().default_locale


def set_locale(session: Session, *, actor: Actor, locale: str) -> str:
    """Set the language the actor's notifications are written in (their own account only)."""
    if locale not in LOCALES:
        raise ValidationFailed(N_("Choose one of the languages offered."))
    user = session.get(User, actor.user_id)
    if user is None:
        raise Forbidden(REFUSED)
    if user.locale != locale:
        user.locale = locale
        session.flush()
        audit.record(session, actor=actor, action="set_locale", resource_type="user",
                     resource_id=user.id, detail={"locale": locale})
    return locale


def find_user(session: Session, username: str) -> User | None:
    """An account by username (login and CLI only)."""
    return session.scalar(select(User).where(User.username == username))


def all_usernames(session: Session) -> Sequence[str]:
    """Every username (for the CLI's listing)."""
    return list(session.scalars(select(User.username).order_by(User.username)))


# -- what the actor may do (for pages that offer the action) -------------------------------


def may_view_users_of(actor: Actor, org: Organisation) -> bool:
    """Whether the actor may list this organisation's accounts."""
    return authorize(actor, "user.view", org_ref(org)).allowed


def may_create_users_in(actor: Actor, org: Organisation) -> bool:
    """Whether the actor may create accounts in this organisation."""
    return authorize(actor, "user.create", org_ref(org)).allowed


def may_update(actor: Actor, user: User) -> bool:
    """Whether the actor may change this account."""
    return authorize(actor, "user.update", user_ref(user)).allowed
