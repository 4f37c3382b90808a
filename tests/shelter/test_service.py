"""The registry and its live figure: bounds, ownership, CSV import, secrecy, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.shelter import service
from ketenzicht.shelter.models import AvailabilityLog
from ketenzicht.shelter.schemas import AvailabilityUpdate, UnitCreate
from tests.factories.shelter import make_location, make_offer, make_request, make_unit
from tests.shelter.conftest import Cast


def test_provider_updates_own_figure_and_it_is_logged(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=8, available=2)
    with clock.frozen(datetime(2026, 11, 27, 9, tzinfo=UTC)):
        service.update_availability(db, actor=cast.actor(cast.staff), unit_id=unit.id,
                                    available=6)
    assert (unit.available, unit.available_updated_by) == (6, cast.staff.username)
    assert unit.available_updated_at == datetime(2026, 11, 27, 9, tzinfo=UTC)
    logged = db.scalars(select(AvailabilityLog).where(AvailabilityLog.unit_id == unit.id)
                        .order_by(AvailabilityLog.id)).all()
    assert [row.available for row in logged] == [2, 6]
    assert audit.pending_count(db) >= 1


@pytest.mark.parametrize("value", [9, 1000])
def test_a_figure_above_capacity_is_refused_and_nothing_changes(db: Session, cast: Cast,
                                                                value: int) -> None:
    unit = make_unit(db, cast.provider, capacity=8, available=2)
    with pytest.raises(ValidationFailed, match="capacity of 8"):
        service.update_availability(db, actor=cast.actor(cast.staff), unit_id=unit.id,
                                    available=value)
    db.refresh(unit)
    assert unit.available == 2


def test_a_figure_below_zero_is_refused_at_the_edge() -> None:
    with pytest.raises(ValidationError):
        AvailabilityUpdate(available=-1)


def test_a_figure_below_the_held_places_is_refused(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=8, available=3)
    req = make_request(db, cast.coordinator)
    make_offer(db, req, unit, cast.coordinator)
    make_offer(db, make_request(db, cast.coordinator), unit, cast.coordinator)
    with pytest.raises(Conflict, match="2 places are held"):
        service.update_availability(db, actor=cast.actor(cast.staff), unit_id=unit.id,
                                    available=1)
    db.refresh(unit)
    assert (unit.available, unit.held) == (3, 2)


def test_providers_edit_only_their_own_units(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider)
    for user in (cast.other_staff, cast.coordinator):
        with pytest.raises(Forbidden):
            service.update_availability(db, actor=cast.actor(user), unit_id=unit.id,
                                        available=1)
    with pytest.raises(Forbidden):  # a unit that does not exist: the same answer
        service.update_availability(db, actor=cast.actor(cast.staff), unit_id=987654,
                                    available=1)
    with pytest.raises(Forbidden):
        service.create_unit(db, actor=cast.actor(cast.other_staff), data=UnitCreate(
            location_id=unit.location_id, name="x1", shelter_type="cosm", capacity=1,
            genders=["vrouw"], exploitation_forms=["arbeid"], legal_statuses=["eu"],
            authorities=["comensha"]))


def test_secret_address_is_shown_to_the_provider_only(db: Session, cast: Cast) -> None:
    loc = make_location(db, cast.provider, secret_address=True, address="Geheim 1")
    unit = make_unit(db, location=loc)
    own = service.unit_read(unit, actor=cast.actor(cast.staff), stale_hours=24)
    other = service.unit_read(unit, actor=cast.actor(cast.coordinator), stale_hours=24)
    assert own.address == "Geheim 1"
    assert other.address is None and other.secret_address
    assert service.facts(unit).lat == pytest.approx(52.091)  # the region's centre, not the house


def test_stale_figures_are_marked(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider)
    unit.available_updated_at = clock.now() - timedelta(hours=25)
    assert service.unit_read(unit, actor=None, stale_hours=24).stale
    assert not service.unit_read(unit, actor=None, stale_hours=48).stale


def test_csv_import_applies_every_line(db: Session, cast: Cast) -> None:
    a, b = make_unit(db, cast.provider), make_unit(db, cast.provider)
    result = service.import_availability(db, actor=cast.actor(cast.staff),
                                         text=f"unit_id,available\n{a.id},0\n{b.id},7\n")
    assert (result.updated, result.errors) == (2, [])
    assert (a.available, b.available) == (0, 7)


def test_csv_import_applies_nothing_when_one_line_is_wrong(db: Session, cast: Cast) -> None:
    a = make_unit(db, cast.provider, available=4)
    foreign = make_unit(db, cast.other_provider)
    text = (f"unit_id,available\n{a.id},1\n{foreign.id},1\n{a.id},2\n987654,1\nx,1\n"
            f"{make_unit(db, cast.provider).id},99\n")
    result = service.import_availability(db, actor=cast.actor(cast.staff), text=text)
    assert result.updated == 0
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7]
    assert "capacity" in result.errors[-1].error
    db.refresh(a)
    assert a.available == 4


def test_csv_import_needs_the_header(db: Session, cast: Cast) -> None:
    result = service.import_availability(db, actor=cast.actor(cast.staff), text="1,2\n")
    assert result.errors and result.errors[0].line == 1
