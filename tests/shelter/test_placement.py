"""Requests and offers: holds, decisions, expiry, visibility of person data, metrics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from ketenzicht.core import clock
from ketenzicht.core.errors import (
    Conflict,
    ConflictAfterCleanup,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from ketenzicht.shelter import holds, metrics, placement
from ketenzicht.shelter.enums import (
    DeclineReason,
    EndReason,
    Gender,
    OfferStatus,
    RequestStatus,
)
from ketenzicht.shelter.schemas import OfferDecline, RequestCreate, RequestEnd
from tests.factories.shelter import make_request, make_unit
from tests.shelter.conftest import Cast

R = RequestStatus


def _reserve(db: Session, cast: Cast, req_id: int, unit_id: int, hours: float = 4):  # type: ignore[no-untyped-def]
    return placement.reserve(db, actor=cast.actor(cast.coordinator), request_id=req_id,
                             unit_id=unit_id, hold_hours=hours, stale_hours=24)


def test_create_request_validates_and_audits(db: Session, cast: Cast) -> None:
    data = RequestCreate(person_ref="CM-1", age=17, gender="vrouw", legal_status="nl",
                         exploitation="seksueel", current_region="vr17", legal_basis="toestemming",
                         urgency="noodbed", needs_secret_address=True, submit=True)
    req = placement.create_request(db, actor=cast.actor(cast.coordinator), data=data)
    assert (req.age_min, req.age_max, req.status) == (17, 17, R.SUBMITTED)
    assert req.security_need == "verhoogd"  # a secret address implies raised security
    assert req.respond_by - req.submitted_at == timedelta(hours=24)  # type: ignore[operator]
    with pytest.raises(ValueError, match="b8_start"):
        RequestCreate(person_ref="CM-2", age=30, gender="man", legal_status="b8",
                      exploitation="arbeid", current_region="vr01", legal_basis="toestemming")
    with pytest.raises(Forbidden):
        placement.create_request(db, actor=cast.actor(cast.staff), data=data)


def test_reserve_accept_place_end(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=4, available=2)
    req = make_request(db, cast.coordinator)
    offer = _reserve(db, cast, req.id, unit.id)
    db.refresh(unit)
    assert (offer.status, req.status, unit.held, unit.available) == (
        OfferStatus.HELD, R.OFFERED, 1, 2)
    # Before accepting, the shelter may not read the request.
    with pytest.raises(Forbidden):
        placement.get_request(db, actor=cast.actor(cast.staff), request_id=req.id)
    placement.accept(db, actor=cast.actor(cast.staff), offer_id=offer.id)
    db.refresh(unit)
    assert (req.status, unit.held, unit.available) == (R.ACCEPTED, 0, 1)
    assert placement.get_request(db, actor=cast.actor(cast.staff), request_id=req.id) is req
    with pytest.raises(Forbidden):  # another shelter still may not
        placement.get_request(db, actor=cast.actor(cast.other_staff), request_id=req.id)
    placement.place(db, actor=cast.actor(cast.staff), offer_id=offer.id)
    assert req.status is R.PLACED and req.placed_at is not None
    placement.end_request(db, actor=cast.actor(cast.coordinator), request_id=req.id,
                          data=RequestEnd(reason=EndReason.MOVED_ON))
    db.refresh(unit)
    assert req.status is R.ENDED and unit.available == 2  # the place is free again


def test_only_the_units_shelter_accepts(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider)
    offer = _reserve(db, cast, make_request(db, cast.coordinator).id, unit.id)
    for user in (cast.other_staff, cast.coordinator):
        with pytest.raises(Forbidden):
            placement.accept(db, actor=cast.actor(user), offer_id=offer.id)
    with pytest.raises(Forbidden):
        placement.decline(db, actor=cast.actor(cast.other_staff), offer_id=offer.id,
                          data=OfferDecline(reason=DeclineReason.SAFETY))


def test_hold_on_an_ineligible_unit_is_refused_and_nothing_changes(db: Session,
                                                                   cast: Cast) -> None:
    unit = make_unit(db, cast.provider, genders=["man"], available=3)
    req = make_request(db, cast.coordinator, gender=Gender.VROUW)
    with pytest.raises(ValidationFailed, match="gender"):
        _reserve(db, cast, req.id, unit.id)
    db.refresh(unit)
    assert unit.held == 0 and req.status is R.SUBMITTED


def test_unknown_unit_and_full_unit(db: Session, cast: Cast) -> None:
    req = make_request(db, cast.coordinator)
    with pytest.raises(NotFound):
        _reserve(db, cast, req.id, 987654)
    full = make_unit(db, cast.provider, capacity=3, available=0)
    with pytest.raises(Conflict, match="No free place"):
        _reserve(db, cast, req.id, full.id)
    assert req.status is R.SUBMITTED


def test_last_place_goes_to_one_request_only(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=3, available=1)
    _reserve(db, cast, make_request(db, cast.coordinator).id, unit.id)
    with pytest.raises(Conflict):
        _reserve(db, cast, make_request(db, cast.coordinator).id, unit.id)
    db.refresh(unit)
    assert (unit.available, unit.held) == (1, 1)


def test_hold_expires_and_the_place_comes_back(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=2, available=1)
    req = make_request(db, cast.coordinator)
    offer = _reserve(db, cast, req.id, unit.id, hours=1)
    with clock.frozen(clock.now() + timedelta(hours=2)):
        with pytest.raises(ConflictAfterCleanup, match="expired"):
            placement.accept(db, actor=cast.actor(cast.staff), offer_id=offer.id)
        # The refused accept released the place on the way (and keeps_changes tells the
        # edge to commit that); the expire-holds job finds nothing left to do.
        assert holds.expire(db, now=clock.now()) == []
        db.refresh(unit)
        db.refresh(req)
        db.refresh(offer)
    assert (unit.held, req.status, offer.status) == (0, R.SUBMITTED, OfferStatus.EXPIRED)
    # The place can be held again by someone else.
    _reserve(db, cast, make_request(db, cast.coordinator).id, unit.id)


def test_decline_needs_a_reason_and_frees_the_place(db: Session, cast: Cast) -> None:
    with pytest.raises(ValueError, match="note"):
        OfferDecline(reason=DeclineReason.OTHER)
    unit = make_unit(db, cast.provider, available=1)
    req = make_request(db, cast.coordinator)
    offer = _reserve(db, cast, req.id, unit.id)
    placement.decline(db, actor=cast.actor(cast.staff), offer_id=offer.id,
                      data=OfferDecline(reason=DeclineReason.CARE_NEEDS))
    db.refresh(unit)
    assert (unit.held, req.status, offer.decline_reason) == (0, R.DECLINED,
                                                             DeclineReason.CARE_NEEDS)
    with pytest.raises(Conflict, match="already"):
        placement.accept(db, actor=cast.actor(cast.staff), offer_id=offer.id)
    # A declined request may get a new offer.
    assert _reserve(db, cast, req.id, unit.id).status is OfferStatus.HELD


def test_state_machine_refuses_skipping(db: Session, cast: Cast) -> None:
    req = make_request(db, cast.coordinator, status=R.DRAFT)
    with pytest.raises(ValidationFailed, match="draft -> offered"):
        _reserve(db, cast, req.id, make_unit(db, cast.provider).id)
    placement.submit(db, actor=cast.actor(cast.coordinator), request_id=req.id)
    assert req.status is R.SUBMITTED


def test_matches_explain_every_unit(db: Session, cast: Cast) -> None:
    good = make_unit(db, cast.provider)
    bad = make_unit(db, cast.provider, genders=["man"])
    req = make_request(db, cast.coordinator)
    _req, found = placement.matches(db, actor=cast.actor(cast.coordinator), request_id=req.id,
                                    stale_hours=24)
    by_id = {m.unit_id: m for m in found}
    assert by_id[good.id].eligible and by_id[good.id].score > 0
    assert not by_id[bad.id].eligible and by_id[bad.id].reasons[0].code == "gender"
    with pytest.raises(Forbidden):
        placement.matches(db, actor=cast.actor(cast.gemeente_user), request_id=req.id,
                          stale_hours=24)


def test_batch_plan_places_more_than_first_come(db: Session, cast: Cast) -> None:
    anywhere = make_unit(db, cast.provider, capacity=2, available=1)
    women_only = make_unit(db, cast.provider, capacity=2, available=1, genders=["vrouw"],
                           location_kw={"lat": 53.2, "lon": 6.5, "region": "vr01"})
    make_request(db, cast.coordinator, gender=Gender.VROUW, submitted_at=clock.now()
                 - timedelta(hours=2))
    make_request(db, cast.coordinator, gender=Gender.MAN)
    plan = placement.batch_plan(db, actor=cast.actor(cast.coordinator), stale_hours=24)
    assert plan.requests == 2 and plan.optimal_placed == 2 and plan.greedy_placed == 1
    assert {p.unit_id for p in plan.pairs} == {anywhere.id, women_only.id}


def test_overview_counts_and_bounces(db: Session, cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=5, available=3)
    stale = make_unit(db, cast.provider, capacity=5, available=1)
    stale.available_updated_at = clock.now() - timedelta(hours=30)
    first = make_request(db, cast.coordinator, person_ref="P-BOUNCE")
    offer = _reserve(db, cast, first.id, unit.id)
    placement.decline(db, actor=cast.actor(cast.staff), offer_id=offer.id,
                      data=OfferDecline(reason=DeclineReason.SAFETY))
    offer = _reserve(db, cast, first.id, unit.id)
    placement.accept(db, actor=cast.actor(cast.staff), offer_id=offer.id)
    placement.place(db, actor=cast.actor(cast.staff), offer_id=offer.id)
    first.placed_at = clock.now() - timedelta(days=40)
    db.flush()
    o = metrics.overview(db, actor=cast.actor(cast.coordinator), stale_hours=24, stable_days=28)
    assert o.total.units >= 2 and o.total.stale >= 1
    assert o.declines.get("veiligheid", 0) >= 1
    assert o.bounces is not None and o.bounces.stable >= 1
    assert o.bounces.mean_offers_before_stable is not None
    assert len(o.trend) == 30
    with pytest.raises(Forbidden):
        metrics.overview(db, actor=cast.actor(cast.gemeente_user).__class__(
            **{**cast.actor(cast.gemeente_user).__dict__, "org_type": "politie"}),
            stale_hours=24, stable_days=28)
