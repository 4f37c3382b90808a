"""Need-to-know access: one table and one function decide every request.

The table lists, per action, which role (optionally only in some organisation
types) may act and how far that reaches (:class:`Scope`). Views never check
roles themselves: they call :func:`authorize` or :func:`enforce`, directly or
through ``web.deps.require``. Domains add their actions to ``GRANTS`` here so
that the whole access policy can be read, reviewed and tested in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`authorize`, with the reason in words."""

    allowed: bool
    scope: Scope | None
    reason: str


def _g(action: str, roles: Iterable[Role], scope: Scope, *types: OrgType) -> Grant:
    return Grant(action, frozenset(roles), scope, frozenset(types))


B, C, M = Role.BEHEERDER, Role.COORDINATOR, Role.MEDEWERKER

GRANTS: tuple[Grant, ...] = (
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

ACTIONS: frozenset[str] = frozenset(g.action for g in GRANTS)


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


def enforce(actor: Actor | None, action: str, resource: ResourceRef | None = None) -> Scope:
    """Like :func:`authorize` but raises ``Forbidden`` with a message that reveals nothing."""
    decision = authorize(actor, action, resource)
    if not decision.allowed or decision.scope is None:
        raise Forbidden(REFUSED)
    return decision.scope
