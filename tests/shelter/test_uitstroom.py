"""A shelter ends a placement at its unit (uitstroom): reason, freed place, access, metrics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden
from ketenzicht.shelter import metrics, placement
from ketenzicht.shelter.enums import EndReason, RequestStatus
from ketenzicht.shelter.models import PlacementRequest, ShelterUnit
from ketenzicht.shelter.schemas import RequestEnd
from tests.factories.shelter import make_request, make_unit
from tests.shelter.conftest import Cast

R = RequestStatus


def _placed(db: Session, cast: Cast, unit: ShelterUnit) -> PlacementRequest:
    req = make_request(db, cast.coordinator)
    offer = placement.reserve(db, actor=cast.actor(cast.coordinator), request_id=req.id,
                              unit_id=unit.id, hold_hours=4, stale_hours=24)
    placement.accept(db, actor=cast.actor(cast.staff), offer_id=offer.id)
    placement.place(db, actor=cast.actor(cast.staff), offer_id=offer.id)
    return req


def test_the_shelter_ends_a_placement_and_the_place_is_free(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=4, available=1)
    req = _placed(db, cast, unit)
    db.refresh(unit)
    assert unit.available == 0
    assert [r.id for r in placement.placements_at(db, actor=cast.actor(cast.staff))] == [req.id]
    placement.leave(db, actor=cast.actor(cast.staff), request_id=req.id,
                    data=RequestEnd(reason=EndReason.MOVED_ON))
    db.refresh(unit)
    assert (req.status, req.end_reason, req.ended_by) == (R.ENDED, EndReason.MOVED_ON,
                                                         cast.staff.username)
    assert unit.available == 1
    assert placement.placements_at(db, actor=cast.actor(cast.staff)) == []
    with pytest.raises(Conflict):  # not twice
        placement.leave(db, actor=cast.actor(cast.staff), request_id=req.id,
                        data=RequestEnd(reason=EndReason.LEFT))
    db.refresh(unit)
    assert unit.available == 1


def test_only_the_receiving_shelter_may_end_it(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=4, available=1)
    req = _placed(db, cast, unit)
    for user in (cast.other_staff, cast.coordinator, cast.gemeente_user):
        with pytest.raises(Forbidden):
            placement.leave(db, actor=cast.actor(user), request_id=req.id,
                            data=RequestEnd(reason=EndReason.LEFT))
    with pytest.raises(Forbidden):
        placement.leave(db, actor=cast.actor(cast.staff), request_id=987654,
                        data=RequestEnd(reason=EndReason.LEFT))
    assert req.status is R.PLACED


def test_a_waiting_request_is_not_the_shelters_to_end(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider)
    accepted = _placed(db, cast, unit)
    waiting = make_request(db, cast.coordinator)
    # A shelter that once took part may not end another organisation's waiting request.
    waiting.receiving_org_id = cast.provider.id
    db.flush()
    with pytest.raises(Conflict):
        placement.leave(db, actor=cast.actor(cast.staff), request_id=waiting.id,
                        data=RequestEnd(reason=EndReason.LEFT))
    assert waiting.status is R.SUBMITTED and accepted.status is R.PLACED


def test_other_needs_a_note() -> None:
    with pytest.raises(ValidationError, match="note"):
        RequestEnd(reason=EndReason.OTHER)
    assert RequestEnd(reason=EndReason.OTHER, note="terug naar familie").note


def test_outflow_and_length_of_stay_on_the_overview(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=4, available=2)
    req = _placed(db, cast, unit)
    req.placed_at = clock.now() - timedelta(days=10)
    db.flush()
    placement.leave(db, actor=cast.actor(cast.staff), request_id=req.id,
                    data=RequestEnd(reason=EndReason.TRANSFERRED))
    o = metrics.overview(db, actor=cast.actor(cast.coordinator), stale_hours=24,
                         stable_days=28)
    assert o.outflow == {"overplaatsing": 1}
    assert o.stay_days_median == pytest.approx(10.0, abs=0.1)
