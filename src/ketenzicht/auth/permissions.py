"""Need-to-know access: one table and one function decide every request.

The table lists, per action, which role (optionally only in some organisation
types) may act and how far that reaches (:class:`Scope`). Views never check
roles themselves: they call :func:`authorize` or :func:`enforce`, directly or
through ``web.deps.require``.

The platform's own grants are below. Each domain declares its grants in its
``permissions.py`` and adds them with :func:`register` when that module is
imported, so a domain's service can never run without its rules. ``GRANTS``
then holds the whole policy, and docs/permissions.md is generated from it
(``tests/test_permissions_doc.py`` keeps that page true).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from ketenzicht.auth.enums import SCOPE_ORDER, OrgType, Role, Scope
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import Forbidden
from ketenzicht.core.i18n import N_

ALL_ROLES = frozenset(Role)
REFUSED = N_("You have no access to this, or it does not exist.")


@dataclass(frozen=True)
class Grant:
    """``roles`` in ``org_types`` (all types when empty) may do ``action`` within ``scope``."""

    action: str
    roles: frozenset[Role]
    scope: Scope
    org_types: frozenset[OrgType] = frozenset()

    def applies_to(self, actor: Actor) -> bool:
        """Whether this grant covers the actor's organisation type and roles."""
        if self.org_types and actor.org_type not in self.org_types:
            return False
        return bool(self.roles & actor.roles)


@dataclass(frozen=True)
class ResourceRef:
    """What authorisation needs to know about a record, and nothing more."""

    kind: str
    id: int | str | None
    owner_org_id: int | None
    owner_user_id: int | None = None
    participant_org_ids: frozenset[int] = field(default_factory=frozenset)


# A column of the record, or a walk to one through relationships:
# ``(ShelterUnit.location, ShelterLocation.organisation_id)``.
Path = InstrumentedAttribute[Any] | tuple[InstrumentedAttribute[Any], ...]


def _steps(path: Path) -> tuple[InstrumentedAttribute[Any], ...]:
    return path if isinstance(path, tuple) else (path,)


def _values(record: object, path: Path) -> list[Any]:
    """What ``path`` reaches from one loaded record (collections are flattened, None dropped)."""
    found: list[Any] = [record]
    for step in _steps(path):
        reached: list[Any] = []
        for item in found:
            value = getattr(item, step.key)
            if isinstance(value, (list, set, tuple)):
                reached.extend(v for v in value if v is not None)
            elif value is not None:
                reached.append(value)
        found = reached
    return found


def _equals(path: Path, value: int) -> ColumnElement[bool]:
    """The SQL for "``path`` reaches ``value``": EXISTS through each relationship on the way."""
    *through, column = _steps(path)
    condition: ColumnElement[bool] = column == value
    for relationship in reversed(through):
        condition = (relationship.any(condition) if relationship.property.uselist
                     else relationship.has(condition))
    return condition


@dataclass(frozen=True)
class Resource:
    """One declaration per kind of record: where its owner and participants are.

    From it come both the facts of one loaded record (:meth:`ref`, for
    :func:`authorize` and :func:`enforce`) and the SQL filter of a list
    (:func:`where_allowed`), so that a list never shows what the record's own page
    refuses, and the record page never refuses what a list showed.
    """

    kind: str
    owner_org: Path | None = None
    owner_user: Path | None = None
    participants: tuple[Path, ...] = ()

    def ref(self, record: object) -> ResourceRef:
        """The authorisation facts of one loaded record."""
        def first(path: Path | None) -> int | None:
            found = _values(record, path) if path is not None else []
            return int(found[0]) if found else None

        return ResourceRef(
            kind=self.kind, id=getattr(record, "id", None), owner_org_id=first(self.owner_org),
            owner_user_id=first(self.owner_user),
            participant_org_ids=frozenset(int(v) for path in self.participants
                                          for v in _values(record, path)))

    def within(self, actor: Actor, scope: Scope) -> ColumnElement[bool]:
        """The SQL twin of :func:`_within`: records inside ``scope`` for ``actor``."""
        if scope is Scope.NATIONAL:
            return true()
        if scope is Scope.OWN:
            return (_equals(self.owner_user, actor.user_id) if self.owner_user is not None
                    else false())
        org = (_equals(self.owner_org, actor.organisation_id) if self.owner_org is not None
               else false())
        if scope is Scope.ORGANISATION:
            return org
        return or_(org, *(_equals(p, actor.organisation_id) for p in self.participants))


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`authorize`, with the reason in words."""

    allowed: bool
    scope: Scope | None
    reason: str


def _g(action: str, roles: Iterable[Role], scope: Scope, *types: OrgType) -> Grant:
    return Grant(action, frozenset(roles), scope, frozenset(types))


B, C, M = Role.BEHEERDER, Role.COORDINATOR, Role.MEDEWERKER

_CORE_GRANTS: tuple[Grant, ...] = (
    # Everyone logged in sees their own start page and account.
    _g("home.view", ALL_ROLES, Scope.OWN),
    _g("account.view", ALL_ROLES, Scope.OWN),
    # The directory of organisations holds no personal data: the chain must know
    # whom to hand a signal to, so it is visible nationally.
    _g("organisation.view", ALL_ROLES, Scope.NATIONAL),
    _g("organisation.create", [B], Scope.NATIONAL, OrgType.BEHEER),
    _g("organisation.update", [B], Scope.NATIONAL, OrgType.BEHEER),
    # Accounts are personal data of employees: need-to-know within the organisation.
    _g("user.view", [B, C], Scope.ORGANISATION),
    _g("user.view", [B], Scope.NATIONAL, OrgType.BEHEER),
    _g("user.create", [B], Scope.ORGANISATION),
    _g("user.create", [B], Scope.NATIONAL, OrgType.BEHEER),
    _g("user.update", [B], Scope.ORGANISATION),
    _g("user.update", [B], Scope.NATIONAL, OrgType.BEHEER),
    _g("token.manage", [B], Scope.ORGANISATION),
    _g("token.manage", [B], Scope.NATIONAL, OrgType.BEHEER),
    # The audit log: a beheerder sees what their own organisation's people did;
    # the platform's beheer organisation sees and verifies everything.
    _g("audit.view", [B], Scope.ORGANISATION),
    _g("audit.view", [B], Scope.NATIONAL, OrgType.BEHEER),
    _g("audit.verify", [B], Scope.NATIONAL, OrgType.BEHEER),
)

GRANTS: list[Grant] = list(_CORE_GRANTS)
ACTIONS: set[str] = {g.action for g in GRANTS}


def register(grants: Iterable[Grant]) -> None:
    """Add a domain's grants; an action may be registered by one domain only."""
    new = list(grants)
    taken = {g.action for g in new} & ACTIONS
    if taken and not all(g in GRANTS for g in new):
        raise ValueError(f"actions already registered by another domain: {sorted(taken)}")
    for grant in new:
        if grant not in GRANTS:
            GRANTS.append(grant)
            ACTIONS.add(grant.action)


