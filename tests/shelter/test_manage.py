"""Providers edit their own locations and units: versions, capacity against holds, audit."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.shelter import manage, service
from ketenzicht.shelter.models import AvailabilityLog, ShelterUnit
from ketenzicht.shelter.schemas import LocationCreate, LocationUpdate, UnitUpdate
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.shelter import make_location, make_offer, make_request, make_unit
from tests.shelter.conftest import Cast
from tests.stale import stale


def _unit_update(unit: ShelterUnit, **kw: Any) -> UnitUpdate:
    values: dict[str, Any] = {
        k: getattr(unit, k) for k in (
            "name", "shelter_type", "capacity", "genders", "age_min", "age_max",
            "accepts_minors", "max_children", "children_age_max", "exploitation_forms",
            "legal_statuses", "authorities", "security", "staffed_24_7", "addiction_care",
            "psychiatric_care", "lvb_support", "medical_care", "wheelchair", "pets",
            "languages", "max_stay_days", "is_active", "version")}
    values.update(kw)
    return UnitUpdate(**values)


def test_provider_edits_criteria_and_the_version_moves(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, genders=["vrouw", "man"])
    before = unit.version
    manage.update_unit(db, actor=cast.actor(cast.manager), unit_id=unit.id,
                       data=_unit_update(unit, genders=["vrouw"], pets=True,
                                         languages=["ro", "nl", "ro"]))
    assert unit.genders == ["vrouw"] and unit.pets and unit.languages == ["nl", "ro"]
    assert unit.version == before + 1
    assert audit.pending_count(db) >= 1


def test_a_stale_edit_is_refused_and_changes_nothing(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, name="Groep Oud")
    stale_from = unit.version
    stale_edit = _unit_update(unit, name="Groep Nieuw")
    manage.update_unit(db, actor=cast.actor(cast.manager), unit_id=unit.id,
                       data=_unit_update(unit, pets=True))
    with pytest.raises(Conflict, match=stale(stale_from + 1, stale_from)):
        manage.update_unit(db, actor=cast.actor(cast.manager), unit_id=unit.id, data=stale_edit)
    db.refresh(unit)
    assert unit.name == "Groep Oud"


def test_lower_capacity_lowers_the_free_figure_and_logs_it(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=10, available=8)
    manage.update_unit(db, actor=cast.actor(cast.manager), unit_id=unit.id,
                       data=_unit_update(unit, capacity=5))
    assert (unit.capacity, unit.available) == (5, 5)
    assert unit.version == 2  # a capacity-only edit is a new version too
    last = db.scalars(select(AvailabilityLog).where(AvailabilityLog.unit_id == unit.id)
                      .order_by(AvailabilityLog.id.desc())).first()
    assert last is not None and (last.via, last.capacity, last.available) == ("edit", 5, 5)
    manage.update_unit(db, actor=cast.actor(cast.manager), unit_id=unit.id,
                       data=_unit_update(unit, capacity=12))
    assert (unit.capacity, unit.available) == (12, 5)  # raising capacity frees nothing


def test_capacity_below_the_held_places_is_refused(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=6, available=3)
    for _ in range(2):
        make_offer(db, make_request(db, cast.coordinator), unit, cast.coordinator)
    with pytest.raises(Conflict, match="2 places are held"):
        manage.update_unit(db, actor=cast.actor(cast.manager), unit_id=unit.id,
                           data=_unit_update(unit, capacity=1))
    db.refresh(unit)
    assert (unit.capacity, unit.available, unit.held) == (6, 3, 2)


def test_other_providers_and_referrers_may_not_edit(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider)
    for user in (cast.other_staff, cast.coordinator):
        with pytest.raises(Forbidden):
            manage.update_unit(db, actor=cast.actor(user), unit_id=unit.id,
                               data=_unit_update(unit, pets=True))
        with pytest.raises(Forbidden):
            manage.get_location(db, actor=cast.actor(user), location_id=unit.location_id)
    with pytest.raises(Forbidden):  # a missing unit: the same refusal
        manage.update_unit(db, actor=cast.actor(cast.manager), unit_id=987654,
                           data=_unit_update(unit))


def test_medewerker_of_the_provider_may_not_manage(db: Session, cast: Cast) -> None:
    worker = UserFactory(organisation=cast.provider, roles=(Role.MEDEWERKER,))
    unit = make_unit(db, cast.provider)
    with pytest.raises(Forbidden):
        manage.update_unit(db, actor=actor(worker), unit_id=unit.id, data=_unit_update(unit))


def test_location_edit_and_who_sees_which_locations(db: Session, cast: Cast) -> None:
    loc = make_location(db, cast.provider, secret_address=True, address="Geheimweg 7")
    make_location(db, cast.other_provider)
    data = LocationUpdate(name="Huis aan de Vecht", gemeente="Utrecht",
                          centrumgemeente="Utrecht", region="vr09", address="Geheimweg 9",
                          secret_address=True, version=loc.version)
    manage.update_location(db, actor=cast.actor(cast.manager), location_id=loc.id, data=data)
    assert (loc.name, loc.address, loc.version) == ("Huis aan de Vecht", "Geheimweg 9", 2)
    with pytest.raises(Conflict):
        manage.update_location(db, actor=cast.actor(cast.manager), location_id=loc.id, data=data)
    own = manage.managed_locations(db, actor=cast.actor(cast.manager))
    assert [x.id for x in own] == [loc.id]
    assert manage.location_read(loc, cast.actor(cast.other_staff)).address is None
    assert manage.location_read(loc, cast.actor(cast.manager)).address == "Geheimweg 9"
    beheer = UserFactory(organisation=OrganisationFactory(org_type=OrgType.BEHEER),
                         roles=(Role.BEHEERDER,))
    assert len(manage.managed_locations(db, actor=actor(beheer))) >= 2


@pytest.mark.parametrize("change", [
    {"age_min": 30, "age_max": 20},
    {"age_min": 12},  # minors, but accepts_minors is off
    {"capacity": -1},
    {"genders": []},
    {"languages": ["Nederlands"]},
])
def test_bad_unit_input_is_refused_at_the_edge(db: Session, cast: Cast,
                                               change: dict[str, Any]) -> None:
    unit = make_unit(db, cast.provider)
    with pytest.raises(ValidationError):
        _unit_update(unit, **change)


def test_an_inactive_unit_is_no_longer_offered(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider)
    manage.update_unit(db, actor=cast.actor(cast.manager), unit_id=unit.id,
                       data=_unit_update(unit, is_active=False))
    facts = service.facts(unit)
    assert facts.active is False


def test_a_location_belongs_to_a_shelter_provider_only(db: Session, cast: Cast) -> None:
    with pytest.raises(ValidationFailed, match="not a shelter provider"):
        make_location(db, cast.comensha)
    beheer = UserFactory(organisation=OrganisationFactory(org_type=OrgType.BEHEER),
                         roles=(Role.BEHEERDER,))
    loc = service.create_location(db, actor=actor(beheer), data=LocationCreate(
        organisation_id=cast.provider.id, name="Nieuw huis", gemeente="Assen",
        centrumgemeente="Assen", region="vr03"))
    assert loc.organisation_id == cast.provider.id
    with pytest.raises(Forbidden):  # a provider cannot register for another provider
        service.create_location(db, actor=cast.actor(cast.manager), data=LocationCreate(
            organisation_id=cast.other_provider.id, name="Elders", gemeente="Assen",
            centrumgemeente="Assen", region="vr03"))
