"""The need-to-know table, rule by rule."""

from __future__ import annotations

import pytest

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import ACTIONS, ResourceRef, authorize, best_scope, enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import Forbidden


def make_actor(org_type: OrgType, *roles: Role, org_id: int = 1, user_id: int = 10) -> Actor:
    return Actor(user_id=user_id, username="t", organisation_id=org_id, org_type=org_type,
                 roles=frozenset(roles))


OWN_ORG = ResourceRef(kind="user", id=11, owner_org_id=1, owner_user_id=11)
OTHER_ORG = ResourceRef(kind="user", id=21, owner_org_id=2, owner_user_id=21)
SHARED = ResourceRef(kind="case", id=5, owner_org_id=2, participant_org_ids=frozenset({1}))


@pytest.mark.parametrize(("org_type", "roles", "action", "scope"), [
    (OrgType.POLITIE, (Role.MEDEWERKER,), "home.view", Scope.OWN),
    (OrgType.POLITIE, (Role.MEDEWERKER,), "user.view", None),
    (OrgType.POLITIE, (Role.COORDINATOR,), "user.view", Scope.ORGANISATION),
    (OrgType.POLITIE, (Role.BEHEERDER,), "user.view", Scope.ORGANISATION),
    (OrgType.BEHEER, (Role.BEHEERDER,), "user.view", Scope.NATIONAL),
    (OrgType.BEHEER, (Role.MEDEWERKER,), "user.view", None),
    (OrgType.ZORG, (Role.BEHEERDER,), "organisation.create", None),
    (OrgType.BEHEER, (Role.BEHEERDER,), "organisation.create", Scope.NATIONAL),
    (OrgType.OM, (Role.BEHEERDER,), "audit.view", Scope.ORGANISATION),
    (OrgType.OM, (Role.BEHEERDER,), "audit.verify", None),
    (OrgType.BEHEER, (Role.BEHEERDER,), "audit.verify", Scope.NATIONAL),
    (OrgType.OPVANG, (Role.MEDEWERKER, Role.BEHEERDER), "user.create", Scope.ORGANISATION),
    (OrgType.RAPPORTEUR, (Role.MEDEWERKER,), "organisation.view", Scope.NATIONAL),
])
def test_best_scope(org_type: OrgType, roles: tuple[Role, ...], action: str,
                    scope: Scope | None) -> None:
    assert best_scope(make_actor(org_type, *roles), action) == scope


def test_organisation_scope_stops_at_the_organisation() -> None:
    beheerder = make_actor(OrgType.POLITIE, Role.BEHEERDER)
    assert authorize(beheerder, "user.view", OWN_ORG).allowed
    decision = authorize(beheerder, "user.view", OTHER_ORG)
    assert not decision.allowed
    assert "outside" in decision.reason


def test_national_scope_reaches_everywhere() -> None:
    platform = make_actor(OrgType.BEHEER, Role.BEHEERDER)
    assert authorize(platform, "user.view", OTHER_ORG).allowed


def test_participating_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketenzicht.auth import permissions

    grant = permissions.Grant("test.shared", frozenset({Role.MEDEWERKER}), Scope.PARTICIPATING)
    monkeypatch.setattr(permissions, "GRANTS", [*permissions.GRANTS, grant])
    monkeypatch.setattr(permissions, "ACTIONS", permissions.ACTIONS | {"test.shared"})
    member = make_actor(OrgType.ZORG, Role.MEDEWERKER, org_id=1)
    outsider = make_actor(OrgType.ZORG, Role.MEDEWERKER, org_id=3)
    assert authorize(member, "test.shared", SHARED).allowed
    assert not authorize(outsider, "test.shared", SHARED).allowed


def test_register_refuses_an_action_of_another_domain(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketenzicht.auth import permissions

    monkeypatch.setattr(permissions, "GRANTS", list(permissions.GRANTS))
    monkeypatch.setattr(permissions, "ACTIONS", set(permissions.ACTIONS))
    mine = permissions.grant("test.thing", [Role.MEDEWERKER], Scope.ORGANISATION)
    permissions.register([mine])
    permissions.register([mine])  # importing a module twice is harmless
    assert best_scope(make_actor(OrgType.OM, Role.MEDEWERKER), "test.thing") is Scope.ORGANISATION
    with pytest.raises(ValueError, match="already registered"):
        permissions.register([permissions.grant("user.view", [Role.MEDEWERKER], Scope.NATIONAL)])


def test_own_scope_is_the_user_only() -> None:
    me = make_actor(OrgType.POLITIE, Role.MEDEWERKER, user_id=11)
    assert authorize(me, "account.view", OWN_ORG).allowed
    assert not authorize(make_actor(OrgType.POLITIE, Role.MEDEWERKER, user_id=12),
                         "account.view", OWN_ORG).allowed


def test_anonymous_is_refused_everything() -> None:
    for action in ACTIONS:
        assert not authorize(None, action).allowed


def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="unknown action"):
        authorize(make_actor(OrgType.BEHEER, Role.BEHEERDER), "user.veiw")


def test_enforce_reveals_nothing() -> None:
    with pytest.raises(Forbidden) as refused:
        enforce(make_actor(OrgType.POLITIE, Role.BEHEERDER), "user.view", OTHER_ORG)
    assert "does not exist" in refused.value.message
    assert "21" not in refused.value.message
