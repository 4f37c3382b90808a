"""The world the route-enumerating access test runs in (tests/web/test_access.py).

One *owner* organisation (politie) holds the records; ``others`` are people of
other organisations and roles, among whom the test looks for someone the
permission table refuses. Domains add, in their own module under
tests/factories, the dicts ``ACCESS_RECORDS``, ``ACCESS_BODIES``,
``ACCESS_PUBLIC`` and ``ACCESS_OPEN_ACTIONS`` (see ``_collect`` in the test).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User
from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.auth.service import org_ref, user_ref
from tests.factories.auth import OrganisationFactory, UserFactory


@dataclass
class World:
    """Records live in ``owner``; ``others`` may or may not see them."""

    owner: Organisation
    target_user: User
    others: list[User] = field(default_factory=list)


def make_world(db: Session) -> World:
    """The owner organisation, one account in it, and outsiders of every kind."""
    owner = OrganisationFactory(org_type=OrgType.POLITIE)
    target = UserFactory(organisation=owner, roles=(Role.MEDEWERKER,))
    others = [UserFactory(organisation=owner, roles=(Role.BEHEERDER,))]
    for org_type in OrgType:
        org = OrganisationFactory(org_type=org_type)
        others.extend(UserFactory(organisation=org, roles=(role,)) for role in Role)
    db.flush()
    return World(owner=owner, target_user=target, others=others)


RecordMaker = Callable[[Session, World], tuple[int, ResourceRef]]

ACCESS_RECORDS: Mapping[str, RecordMaker] = {
    "user_id": lambda db, w: (w.target_user.id, user_ref(w.target_user)),
    "org_id": lambda db, w: (w.owner.id, org_ref(w.owner)),
}

ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("PATCH", "/api/v1/users/{user_id}"): lambda w: {"version": 1, "display_name": "x"},
    ("POST", "/api/v1/users"): lambda w: {
        "username": "nieuw", "display_name": "n", "organisation_id": w.owner.id,
        "roles": ["medewerker"], "password": "long-enough-pass"},
    ("POST", "/api/v1/organisations"): lambda w: {
        "code": "nieuw", "name": "Nieuw", "org_type": "zorg"},
    ("POST", "/api/v1/tokens"): lambda w: {"name": "koppeling", "user_id": w.target_user.id},
}

# Every logged-in professional may do these: they show only the actor's own
# things, or the directory of organisations, which holds no personal data.
ACCESS_OPEN_ACTIONS = {"home.view": "own start page", "account.view": "own account",
                       "organisation.view": "directory of organisations"}