def grant(action: str, roles: Iterable[Role], scope: Scope, *types: OrgType) -> Grant:
    """Shorthand for a :class:`Grant` (for the domains' permission tables)."""
    return _g(action, roles, scope, *types)


def roles_that_may(action: str, org_type: OrgType) -> frozenset[Role]:
    """The roles that hold a grant for ``action`` in an organisation of ``org_type``.

    For delivery, not for access: whom to tell at an organisation about work of that kind.
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to auth.permissions.GRANTS")
    return frozenset(role for g in GRANTS if g.action == action
                     and (not g.org_types or org_type in g.org_types) for role in g.roles)


def best_scope(actor: Actor, action: str) -> Scope | None:
    """The widest scope any of the actor's grants gives for ``action``; None if none."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to auth.permissions.GRANTS")
    scopes = [g.scope for g in GRANTS if g.action == action and g.applies_to(actor)]
    return max(scopes, key=SCOPE_ORDER.__getitem__) if scopes else None


def _within(actor: Actor, scope: Scope, resource: ResourceRef) -> bool:
    if scope is Scope.NATIONAL:
        return True
    if scope is Scope.PARTICIPATING:
        return (
            resource.owner_org_id == actor.organisation_id
            or actor.organisation_id in resource.participant_org_ids
        )
    if scope is Scope.ORGANISATION:
        return resource.owner_org_id == actor.organisation_id
    return resource.owner_user_id == actor.user_id


def authorize(actor: Actor | None, action: str, resource: ResourceRef | None = None) -> Decision:
    """Decide whether ``actor`` may do ``action`` (on ``resource``, when given)."""
    if actor is None:
        return Decision(False, None, "not logged in")
    scope = best_scope(actor, action)
    if scope is None:
        roles = ", ".join(sorted(actor.roles)) or "no role"
        return Decision(False, None, f"{roles} at a {actor.org_type} organisation may not {action}")
    if resource is None:
        return Decision(True, scope, f"{action} granted with scope {scope}")
    # A wider grant covers narrower ones, so try each applicable scope.
    for grant in GRANTS:
        if grant.action == action and grant.applies_to(actor) and _within(
            actor, grant.scope, resource
        ):
            return Decision(True, grant.scope, f"{action} granted with scope {grant.scope}")
    return Decision(False, scope, f"{resource.kind} is outside the actor's {scope} scope")


def where_allowed(actor: Actor | None, action: str, resource: Resource) -> ColumnElement[bool]:
    """A WHERE clause that keeps exactly the records :func:`authorize` allows ``actor``.

    Each of the actor's grants for ``action`` adds the records within its scope,
    the same way :func:`authorize` tries each grant on one record.
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to auth.permissions.GRANTS")
    if actor is None:
        return false()
    reach = [resource.within(actor, g.scope) for g in GRANTS
             if g.action == action and g.applies_to(actor)]
    return or_(false(), *reach)


def enforce(actor: Actor | None, action: str, resource: ResourceRef | None = None) -> Scope:
    """Like :func:`authorize` but raises ``Forbidden`` with a message that reveals nothing."""
    decision = authorize(actor, action, resource)
    if not decision.allowed or decision.scope is None:
        raise Forbidden(REFUSED)
    return decision.scope


def policy_markdown() -> str:
    """The whole access policy as a Markdown table (docs/permissions.md)."""
    lines = [
        "# Access policy (need-to-know)",
        "",
        "Generated from `auth.permissions.GRANTS` by `ketenzicht permissions`; a test fails",
        "when this page and the code disagree. A role reaches a record within its scope:",
        "`own` (the user's own), `organisation` (records of the user's organisation),",
        "`participating` (records the organisation takes part in), `national` (all).",
        "",
        "| Action | Roles | Organisation types | Scope |",
        "|---|---|---|---|",
    ]
    for g in sorted(GRANTS, key=lambda g: (g.action, SCOPE_ORDER[g.scope], sorted(g.roles))):
        types = ", ".join(sorted(g.org_types)) or "all"
        lines.append(f"| `{g.action}` | {', '.join(sorted(g.roles))} | {types} | {g.scope} |")
    return "\n".join(lines) + "\n"
