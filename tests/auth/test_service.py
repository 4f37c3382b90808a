"""Organisations and accounts: need-to-know, audit and concurrency."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth import service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import OrganisationCreate, UserCreate, UserUpdate
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.stale import stale


def _audit(db: Session) -> list[AuditEntry]:
    db.commit()
    return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_platform_beheer_creates_an_organisation_and_it_is_audited(db: Session) -> None:
    admin = actor(UserFactory(organisation__org_type=OrgType.BEHEER, roles=(Role.BEHEERDER,)))
    org = service.create_organisation(
        db, data=OrganisationCreate(code="zorg-x", name="Zorg X", org_type=OrgType.ZORG),
        actor=admin)
    entries = _audit(db)
    assert [(e.action, e.resource_type, e.resource_id) for e in entries] == [
        ("create", "organisation", str(org.id))]
    assert entries[0].actor_username == admin.username


def test_duplicate_organisation_code_is_a_conflict(db: Session) -> None:
    OrganisationFactory(code="dup")
    with pytest.raises(Conflict, match="code 'dup'"):
        service.create_organisation(
            db, data=OrganisationCreate(code="dup", name="Other", org_type=OrgType.OM), actor=None)


def test_beheerder_creates_users_only_in_own_organisation(db: Session) -> None:
    beheerder = UserFactory(roles=(Role.BEHEERDER,))
    other_org = OrganisationFactory()
    me = actor(beheerder)
    created = service.create_user(db, data=UserCreate(
        username="nieuw", display_name="Nieuw", organisation_id=beheerder.organisation_id,
        roles=[Role.MEDEWERKER], password="a-long-enough-password"), actor=me)
    assert created.roles == {Role.MEDEWERKER}
    with pytest.raises(Forbidden):
        service.create_user(db, data=UserCreate(
            username="elders", display_name="Elders", organisation_id=other_org.id,
            roles=[Role.MEDEWERKER], password="a-long-enough-password"), actor=me)


def test_person_needs_a_password(db: Session) -> None:
    org = OrganisationFactory()
    with pytest.raises(ValidationFailed, match="password"):
        service.create_user(db, data=UserCreate(
            username="geenww", display_name="x", organisation_id=org.id,
            roles=[Role.MEDEWERKER]), actor=None)


def test_listing_users_is_scoped_and_audited(db: Session) -> None:
    coordinator = UserFactory(roles=(Role.COORDINATOR,))
    colleague = UserFactory(organisation=coordinator.organisation)
    stranger = UserFactory()
    seen = service.list_users(db, actor=actor(coordinator))
    assert {u.id for u in seen} == {coordinator.id, colleague.id}
    with pytest.raises(Forbidden):
        service.list_users(db, actor=actor(coordinator), organisation_id=stranger.organisation_id)
    assert audit.pending_count(db) >= 1
    listed = [e for e in _audit(db) if e.action == "list"]
    assert listed and set(listed[0].detail["ids"]) == {str(coordinator.id), str(colleague.id)}


def test_medewerker_may_not_read_accounts(db: Session) -> None:
    medewerker = UserFactory()
    with pytest.raises(Forbidden):
        service.get_user(db, actor=actor(medewerker), user_id=medewerker.id)


def test_missing_and_forbidden_records_are_refused_alike(db: Session) -> None:
    beheerder = actor(UserFactory(roles=(Role.BEHEERDER,)))
    stranger = UserFactory()
    with pytest.raises(Forbidden) as missing:
        service.get_user(db, actor=beheerder, user_id=999_999)
    with pytest.raises(Forbidden) as hidden:
        service.get_user(db, actor=beheerder, user_id=stranger.id)
    assert missing.value.message == hidden.value.message


def test_stale_update_is_refused_with_a_clear_message(db: Session) -> None:
    beheerder = UserFactory(roles=(Role.BEHEERDER,))
    target = UserFactory(organisation=beheerder.organisation)
    me = actor(beheerder)
    service.update_user(db, actor=me, user_id=target.id,
                        data=UserUpdate(version=1, display_name="Eerste"))
    assert target.version == 2
    with pytest.raises(Conflict, match=stale(2, 1)):
        service.update_user(db, actor=me, user_id=target.id,
                            data=UserUpdate(version=1, display_name="Tweede"))
    assert target.display_name == "Eerste"


def test_role_change_moves_the_version(db: Session) -> None:
    beheerder = UserFactory(roles=(Role.BEHEERDER,))
    target = UserFactory(organisation=beheerder.organisation)
    service.update_user(db, actor=actor(beheerder), user_id=target.id,
                        data=UserUpdate(version=1, roles=[Role.COORDINATOR]))
    assert target.roles == {Role.COORDINATOR}
    assert target.version == 2


def test_cannot_lock_yourself_out(db: Session) -> None:
    beheerder = UserFactory(roles=(Role.BEHEERDER,))
    with pytest.raises(ValidationFailed):
        service.update_user(db, actor=actor(beheerder), user_id=beheerder.id,
                            data=UserUpdate(version=1, is_active=False))
